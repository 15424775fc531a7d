/**
 * Address lists (RFC 5322 §3.4) for From/To/Cc, and the single From mailbox that signer binding needs (SEC-14).
 * The structure is parsed before any RFC 2047 decoding, so an encoded-word in a display name can never become an
 * address. Comments and groups have a nesting limit (SEC-33f); the tokenizer and parser are single forward passes.
 */
import { LimitError } from '../errors.js';
import { decodeEncodedWords, isEncodedWord } from './encoded-words.js';
import type { MimeHeaders } from './headers.js';
import { DEFAULT_LIMITS } from '../policy.js';
import type { HeaderLimits } from './parameters.js';

/** One mailbox of an address list (RFC 5322 §3.4 `mailbox`). */
export interface Mailbox {
  /** Display name, RFC 2047 decoded; "" when there is none. */
  readonly name: string;
  /** The addr-spec, "local@domain", without comments or whitespace. */
  readonly address: string;
  readonly localPart: string;
  readonly domain: string;
  /** Name of the group this mailbox was listed in, if any. */
  readonly group: string | undefined;
}

/** A named group (RFC 5322 §3.4 `group`), e.g. `undisclosed-recipients:;`. */
export interface AddressGroup {
  readonly name: string;
  readonly members: readonly Mailbox[];
}

/** Why an address list is not well-formed. */
export type AddressProblem =
  | 'NO_ADDRESS'
  | 'INVALID_ADDR_SPEC'
  | 'UNTERMINATED_ANGLE_ADDR'
  | 'UNEXPECTED_TOKEN'
  | 'UNTERMINATED_GROUP'
  | 'NESTED_GROUP'
  | 'UNBALANCED_COMMENT'
  | 'UNTERMINATED_QUOTED_STRING'
  | 'UNTERMINATED_DOMAIN_LITERAL';

/**
 * Sloppy but unambiguous syntax: an unquoted "@" or "." in a display name (`manager@corp <eve@corp>`). The angle
 * address is still the address; the UI must show it, not the display name (SEC-14 I2).
 */
export type AddressWarning = 'SPECIALS_IN_DISPLAY_NAME';

/** Result of {@link parseAddressList}: the mailboxes and groups found, and what was wrong with the value. */
export interface AddressListResult {
  /** Every mailbox, including group members, in order. */
  readonly mailboxes: readonly Mailbox[];
  readonly groups: readonly AddressGroup[];
  /** Problems found; the list is well-formed only when this is empty. */
  readonly problems: readonly AddressProblem[];
  readonly warnings: readonly AddressWarning[];
  /** True when `problems` is empty. */
  readonly valid: boolean;
}

type TokenKind = 'atom' | 'quoted' | 'literal' | 'special';

interface Token {
  kind: TokenKind;
  text: string;
  /** Whitespace or a comment came before this token (matters for display names only). */
  spaced: boolean;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** RFC 5322 §3.2.3 specials, minus the quote and brackets which have their own tokens. */
function isSpecial(code: number): boolean {
  return code === 0x3c || code === 0x3e || code === 0x40 || code === 0x2c || code === 0x3b || code === 0x3a || code === 0x2e;
}

function tokenize(value: string, problems: AddressProblem[], maxNesting: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = false;
  const n = value.length;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (isSpace(c)) {
      spaced = true;
      i++;
      continue;
    }
    if (c === 0x28) {
      let depth = 0;
      while (i < n) {
        const d = value.charCodeAt(i++);
        if (d === 0x5c) i++;
        else if (d === 0x28 && ++depth > maxNesting) {
          throw new LimitError('maxHeaderNesting', `address comments are nested more than ${maxNesting} deep`);
        } else if (d === 0x29 && --depth === 0) break;
      }
      if (depth !== 0) problems.push('UNBALANCED_COMMENT');
      spaced = true;
      continue;
    }
    if (c === 0x29) {
      problems.push('UNBALANCED_COMMENT');
      i++;
      continue;
    }
    if (c === 0x22) {
      const parts: string[] = [];
      let start = ++i;
      let closed = false;
      while (i < n) {
        const d = value.charCodeAt(i);
        if (d === 0x22) {
          closed = true;
          break;
        }
        if (d === 0x5c && i + 1 < n) {
          parts.push(value.slice(start, i));
          start = i + 1;
          i += 2;
          continue;
        }
        i++;
      }
      parts.push(value.slice(start, i));
      if (!closed) problems.push('UNTERMINATED_QUOTED_STRING');
      i++;
      tokens.push({ kind: 'quoted', text: parts.join(''), spaced });
      spaced = false;
      continue;
    }
    if (c === 0x5b) {
      const close = value.indexOf(']', i);
      if (close < 0) problems.push('UNTERMINATED_DOMAIN_LITERAL');
      const end = close < 0 ? n : close + 1;
      tokens.push({ kind: 'literal', text: value.slice(i, end), spaced });
      spaced = false;
      i = end;
      continue;
    }
    if (isSpecial(c)) {
      tokens.push({ kind: 'special', text: value[i]!, spaced });
      spaced = false;
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      const d = value.charCodeAt(i);
      if (isSpace(d) || isSpecial(d) || d === 0x28 || d === 0x29 || d === 0x22 || d === 0x5b) break;
      i++;
    }
    tokens.push({ kind: 'atom', text: value.slice(start, i), spaced });
    spaced = false;
  }
  return tokens;
}

