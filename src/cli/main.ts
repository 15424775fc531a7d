/**
 * waxseal: command-line access to the engine (open, sign, inspect). A boundary: it reads files, the
 * clock and the environment, and turns typed engine errors into one-line messages without stack traces.
 */
import { webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_POLICY, SmimeError, describeCertificate, assessCertificateForSigning, assessCertificateForEncryption, importPkcs12, isSmimeError,
  mozillaEmailAnchors, openMessage, parseCertificates, parseMime, requireIdentities, signMessage, type MessageReport, type TrustAnchor,
} from '../crypto/index.js';
import { importSigningKey } from '../crypto/cms/signing-key.js';
import { describeMessageStructure } from './inspect-message.js';
import { formatReport, formatCertificate, toJsonReport } from './format.js';
import { CliUsageError, DECRYPT_USAGE, IDENTITY_OPTIONS, commandDecrypt, loadDecryptionIdentities } from './decrypt-command.js';
import { ENCRYPT_USAGE, commandEncrypt } from './encrypt-command.js';

const crypto = webcrypto as unknown as Crypto;

const USAGE = `Usage:
  waxseal open <message.eml> [--trust <ca.pem>]... [--no-default-trust] [--at <ISO time>] [--json]
               [--identity <file.p12> --password-env <VAR> | --key <pkcs8.pem> --cert <cert.pem>]...
  waxseal sign <entity-or-message> (--identity <file.p12> --password-env <VAR> | --key <pkcs8.pem> --cert <cert.pem> [--chain <ca.pem>]...)
               [--opaque] [--pss] [--encryption-cert <cert.pem>] [-o <out.eml>]
  waxseal inspect <certificate|message> [--json]
${ENCRYPT_USAGE}
${DECRYPT_USAGE}`;

/** A mistake in how the command was called (exit 64, EX_USAGE). */
class UsageError extends Error {}

function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function certificatesFrom(path: string) {
  const certificates = parseCertificates(readInput(path), DEFAULT_POLICY.limits);
  if (certificates.length === 0) throw new UsageError(`${path} holds no certificate`);
  return certificates;
}

function passwordFrom(variable: string | undefined): string {
  if (!variable) throw new UsageError('--identity needs --password-env <VAR> (the password is never taken on the command line)');
  const value = process.env[variable];
  if (value === undefined) throw new UsageError(`the environment variable ${variable} is not set`);
  return value;
}

function parseTime(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--at: not an ISO time: ${value}`);
  return time;
}

async function commandOpen(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      'no-default-trust': { type: 'boolean' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      ...IDENTITY_OPTIONS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('open takes exactly one message file');
  const raw = readInput(positionals[0]!);
  const anchors: TrustAnchor[] = values['no-default-trust'] ? [] : mozillaEmailAnchors();
  for (const path of values.trust ?? []) {
    for (const certificate of certificatesFrom(path)) anchors.push({ der: certificate.der, source: 'user', purposes: ['email'], label: path });
  }
  const loaded = await loadDecryptionIdentities(values);
  const identities = loaded.length > 0 ? loaded : undefined;
  const report: MessageReport = await openMessage(raw, { anchors, now: parseTime(values.at), crypto, policy: DEFAULT_POLICY, identities });
  process.stdout.write(values.json ? `${JSON.stringify(toJsonReport(report), null, 2)}\n` : formatReport(report));
  return 0;
}

async function commandSign(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      identity: { type: 'string' },
      'password-env': { type: 'string' },
      key: { type: 'string' },
      cert: { type: 'string' },
      chain: { type: 'string', multiple: true },
      opaque: { type: 'boolean' },
      pss: { type: 'boolean' },
      'encryption-cert': { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('sign takes exactly one input file');
  let pkcs8: Uint8Array;
  let certificate: Uint8Array;
  let chain: Uint8Array[];
  if (values.identity) {
    if (values.key || values.cert) throw new UsageError('use either --identity or --key/--cert, not both');
    const contents = await importPkcs12(readInput(values.identity), passwordFrom(values['password-env']), { crypto });
    const identity = requireIdentities(contents)[0]!;
    ({ pkcs8, certificate, chain } = identity);
  } else {
    if (!values.key || !values.cert) throw new UsageError('sign needs --identity <file.p12> or both --key <pkcs8.pem> and --cert <cert.pem>');
    pkcs8 = pemOrDer(readInput(values.key), 'PRIVATE KEY');
    const certificates = certificatesFrom(values.cert);
    certificate = certificates[0]!.der;
    chain = certificates.slice(1).map((c) => c.der);
  }
  for (const path of values.chain ?? []) chain.push(...certificatesFrom(path).map((c) => c.der));
  const privateKey = await importSigningKey(pkcs8, { crypto, policy: DEFAULT_POLICY, rsaPss: values.pss });
  const signed = await signMessage(readInput(positionals[0]!), {
    signer: { certificate, privateKey, chain },
    crypto,
    policy: DEFAULT_POLICY,
    form: values.opaque ? 'opaque' : 'detached',
    signingTime: new Date(),
    encryptionKeyPreference: values['encryption-cert'] ? certificatesFrom(values['encryption-cert'])[0]!.der : null,
  });
  if (values.output) writeFileSync(values.output, signed);
  else process.stdout.write(signed);
  return 0;
}

function pemOrDer(bytes: Uint8Array, label: string): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes);
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (match) return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
  if (/-----BEGIN /.test(text)) throw new UsageError(`expected a PEM "${label}" block (PKCS#8, unencrypted)`);
  return bytes;
}

async function commandInspect(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('inspect takes exactly one file');
  const bytes = readInput(positionals[0]!);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const looksLikeMessage = !/-----BEGIN (CERTIFICATE|PKCS7)/.test(text) && bytes[0] !== 0x30;
  if (looksLikeMessage) {
    const structure = await describeMessageStructure(parseMime(bytes, DEFAULT_POLICY.limits), crypto);
    process.stdout.write(values.json ? `${JSON.stringify(structure, null, 2)}\n` : `${structure.lines.join('\n')}\n`);
    return 0;
  }
  const certificates = parseCertificates(bytes, DEFAULT_POLICY.limits);
  const described = [];
  for (const certificate of certificates) {
    described.push({
      ...(await describeCertificate(certificate, crypto)),
      signing: assessCertificateForSigning(certificate, DEFAULT_POLICY.signature),
      encryption: assessCertificateForEncryption(certificate, DEFAULT_POLICY.signature),
    });
  }
  process.stdout.write(values.json ? `${JSON.stringify(described, null, 2)}\n` : described.map(formatCertificate).join('\n'));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'open':
        return await commandOpen(rest);
      case 'sign':
        return await commandSign(rest);
      case 'inspect':
        return await commandInspect(rest);
      case 'encrypt':
        return await commandEncrypt(rest);
      case 'decrypt':
        return await commandDecrypt(rest);
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 64 : 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliUsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`waxseal: ${error.message}\n${USAGE}\n`);
      return 64;
    }
    if (isSmimeError(error)) {
      process.stderr.write(`waxseal: ${error.message} (${(error as SmimeError).code})\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
