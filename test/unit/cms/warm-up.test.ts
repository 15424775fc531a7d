// warmUp (docs/performance.md G5): its built-in sample must keep exercising the whole verification path, so it
// has to stay a valid signed message under the default policy; a sample that no longer verifies would warm up
// only the early exits.
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { WARM_UP_SAMPLE, warmUp } from '../../../src/crypto/smime/warm-up.js';
import { verifySignedMessage } from '../../../src/crypto/smime/verify-message.js';
import { base64Decode } from '../../../src/crypto/bytes.js';
import { DEFAULT_POLICY } from '../../../src/crypto/policy.js';
import { mozillaEmailAnchors } from '../../../src/crypto/trust/anchors.js';

const crypto = webcrypto as unknown as Crypto;

describe('warmUp', () => {
  it('verifies its sample as valid, through the chain to the sample CA next to the Mozilla roots', async () => {
    const report = await verifySignedMessage(base64Decode(WARM_UP_SAMPLE.message), {
      anchors: [{ der: base64Decode(WARM_UP_SAMPLE.ca), source: 'user', purposes: ['email'] }, ...mozillaEmailAnchors()],
      now: WARM_UP_SAMPLE.time,
      crypto,
      policy: DEFAULT_POLICY,
    });
    expect({ verdict: report.verdict, reasons: report.reasons, signer: report.signerCertificate?.emailAddresses }).toEqual({ verdict: 'valid', reasons: [], signer: ['warm-up@example.invalid'] });
  });

  it('the sample CA is not trusted anywhere else: the sample is untrusted with only the Mozilla roots', async () => {
    const report = await verifySignedMessage(base64Decode(WARM_UP_SAMPLE.message), { anchors: mozillaEmailAnchors(), now: WARM_UP_SAMPLE.time, crypto, policy: DEFAULT_POLICY });
    expect(report.reasons).toContain('UNTRUSTED');
  });

  it('resolves without a result', async () => {
    await expect(warmUp(crypto)).resolves.toBeUndefined();
  });
});
