/**
 * The only place that calls `asn1js.fromBER` on untrusted input (SEC-31d): every parse goes through
 * `parseBer` with explicit limits, and failures become typed errors.
 */
import * as asn1js from 'asn1js';
import { LimitError, SmimeError } from './errors.js';
import { DEFAULT_LIMITS, type ParserLimits } from './policy.js';

export type Asn1Limits = Pick<ParserLimits, 'maxAsn1Depth' | 'maxAsn1Nodes' | 'maxAsn1ContentBytes'>;

/**
 * Parses one BER/DER object that must fill `input` exactly.
 * @throws LimitError (`LIMIT_EXCEEDED`) when a depth, node or length limit is hit.
 * @throws SmimeError `MALFORMED_ASN1` when the bytes are not one well-formed object.
 */
export function parseBer(input: Uint8Array, limits: Asn1Limits = DEFAULT_LIMITS, what = 'ASN.1 object'): asn1js.AsnType {
  if (input.byteLength > limits.maxAsn1ContentBytes) {
    throw new LimitError('maxAsn1ContentBytes', `${what} is ${input.byteLength} bytes, over the limit of ${limits.maxAsn1ContentBytes}`);
  }
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(input, {
      maxDepth: limits.maxAsn1Depth,
      maxNodes: limits.maxAsn1Nodes,
      maxContentLength: limits.maxAsn1ContentBytes,
    });
  } catch (cause) {
    throw toLimitOrMalformed(cause, what);
  }
  if (parsed.offset === -1) {
    const message = parsed.result.error || 'not valid BER';
    if (/Maximum|exceeded/i.test(message)) throw new LimitError('asn1', `${what}: ${message}`);
    throw new SmimeError('MALFORMED_ASN1', `${what} is not valid BER: ${message}`);
  }
  if (parsed.offset !== input.byteLength) {
    throw new SmimeError('MALFORMED_ASN1', `${what} has ${input.byteLength - parsed.offset} trailing bytes`);
  }
  return parsed.result;
}

function toLimitOrMalformed(cause: unknown, what: string): SmimeError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof RangeError || /Maximum|exceeded|too much recursion/i.test(message)) {
    return new LimitError('asn1', `${what}: ${message}`, { cause });
  }
  return new SmimeError('MALFORMED_ASN1', `${what} could not be parsed: ${message}`, { cause });
}
