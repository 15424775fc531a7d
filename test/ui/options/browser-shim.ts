/**
 * A fake `browser` for the built options page in a plain browser (the axe-core check): the page's
 * `runtime.sendMessage` requests are answered by the in-memory fake background, texts come from the real
 * English catalogue, accounts and storage are in memory. Loaded before the page's own main.js.
 * `?state=empty` starts with an empty key store, anything else with identities, people and roots.
 */
import en from '../../../_locales/en/messages.json';
import type { Envelope } from '../../../src/shared/protocol.js';
import { createFake, identity, NOW, person, STRONG } from './fake-background.js';

const DAY = 86_400_000;
const empty = new URLSearchParams(location.search).get('state') === 'empty';
const fake = createFake(
  empty
    ? {}
    : {
        passphrase: STRONG,
        locked: false,
        identities: [
          identity({ id: 'cur', notAfter: new Date(NOW + 12 * DAY).toISOString() }),
          identity({ id: 'old', fingerprintSha256: '01'.repeat(32), notAfter: new Date(NOW - 30 * DAY).toISOString(), currentSigningFor: [], currentEncryptionFor: [] }),
        ],
        people: [
          person({ id: 'b1', address: 'bob@example.org', firstSeen: '2025-01-01T00:00:00Z', state: 'superseded' }),
          person({ id: 'b2', address: 'bob@example.org', firstSeen: '2026-04-01T00:00:00Z', issuer: 'CN=Other CA' }),
        ],
        anchors: [
          { fingerprintSha256: 'aa'.repeat(32), subject: 'CN=Policy Root', addedBy: 'organisation', purposes: ['emailSigning'], addedAt: '2026-01-01T00:00:00Z' },
          { fingerprintSha256: 'bb'.repeat(32), subject: 'CN=My Root', addedBy: 'user', purposes: ['emailSigning', 'emailEncryption'], addedAt: '2026-02-01T00:00:00Z' },
        ],
      },
);

const catalogue = en as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
function getMessage(name: string, substitutions?: string | string[]): string {
  if (name === '@@ui_locale') return 'en';
  const entry = catalogue[name];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  let text = entry.message;
  for (const [key, value] of Object.entries(entry.placeholders ?? {})) text = text.split(`$${key.toUpperCase()}$`).join(value.content);
  return text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
}

const store: Record<string, unknown> = {};
const runtime = {
  id: 'waxseal@waxseal.org',
  async sendMessage(message: Envelope) {
    try {
      return { ok: true, res: await fake.call(message.name, message.req as never) };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { ok: false, error: { code: e.code ?? 'INTERNAL_ERROR', message: e.message ?? '' } };
    }
  },
};
const g = globalThis as unknown as Record<string, unknown>;
g.chrome = { runtime: { id: runtime.id } };
g.browser = {
  runtime,
  i18n: { getMessage },
  storage: {
    local: {
      get: async (key: string) => (key in store ? { [key]: store[key] } : {}),
      set: async (items: Record<string, unknown>) => void Object.assign(store, items),
    },
  },
};
g.messenger = { accounts: { list: async () => [{ name: 'Alice at Example', identities: [{ email: 'alice@example.com' }] }] } };
