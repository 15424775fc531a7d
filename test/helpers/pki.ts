/**
 * Builds test PKIs in code with @peculiar/x509, so no fixture expires and every test can ask for the
 * exact certificate shape it needs (STYLE §8). Keys are generated per run; nothing here is secret.
 *
 * Shared by the certificate/trust tests and the sign/verify and encryption tests:
 * - `createTestPki(crypto)` gives a standard hierarchy (root, intermediates, users);
 * - `issueCertificate(crypto, options)` makes any variant (keys, usages, EKU, validity, extensions).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1X509 from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';

/** The verification time every test uses (the corpora recommend it); never the wall clock. */
export const TEST_NOW = new Date('2026-06-01T00:00:00Z');
/** Default validity of generated certificates: wide around TEST_NOW. */
export const DEFAULT_NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
export const DEFAULT_NOT_AFTER = new Date('2035-01-01T00:00:00Z');

export type TestKeyAlgorithm = 'RSA-1024' | 'RSA-2048' | 'RSA-3072' | 'RSA-PSS-2048' | 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
export type TestHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type KeyUsageName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/** Extended key usage by name, or any dotted OID. */
export type EkuName = 'emailProtection' | 'serverAuth' | 'clientAuth' | 'codeSigning' | 'anyExtendedKeyUsage' | string;

const EKU_OIDS: Record<string, string> = {
  emailProtection: '1.3.6.1.5.5.7.3.4',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  anyExtendedKeyUsage: '2.5.29.37.0',
};
const SMTP_UTF8_MAILBOX = '1.3.6.1.5.5.7.8.9';
const NAME_CONSTRAINTS = '2.5.29.30';
const SUBJECT_ALT_NAME = '2.5.29.17';

/** A certificate with its keys. `certificate` is DER. TEST KEYS — NOT SECRET. */
export interface TestIdentity {
  label: string;
  certificate: Uint8Array;
  x509: x509.X509Certificate;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** PKCS#8 DER of the private key. */
  pkcs8: Uint8Array;
  keyAlgorithm: TestKeyAlgorithm;
}

export interface NameConstraintOptions {
  permittedEmail?: string[];
  excludedEmail?: string[];
  permittedDns?: string[];
  excludedDns?: string[];
  /** Directory names as x509 Name strings, e.g. `O=Example, C=US`. */
  permittedDirectory?: string[];
  excludedDirectory?: string[];
  critical?: boolean;
}

export interface IssueOptions {
  /** The issuing identity, or 'self' for a self-signed certificate. */
  issuer: TestIdentity | 'self';
  /** Subject DN as an x509 Name string, e.g. `CN=Alice, O=Example`. */
  subject: string;
  /** rfc822Name entries of subjectAltName. */
  emails?: string[];
  /** SmtpUTF8Mailbox otherName entries of subjectAltName (RFC 8398). */
  utf8Emails?: string[];
  /** dNSName entries of subjectAltName. */
  dnsNames?: string[];
  /** Put this address in the subject DN's PKCS#9 emailAddress attribute. */
  subjectEmail?: string;
  /** keyUsage bits; null leaves the extension out. Default: by role and key type. */
  keyUsage?: KeyUsageName[] | null;
  keyUsageCritical?: boolean;
  /** extendedKeyUsage; null leaves it out. Default: emailProtection for end entities, none for CAs. */
  eku?: EkuName[] | null;
  ekuCritical?: boolean;
  /** basicConstraints: true/false for cA, or an object with a pathLength; null leaves it out. */
  ca?: boolean | { pathLength?: number } | null;
  notBefore?: Date;
  notAfter?: Date;
  keyAlgorithm?: TestKeyAlgorithm;
  /** Signature hash the issuer uses (default SHA-256). */
  hash?: TestHash;
  nameConstraints?: NameConstraintOptions;
  /** Extra extensions, appended as given. */
  extensions?: x509.Extension[];
  serialNumber?: string;
  /** Leave out subject/authority key identifiers. */
  omitKeyIdentifiers?: boolean;
  /** Reuse an existing key pair instead of generating one. */
  keys?: { privateKey: CryptoKey; publicKey: CryptoKey; pkcs8: Uint8Array; keyAlgorithm: TestKeyAlgorithm };
  label?: string;
}

let serialCounter = 0x1000;

function keyGenParams(algorithm: TestKeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
  const exponent = new Uint8Array([1, 0, 1]);
  switch (algorithm) {
    case 'RSA-1024': return { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: exponent, hash: 'SHA-256' };
    case 'RSA-2048': return { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: exponent, hash: 'SHA-256' };
    case 'RSA-3072': return { name: 'RSASSA-PKCS1-v1_5', modulusLength: 3072, publicExponent: exponent, hash: 'SHA-256' };
    case 'RSA-PSS-2048': return { name: 'RSA-PSS', modulusLength: 2048, publicExponent: exponent, hash: 'SHA-256' };
    case 'P-256': return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'P-384': return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'P-521': return { name: 'ECDSA', namedCurve: 'P-521' };
    case 'Ed25519': return { name: 'Ed25519' };
  }
}

