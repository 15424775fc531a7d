// SEC-38a/b, SEC-42a: PKCS#12 interop with OpenSSL 3 in both directions. Files are made at test time from the
// code-built test PKI, so nothing expires; correctness is agreement with OpenSSL, not a round trip with ourselves.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, importPkcs12, SmimeError, type Pkcs12Contents } from '../../src/crypto/index.js';
import { createTestPki, type TestIdentity, type TestPki } from '../helpers/pki.js';
import { signAndVerifyWithIdentity } from '../unit/pkcs12/helpers.js';
import { pem, scratch, tool } from './pkcs12-tools.js';
import { OID } from '../../src/crypto/oids.js';
import { buildPfx, certBag, dataContentInfo, encryptedContentInfo, shroudedKeyBag } from '../unit/pkcs12/build-pfx.js';

const crypto = webcrypto as unknown as Crypto;
const NON_ASCII_PASSWORD = 'pässwörd€';

let pki: TestPki;
const work = scratch();

beforeAll(async () => {
  pki = await createTestPki(crypto);
});
afterAll(() => work.cleanup());

/** Writes key, certificate and chain as PEM and returns their paths. */
function writeIdentity(name: string, identity: TestIdentity, chain: TestIdentity[] = []): { key: string; cert: string; chain: string } {
  return {
    key: work.file(`${name}.key.pem`, pem(identity.pkcs8, 'PRIVATE KEY')),
    cert: work.file(`${name}.cert.pem`, pem(identity.certificate, 'CERTIFICATE')),
    chain: work.file(`${name}.chain.pem`, chain.map((c) => pem(c.certificate, 'CERTIFICATE')).join('')),
  };
}

function opensslExport(name: string, identity: TestIdentity, password: string, extra: string[] = [], chain: TestIdentity[] = []): Uint8Array {
  const paths = writeIdentity(name, identity, chain);
  const out = work.file(`${name}.p12`);
  const certfile = chain.length > 0 ? ['-certfile', paths.chain] : [];
  tool('openssl', ['pkcs12', '-export', '-inkey', paths.key, '-in', paths.cert, ...certfile, '-name', `${name} friendly`, '-passout', `pass:${password}`, '-out', out, ...extra]);
  return new Uint8Array(readFileSync(out));
}

function opensslInfo(path: string, password: string): string {
  return tool('openssl', ['pkcs12', '-info', '-noout', '-in', path, '-passin', `pass:${password}`]).stderr;
}

async function expectIdentity(contents: Pkcs12Contents, identity: TestIdentity, chain: TestIdentity[] = []): Promise<void> {
  expect(contents.identities).toHaveLength(1);
  const imported = contents.identities[0]!;
  expect(imported.certificate).toEqual(identity.certificate);
  expect(imported.chain).toEqual(chain.map((c) => c.certificate));
  await signAndVerifyWithIdentity(crypto, imported);
}

