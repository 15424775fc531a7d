// SEC-38a/b, SEC-42a: PKCS#12 interop with NSS pk12util (the library Thunderbird itself uses), both directions.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, importPkcs12 } from '../../src/crypto/index.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { signAndVerifyWithIdentity } from '../unit/pkcs12/helpers.js';
import { createNssDb, scratch, tool } from './pkcs12-tools.js';

const crypto = webcrypto as unknown as Crypto;
let pki: TestPki;
const work = scratch();

beforeAll(async () => {
  pki = await createTestPki(crypto);
});
afterAll(() => work.cleanup());

function freshDb(name: string): string {
  const dir = work.file(name);
  tool('mkdir', ['-p', dir]);
  return createNssDb(dir);
}

describe('Waxseal exports import into NSS (SEC-42a)', () => {
  for (const user of ['alice', 'bob'] as const) {
    for (const kind of ['rsa', 'ec'] as const) {
      it(`pk12util -i takes a ${kind.toUpperCase()} export; certutil lists the certificate and the key`, async () => {
        const identity = pki.users[user][kind];
        const nickname = `${user} ${kind} Waxseal`;
        const bytes = await exportPkcs12(
          { pkcs8: identity.pkcs8, certificate: identity.certificate, chain: [pki.emailCa.certificate, pki.root.certificate], friendlyName: nickname },
          'nss export pässword',
          { crypto },
        );
        const db = freshDb(`db-in-${user}-${kind}`);
        const file = work.file(`waxseal-${user}-${kind}.p12`, bytes);
        tool('pk12util', ['-i', file, '-d', db, '-W', 'nss export pässword', '-K', '']);
        const certificates = tool('certutil', ['-L', '-d', db]).stdout.toString();
        expect(certificates).toContain(nickname);
        const keys = tool('certutil', ['-K', '-d', db, '-f', '/dev/null']).stdout.toString();
        expect(keys).toContain(nickname);
        const stored = tool('certutil', ['-L', '-d', db, '-n', nickname, '-r']).stdout;
        expect(new Uint8Array(stored)).toEqual(identity.certificate);
      });
    }
  }

  it('pk12util refuses the export under a wrong password', async () => {
    const identity = pki.users.eve.rsa;
    const bytes = await exportPkcs12({ pkcs8: identity.pkcs8, certificate: identity.certificate, friendlyName: 'eve' }, 'right', { crypto });
    const db = freshDb('db-wrong');
    const result = tool('pk12util', ['-i', work.file('wrong.p12', bytes), '-d', db, '-W', 'wrong', '-K', ''], { allowFailure: true });
    expect(result.status).not.toBe(0);
    expect(tool('certutil', ['-K', '-d', db, '-f', '/dev/null'], { allowFailure: true }).stdout.toString()).not.toContain('eve');
  });
});

describe('NSS pk12util -o files import into Waxseal (SEC-38a, SEC-38b)', () => {
  const variants: { name: string; args: string[] }[] = [
    { name: 'NSS defaults', args: [] },
    { name: 'legacy 3DES key and RC2-40 certificates', args: ['-c', 'PKCS #12 V2 PBE With SHA-1 And 3KEY Triple DES-CBC', '-C', 'PKCS #12 V2 PBE With SHA-1 And 40 Bit RC2 CBC'] },
    { name: 'AES-128 key bag with SHA-384 MAC', args: ['-c', 'AES-128-CBC', '-C', 'AES-128-CBC', '-M', 'SHA-384'] },
  ];
  for (const variant of variants) {
    it(variant.name, async () => {
      const identity = pki.users.dave.rsa;
      const nickname = 'dave nss';
      // Load key and certificate into a temporary NSS database, then let NSS write its own file.
      const staging = await exportPkcs12({ pkcs8: identity.pkcs8, certificate: identity.certificate, chain: [pki.emailCa.certificate], friendlyName: nickname }, 'staging', { crypto });
      const slug = variant.name.replace(/\W+/g, '-');
      const db = freshDb(`db-out-${slug}`);
      tool('pk12util', ['-i', work.file(`staging-${slug}.p12`, staging), '-d', db, '-W', 'staging', '-K', '']);
      const out = work.file(`nss-${slug}.p12`);
      tool('pk12util', ['-o', out, '-n', nickname, '-d', db, '-W', 'from nss €', '-K', '', ...variant.args]);
      const contents = await importPkcs12(new Uint8Array(readFileSync(out)), 'from nss €', { crypto });
      expect(contents.identities).toHaveLength(1);
      const imported = contents.identities[0]!;
      expect(imported.certificate).toEqual(identity.certificate);
      expect(imported.friendlyName).toBe(nickname);
      expect(imported.chain).toEqual([pki.emailCa.certificate]);
      await signAndVerifyWithIdentity(crypto, imported);
    });
  }
});