/** Generates an extractable key pair of the given kind, with its PKCS#8. */
export async function generateTestKeys(crypto: Crypto, keyAlgorithm: TestKeyAlgorithm): Promise<NonNullable<IssueOptions['keys']>> {
  const pair = (await crypto.subtle.generateKey(keyGenParams(keyAlgorithm), true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, pkcs8, keyAlgorithm };
}

/** The issuer's private key, re-imported when the requested hash differs from the key's own (RSA keys carry a hash in WebCrypto). */
async function signingKeyFor(crypto: Crypto, issuer: { privateKey: CryptoKey; pkcs8: Uint8Array }, hash: TestHash): Promise<{ key: CryptoKey; algorithm: Algorithm & { hash?: string } }> {
  const algorithm = issuer.privateKey.algorithm as Algorithm & { hash?: { name: string } };
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' || algorithm.name === 'RSA-PSS') {
    const key = algorithm.hash?.name === hash
      ? issuer.privateKey
      : await crypto.subtle.importKey('pkcs8', new Uint8Array(issuer.pkcs8), { name: algorithm.name, hash }, false, ['sign']);
    const signing = algorithm.name === 'RSA-PSS'
      ? ({ name: 'RSA-PSS', hash, saltLength: hash === 'SHA-384' ? 48 : hash === 'SHA-512' ? 64 : 32 } as Algorithm)
      : ({ name: algorithm.name, hash } as Algorithm);
    return { key, algorithm: signing };
  }
  if (algorithm.name === 'ECDSA') return { key: issuer.privateKey, algorithm: { name: 'ECDSA', hash } as Algorithm };
  return { key: issuer.privateKey, algorithm: { name: algorithm.name } };
}

function defaultKeyUsage(isCa: boolean, keyAlgorithm: TestKeyAlgorithm): KeyUsageName[] {
  if (isCa) return ['keyCertSign', 'cRLSign'];
  if (keyAlgorithm.startsWith('P-')) return ['digitalSignature', 'nonRepudiation', 'keyAgreement'];
  if (keyAlgorithm === 'Ed25519') return ['digitalSignature', 'nonRepudiation'];
  return ['digitalSignature', 'nonRepudiation', 'keyEncipherment'];
}

function keyUsageFlags(names: readonly KeyUsageName[]): number {
  return names.reduce((flags, name) => flags | x509.KeyUsageFlags[name], 0);
}

function generalSubtrees(emails: string[] = [], dns: string[] = [], directories: string[] = []): asn1X509.GeneralSubtrees | undefined {
  const items = [
    ...emails.map((value) => new asn1X509.GeneralSubtree({ base: new asn1X509.GeneralName({ rfc822Name: value }) })),
    ...dns.map((value) => new asn1X509.GeneralSubtree({ base: new asn1X509.GeneralName({ dNSName: value }) })),
    ...directories.map((value) => new asn1X509.GeneralSubtree({
      base: new asn1X509.GeneralName({ directoryName: AsnConvert.parse(new x509.Name(value).toArrayBuffer(), asn1X509.Name) }),
    })),
  ];
  return items.length > 0 ? new asn1X509.GeneralSubtrees(items) : undefined;
}

/** A nameConstraints extension (RFC 5280 §4.2.1.10). */
export function nameConstraintsExtension(options: NameConstraintOptions): x509.Extension {
  const value = new asn1X509.NameConstraints({
    permittedSubtrees: generalSubtrees(options.permittedEmail, options.permittedDns, options.permittedDirectory),
    excludedSubtrees: generalSubtrees(options.excludedEmail, options.excludedDns, options.excludedDirectory),
  });
  return new x509.Extension(NAME_CONSTRAINTS, options.critical ?? true, AsnConvert.serialize(value));
}

/** A subjectAltName with rfc822Name, SmtpUTF8Mailbox (RFC 8398 §3) and dNSName entries. */
export function subjectAltNameExtension(emails: string[], utf8Emails: string[] = [], dnsNames: string[] = []): x509.Extension {
  const names = [
    ...emails.map((rfc822Name) => new asn1X509.GeneralName({ rfc822Name })),
    ...utf8Emails.map((mailbox) => new asn1X509.GeneralName({
      otherName: new asn1X509.OtherName({ typeId: SMTP_UTF8_MAILBOX, value: new asn1js.Utf8String({ value: mailbox }).toBER(false) }),
    })),
    ...dnsNames.map((dNSName) => new asn1X509.GeneralName({ dNSName })),
  ];
  return new x509.Extension(SUBJECT_ALT_NAME, false, AsnConvert.serialize(new asn1X509.SubjectAlternativeName(names)));
}