describe('OpenSSL-made PKCS#12 files import (SEC-38a, SEC-38b)', () => {
  it('OpenSSL 3 defaults (PBES2 AES-256-CBC, PBKDF2-SHA256, SHA-256 MAC), RSA', async () => {
    const alice = pki.users.alice.rsa;
    const bytes = opensslExport('default-rsa', alice, 'secret one');
    expect(opensslInfo(work.file('default-rsa.p12'), 'secret one')).toMatch(/MAC: sha256[\s\S]*AES-256-CBC[\s\S]*hmacWithSHA256/);
    const contents = await importPkcs12(bytes, 'secret one', { crypto });
    await expectIdentity(contents, alice);
    expect(contents.identities[0]!.friendlyName).toBe('default-rsa friendly');
  });

  it('OpenSSL 3 defaults with a P-256 key', async () => {
    const bob = pki.users.bob.ec;
    const contents = await importPkcs12(opensslExport('default-ec', bob, 'secret two'), 'secret two', { crypto });
    await expectIdentity(contents, bob);
  });

  it('an Ed25519 key and certificate made by OpenSSL', async () => {
    const key = work.file('ed25519.key.pem');
    const cert = work.file('ed25519.cert.pem');
    tool('openssl', ['genpkey', '-algorithm', 'Ed25519', '-out', key]);
    tool('openssl', ['req', '-new', '-x509', '-key', key, '-subj', '/CN=Ed25519 User/emailAddress=ed@example.com', '-days', '3650', '-out', cert]);
    const out = work.file('ed25519.p12');
    tool('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-passout', 'pass:ed', '-out', out]);
    const contents = await importPkcs12(new Uint8Array(readFileSync(out)), 'ed', { crypto });
    expect(contents.identities).toHaveLength(1);
    const certificateDer = tool('openssl', ['x509', '-in', cert, '-outform', 'DER']).stdout;
    expect(contents.identities[0]!.certificate).toEqual(new Uint8Array(certificateDer));
    await signAndVerifyWithIdentity(crypto, contents.identities[0]!);
  });

  it('-legacy (RC2-40 certificates, 3DES key, SHA-1 MAC)', async () => {
    const alice = pki.users.alice.rsa;
    const bytes = opensslExport('legacy', alice, 'legacy pass', ['-legacy']);
    expect(tool('openssl', ['pkcs12', '-info', '-noout', '-legacy', '-in', work.file('legacy.p12'), '-passin', 'pass:legacy pass']).stderr)
      .toMatch(/MAC: sha1[\s\S]*pbeWithSHA1And40BitRC2-CBC[\s\S]*pbeWithSHA1And3-KeyTripleDES-CBC/);
    await expectIdentity(await importPkcs12(bytes, 'legacy pass', { crypto }), alice);
  });

  it('an empty password, given as "" or as null', async () => {
    const dave = pki.users.dave.rsa;
    const bytes = opensslExport('empty', dave, '');
    await expectIdentity(await importPkcs12(bytes, '', { crypto }), dave);
    await expectIdentity(await importPkcs12(bytes, null, { crypto }), dave);
  });

  it('an empty password with -legacy', async () => {
    const dave = pki.users.dave.ec;
    const bytes = opensslExport('empty-legacy', dave, '', ['-legacy']);
    await expectIdentity(await importPkcs12(bytes, '', { crypto }), dave);
  });

  it(`a non-ASCII password (${NON_ASCII_PASSWORD}), default and -legacy`, async () => {
    const eve = pki.users.eve.rsa;
    await expectIdentity(await importPkcs12(opensslExport('utf8', eve, NON_ASCII_PASSWORD), NON_ASCII_PASSWORD, { crypto }), eve);
    await expectIdentity(await importPkcs12(opensslExport('utf8-legacy', eve, NON_ASCII_PASSWORD, ['-legacy']), NON_ASCII_PASSWORD, { crypto }), eve);
    const wrong = await importPkcs12(opensslExport('utf8-2', eve, NON_ASCII_PASSWORD), 'passwort€', { crypto }).catch((e: unknown) => e);
    expect((wrong as SmimeError).code).toBe('PKCS12_WRONG_PASSWORD');
  });

  it('a chain added with -certfile comes back as the identity chain, nearest issuer first', async () => {
    const alice = pki.users.alice.ec;
    const bytes = opensslExport('chain', alice, 'chain pass', [], [pki.root, pki.emailCa]);
    const contents = await importPkcs12(bytes, 'chain pass', { crypto });
    expect(contents.certificates).toHaveLength(3);
    await expectIdentity(contents, alice, [pki.emailCa, pki.root]);
  });

  it('-descert with a SHA-512 MAC and AES-128 key bag (mixed schemes)', async () => {
    const manager = pki.users.manager.rsa;
    const bytes = opensslExport('mixed', manager, 'mixed', ['-descert', '-keypbe', 'AES-128-CBC', '-macalg', 'sha512', '-iter', '1000']);
    await expectIdentity(await importPkcs12(bytes, 'mixed', { crypto }), manager);
  });

  it('a file without a MAC (-nomac) imports; a wrong password then fails on the key bag', async () => {
    const manager = pki.users.manager.ec;
    const bytes = opensslExport('nomac', manager, 'no mac', ['-nomac']);
    await expectIdentity(await importPkcs12(bytes, 'no mac', { crypto }), manager);
    const wrong = await importPkcs12(bytes, 'not it', { crypto }).catch((e: unknown) => e);
    expect((wrong as SmimeError).code).toBe('PKCS12_WRONG_PASSWORD');
  });

  it('a file with unencrypted bags (-keypbe NONE -certpbe NONE)', async () => {
    const bob = pki.users.bob.rsa;
    const bytes = opensslExport('plain', bob, 'plain', ['-keypbe', 'NONE', '-certpbe', 'NONE']);
    await expectIdentity(await importPkcs12(bytes, 'plain', { crypto }), bob);
  });
});

describe('pre-1.1.0 OpenSSL files with a non-ASCII password', () => {
  it('the "one BMP character per UTF-8 byte" password form is accepted, as OpenSSL 3 accepts it', async () => {
    const bob = pki.users.bob.rsa;
    // OpenSSL 1.0 encoded each UTF-8 byte of the password as one BMPString character.
    const byteForm = Buffer.from(NON_ASCII_PASSWORD, 'utf8').toString('latin1');
    const legacy = { scheme: 'legacy', oid: OID.pbeWithShaAnd3KeyTripleDesCbc, iterations: 2048 } as const;
    const bytes = await buildPfx([
      await encryptedContentInfo([certBag(bob.certificate)], byteForm, { ...legacy, oid: OID.pbeWithShaAnd40BitRc2Cbc }, crypto),
      dataContentInfo([await shroudedKeyBag(bob.pkcs8, byteForm, legacy, crypto)]),
    ], { crypto, password: byteForm, mac: { hash: 'SHA-1', iterations: 2048 } });
    const path = work.file('openssl-1.0-utf8.p12', bytes);
    const key = tool('openssl', ['pkcs12', '-in', path, '-legacy', '-passin', `pass:${NON_ASCII_PASSWORD}`, '-nocerts', '-nodes']).stdout;
    expect(key.toString()).toContain('PRIVATE KEY');
    await expectIdentity(await importPkcs12(bytes, NON_ASCII_PASSWORD, { crypto }), bob);
  });
});

