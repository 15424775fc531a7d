/**
 * SEC-40b / STYLE §5: no key-management response carries private key material. Checked twice: by type
 * (no response type has a field that could hold a key) and by value (every handler is called and its
 * answer scanned for PKCS#8 bytes, PEM armour and the test keys' own bytes).
 */
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../helpers/pki.js';
import { keyRequestAccess, type KeyRequests } from '../../../src/shared/keys-protocol.js';
import { base64Encode } from '../../../src/crypto/index.js';
import { parseManagedConfig } from '../../../src/background/policy/managed-config.js';
import { createHandlerRig, OPTIONS, p12Of, recordingArea } from './handler-rig.js';
import { crypto, OTHER_PASSPHRASE, PASSPHRASE } from './rig.js';

type ForbiddenField = 'pkcs8' | 'privateKey' | 'passphrase' | 'key' | 'secret' | 'd' | 'kdfSalt' | 'ct';
type LeakyFields<T> = T extends Uint8Array | string | number | boolean | null | undefined
  ? never
  : T extends readonly (infer U)[]
    ? LeakyFields<U>
    : T extends CryptoKey
      ? 'CryptoKey'
      : T extends object
        ? { [K in keyof T]-?: K extends ForbiddenField ? K : LeakyFields<T[K]> }[keyof T]
        : never;
type Leaks = { [K in keyof KeyRequests]: LeakyFields<KeyRequests[K]['res']> }[keyof KeyRequests];
// Compile-time check: fails to typecheck if any response type gains such a field.
const responseTypesHaveNoKeyFields: [Leaks] extends [never] ? true : false = true;

const pki = await createTestPki(crypto);
const { alice, bob } = pki.users;

function hasPkcs8Prefix(bytes: Uint8Array): boolean {
  for (let i = 0; i + 8 <= bytes.length; i += 1) {
    if (bytes[i] === 0x30 && bytes[i + 1] === 0x82 && bytes[i + 4] === 0x02 && bytes[i + 5] === 0x01 && bytes[i + 6] === 0x00 && bytes[i + 7] === 0x30) return true;
  }
  return false;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0;
}

const EXPORTED_P12_PATH = '$.exportPkcs12.p12';

/** Every problem found in a value, with its path. */
function scan(value: unknown, secrets: Uint8Array[], path = '$', out: string[] = []): string[] {
  const checkBytes = (bytes: Uint8Array, where: string) => {
    // The exported PKCS#12 is the one answer that holds a key, encrypted under the export password.
    // Its CMS EncryptedData (SEQUENCE, INTEGER 0, SEQUENCE; RFC 5652 §8) has the same three-byte shape as
    // a PKCS#8 header, so only the raw key bytes are searched for in it.
    if (where !== EXPORTED_P12_PATH && hasPkcs8Prefix(bytes)) out.push(`${where}: PKCS#8 prefix`);
    for (const secret of secrets) if (contains(bytes, secret.subarray(26, 90))) out.push(`${where}: a test private key's bytes`);
  };
  if (value instanceof Uint8Array) checkBytes(value, path);
  else if (typeof value === 'string') {
    if (/-----BEGIN|PRIVATE KEY/.test(value)) out.push(`${path}: PEM marker`);
    if (/^[A-Za-z0-9+/]{40,}={0,2}$/.test(value)) checkBytes(new Uint8Array(Buffer.from(value, 'base64')), `${path} (base64)`);
    for (const secret of secrets) if (value.includes(Buffer.from(secret).toString('hex').slice(60, 140))) out.push(`${path}: key hex`);
  } else if (typeof value === 'object' && value !== null) {
    if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) out.push(`${path}: CryptoKey`);
    for (const [key, inner] of Object.entries(value)) scan(inner, secrets, `${path}.${key}`, out);
  }
  return out;
}

