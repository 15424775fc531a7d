#!/usr/bin/env node
// Signing a 25 MiB message (docs/performance.md): Waxseal signEntity (canonical check, SignedData,
// multipart/signed or base64 signed-data) vs `openssl cms -sign` in the same run, as processes.
// Goal: detached <= 1.2x of `openssl cms -sign -binary -outform DER` (stretch) and of `-outform SMIME`.
import { writeFileSync } from 'node:fs';
import { crypto, importEngine, makePki, mailEntity, ratioLine, report, time, timeProcess } from './signing-setup.mjs';

const engine = await importEngine();
const pki = makePki();
try {
  const policy = engine.DEFAULT_POLICY;
  const privateKey = await engine.importSigningKey(pki.alicePkcs8, { crypto, policy });
  const signer = { certificate: pki.aliceDer, privateKey, chain: [] };
  const entity = mailEntity(25 * 1024 * 1024);
  writeFileSync(pki.file('entity.mime'), entity);
  const signingTime = new Date();

  const sample = await engine.signEntity({ entity, signer, crypto, policy, form: 'detached', signingTime });
  const check = await engine.verifySignedMessage(sample, { anchors: [pki.caDer], now: signingTime, crypto, policy });
  if (!check.checks.some((c) => c.code === 'BAD_SIGNATURE' && c.ok)) throw new Error(`benchmark signature does not verify: ${check.reasons}`);

  const signArgs = ['cms', '-sign', '-binary', '-in', pki.file('entity.mime'), '-signer', pki.file('alice.pem'), '-inkey', pki.file('alice.key'), '-md', 'sha256'];
  const opensslDer = timeProcess([...signArgs, '-outform', 'DER', '-out', pki.file('o.der')], 5);
  const opensslSmime = timeProcess([...signArgs, '-outform', 'SMIME', '-out', pki.file('o.eml')], 5);
  const opensslOpaque = timeProcess([...signArgs, '-nodetach', '-outform', 'SMIME', '-out', pki.file('o2.eml')], 3);
  report('openssl cms -sign 25 MiB, DER detached (process)', opensslDer);
  report('openssl cms -sign 25 MiB, SMIME multipart/signed (process)', opensslSmime);
  report('openssl cms -sign -nodetach 25 MiB, SMIME opaque (process)', opensslOpaque);

  const detached = await time(() => engine.signEntity({ entity, signer, crypto, policy, form: 'detached', signingTime }), 5);
  report('Waxseal signEntity 25 MiB detached (multipart/signed)', detached);
  ratioLine('  Waxseal detached / openssl DER detached', detached, opensslDer, 1.2, 'sign');
  ratioLine('  Waxseal detached / openssl SMIME multipart/signed', detached, opensslSmime, 1.2, 'sign');
  const opaque = await time(() => engine.signEntity({ entity, signer, crypto, policy, form: 'opaque', signingTime }), 3);
  report('Waxseal signEntity 25 MiB opaque (base64 signed-data)', opaque);
  ratioLine('  Waxseal opaque / openssl SMIME opaque', opaque, opensslOpaque, 1.2, 'sign');

  const small = mailEntity(50 * 1024);
  report('Waxseal signEntity 50 KiB detached, warm', await time(() => engine.signEntity({ entity: small, signer, crypto, policy, form: 'detached', signingTime }), 30));
} finally {
  pki.cleanup();
}
