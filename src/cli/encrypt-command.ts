/**
 * `waxseal encrypt`: encrypts an entity or a whole message to recipient certificates. For a message, the
 * header fields other than Content-* stay outside (From, To, Subject, ...), as S/MIME mail carries them.
 */
import { writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY, canonicalizeLineEndings, encryptEntity, parseMime, type EncryptEntityOptions } from '../crypto/index.js';
import { concatBytes } from '../crypto/bytes.js';
import { CliUsageError, certificateFrom, readInput } from './decrypt-command.js';

const crypto = webcrypto as unknown as Crypto;

export const ENCRYPT_USAGE = `  waxseal encrypt <entity-or-message> --to <certificate.pem>... [--self <certificate.pem>]
               [--cipher aes-256-gcm|aes-256-cbc|aes-128-gcm|aes-128-cbc] [--key-transport oaep|oaep-sha1|pkcs1] [-o <out>]`;

const CIPHERS: Record<string, NonNullable<EncryptEntityOptions['cipher']>> = {
  'aes-256-gcm': 'AES-256-GCM',
  'aes-256-cbc': 'AES-256-CBC',
  'aes-128-gcm': 'AES-128-GCM',
  'aes-128-cbc': 'AES-128-CBC',
};

export async function commandEncrypt(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string', multiple: true },
      self: { type: 'string' },
      cipher: { type: 'string' },
      'key-transport': { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
  });
  if (positionals.length !== 1) throw new CliUsageError('encrypt takes exactly one input file');
  const to = values.to ?? [];
  if (to.length === 0) throw new CliUsageError('encrypt needs at least one --to <certificate.pem>');
  const cipher = values.cipher === undefined ? undefined : CIPHERS[values.cipher.toLowerCase()];
  if (values.cipher !== undefined && !cipher) throw new CliUsageError(`--cipher: one of ${Object.keys(CIPHERS).join(', ')}`);
  const transport = values['key-transport'];
  if (transport !== undefined && transport !== 'oaep' && transport !== 'oaep-sha1' && transport !== 'pkcs1') throw new CliUsageError('--key-transport: oaep, oaep-sha1 or pkcs1');
  const recipients = to.map((path) => ({ certificate: certificateFrom(path) }));
  const self = values.self ? { certificate: certificateFrom(values.self) } : recipients[0]!;

  const input = canonicalizeLineEndings(readInput(positionals[0]!));
  const root = parseMime(input, DEFAULT_POLICY.limits);
  const outside = root.headers.fields.filter((f) => !/^content-/i.test(f.name) && f.name.toLowerCase() !== 'mime-version');
  const inside = root.headers.fields.filter((f) => /^content-/i.test(f.name));
  const entity = concatBytes([...inside.map((f) => f.raw), new TextEncoder().encode('\r\n'), root.bodyRaw]);
  const result = await encryptEntity({ entity, recipients, self, crypto, options: { cipher, keyTransport: transport } });
  const output = outside.length > 0 ? concatBytes([...outside.map((f) => f.raw), new TextEncoder().encode('MIME-Version: 1.0\r\n'), result.entity]) : result.entity;
  if (values.output) writeFileSync(values.output, output);
  else process.stdout.write(output);
  process.stderr.write(`waxseal: ${result.smimeType}, ${result.contentEncryption}, key transport ${result.keyTransport.join(', ')}\n`);
  return 0;
}
