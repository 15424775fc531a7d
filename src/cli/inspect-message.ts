/**
 * `waxseal inspect <message>`: the MIME tree with its S/MIME layers, without verifying anything.
 */
import { describeCertificate, describeOid, isSmimeError, DEFAULT_POLICY, type MimeEntity } from '../crypto/index.js';
import { parseSignedData } from '../crypto/cms/verify.js';
import { visible } from './format.js';

export interface MessageStructure {
  lines: string[];
  parts: { depth: number; contentType: string; layer: string | null; detail?: Record<string, unknown> }[];
}

const SIGNATURE_TYPES = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature']);
const PKCS7_MIME = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

export async function describeMessageStructure(root: MimeEntity, crypto: Crypto): Promise<MessageStructure> {
  const structure: MessageStructure = { lines: [], parts: [] };
  await walk(root, structure, crypto);
  return structure;
}

async function walk(entity: MimeEntity, out: MessageStructure, crypto: Crypto): Promise<void> {
  const indent = '  '.repeat(entity.depth);
  const type = entity.contentType.mediaType;
  let layer: string | null = null;
  let detail: Record<string, unknown> | undefined;
  if (SIGNATURE_TYPES.has(type) || (PKCS7_MIME.has(type) && entity.contentType.params.get('smime-type')?.toLowerCase() === 'signed-data')) {
    layer = SIGNATURE_TYPES.has(type) ? 'detached signature' : 'opaque signed-data';
    detail = await describeSignedData(entity.decodedBody(), crypto);
  } else if (PKCS7_MIME.has(type)) {
    layer = `encrypted (${entity.contentType.params.get('smime-type') ?? 'no smime-type'})`;
  }
  out.parts.push({ depth: entity.depth, contentType: type, layer, ...(detail ? { detail } : {}) });
  out.lines.push(`${indent}${type}${layer ? `  [${layer}]` : ''}`);
  if (detail) for (const [key, value] of Object.entries(detail)) out.lines.push(`${indent}    ${key}: ${visible(JSON.stringify(value))}`);
  for (const child of entity.children) await walk(child, out, crypto);
}

async function describeSignedData(der: Uint8Array, crypto: Crypto): Promise<Record<string, unknown>> {
  try {
    const parsed = parseSignedData(der, DEFAULT_POLICY);
    const signers = parsed.signedData.signerInfos.map((info) => ({
      digestAlgorithm: describeOid(info.digestAlgorithm.algorithmId),
      signatureAlgorithm: describeOid(info.signatureAlgorithm.algorithmId),
      signedAttributes: info.signedAttrs?.attributes.map((attribute) => describeOid(attribute.type)) ?? null,
    }));
    const certificates = [];
    for (const { der: certificate } of parsed.certificates) certificates.push((await describeCertificate(certificate, crypto)).subject);
    return {
      eContentType: describeOid(parsed.signedData.encapContentInfo.eContentType),
      encapsulatesContent: parsed.eContent !== null,
      signers,
      certificates,
    };
  } catch (error) {
    if (!isSmimeError(error)) throw error;
    return { error: `${error.code}: ${error.message}` };
  }
}
