/**
 * SEC-22 Surreptitious forwarding (docs/security.md §SEC-22): Alice's message, validly signed by Alice
 * with protected inner `To: bob@example.com` (RFC 9788 `hp="clear"`, signed by `openssl cms -sign`, see
 * test/fixtures/sec-22-surreptitious-forwarding/README.md), re-sent by Bob to carol@example.com. It still
 * verifies as signed by Alice; the banner must say SIGNED_WARN(not-addressed-to-you), naming bob@.
 */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { DEFAULT_POLICY, openMessage } from '../../src/crypto/index.js';
import { MessageReader } from '../../src/background/read/message-reader.js';
import { fixtureBytes as fixture, publicReaderKeys as keys, RFC9216_RSA_ROOT as root } from '../helpers/reader-keys.js';
import { translator } from '../ui/compose/i18n.js';

const crypto = webcrypto as unknown as Crypto;
const NOW = new Date('2026-12-01T00:00:00Z');
const FORWARDED = 'sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml';

async function statusAs(user: string, name = FORWARDED) {
  const reader = new MessageReader({ keys, crypto, policy: DEFAULT_POLICY, now: () => NOW, ownAddresses: async () => [user] });
  return (await reader.open(1, async () => fixture(name))).status;
}

describe('SEC-22 surreptitious forwarding', () => {
  it('the signature itself is valid for Alice (the attack needs no forgery)', async () => {
    const report = await openMessage(fixture(FORWARDED), { anchors: [root], now: NOW, crypto, policy: DEFAULT_POLICY });
    expect({ verdict: report.signature.verdict, signer: report.signature.signer }).toEqual({ verdict: 'valid', signer: 'alice@smime.example' });
    expect(report.protectedAddressees?.to).toEqual(['bob@example.com']);
  });

  it('delivered to carol@example.com → SIGNED_WARN(not-addressed-to-you) naming bob@example.com, with icon and text', async () => {
    const status = await statusAs('carol@example.com');
    expect({ signature: status.signature, tone: status.tone, notAddressedToYou: status.notAddressedToYou }).toEqual({ signature: 'not-addressed-to-you', tone: 'warn', notAddressedToYou: true });
    // The banner's line (rendered in test/ui/display/StatusBanner.test.tsx) in the user's words.
    const { t, missing } = translator('en');
    expect(t('banner_notAddressedToYou', status.protectedAddressees!.to.join(', '))).toBe('This signed message was originally addressed to bob@example.com (not to you).');
    expect(t('banner_sig_not_addressed_to_you', status.signer!)).toContain('alice@smime.example');
    expect(missing).toEqual([]);
  });

  it('the same message delivered to bob@example.com → valid, OK, no warning line', async () => {
    const status = await statusAs('bob@example.com');
    expect({ signature: status.signature, tone: status.tone, notAddressedToYou: status.notAddressedToYou }).toEqual({ signature: 'valid', tone: 'ok', notAddressedToYou: false });
  });

  it('a signed message without protected headers → no warning (nothing to judge)', async () => {
    const status = await statusAs('carol@example.com', 'openssl-generated/alice.dsig.sha256.eml');
    expect({ signature: status.signature, tone: status.tone, notAddressedToYou: status.notAddressedToYou }).toEqual({ signature: 'valid', tone: 'ok', notAddressedToYou: false });
  });

  it('the inner To cannot be changed to the reader: a rewritten To breaks the signature (BAD, no addressees used)', async () => {
    const raw = new TextDecoder().decode(fixture(FORWARDED)).replace('To: Bob <bob@example.com>', 'To: Carol <carol@example.com>');
    const reader = new MessageReader({ keys, crypto, policy: DEFAULT_POLICY, now: () => NOW, ownAddresses: async () => ['carol@example.com'] });
    const status = (await reader.open(1, async () => new TextEncoder().encode(raw))).status;
    expect(status.tone).toBe('bad');
    expect(status.protectedAddressees).toBeNull();
  });
});