/**
 * Issues one certificate. Defaults: a fresh RSA-2048 key, SHA-256, validity 2025..2035, SKI/AKI,
 * keyUsage by role, EKU emailProtection for end entities.
 */
export async function issueCertificate(crypto: Crypto, options: IssueOptions): Promise<TestIdentity> {
  const keyAlgorithm = options.keys?.keyAlgorithm ?? options.keyAlgorithm ?? 'RSA-2048';
  const keys = options.keys ?? (await generateTestKeys(crypto, keyAlgorithm));
  const isCa = options.ca === true || (typeof options.ca === 'object' && options.ca !== null);
  const extensions: x509.Extension[] = [];

  if (options.ca !== null && options.ca !== undefined) {
    const pathLength = typeof options.ca === 'object' ? options.ca.pathLength : undefined;
    extensions.push(new x509.BasicConstraintsExtension(isCa, pathLength, true));
  } else if (options.ca === undefined) {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
  }
  const keyUsage = options.keyUsage === undefined ? defaultKeyUsage(isCa, keyAlgorithm) : options.keyUsage;
  if (keyUsage !== null) extensions.push(new x509.KeyUsagesExtension(keyUsageFlags(keyUsage), options.keyUsageCritical ?? true));
  const eku = options.eku === undefined ? (isCa ? null : ['emailProtection']) : options.eku;
  if (eku !== null) extensions.push(new x509.ExtendedKeyUsageExtension(eku.map((name) => EKU_OIDS[name] ?? name), options.ekuCritical ?? false));
  if ((options.emails?.length ?? 0) + (options.utf8Emails?.length ?? 0) + (options.dnsNames?.length ?? 0) > 0) {
    extensions.push(subjectAltNameExtension(options.emails ?? [], options.utf8Emails ?? [], options.dnsNames ?? []));
  }
  if (options.nameConstraints) extensions.push(nameConstraintsExtension(options.nameConstraints));
  if (!options.omitKeyIdentifiers) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto));
    if (options.issuer !== 'self') {
      extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.x509, false, crypto));
    }
  }
  extensions.push(...(options.extensions ?? []));

  const subject = options.subjectEmail ? `${options.subject}, E=${options.subjectEmail}` : options.subject;
  const issuerKeys = options.issuer === 'self' ? keys : options.issuer;
  const { key: signingKey, algorithm: signingAlgorithm } = await signingKeyFor(crypto, issuerKeys, options.hash ?? 'SHA-256');
  serialCounter += 1;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: options.serialNumber ?? serialCounter.toString(16).padStart(8, '0'),
    subject,
    issuer: options.issuer === 'self' ? subject : options.issuer.x509.subject,
    notBefore: options.notBefore ?? DEFAULT_NOT_BEFORE,
    notAfter: options.notAfter ?? DEFAULT_NOT_AFTER,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm,
    extensions,
  }, crypto);
  return {
    label: options.label ?? options.subject,
    certificate: new Uint8Array(certificate.rawData),
    x509: certificate,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    pkcs8: keys.pkcs8,
    keyAlgorithm,
  };
}

export type UserName = 'alice' | 'bob' | 'dave' | 'eve' | 'manager';

export interface TestPki {
  /** Self-signed root (RSA-2048), the trust anchor. */
  root: TestIdentity;
  /** Root → I-email: EKU emailProtection; issues the users. */
  emailCa: TestIdentity;
  /** Root → I-pathlen0 (pathLenConstraint 0) → I-sub (a CA that must not be accepted as an issuer, SEC-25a). */
  pathLen0Ca: TestIdentity;
  pathLen0SubCa: TestIdentity;
  /** Root → I-nc: permits rfc822Name `example.com` only. */
  nameConstrainedCa: TestIdentity;
  /** Root → I-tls: EKU serverAuth only. */
  tlsCa: TestIdentity;
  /** Users issued by I-email, address `<name>@example.com`, RSA-2048 (`rsa`) and P-256 (`ec`). */
  users: Record<UserName, { rsa: TestIdentity; ec: TestIdentity; email: string }>;
  /** issueCertificate bound to this PKI's WebCrypto. */
  issue(options: IssueOptions): Promise<TestIdentity>;
}

const pkiCache = new WeakMap<Crypto, Promise<TestPki>>();

/** The standard test hierarchy; built once per WebCrypto instance and shared by the tests of one file. */
export function createTestPki(crypto: Crypto): Promise<TestPki> {
  let pki = pkiCache.get(crypto);
  if (!pki) {
    pki = buildTestPki(crypto);
    pkiCache.set(crypto, pki);
  }
  return pki;
}

