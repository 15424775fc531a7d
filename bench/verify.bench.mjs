#!/usr/bin/env node
// Signature verification (docs/performance.md G3, G5):
// - a typical 50 KiB signed mail, whole message (MIME parse + CMS + chain to the root + From), warm: goal <= 5 ms;
//   and the first (cold) verification in this process: goal <= 40 ms, also in a fresh process after the engine's
//   warmUp(crypto), as the background is meant to call it at start-up;
// - a detached signature over 25 MiB vs `openssl cms -verify -binary -inform DER -content` in the same run:
//   goal <= 1.5x; also the whole 25 MiB multipart/signed message through verifySignedMessage.
import { crypto, goalLine, importEngine, makePki, mailEntity, ratioLine, report, time, timeProcess } from './signing-setup.mjs';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const engine = await importEngine();
const pki = makePki();
try {
  const policy = engine.DEFAULT_POLICY;
  const key = await crypto.subtle.importKey('pkcs8', pki.alicePkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const signer = { certificate: pki.aliceDer, privateKey: key, chain: [] };
  const headers = 'From: alice@example.com\r\nTo: bob@example.com\r\nSubject: bench\r\nMIME-Version: 1.0\r\n';
  const now = new Date();
  const options = { anchors: [pki.caDer], now, crypto, policy };

  const small = new Uint8Array(Buffer.concat([Buffer.from(headers), await engine.signEntity({ entity: mailEntity(50 * 1024), signer, crypto, policy, form: 'detached', signingTime: now })]));
  const cold = performance.now();
  const first = await engine.verifySignedMessage(small, options);
  const coldMs = performance.now() - cold;
  if (first.verdict !== 'valid') throw new Error(`50 KiB message did not verify: ${JSON.stringify(first.reasons)}`);
  console.log(`${'verify 50 KiB signed mail, first call (cold)'.padEnd(58)} ${coldMs.toFixed(1).padStart(8)} ms   goal <= 40 ms  ${coldMs <= 40 ? 'met' : 'NOT met'}`);
  goalLine('G5', 'verify 50 KiB signed mail, first call (cold)', coldMs, 40);
  // As the extension is meant to run it: warmUp(crypto) when the background starts, then the first message, in a
  // fresh process (median of 3 processes).
  writeFileSync(pki.file('small.eml'), small);
  const afterWarmUp = [0, 1, 2].map(() => firstVerifyAfterWarmUp(pki)).sort((a, b) => a.first - b.first)[1];
  console.log(`${'verify 50 KiB, first call after warmUp (fresh process)'.padEnd(58)} ${afterWarmUp.first.toFixed(1).padStart(8)} ms   (warmUp itself ${afterWarmUp.warmUp.toFixed(1)} ms)   goal <= 40 ms  ${afterWarmUp.first <= 40 ? 'met' : 'NOT met'}`);
  goalLine('G5', 'verify 50 KiB, first call after warmUp (fresh process)', afterWarmUp.first, 40);
  const warm = await time(() => engine.verifySignedMessage(small, options), 50);
  goalLine('G5', 'verify 50 KiB signed mail, warm (median)', warm.median, 5, warm.best);
  report('verify 50 KiB signed mail, warm', warm, `goal <= 5 ms  ${warm.median <= 5 ? 'met' : 'NOT met'}`);
  // As the extension and the CLI run it: the bundled Mozilla e-mail roots plus the user's anchor.
  const withMozilla = { ...options, anchors: [...engine.mozillaEmailAnchors(), { der: pki.caDer, source: 'user', purposes: ['email'] }] };
  const mozilla = await time(() => engine.verifySignedMessage(small, withMozilla), 30);
  report('verify 50 KiB signed mail, warm, with the Mozilla roots', mozilla, `goal <= 5 ms  ${mozilla.median <= 5 ? 'met' : 'NOT met'}`);
  goalLine('G5', 'verify 50 KiB, warm, with the 108 Mozilla roots (median)', mozilla.median, 5, mozilla.best);

  const entity = mailEntity(25 * 1024 * 1024);
  const { der } = await engine.signData(entity, { signer, crypto, policy, detached: true, signingTime: now });
  writeFileSync(pki.file('content.bin'), entity);
  writeFileSync(pki.file('sig.der'), der);
  const big = await engine.verifySignedData(der, { crypto, policy, detachedContent: entity });
  if (big.reasons.length > 0) throw new Error(`25 MiB signature did not verify: ${big.reasons}`);
  const oursCms = await time(() => engine.verifySignedData(der, { crypto, policy, detachedContent: entity }), 5);
  const opensslVerify = timeProcess(['cms', '-verify', '-binary', '-inform', 'DER', '-in', pki.file('sig.der'), '-content', pki.file('content.bin'),
    '-CAfile', pki.file('ca.pem'), '-purpose', 'any', '-out', '/dev/null'], 5);
  report('openssl cms -verify 25 MiB (DER + -content, process)', opensslVerify);
  report('Waxseal verifySignedData 25 MiB detached', oursCms);
  ratioLine('  Waxseal / openssl, detached 25 MiB (G3)', oursCms, opensslVerify, 1.5, 'G3');

  const bigMessage = new Uint8Array(Buffer.concat([Buffer.from(headers), await engine.signEntity({ entity, signer, crypto, policy, form: 'detached', signingTime: now })]));
  const oursMessage = await time(async () => {
    const result = await engine.verifySignedMessage(bigMessage, options);
    if (result.verdict !== 'valid') throw new Error(`25 MiB message: ${result.reasons}`);
  }, 5);
  report('Waxseal verifySignedMessage 25 MiB multipart/signed', oursMessage);
  ratioLine('  Waxseal whole message / openssl DER verify', oursMessage, opensslVerify, 1.5, 'G3');
  // The like-for-like reference: openssl reading the same S/MIME message (MIME parse + canonical form + verify).
  writeFileSync(pki.file('message.eml'), bigMessage);
  const opensslSmime = timeProcess(['cms', '-verify', '-in', pki.file('message.eml'), '-CAfile', pki.file('ca.pem'), '-purpose', 'any', '-out', '/dev/null'], 3);
  report('openssl cms -verify 25 MiB S/MIME message (process)', opensslSmime);
  ratioLine('  Waxseal whole message / openssl S/MIME verify', oursMessage, opensslSmime, 1.5, 'G3');
} finally {
  pki.cleanup();
}

/** A fresh Node process: bundle the engine, warmUp(crypto), then time the first verification of small.eml. */
function firstVerifyAfterWarmUp(pki) {
  const script = `
    import { readFileSync } from 'node:fs';
    import { crypto, importEngine } from ${JSON.stringify(new URL('./signing-setup.mjs', import.meta.url).href)};
    const engine = await importEngine();
    const message = new Uint8Array(readFileSync(${JSON.stringify(pki.file('small.eml'))}));
    const options = { anchors: [new Uint8Array(${JSON.stringify([...pki.caDer])})], now: new Date(), crypto, policy: engine.DEFAULT_POLICY };
    let start = performance.now();
    await engine.warmUp(crypto);
    const warmUp = performance.now() - start;
    start = performance.now();
    const report = await engine.verifySignedMessage(message, options);
    const first = performance.now() - start;
    if (report.verdict !== 'valid') throw new Error('50 KiB message did not verify after warmUp: ' + report.reasons);
    console.log(JSON.stringify({ warmUp, first }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`warm-up child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}