describe('every encryption scheme OpenSSL writes imports (SEC-38b)', () => {
  const schemes: [certificates: string, key: string][] = [
    ['DES-EDE3-CBC', 'DES-EDE3-CBC'],
    ['RC2-CBC', 'RC2-40-CBC'],
    ['AES-192-CBC', 'AES-128-CBC'],
    ['PBE-SHA1-RC4-128', 'PBE-SHA1-2DES'],
    ['PBE-SHA1-RC4-40', 'PBE-SHA1-RC2-128'],
    ['PBE-SHA1-RC2-40', 'PBE-SHA1-3DES'],
  ];
  for (const [certpbe, keypbe] of schemes) {
    it(`-certpbe ${certpbe} -keypbe ${keypbe}`, async () => {
      const alice = pki.users.alice.ec;
      const name = `scheme-${certpbe}-${keypbe}`;
      const bytes = opensslExport(name, alice, 'scheme pass', ['-legacy', '-certpbe', certpbe, '-keypbe', keypbe]);
      await expectIdentity(await importPkcs12(bytes, 'scheme pass', { crypto }), alice);
    });
  }
});

describe('Waxseal exports read by OpenSSL (SEC-42a)', () => {
  it('openssl pkcs12 -info reads the export and finds the same key, certificate and chain', async () => {
    const alice = pki.users.alice.rsa;
    const password = 'export pässword';
    const bytes = await exportPkcs12(
      { pkcs8: alice.pkcs8, certificate: alice.certificate, chain: [pki.emailCa.certificate, pki.root.certificate], friendlyName: 'Alice (Waxseal)' },
      password,
      { crypto },
    );
    const path = work.file('waxseal-export.p12', bytes);
    const info = opensslInfo(path, password);
    expect(info).toContain('MAC: sha256, Iteration 600000');
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/);
    expect(info).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/);

    const certificates = tool('openssl', ['pkcs12', '-in', path, '-passin', `pass:${password}`, '-nokeys']).stdout.toString();
    expect(certificates).toContain('friendlyName: Alice (Waxseal)');
    const leaf = tool('openssl', ['pkcs12', '-in', path, '-passin', `pass:${password}`, '-nokeys', '-clcerts']).stdout;
    expect(tool('openssl', ['x509', '-outform', 'DER'], { input: leaf }).stdout).toEqual(Buffer.from(alice.certificate));
    const ca = tool('openssl', ['pkcs12', '-in', path, '-passin', `pass:${password}`, '-nokeys', '-cacerts']).stdout.toString();
    expect(ca.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    const key = tool('openssl', ['pkcs12', '-in', path, '-passin', `pass:${password}`, '-nocerts', '-nodes']).stdout;
    // Both sides normalised by OpenSSL: the key it extracted equals the key we put in.
    const keyDer = tool('openssl', ['pkey', '-outform', 'DER'], { input: key }).stdout;
    const originalDer = tool('openssl', ['pkey', '-outform', 'DER'], { input: Buffer.from(pem(alice.pkcs8, 'PRIVATE KEY')) }).stdout;
    expect(keyDer).toEqual(originalDer);
  });

  it('an EC export is read by OpenSSL and its key matches the certificate', async () => {
    const bob = pki.users.bob.ec;
    const bytes = await exportPkcs12({ pkcs8: bob.pkcs8, certificate: bob.certificate }, 'bob', { crypto, iterations: 600_000 });
    const path = work.file('waxseal-ec.p12', bytes);
    const key = tool('openssl', ['pkcs12', '-in', path, '-passin', 'pass:bob', '-nocerts', '-nodes']).stdout;
    const publicFromKey = tool('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: key }).stdout;
    const certPem = tool('openssl', ['pkcs12', '-in', path, '-passin', 'pass:bob', '-nokeys']).stdout;
    const publicFromCert = tool('openssl', ['x509', '-pubkey', '-noout'], { input: certPem }).stdout;
    expect(tool('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: publicFromCert }).stdout).toEqual(publicFromKey);
  });

  it('OpenSSL refuses the export under a wrong password', async () => {
    const bob = pki.users.bob.rsa;
    const path = work.file('waxseal-wrong.p12', await exportPkcs12({ pkcs8: bob.pkcs8, certificate: bob.certificate }, 'right', { crypto }));
    const result = tool('openssl', ['pkcs12', '-info', '-noout', '-in', path, '-passin', 'pass:wrong'], { allowFailure: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/mac verify (error|failure)/i);
  });
});