function isSpecialToken(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'special' && token.text === text;
}

/** Display name: words joined by single spaces, encoded-words decoded, and the space between two encoded-words dropped. */
function renderPhrase(tokens: readonly Token[]): string {
  const out: string[] = [];
  let previousEncoded = false;
  for (const token of tokens) {
    const encoded = token.kind === 'atom' && isEncodedWord(token.text);
    if (out.length > 0 && token.spaced && !(encoded && previousEncoded)) out.push(' ');
    // RFC 2047 §5(3): an encoded-word inside a quoted-string is not decoded.
    out.push(token.kind === 'atom' ? decodeEncodedWords(token.text) : token.text);
    previousEncoded = encoded;
  }
  return out.join('').trim();
}

function needsQuoting(localPart: string): boolean {
  if (localPart.length === 0) return true;
  for (let i = 0; i < localPart.length; i++) {
    const c = localPart.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x5c || c === 0x28 || c === 0x29 || c === 0x5b || c === 0x5d || (isSpecial(c) && c !== 0x2e)) return true;
  }
  return localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..');
}

/** addr-spec = local-part "@" domain (RFC 5322 §3.4.1), with obsolete CFWS between the dots allowed. */
function readAddrSpec(tokens: readonly Token[]): { localPart: string; domain: string } | null {
  const at = tokens.findIndex((token) => isSpecialToken(token, '@'));
  if (at <= 0 || at === tokens.length - 1) return null;
  const local: string[] = [];
  for (let i = 0; i < at; i++) {
    const token = tokens[i]!;
    if (token.kind === 'literal' || (token.kind === 'special' && token.text !== '.')) return null;
    local.push(token.text);
  }
  const domain: string[] = [];
  for (let i = at + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'quoted' || (token.kind === 'special' && token.text !== '.')) return null;
    domain.push(token.text);
  }
  const localPart = local.join('');
  const domainText = domain.join('');
  if (localPart.length === 0 || domainText.length === 0 || domainText.startsWith('.') || domainText.endsWith('.')) return null;
  return { localPart, domain: domainText };
}

function makeMailbox(name: string, spec: { localPart: string; domain: string }, group: string | undefined): Mailbox {
  const local = needsQuoting(spec.localPart) ? `"${spec.localPart.replace(/[\\"]/g, (ch) => `\\${ch}`)}"` : spec.localPart;
  return { name, address: `${local}@${spec.domain}`, localPart: spec.localPart, domain: spec.domain, group };
}

/**
 * Parses an address-list or mailbox-list header value (RFC 5322 §3.4): `name <addr>`, bare addr-specs, quoted
 * display names, comments, and groups (`team: a@x, b@y;`). Lenient where mailers are sloppy (an unquoted "@" or "."
 * in a display name is a warning; the angle address still counts), strict about
 * anything that could make an address ambiguous.
 * Linear in the length of `value`.
 * @throws LimitError when comments or groups nest deeper than the header nesting limit (SEC-33f).
 */
