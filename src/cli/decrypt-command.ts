/**
 * `waxseal decrypt`: decrypts the encrypted root of a message with the user's identities, and the shared
 * loading of decryption identities (also used by `waxseal open`). A boundary: reads files and the environment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY, decryptMessage, importPkcs12, parseCertificates, requireIdentities, type DecryptionIdentity } from '../crypto/index.js';
import { base64Decode } from '../crypto/bytes.js';

const crypto = webcrypto as unknown as Crypto;

/** A mistake in how an encryption command was called (exit 64, like the other usage errors). */
export class CliUsageError extends Error {}

export const DECRYPT_USAGE = `  waxseal decrypt <message.eml> (--identity <file.p12> --password-env <VAR> | --key <pkcs8.pem> --cert <cert.pem>)... [-o <out>]`;

export const IDENTITY_OPTIONS = {
  identity: { type: 'string', multiple: true },
  'password-env': { type: 'string', multiple: true },
  key: { type: 'string', multiple: true },
  cert: { type: 'string', multiple: true },
} as const;

export function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new CliUsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function pemBlock(bytes: Uint8Array, label: string): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes);
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (match) return base64Decode(match[1]!);
  if (/-----BEGIN /.test(text)) throw new CliUsageError(`expected a PEM "${label}" block (PKCS#8, unencrypted)`);
  return bytes;
}

export function certificateFrom(path: string): Uint8Array {
  const certificates = parseCertificates(readInput(path), DEFAULT_POLICY.limits);
  if (certificates.length === 0) throw new CliUsageError(`${path} holds no certificate`);
  return certificates[0]!.der;
}

/**
 * Identities from `--identity <p12> --password-env <VAR>` (repeatable; one --password-env serves all files, or
 * one per file in order) and from `--key <pkcs8.pem> --cert <cert.pem>` pairs. Passwords never come from argv.
 */
export async function loadDecryptionIdentities(values: { identity?: string[]; 'password-env'?: string[]; key?: string[]; cert?: string[] }): Promise<DecryptionIdentity[]> {
  const identities: DecryptionIdentity[] = [];
  const files = values.identity ?? [];
  const variables = values['password-env'] ?? [];
  if (files.length > 0 && variables.length !== 1 && variables.length !== files.length) {
    throw new CliUsageError('give one --password-env <VAR> for all --identity files, or one per file');
  }
  for (const [i, file] of files.entries()) {
    const variable = variables.length === 1 ? variables[0]! : variables[i]!;
    const password = process.env[variable];
    if (password === undefined) throw new CliUsageError(`the environment variable ${variable} is not set`);
    const contents = await importPkcs12(readInput(file), password, { crypto });
    for (const identity of requireIdentities(contents)) identities.push({ certificate: identity.certificate, pkcs8: identity.pkcs8 });
  }
  const keys = values.key ?? [];
  const certs = values.cert ?? [];
  if (keys.length !== certs.length) throw new CliUsageError('each --key needs its --cert');
  for (const [i, key] of keys.entries()) identities.push({ certificate: certificateFrom(certs[i]!), pkcs8: pemBlock(readInput(key), 'PRIVATE KEY') });
  return identities;
}

export async function commandDecrypt(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...IDENTITY_OPTIONS, output: { type: 'string', short: 'o' } } });
  if (positionals.length !== 1) throw new CliUsageError('decrypt takes exactly one message file');
  const identities = await loadDecryptionIdentities(values);
  if (identities.length === 0) throw new CliUsageError('decrypt needs --identity <file.p12> --password-env <VAR> or --key <pkcs8.pem> --cert <cert.pem>');
  const result = await decryptMessage(readInput(positionals[0]!), { identities, crypto, policy: DEFAULT_POLICY });
  const { report } = result;
  if (!result.plaintext) {
    const to = report.recipients.map((r) => (r.kind === 'issuerAndSerialNumber' ? `${r.issuer} serial ${r.serialNumberHex}` : r.kind === 'subjectKeyIdentifier' ? `key id ${r.subjectKeyIdentifierHex}` : r.kind)).join('; ');
    process.stderr.write(`waxseal: not decrypted (${report.reasons.join(', ')}); encrypted to: ${to}\n`);
    return 2;
  }
  process.stderr.write(`waxseal: decrypted, ${report.contentEncryption}, ${report.verdict}\n`);
  if (values.output) writeFileSync(values.output, result.plaintext);
  else process.stdout.write(result.plaintext);
  return 0;
}
