/**
 * The key store against OpenSSL: a PKCS#12 written by `openssl pkcs12 -export` is imported, the unlocked
 * key signs and OpenSSL verifies; the key store's export is read back by `openssl pkcs12`. A missing
 * openssl fails with the install command (STYLE §8).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../helpers/pki.js';
import { pem, scratch, tool } from '../../interop/pkcs12-tools.js';
import { createHandlerRig, OPTIONS } from './handler-rig.js';
import { crypto, PASSPHRASE } from './rig.js';

const pki = await createTestPki(crypto);
const { alice } = pki.users;

describe('key store ↔ OpenSSL', () => {
  it('imports an OpenSSL PKCS#12; the unlocked key signs and OpenSSL verifies the signature', async () => {
    const dir = scratch();
    try {
      const keyFile = dir.file('key.pem', pem(alice.rsa.pkcs8, 'PRIVATE KEY'));
      const certFile = dir.file('cert.pem', pem(alice.rsa.certificate, 'CERTIFICATE'));
      const p12File = dir.file('alice.p12');
      tool('openssl', ['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-out', p12File, '-passout', 'pass:openssl p12 pw', '-name', 'Alice from OpenSSL']);
      const p12 = new Uint8Array(readFileSync(p12File));
      const rig = await createHandlerRig();
      const { imported } = await rig.handlers.importPkcs12({ p12, p12Password: 'openssl p12 pw', passphrase: PASSPHRASE }, OPTIONS);
      expect(imported.map((i) => i.friendlyName)).toEqual(['Alice from OpenSSL']);

      const restarted = await rig.restart();
      await restarted.keystore.unlock(PASSPHRASE);
      const data = new TextEncoder().encode('signed by the key store, checked by OpenSSL');
      const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', restarted.session.signingKey(imported[0].id, 'SHA-256'), data));
      const pubFile = dir.file('pub.pem');
      tool('openssl', ['x509', '-in', certFile, '-pubkey', '-noout', '-out', pubFile]);
      const verified = tool('openssl', ['dgst', '-sha256', '-verify', pubFile, '-signature', dir.file('sig.bin', signature), dir.file('data.bin', data)]);
      expect(verified.stdout.toString()).toMatch(/Verified OK/);
    } finally {
      dir.cleanup();
    }
  });

  it('an exported PKCS#12 opens in OpenSSL with the export password and holds the stored key', async () => {
    const dir = scratch();
    try {
      const rig = await createHandlerRig();
      const keyFile = dir.file('key.pem', pem(alice.ec.pkcs8, 'PRIVATE KEY'));
      const certFile = dir.file('cert.pem', pem(alice.ec.certificate, 'CERTIFICATE'));
      const p12File = dir.file('in.p12');
      tool('openssl', ['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-out', p12File, '-passout', 'pass:pw']);
      const { imported } = await rig.handlers.importPkcs12({ p12: new Uint8Array(readFileSync(p12File)), p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS);
      const exported = await rig.handlers.exportPkcs12({ id: imported[0].id, passphrase: PASSPHRASE, exportPassword: 'export password 2026' }, OPTIONS);
      const outFile = dir.file('out.p12', exported.p12);
      const keyPem = tool('openssl', ['pkcs12', '-in', outFile, '-passin', 'pass:export password 2026', '-nocerts', '-nodes']).stdout;
      const keyDer = tool('openssl', ['pkey', '-outform', 'DER'], { input: keyPem }).stdout;
      const originalDer = tool('openssl', ['pkey', '-in', keyFile, '-outform', 'DER']).stdout;
      expect(keyDer.equals(originalDer)).toBe(true);
      const wrong = tool('openssl', ['pkcs12', '-in', outFile, '-passin', 'pass:not it', '-nocerts', '-nodes'], { allowFailure: true });
      expect(wrong.status).not.toBe(0);
    } finally {
      dir.cleanup();
    }
  });
});