export function parseAddressList(value: string, limits: HeaderLimits = DEFAULT_LIMITS): AddressListResult {
  const maxNesting = limits.maxHeaderNesting ?? DEFAULT_LIMITS.maxHeaderNesting;
  const problems: AddressProblem[] = [];
  const warnings: AddressWarning[] = [];
  const tokens = tokenize(value, problems, maxNesting);
  const mailboxes: Mailbox[] = [];
  const groups: { name: string; members: Mailbox[] }[] = [];
  const groupStack: { name: string; members: Mailbox[] }[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (isSpecialToken(token, ',')) {
      i++;
      continue;
    }
    if (isSpecialToken(token, ';')) {
      if (groupStack.length === 0) problems.push('UNEXPECTED_TOKEN');
      else groups.push(groupStack.pop()!);
      i++;
      continue;
    }
    const start = i;
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t.kind === 'special' && (t.text === '<' || t.text === ',' || t.text === ';' || t.text === ':' || t.text === '>')) break;
      i++;
    }
    const phrase = tokens.slice(start, i);
    const stop = tokens[i];
    const groupName = groupStack.length > 0 ? groupStack[groupStack.length - 1]!.name : undefined;
    if (isSpecialToken(stop, ':')) {
      if (groupStack.length > 0) problems.push('NESTED_GROUP');
      if (groupStack.length >= maxNesting) {
        throw new LimitError('maxHeaderNesting', `address groups are nested more than ${maxNesting} deep`);
      }
      groupStack.push({ name: renderPhrase(phrase), members: [] });
      i++;
      continue;
    }
    if (isSpecialToken(stop, '<')) {
      let close = i + 1;
      while (close < tokens.length && !isSpecialToken(tokens[close], '>')) close++;
      if (close === tokens.length) {
        problems.push('UNTERMINATED_ANGLE_ADDR');
        break;
      }
      let inner = tokens.slice(i + 1, close);
      // Obsolete source route "<@a,@b:user@host>" (RFC 5322 §4.4): drop the route.
      if (isSpecialToken(inner[0], '@')) {
        const colon = inner.findIndex((t) => isSpecialToken(t, ':'));
        inner = colon < 0 ? inner : inner.slice(colon + 1);
      }
      if (phrase.some((t) => t.kind === 'special' || t.kind === 'literal')) warnings.push('SPECIALS_IN_DISPLAY_NAME');
      const spec = readAddrSpec(inner);
      if (spec === null) {
        problems.push('INVALID_ADDR_SPEC');
      } else {
        const mailbox = makeMailbox(renderPhrase(phrase), spec, groupName);
        mailboxes.push(mailbox);
        groupStack[groupStack.length - 1]?.members.push(mailbox);
      }
      i = close + 1;
      const after = tokens[i];
      if (after !== undefined && !isSpecialToken(after, ',') && !isSpecialToken(after, ';')) {
        problems.push('UNEXPECTED_TOKEN');
        while (i < tokens.length && !isSpecialToken(tokens[i], ',') && !isSpecialToken(tokens[i], ';')) i++;
      }
      continue;
    }
    if (isSpecialToken(stop, '>')) {
      problems.push('UNEXPECTED_TOKEN');
      i++;
      continue;
    }
    if (phrase.length === 0) continue;
    const spec = readAddrSpec(phrase);
    if (spec === null) {
      problems.push(phrase.some((t) => isSpecialToken(t, '@')) ? 'INVALID_ADDR_SPEC' : 'NO_ADDRESS');
      continue;
    }
    const mailbox = makeMailbox('', spec, groupName);
    mailboxes.push(mailbox);
    groupStack[groupStack.length - 1]?.members.push(mailbox);
  }
  if (groupStack.length > 0) {
    problems.push('UNTERMINATED_GROUP');
    while (groupStack.length > 0) groups.push(groupStack.pop()!);
  }
  return { mailboxes, groups, problems, warnings, valid: problems.length === 0 };
}

/** The author mailbox, or why there is no single one (each reason means "from-ambiguous" for SEC-14). */
export type FromMailboxResult =
  | { ok: true; mailbox: Mailbox }
  | { ok: false; reason: 'MISSING' | 'MULTIPLE' | 'GROUP' | 'MULTIPLE_FROM_HEADERS' | 'UNPARSABLE' };

/**
 * The single author mailbox of a message, for binding the signer to the sender (RFC 8550 §3, SEC-14).
 * Anything but exactly one From header holding exactly one plain mailbox is refused with a reason; Sender is
 * deliberately ignored.
 * @throws LimitError when the From value nests comments or groups too deeply (SEC-33f).
 */
export function getFromMailbox(entity: { headers: MimeHeaders } | MimeHeaders, limits: HeaderLimits = DEFAULT_LIMITS): FromMailboxResult {
  const headers = 'getAll' in entity ? entity : entity.headers;
  const values = headers.getAll('from');
  if (values.length === 0) return { ok: false, reason: 'MISSING' };
  if (values.length > 1) return { ok: false, reason: 'MULTIPLE_FROM_HEADERS' };
  const result = parseAddressList(values[0]!, limits);
  if (result.groups.length > 0) return { ok: false, reason: 'GROUP' };
  if (result.mailboxes.length > 1) return { ok: false, reason: 'MULTIPLE' };
  if (!result.valid) return { ok: false, reason: 'UNPARSABLE' };
  if (result.mailboxes.length === 0) return { ok: false, reason: 'MISSING' };
  return { ok: true, mailbox: result.mailboxes[0]! };
}
