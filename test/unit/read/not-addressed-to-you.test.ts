/**
 * SEC-22 on the reading side: the reader compares the protected To/Cc of a validly signed message
 * (OpenSSL-signed fixtures, test/fixtures/sec-22-surreptitious-forwarding/README.md) with the user's own
 * addresses and the status becomes the not-addressed-to-you WARN. Verification time fixed after the
 * fixtures' signing-time (2026-11-28).
 */
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { DEFAULT_POLICY } from '../../../src/crypto/index.js';
import { MessageReader } from '../../../src/background/read/message-reader.js';
import { fixtureBytes as fixture, publicReaderKeys as keys } from '../../helpers/reader-keys.js';
import { isNotAddressedToUser } from '../../../src/background/read/display-status.js';

const crypto = webcrypto as unknown as Crypto;
const NOW = new Date('2026-12-01T00:00:00Z');

async function statusFor(name: string, ownAddresses?: () => Promise<readonly string[]>) {
  const reader = new MessageReader({ keys, crypto, policy: DEFAULT_POLICY, now: () => NOW, ownAddresses });
  return (await reader.open(1, async () => fixture(name))).status;
}

describe('reading: not addressed to you (SEC-22)', () => {
  it('hp="clear" message to bob@, read by carol@ → WARN not-addressed-to-you, the inner To in the status', async () => {
    const status = await statusFor('sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml', async () => ['carol@example.com']);
    expect({ signature: status.signature, tone: status.tone, notAddressedToYou: status.notAddressedToYou, signer: status.signer })
      .toEqual({ signature: 'not-addressed-to-you', tone: 'warn', notAddressedToYou: true, signer: 'alice@smime.example' });
    expect(status.protectedAddressees).toEqual({ to: ['bob@example.com'], cc: [] });
  });

  it('the same message read by bob@ (any case) → valid, OK, no warning', async () => {
    const status = await statusFor('sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml', async () => ['carol@example.com', 'Bob@Example.com']);
    expect({ signature: status.signature, tone: status.tone, notAddressedToYou: status.notAddressedToYou }).toEqual({ signature: 'valid', tone: 'ok', notAddressedToYou: false });
    expect(status.protectedAddressees).toEqual({ to: ['bob@example.com'], cc: [] });
  });

  it('message/rfc822 wrapper to bob@, read by carol@ → WARN', async () => {
    const status = await statusFor('sec-22-surreptitious-forwarding/alice.dsig.rfc822-wrapper.to-carol.eml', async () => ['carol@example.com']);
    expect({ signature: status.signature, tone: status.tone }).toEqual({ signature: 'not-addressed-to-you', tone: 'warn' });
  });

  it('a signed message without protected headers → valid, nothing to judge', async () => {
    const status = await statusFor('openssl-generated/alice.dsig.sha256.eml', async () => ['carol@example.com']);
    expect({ signature: status.signature, tone: status.tone, notAddressedToYou: status.notAddressedToYou, protectedAddressees: status.protectedAddressees })
      .toEqual({ signature: 'valid', tone: 'ok', notAddressedToYou: false, protectedAddressees: null });
  });

  it('no known own addresses (or listing them fails) → no judgement, never a failed message', async () => {
    expect((await statusFor('sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml')).signature).toBe('valid');
    const failing = await statusFor('sec-22-surreptitious-forwarding/alice.dsig.hp-clear.to-carol.eml', async () => {
      throw new Error('accounts unavailable');
    });
    expect(failing.signature).toBe('valid');
  });

  it('isNotAddressedToUser: Cc and Bcc count as addressed; an empty list judges nothing', () => {
    const named = (to: string[], cc: string[] = [], bcc: string[] = []) => ({ style: 'hp' as const, to, cc, bcc, complete: true });
    expect(isNotAddressedToUser(named(['bob@example.com'], ['carol@example.com']), ['carol@example.com'])).toBe(false);
    expect(isNotAddressedToUser(named(['bob@example.com'], [], ['carol@example.com']), ['carol@example.com'])).toBe(false);
    expect(isNotAddressedToUser(named([]), ['carol@example.com'])).toBe(false);
    expect(isNotAddressedToUser(named(['bob@example.com']), [])).toBe(false);
    expect(isNotAddressedToUser(named(['bob@example.com']), [' Carol@Example.com '])).toBe(true);
    // A list cut at the limit (or with a value that did not parse) may name the user further on.
    expect(isNotAddressedToUser({ ...named(['bob@example.com']), complete: false }, ['carol@example.com'])).toBe(false);
  });
});