async function buildTestPki(crypto: Crypto): Promise<TestPki> {
  const issue = (options: IssueOptions): Promise<TestIdentity> => issueCertificate(crypto, options);
  const root = await issue({ issuer: 'self', subject: 'CN=Waxseal Test Root, O=Waxseal Tests, C=DE', ca: true, label: 'root' });
  const emailCa = await issue({ issuer: root, subject: 'CN=Waxseal Test Email CA, O=Waxseal Tests, C=DE', ca: { pathLength: 0 }, eku: ['emailProtection'], label: 'I-email' });
  const pathLen0Ca = await issue({ issuer: root, subject: 'CN=Waxseal Test PathLen0 CA, O=Waxseal Tests, C=DE', ca: { pathLength: 0 }, label: 'I-pathlen0' });
  const pathLen0SubCa = await issue({ issuer: pathLen0Ca, subject: 'CN=Waxseal Test Sub CA, O=Waxseal Tests, C=DE', ca: true, label: 'I-sub' });
  const nameConstrainedCa = await issue({
    issuer: root, subject: 'CN=Waxseal Test Constrained CA, O=Waxseal Tests, C=DE', ca: true,
    nameConstraints: { permittedEmail: ['example.com'] }, label: 'I-nc',
  });
  const tlsCa = await issue({ issuer: root, subject: 'CN=Waxseal Test TLS CA, O=Waxseal Tests, C=DE', ca: true, eku: ['serverAuth'], label: 'I-tls' });
  const names: UserName[] = ['alice', 'bob', 'dave', 'eve', 'manager'];
  const users = {} as TestPki['users'];
  for (const name of names) {
    const email = `${name}@example.com`;
    const display = name.charAt(0).toUpperCase() + name.slice(1);
    users[name] = {
      email,
      rsa: await issue({ issuer: emailCa, subject: `CN=${display}, O=Waxseal Tests`, emails: [email], keyAlgorithm: 'RSA-2048', label: `${name}-rsa` }),
      ec: await issue({ issuer: emailCa, subject: `CN=${display} EC, O=Waxseal Tests`, emails: [email], keyAlgorithm: 'P-256', label: `${name}-ec` }),
    };
  }
  return { root, emailCa, pathLen0Ca, pathLen0SubCa, nameConstrainedCa, tlsCa, users, issue };
}

export interface CrlOptions {
  issuer: TestIdentity;
  /** Revoked certificates (their DER or identities). */
  revoked?: (TestIdentity | Uint8Array)[];
  thisUpdate?: Date;
  nextUpdate?: Date | null;
  /** CRL number; null leaves the (required, RFC 5280 §5.2.3) extension out. */
  crlNumber?: number | null;
  hash?: TestHash;
  extensions?: x509.Extension[];
}

/** A CRL (RFC 5280 §5) signed by `issuer`, DER. Defaults: this/next update around TEST_NOW, CRL number 1. */
export async function issueCrl(crypto: Crypto, options: CrlOptions): Promise<Uint8Array> {
  const { key: signingKey, algorithm: signingAlgorithm } = await signingKeyFor(crypto, options.issuer, options.hash ?? 'SHA-256');
  const crlNumber = options.crlNumber === null ? [] : [new x509.Extension('2.5.29.20', false, new asn1js.Integer({ value: options.crlNumber ?? 1 }).toBER(false))];
  const crl = await x509.X509CrlGenerator.create({
    issuer: options.issuer.x509.subject,
    thisUpdate: options.thisUpdate ?? new Date('2026-05-01T00:00:00Z'),
    nextUpdate: options.nextUpdate === null ? undefined : options.nextUpdate ?? new Date('2026-07-01T00:00:00Z'),
    entries: (options.revoked ?? []).map((item) => ({
      serialNumber: new x509.X509Certificate(new Uint8Array(item instanceof Uint8Array ? item : item.certificate)).serialNumber,
      revocationDate: new Date('2026-04-01T00:00:00Z'),
      // With no reason the generator writes an empty crlEntryExtensions, which RFC 5280 §5.1 forbids (SIZE 1..MAX).
      reason: x509.X509CrlReason.keyCompromise,
    })),
    extensions: [...crlNumber, ...(options.extensions ?? [])],
    signingKey,
    signingAlgorithm,
  }, crypto);
  return new Uint8Array(crl.rawData);
}

/** PEM armour for a DER certificate (for tests of PEM input and for openssl). */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const base64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${base64}-----END ${label}-----\n`;
}

/** @peculiar/x509, loaded after the metadata shim it needs; tests import it from here. */
export { x509 };