describe('no response carries private key material', () => {
  it('by type', () => {
    expect(responseTypesHaveNoKeyFields).toBe(true);
  });

  it('by value, for every request', async () => {
    // #9: the organisation provisions bob's identity, so the provisioned-identity requests answer too.
    const provisioned = parseManagedConfig({ provisionedIdentity: { data: base64Encode(await p12Of(bob.rsa, 'pw')), label: 'Bob' } });
    const area = recordingArea();
    const rig = await createHandlerRig({ managed: async () => provisioned, provisioned: { area, fetchBytes: async () => new Uint8Array() }, composeDefaultsArea: area });
    const h = rig.handlers;
    const secrets = [alice.rsa.pkcs8, alice.ec.pkcs8, bob.rsa.pkcs8];
    const responses: Partial<Record<keyof KeyRequests, unknown>> = {};
    const record = async <K extends keyof KeyRequests>(name: K, call: Promise<KeyRequests[K]['res']>) => {
      responses[name] = await call;
      return responses[name] as KeyRequests[K]['res'];
    };
    await record('keystoreStatus', h.keystoreStatus({}, OPTIONS));
    await record('checkPassphraseStrength', h.checkPassphraseStrength({ passphrase: PASSPHRASE }, OPTIONS));
    const imported = await record('importPkcs12', h.importPkcs12({ p12: await p12Of(alice.rsa, 'pw', [pki.emailCa]), p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS));
    await h.importPkcs12({ p12: await p12Of(alice.ec, 'pw'), p12Password: 'pw', passphrase: PASSPHRASE }, OPTIONS);
    await record('unlock', h.unlock({ passphrase: PASSPHRASE }, OPTIONS));
    await record('listIdentities', h.listIdentities({}, OPTIONS));
    const id = imported.imported[0].id;
    await record('setCurrentIdentity', h.setCurrentIdentity({ address: alice.email, purpose: 'signing', id }, OPTIONS));
    await record('setAutoLock', h.setAutoLock({ minutes: 30 }, OPTIONS));
    await record('setComposeDefaults', h.setComposeDefaults({ address: alice.email, defaults: { signByDefault: true, encryptWhenPossible: false, requireEncryption: false } }, OPTIONS));
    await record('exportPkcs12', h.exportPkcs12({ id, passphrase: PASSPHRASE, exportPassword: 'export password 2026' }, OPTIONS));
    await record('changePassphrase', h.changePassphrase({ currentPassphrase: PASSPHRASE, newPassphrase: OTHER_PASSPHRASE }, OPTIONS));
    await record('previewDeleteIdentity', h.previewDeleteIdentity({ id }, OPTIONS));
    const people = await record('importPersonCertificates', h.importPersonCertificates({ certificates: new Uint8Array(bob.rsa.certificate) }, OPTIONS));
    await record('listPeopleCertificates', h.listPeopleCertificates({}, OPTIONS));
    await record('setPersonCertificatePinned', h.setPersonCertificatePinned({ id: people[0].id, pinned: false }, OPTIONS));
    await record('removePersonCertificate', h.removePersonCertificate({ id: people[0].id }, OPTIONS));
    const anchor = await record('addTrustAnchor', h.addTrustAnchor({ certificate: new Uint8Array(pki.root.certificate), purposes: ['emailSigning'] }, OPTIONS));
    await record('listTrustAnchors', h.listTrustAnchors({}, OPTIONS));
    await record('removeTrustAnchor', h.removeTrustAnchor({ fingerprintSha256: anchor.fingerprintSha256 }, OPTIONS));
    await record('deleteIdentity', h.deleteIdentity({ id }, OPTIONS));
    const offer = await record('getProvisionedIdentity', h.getProvisionedIdentity({}, OPTIONS));
    await record('importProvisionedIdentity', h.importProvisionedIdentity({ offerId: offer!.offerId, p12Password: 'pw', passphrase: OTHER_PASSPHRASE }, OPTIONS));
    area.data.clear();
    await record('declineProvisionedIdentity', h.declineProvisionedIdentity({ offerId: offer!.offerId }, OPTIONS));
    await record('lock', h.lock({}, OPTIONS));

    expect(Object.keys(responses).sort()).toEqual(Object.keys(keyRequestAccess).sort());
    // The scan can fail: it finds the key in a PKCS#8 and in its PEM.
    expect(scan({ a: alice.rsa.pkcs8 }, secrets)).not.toEqual([]);
    expect(scan({ a: `-----BEGIN PRIVATE KEY-----\n${Buffer.from(alice.rsa.pkcs8).toString('base64')}` }, secrets)).not.toEqual([]);
    expect(scan(responses, secrets)).toEqual([]);
  });
});
