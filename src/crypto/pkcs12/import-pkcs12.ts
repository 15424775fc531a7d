/**
 * Reads a PKCS#12 / PFX file (RFC 7292): verifies the integrity MAC first, then decrypts and collects
 * key and certificate bags, and pairs each key with its certificate by proving possession (SEC-38).
 */
import type * as asn1js from 'asn1js';
import { LimitError, SmimeError } from '../errors.js';
import { OID, describeOid } from '../oids.js';
import { DEFAULT_LIMITS, DEFAULT_PKCS12_LIMITS, type Pkcs12Limits } from '../policy.js';
import { parseBer, type Asn1Limits } from '../asn1.js';
import { base64Decode, bytesEqual, fromAscii, fromUtf8, toBinaryString, utf8 } from '../bytes.js';
import {
  algorithmIdentifier, bmpString, damaged, encodingOf, explicit, octets, oid, sequence, setOf, smallInteger,
} from './der.js';
import { macMatches, readMacData, type MacData } from './mac.js';
import { decryptPasswordBased, IterationBudget, usesBmpPassword, type PasswordForm, type PbeContext } from './password-based-encryption.js';
import { certificateMatchesProbe, certificateParts, probeKey, type CertificateParts, type ScanLimits } from './key-match.js';
import { refuseLongOids } from './oid-length-scan.js';
import type { Pkcs12Certificate, Pkcs12Contents, Pkcs12Identity, Pkcs12Key } from './types.js';

export interface ImportPkcs12Options {
  crypto: Crypto;
  /** Size, count and iteration caps; defaults to `DEFAULT_PKCS12_LIMITS`. */
  limits?: Partial<Pkcs12Limits>;
  /** ASN.1 parser limits; defaults to `DEFAULT_LIMITS`. */
  asn1Limits?: Asn1Limits;
}

interface ImportContext extends PbeContext {
  asn1: ScanLimits;
  /** Password forms to try, in order (see passwordForms). */
  passwords: PasswordForm[];
  /** True once the MAC proved the password, so later decryption failures mean damage, not a wrong password. */
  macVerified: boolean;
  bagCount: number;
  keys: Pkcs12Key[];
  certificates: Pkcs12Certificate[];
}

const PEM_LABELS = ['PKCS12', 'PFX', 'PKCS #12'];

/**
 * Reads a PKCS#12 file.
 *
 * Supports PBES2 (PBKDF2 with HMAC-SHA1/256/384/512, AES-128/192/256-CBC, 3DES-CBC, RC2-CBC), the legacy
 * pbeWithSHAAnd3-KeyTripleDES-CBC, 2-key 3DES, 40- and 128-bit RC2 and RC4 schemes, the SHA-1/256/384/512
 * integrity MAC, files without a MAC, unencrypted bags, nested SafeContents, friendlyName and localKeyId.
 * Also accepts the PEM armour `-----BEGIN PKCS12-----`.
 *
 * Security notes:
 * - The MAC is verified before any bag is decrypted or parsed (SEC-38d).
 * - Iteration counts (each, and in total), size and bag count are capped by `limits` before the work is done (SEC-38e).
 * - Every key is paired with a certificate only after a sign/verify possession check (SEC-38f); a key whose
 *   localKeyId names a certificate with a different public key is refused.
 * - For an empty or absent password both RFC 7292 forms are tried (two zero bytes, and zero length), as OpenSSL does.
 * - For a non-ASCII password, the form OpenSSL before 1.1.0 wrote (each UTF-8 byte as one BMP character) is
 *   tried after the correct one, as OpenSSL 1.1+ does, so old files still open.
 *
 * @param password the password as typed; `null` or `''` for files without one.
 * @throws SmimeError `PKCS12_WRONG_PASSWORD` when the MAC does not match, or (no MAC) a key bag does not decrypt.
 * @throws SmimeError `PKCS12_DAMAGED` for structural damage (not PKCS#12, bad version, malformed bags).
 * @throws SmimeError `PKCS12_UNSUPPORTED_ALGORITHM` naming the algorithm (`detail.algorithm`).
 * @throws SmimeError `PKCS12_KEY_CERT_MISMATCH` when a key's localKeyId points at a certificate for another key.
 * @throws LimitError (`LIMIT_EXCEEDED`) when the size, bag count, nesting or an iteration count is over the cap.
 */
