/**
 * The MIME layer of the engine: parsing with exact bytes, header decoding, addresses, and canonical builders.
 */
export { parseMime, type MimeEntity, type MimeDefect } from './parse.js';
export { MimeHeaders, type HeaderField, type HeaderDefect } from './headers.js';
export { parseContentType, parseContentDisposition, type ContentType, type ContentDisposition, type HeaderLimits } from './parameters.js';
export { decodeEncodedWords } from './encoded-words.js';
export { decodeCharset, type DecodedText } from './charset.js';
export {
  parseAddressList,
  getFromMailbox,
  type Mailbox,
  type AddressGroup,
  type AddressListResult,
  type AddressProblem,
  type AddressWarning,
  type FromMailboxResult,
} from './address.js';
export { encodeQuotedPrintable, decodeQuotedPrintable, encodeBase64Body, decodeTransferEncoding } from './transfer-encoding.js';
export {
  buildEntity,
  buildMultipartSigned,
  buildPkcs7Mime,
  replaceOrPrependHeaders,
  canonicalizeLineEndings,
  makeBoundary,
  formatHeaderField,
  formatParameter,
  micalgFor,
  type EntityInput,
  type BuildOptions,
  type HeaderList,
  type TransferEncoding,
  type Micalg,
  type SmimeType,
} from './build.js';
