/**
 * Issue #9: the organisation's provisioned identity (a PKCS#12 written by `openssl pkcs12 -export`) is
 * offered to the options page and imported with only its password. A missing openssl fails with the
 * install command (STYLE §8).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64Encode, SmimeError } from '../../../src/crypto/index.js';
import { createKeyHandlers } from '../../../src/background/handlers/keys.js';
import { PeopleCertificates } from '../../../src/background/keystore/people.js';
import { TrustAnchors } from '../../../src/background/keystore/anchors.js';
import { SettingsStore } from '../../../src/background/keystore/settings.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { createTestPki } from '../../helpers/pki.js';
import { pem, scratch, tool } from '../../interop/pkcs12-tools.js';
import { EXTENSION_ID, EXTENSION_URL, OPTIONS, POPUP, recordingArea } from '../keystore/handler-rig.js';
import { createRig, crypto, FAST_POLICY, PASSPHRASE } from '../keystore/rig.js';

const pki = await createTestPki(crypto);
const { alice } = pki.users;
const P12_PASSWORD = 'from the IT desk 2026';

function opensslP12(): Uint8Array {
  const dir = scratch();
  try {
    const keyFile = dir.file('key.pem', pem(alice.rsa.pkcs8, 'PRIVATE KEY'));
    const certFile = dir.file('cert.pem', pem(alice.rsa.certificate, 'CERTIFICATE'));
    const p12File = dir.file('alice.p12');
    tool('openssl', ['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-out', p12File, '-passout', `pass:${P12_PASSWORD}`, '-name', 'Alice (provisioned)']);
    return new Uint8Array(readFileSync(p12File));
  } finally {
    dir.cleanup();
  }
}

async function rigWith(provisionedIdentity: unknown, fetchBytes: (url: string, max: number) => Promise<Uint8Array> = async () => new Uint8Array()) {
  const rig = await createRig();
  const area = recordingArea();
  const config = parseManagedConfig({ provisionedIdentity });
  expect(config.problems).toEqual([]);
  const handlers = createKeyHandlers({
    keystore: rig.keystore, people: new PeopleCertificates(rig.db, rig.clock), anchors: new TrustAnchors(rig.db), session: rig.session,
    settings: new SettingsStore(area, FAST_POLICY), crypto, clock: rig.clock, policy: FAST_POLICY,
    extensionId: EXTENSION_ID, extensionUrl: EXTENSION_URL, managed: async () => config, provisioned: { area, fetchBytes },
  });
  return { rig, handlers, area };
}

const codeOf = (error: unknown) => (error as SmimeError).code;

describe('provisioned identity', () => {
  const p12 = opensslP12();

  it('is offered, imported with only its password, and then no longer offered', async () => {
    const { handlers } = await rigWith({ data: base64Encode(p12), label: 'Example Corp mail certificate' });
    const offer = await handlers.getProvisionedIdentity({}, OPTIONS);
    expect(offer?.label).toBe('Example Corp mail certificate');
    expect(offer?.offerId).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(offer!)).toEqual(['offerId', 'label']);

    const wrong = await handlers.importProvisionedIdentity({ offerId: offer!.offerId, p12Password: 'not it', passphrase: PASSPHRASE }, OPTIONS).catch((e: unknown) => e);
    expect(codeOf(wrong)).toBe('PKCS12_WRONG_PASSWORD');
    expect(await handlers.getProvisionedIdentity({}, OPTIONS)).toEqual(offer);

    const { imported, status } = await handlers.importProvisionedIdentity({ offerId: offer!.offerId, p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS);
    expect(imported.map((i) => [i.friendlyName, i.addresses])).toEqual([['Alice (provisioned)', [alice.email]]]);
    expect(status).toMatchObject({ initialised: true, identityCount: 1 });
    expect(await handlers.getProvisionedIdentity({}, OPTIONS)).toBeNull();
  });

  it('a url offer is fetched; a declined offer is not offered again', async () => {
    const urls: string[] = [];
    const { handlers } = await rigWith({ url: 'https://it.example.com/alice.p12', label: 'Alice' }, async (url) => {
      urls.push(url);
      return p12;
    });
    const offer = await handlers.getProvisionedIdentity({}, OPTIONS);
    expect(urls).toEqual(['https://it.example.com/alice.p12']);
    expect(await handlers.declineProvisionedIdentity({ offerId: offer!.offerId }, OPTIONS)).toEqual({ declined: true });
    expect(await handlers.getProvisionedIdentity({}, OPTIONS)).toBeNull();
  });

  it('a stale offer id or an unreachable file is MANAGED_CONFIG_INVALID; other pages may not ask', async () => {
    const { handlers } = await rigWith({ data: base64Encode(p12), label: 'Alice' });
    const stale = await handlers.importProvisionedIdentity({ offerId: '00'.repeat(32), p12Password: P12_PASSWORD, passphrase: PASSPHRASE }, OPTIONS).catch((e: unknown) => e);
    expect(codeOf(stale)).toBe('MANAGED_CONFIG_INVALID');
    const forbidden = await handlers.getProvisionedIdentity({}, POPUP).catch((e: unknown) => e);
    expect((forbidden as { code: string }).code).toBe('FORBIDDEN_SENDER');

    const unreachable = await rigWith({ url: 'https://it.example.com/gone.p12', label: 'Alice' }, async () => {
      throw new Error('HTTP 404');
    });
    expect(codeOf(await unreachable.handlers.getProvisionedIdentity({}, OPTIONS).catch((e: unknown) => e))).toBe('MANAGED_CONFIG_INVALID');
  });
});