export async function importPkcs12(bytes: Uint8Array, password: string | null, options: ImportPkcs12Options): Promise<Pkcs12Contents> {
  const limits: Pkcs12Limits = { ...DEFAULT_PKCS12_LIMITS, ...options.limits };
  const asn1: ScanLimits = {
    ...(options.asn1Limits ?? DEFAULT_LIMITS), maxPkcs12OidBytes: limits.maxPkcs12OidBytes, maxPkcs12KeyBytes: limits.maxPkcs12KeyBytes,
  };
  if (bytes.length > limits.maxPkcs12Bytes) {
    throw new LimitError('maxPkcs12Bytes', `The PKCS#12 file is ${bytes.length} bytes, over the limit of ${limits.maxPkcs12Bytes}`);
  }
  const der = unarmour(bytes);
  const pfx = sequence(parseOrDamaged(der, asn1, 'PKCS#12 file'), 'PFX', 2, 3);
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL } (RFC 7292 §4)
  const version = smallInteger(pfx[0], 'PFX version', 1000, 'pfxVersion');
  if (version !== 3) throw damaged(`PFX version is ${version}, expected 3`);
  const [contentType, contentNode] = sequence(pfx[1], 'PFX authSafe', 1, 2);
  const authSafeType = oid(contentType, 'authSafe content type');
  if (authSafeType === OID.signedData) {
    throw new SmimeError('PKCS12_UNSUPPORTED_ALGORITHM', 'The PKCS#12 file uses public-key integrity mode (signedData), which Waxseal does not support', {
      detail: { algorithm: 'signedData' },
    });
  }
  if (authSafeType !== OID.data) throw damaged(`authSafe content type is ${describeOid(authSafeType)}, expected data`);
  const authSafeBytes = octets(explicit(contentNode, 0, 'authSafe content'), 'authSafe content');

  const context: ImportContext = {
    crypto: options.crypto, limits, asn1, budget: new IterationBudget(limits.maxPkcs12TotalIterations),
    passwords: passwordForms(password), macVerified: false, bagCount: 0, keys: [], certificates: [],
  };
  if (pfx[2]) {
    const mac = readMacData(pfx[2], limits);
    context.passwords = await verifyMac(context, mac, authSafeBytes);
    context.macVerified = true;
  }

  // AuthenticatedSafe ::= SEQUENCE OF ContentInfo (RFC 7292 §5.1)
  const authSafe = sequence(parseOrDamaged(authSafeBytes, asn1, 'AuthenticatedSafe'), 'AuthenticatedSafe');
  for (const contentInfo of authSafe) await readContentInfo(contentInfo, context);

  const identities = await pairKeysAndCertificates(context);
  return { integrity: context.macVerified ? 'mac' : 'none', keys: context.keys, certificates: context.certificates, identities };
}

/**
 * The identities of an imported file, or the reason there are none.
 * @throws SmimeError `PKCS12_NO_PRIVATE_KEY` when the file holds no private key.
 * @throws SmimeError `PKCS12_NO_CERTIFICATE` when it holds keys but no certificates.
 * @throws SmimeError `PKCS12_KEY_CERT_MISMATCH` when no certificate matches any key.
 */
export function requireIdentities(contents: Pkcs12Contents): Pkcs12Identity[] {
  if (contents.keys.length === 0) throw new SmimeError('PKCS12_NO_PRIVATE_KEY', 'The PKCS#12 file holds no private key');
  if (contents.identities.length > 0) return contents.identities;
  if (contents.certificates.length === 0) throw new SmimeError('PKCS12_NO_CERTIFICATE', 'The PKCS#12 file holds a private key but no certificate');
  throw new SmimeError('PKCS12_KEY_CERT_MISMATCH', 'No certificate in the PKCS#12 file matches its private key');
}

/**
 * DER as is; otherwise PEM armour (autocrypt's bob.p12) or bare base64 text, which users get when a
 * .p12 was pasted into a mail or a web form.
 */
function unarmour(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  const text = fromAscii(bytes);
  // indexOf rather than a regular expression: linear on any input (no backtracking on a crafted file).
  for (const label of PEM_LABELS) {
    const begin = text.indexOf(`-----BEGIN ${label}-----`);
    if (begin < 0) continue;
    const start = begin + label.length + 16;
    const end = text.indexOf(`-----END ${label}-----`, start);
    if (end < 0) throw damaged('The PEM armour has no END line');
    return base64Decode(text.slice(start, end));
  }
  if (isBase64Text(bytes)) return base64Decode(bytes);
  throw damaged('The file is neither DER, PEM-armoured nor base64 PKCS#12');
}

