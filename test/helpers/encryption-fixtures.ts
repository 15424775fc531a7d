/**
 * Builders for encrypted test messages: whole application/pkcs7-mime messages around a CMS DER, and
 * byte-level edits of the DER (for tamper and gadget tests).
 */
import { base64EncodeToBytes, concatBytes } from '../../src/crypto/bytes.js';
import { parseEnvelope } from '../../src/crypto/cms/envelope-parse.js';
import { octetStringContent } from '../../src/crypto/cms/envelope-ber.js';
import { DEFAULT_LIMITS, DEFAULT_POLICY } from '../../src/crypto/policy.js';

const enc = new TextEncoder();

/** A complete message whose root is the application/pkcs7-mime part carrying `der`. */
export function encryptedMessage(der: Uint8Array, smimeType: 'enveloped-data' | 'authEnveloped-data' | 'compressed-data' = 'enveloped-data'): Uint8Array {
  const head = enc.encode(
    'From: alice@example.com\r\nTo: bob@example.com\r\nSubject: test\r\nDate: Mon, 1 Jun 2026 00:00:00 +0000\r\nMIME-Version: 1.0\r\n' +
      `Content-Type: application/pkcs7-mime; smime-type=${smimeType}; name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
  );
  return concatBytes([head, base64EncodeToBytes(der), enc.encode('\r\n')]);
}

/** Offsets (in `der`) of the primitive encrypted content, the mac, the IV/nonce and the authAttrs of an envelope. */
export function locate(der: Uint8Array): { content: [number, number]; mac: [number, number] | null; ivOrNonce: [number, number]; authAttrs: [number, number] | null } {
  const envelope = parseEnvelope(der, DEFAULT_POLICY.limits);
  const element = envelope.encryptedContent!;
  if (element.constructed) throw new Error('test helper expects primitive content');
  octetStringContent(der, element, DEFAULT_LIMITS);
  const find = (needle: Uint8Array, from = 0): number => {
    const i = Buffer.from(der).indexOf(Buffer.from(needle), from);
    if (i < 0) throw new Error('not found');
    return i;
  };
  const params = envelope.contentEncryptionAlgorithm.algorithmParams as { valueBlock: { value?: Array<{ valueBlock: { valueHexView: Uint8Array } }>; valueHexView?: Uint8Array } };
  const iv = params.valueBlock.valueHexView ?? params.valueBlock.value![0]!.valueBlock.valueHexView;
  const ivAt = find(iv);
  const mac = envelope.mac ? [envelope.mac.byteOffset - der.byteOffset, envelope.mac.byteOffset - der.byteOffset + envelope.mac.length] as [number, number] : null;
  let authAttrs: [number, number] | null = null;
  if (envelope.authenticatedAttributesAad) {
    const body = envelope.authenticatedAttributesAad.subarray(1);
    const at = find(body, element.end);
    authAttrs = [at, at + body.length];
  }
  return { content: [element.contentStart, element.contentEnd], mac, ivOrNonce: [ivAt, ivAt + iv.length], authAttrs };
}

export function flipBit(der: Uint8Array, offset: number, bit = 0): Uint8Array {
  const copy = der.slice();
  copy[offset]! ^= 1 << bit;
  return copy;
}
