/**
 * multipart/signed built around an NSS signature (Thunderbird's own S/MIME library), checked by OpenSSL, and the
 * parts our parser cuts out checked by NSS: two independent implementations on both sides of the MIME layer.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEntity, buildMultipartSigned, parseMime, replaceOrPrependHeaders } from '../../../src/crypto/index.js';
import { bytesEqual, utf8 } from '../../../src/crypto/bytes.js';
import { makeNssIdentity, nss, openssl, runTool } from './openssl-tools.js';
import { writeFileSync } from 'node:fs';

describe('multipart/signed with NSS cmsutil', () => {
  const identity = makeNssIdentity();
  const file = (name: string, bytes: Uint8Array): string => {
    const path = join(identity.dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('wraps an NSS detached signature so that OpenSSL verifies it, and NSS verifies the parts we parse back', () => {
    const entity = buildEntity({
      contentType: 'multipart/mixed',
      boundary: 'inner-boundary',
      children: [
        { contentType: 'text/plain', body: 'Hello from NSS\nFrom the test\n' },
        { contentType: 'application/octet-stream', body: Uint8Array.from({ length: 500 }, (_, i) => i & 0xff) },
      ],
    });
    const signature = nss('cmsutil', ['-S', '-N', 'alice', '-T', '-H', 'SHA256', '-i', file('entity.mime', entity), '-d', identity.database]);
    expect(signature[0]).toBe(0x30);
    const message = replaceOrPrependHeaders(
      [['From', 'alice@example.test'], ['MIME-Version', '1.0']],
      buildMultipartSigned(entity, signature, 'sha-256', { boundary: 'outer-boundary' }),
    );
    const verified = openssl(['cms', '-verify', '-noverify', '-in', file('message.eml', message), '-inform', 'SMIME']);
    expect(bytesEqual(verified, entity)).toBe(true);

    const parsed = parseMime(message);
    const content = parsed.children[0]!.raw;
    const der = parsed.children[1]!.decodedBody();
    expect(bytesEqual(content, entity)).toBe(true);
    const decoded = nss('cmsutil', ['-D', '-i', file('parsed.p7s', der), '-c', file('parsed.mime', content), '-d', identity.database]);
    expect(bytesEqual(decoded, entity)).toBe(true);

    const tampered = runTool('cmsutil', ['-D', '-i', file('parsed.p7s', der), '-c', file('tampered.mime', utf8(`${Buffer.from(content).toString('latin1')} `)), '-d', identity.database]);
    expect(tampered.status).not.toBe(0);
    expect(tampered.stderr).toMatch(/BAD_SIGNATURE|DigestMismatch/);
  });
});