/** Only base64 alphabet, '=' and whitespace (a linear scan; no regular expression on attacker input). */
function isBase64Text(bytes: Uint8Array): boolean {
  let letters = 0;
  for (const byte of bytes) {
    const alphabet = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2b || byte === 0x2f;
    if (alphabet) letters++;
    else if (byte !== 0x3d && byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false;
  }
  return letters > 0;
}

function parseOrDamaged(bytes: Uint8Array, limits: ScanLimits, what: string): asn1js.AsnType {
  refuseLongOids(bytes, limits.maxPkcs12OidBytes ?? DEFAULT_PKCS12_LIMITS.maxPkcs12OidBytes, limits.maxAsn1Depth, what);
  try {
    return parseBer(bytes, limits, what);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw damaged(`${what} is not valid DER/BER`, error);
  }
}

/**
 * RFC 7292 Appendix B.1 vs. practice: "no password" is two zero bytes in some tools and zero bytes in others;
 * OpenSSL before 1.1.0 turned each UTF-8 byte of a password into one BMP character.
 */
function passwordForms(password: string | null): PasswordForm[] {
  if (password === null || password === '') return [{ bmp: '', text: '' }, { bmp: null, text: '' }];
  const byteForm = toBinaryString(utf8(password));
  return byteForm === password ? [{ bmp: password, text: password }] : [{ bmp: password, text: password }, { bmp: byteForm, text: password }];
}

async function verifyMac(context: ImportContext, mac: MacData, content: Uint8Array): Promise<PasswordForm[]> {
  const candidates = context.passwords;
  for (const candidate of candidates) {
    context.budget.spend(mac.iterations, 'The integrity MAC');
    if (await macMatches(context.crypto, mac, candidate.bmp, content)) {
      // The matching form first; the other remains for bags encrypted under it (seen from some exporters).
      return [candidate, ...candidates.filter((other) => other !== candidate)];
    }
  }
  throw new SmimeError('PKCS12_WRONG_PASSWORD', 'The password is wrong, or the file was modified (the integrity MAC does not match)');
}

async function readContentInfo(node: asn1js.AsnType, context: ImportContext): Promise<void> {
  const [typeNode, contentNode] = sequence(node, 'AuthenticatedSafe ContentInfo', 1, 2);
  const type = oid(typeNode, 'ContentInfo content type');
  if (type === OID.data) {
    const safeContents = octets(explicit(contentNode, 0, 'data content'), 'data content');
    await readSafeContents(parseOrDamaged(safeContents, context.asn1, 'SafeContents'), context, 0);
    return;
  }
  if (type === OID.encryptedData) {
    // EncryptedData ::= SEQUENCE { version, encryptedContentInfo EncryptedContentInfo, unprotectedAttrs [1] OPTIONAL } (RFC 5652 §8)
    const encryptedData = sequence(explicit(contentNode, 0, 'encryptedData content'), 'EncryptedData', 2, 3);
    // EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OPTIONAL }
    const [, algorithmNode, encryptedNode] = sequence(encryptedData[1], 'EncryptedContentInfo', 2, 3);
    const algorithm = algorithmIdentifier(algorithmNode, 'certificate bag encryption');
    if (!encryptedNode) return;
    const ciphertext = octets(encryptedNode, 'encrypted SafeContents', 0);
    const plaintext = await decryptWithPasswords(algorithm, ciphertext, context, 'encrypted SafeContents');
    await readSafeContents(parseOrDamaged(plaintext, context.asn1, 'decrypted SafeContents'), context, 0);
    return;
  }
  if (type === OID.envelopedData) {
    throw new SmimeError('PKCS12_UNSUPPORTED_ALGORITHM', 'The PKCS#12 file uses public-key privacy mode (envelopedData), which Waxseal does not support', {
      detail: { algorithm: 'envelopedData' },
    });
  }
  throw damaged(`AuthenticatedSafe holds unexpected content type ${describeOid(type)}`);
}

/**
 * Decrypts with each password form in turn. A failure under every form is a wrong password when no MAC
 * vouched for the password, and damage when one did.
 */
async function decryptWithPasswords(
  algorithm: ReturnType<typeof algorithmIdentifier>,
  ciphertext: Uint8Array,
  context: ImportContext,
  what: string,
  validate?: (plaintext: Uint8Array) => void,
): Promise<Uint8Array> {
  let lastFailure: unknown;
  const tried = new Set<string | null>();
  for (const password of context.passwords) {
    // PBES2 uses only the UTF-8 text, so forms that differ only in their BMP variant are the same attempt.
    const effective = usesBmpPassword(algorithm.algorithm) ? password.bmp : password.text;
    if (tried.has(effective)) continue;
    tried.add(effective);
    try {
      const plaintext = await decryptPasswordBased(algorithm, ciphertext, password, context, what);
      validate?.(plaintext);
      return plaintext;
    } catch (error) {
      if (!(error instanceof SmimeError) || !['DECRYPTION_FAILED', 'PKCS12_DAMAGED', 'MALFORMED_ASN1'].includes(error.code)) throw error;
      lastFailure = error;
    }
  }
  if (context.macVerified) throw damaged(`${what} does not decrypt although the integrity MAC matched`, lastFailure);
  throw new SmimeError('PKCS12_WRONG_PASSWORD', `The password is wrong: ${what} does not decrypt`, { cause: lastFailure });
}

async function readSafeContents(node: asn1js.AsnType, context: ImportContext, depth: number): Promise<void> {
  if (depth > context.limits.maxPkcs12Nesting) {
    throw new LimitError('maxPkcs12Nesting', `SafeContents are nested more than ${context.limits.maxPkcs12Nesting} deep`);
  }
  // SafeContents ::= SEQUENCE OF SafeBag (RFC 7292 §4.2)
  for (const bag of sequence(node, 'SafeContents')) {
    context.bagCount++;
    if (context.bagCount > context.limits.maxPkcs12Bags) {
      throw new LimitError('maxPkcs12Bags', `The PKCS#12 file has more than ${context.limits.maxPkcs12Bags} bags`);
    }
    await readSafeBag(bag, context, depth);
  }
}

interface BagAttributes {
  friendlyName?: string;
  localKeyId?: Uint8Array;
}

function readAttributes(node: asn1js.AsnType | undefined): BagAttributes {
  const out: BagAttributes = {};
  if (!node) return out;
  // PKCS12Attribute ::= SEQUENCE { attrId OBJECT IDENTIFIER, attrValues SET OF ANY } (RFC 7292 §4.2)
  for (const attribute of setOf(node, 'bag attributes')) {
    const [idNode, valuesNode] = sequence(attribute, 'bag attribute', 2, 2);
    const id = oid(idNode, 'bag attribute type');
    const values = setOf(valuesNode, 'bag attribute values');
    const value = values[0];
    if (!value) continue;
    // RFC 7292 §4.2 says BMPString; a label in another string type is kept when readable, and otherwise
    // ignored: names and key IDs are conveniences, and pairing is proven by possession anyway.
    if (id === OID.friendlyName) {
      const name = readableString(value);
      // Some exporters (older Windows) include the C string terminator; OpenSSL drops it too.
      if (name !== undefined) out.friendlyName = name.replace(/\0$/, '');
    }
    if (id === OID.localKeyId && isUniversalOctetString(value)) out.localKeyId = octets(value, 'localKeyId').slice();
  }
  return out;
}

function readableString(node: asn1js.AsnType): string | undefined {
  if (node.idBlock.tagClass !== 1 || node.idBlock.isConstructed) return undefined;
  if (node.idBlock.tagNumber === 30) return bmpString(node, 'friendlyName');
  // UTF8String (12), PrintableString (19), IA5String (22)
  if ([12, 19, 22].includes(node.idBlock.tagNumber)) return fromUtf8((node.valueBlock as unknown as { valueHexView: Uint8Array }).valueHexView);
  return undefined;
}

function isUniversalOctetString(node: asn1js.AsnType): boolean {
  return node.idBlock.tagClass === 1 && node.idBlock.tagNumber === 4;
}

function withAttributes<T extends object>(value: T, attributes: BagAttributes): T & BagAttributes {
  const out: T & BagAttributes = { ...value };
  if (attributes.friendlyName !== undefined) out.friendlyName = attributes.friendlyName;
  if (attributes.localKeyId !== undefined) out.localKeyId = attributes.localKeyId;
  return out;
}

function checkPrivateKeyInfo(pkcs8: Uint8Array, asn1: ScanLimits, what: string): void {
  // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm, privateKey OCTET STRING, ... } (RFC 5958 §2)
  const items = sequence(parseOrDamaged(pkcs8, asn1, what), what, 3, 5);
  smallInteger(items[0], `${what} version`, 1, 'privateKeyVersion');
  algorithmIdentifier(items[1], `${what} algorithm`);
  octets(items[2], `${what} key`);
}

async function readSafeBag(node: asn1js.AsnType, context: ImportContext, depth: number): Promise<void> {
  // SafeBag ::= SEQUENCE { bagId OBJECT IDENTIFIER, bagValue [0] EXPLICIT ANY, bagAttributes SET OF PKCS12Attribute OPTIONAL }
  const [idNode, valueNode, attributesNode] = sequence(node, 'SafeBag', 2, 3);
  const bagId = oid(idNode, 'SafeBag type');
  const value = explicit(valueNode, 0, 'SafeBag value');
  const attributes = readAttributes(attributesNode);
  switch (bagId) {
    case OID.pkcs12KeyBag: {
      const pkcs8 = encodingOf(value).slice();
      checkPrivateKeyInfo(pkcs8, context.asn1, 'key bag');
      context.keys.push(withAttributes({ pkcs8 }, attributes));
      return;
    }
    case OID.pkcs12ShroudedKeyBag: {
      // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING } (RFC 5958 §3)
      const [algorithmNode, dataNode] = sequence(value, 'EncryptedPrivateKeyInfo', 2, 2);
      const algorithm = algorithmIdentifier(algorithmNode, 'key bag encryption');
      const pkcs8 = await decryptWithPasswords(algorithm, octets(dataNode, 'encrypted private key'), context, 'the private key',
        (plaintext) => checkPrivateKeyInfo(plaintext, context.asn1, 'decrypted private key'));
      context.keys.push(withAttributes({ pkcs8: pkcs8.slice() }, attributes));
      return;
    }
    case OID.pkcs12CertBag: {
      // CertBag ::= SEQUENCE { certId OBJECT IDENTIFIER, certValue [0] EXPLICIT ANY } (RFC 7292 §4.2.3)
      const [certIdNode, certValueNode] = sequence(value, 'CertBag', 2, 2);
      const certId = oid(certIdNode, 'CertBag type');
      if (certId !== OID.x509Certificate) return; // sdsiCertificate and others carry nothing S/MIME can use
      const der = octets(explicit(certValueNode, 0, 'certificate value'), 'certificate').slice();
      certificateParts(der, context.asn1);
      context.certificates.push(withAttributes({ der }, attributes));
      return;
    }
    case OID.pkcs12SafeContentsBag:
      await readSafeContents(value, context, depth + 1);
      return;
    default:
      // crlBag, secretBag and bag types defined elsewhere carry nothing S/MIME needs (RFC 7292 §4.2 lets
      // the set of bag types grow), so they are skipped rather than making the whole file unreadable.
      return;
  }
}

async function pairKeysAndCertificates(context: ImportContext): Promise<Pkcs12Identity[]> {
  const parts: CertificateParts[] = context.certificates.map((certificate) => certificateParts(certificate.der, context.asn1));
  const identities: Pkcs12Identity[] = [];
  for (const key of context.keys) {
    const probe = await probeKey(context.crypto, key.pkcs8, context.asn1);
    let matchIndex = -1;
    const linked = key.localKeyId === undefined ? -1 : context.certificates.findIndex((c) => c.localKeyId !== undefined && bytesEqual(c.localKeyId, key.localKeyId!));
    if (linked >= 0) {
      if (!(await certificateMatchesProbe(context.crypto, probe, parts[linked]!, context.limits.maxPkcs12KeyBytes))) {
        throw new SmimeError('PKCS12_KEY_CERT_MISMATCH', 'The private key does not match the certificate it is labelled with (localKeyId)', {
          detail: { certificateIndex: linked },
        });
      }
      matchIndex = linked;
    } else {
      for (let i = 0; i < parts.length && matchIndex < 0; i++) {
        if (await certificateMatchesProbe(context.crypto, probe, parts[i]!, context.limits.maxPkcs12KeyBytes)) matchIndex = i;
      }
    }
    if (matchIndex < 0) continue;
    const certificate = context.certificates[matchIndex]!;
    key.certificate = certificate.der;
    const identity: Pkcs12Identity = { pkcs8: key.pkcs8, certificate: certificate.der, chain: buildChain(matchIndex, parts, context.certificates) };
    const friendlyName = key.friendlyName ?? certificate.friendlyName;
    if (friendlyName !== undefined) identity.friendlyName = friendlyName;
    identities.push(identity);
  }
  return identities;
}

/** Issuers of the certificate at `start` among the file's certificates, by issuer/subject name, nearest first. */
function buildChain(start: number, parts: CertificateParts[], certificates: Pkcs12Certificate[]): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const used = new Set<number>([start]);
  let current = parts[start]!;
  while (!bytesEqual(current.issuer, current.subject)) {
    const next = parts.findIndex((candidate, index) => !used.has(index) && bytesEqual(candidate.subject, current.issuer));
    if (next < 0) break;
    used.add(next);
    chain.push(certificates[next]!.der);
    current = parts[next]!;
  }
  return chain;
}
