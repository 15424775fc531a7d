import { describe, expect, it } from 'vitest';
import { getFromMailbox, makePolicy, parseAddressList, parseMime, LimitError } from '../../../src/crypto/index.js';
import { utf8 } from '../../../src/crypto/bytes.js';

const message = (headers: string): ReturnType<typeof parseMime> => parseMime(utf8(`${headers.replace(/\n/g, '\r\n')}\r\n\r\nbody`));

describe('parseAddressList (RFC 5322 §3.4)', () => {
  it('reads display names, quoted strings, comments and bare addresses', () => {
    const result = parseAddressList('"Doe, John" <john@example.com>, jane@example.org (Jane), Bob Q. Public <bob@[192.0.2.1]>');
    expect(result.valid).toBe(true);
    expect(result.mailboxes.map((m) => [m.name, m.address])).toEqual([
      ['Doe, John', 'john@example.com'],
      ['', 'jane@example.org'],
      ['Bob Q. Public', 'bob@[192.0.2.1]'],
    ]);
  });

  it('decodes encoded-words in display names but never takes an address from them (SEC-14)', () => {
    const result = parseAddressList('=?utf-8?b?bWFuYWdlckBjb3Jw?= =?utf-8?q?_=28boss=29?= <eve@corp.example>');
    expect(result.mailboxes).toHaveLength(1);
    expect(result.mailboxes[0]).toMatchObject({ name: 'manager@corp (boss)', address: 'eve@corp.example' });
    const quoted = parseAddressList('"=?utf-8?q?x?=" <a@b.example>');
    expect(quoted.mailboxes[0]!.name).toBe('=?utf-8?q?x?=');
  });

  it('reports groups with their members', () => {
    const result = parseAddressList('team: a@x.example, "B" <b@y.example>;, c@z.example, undisclosed-recipients:;');
    expect(result.valid).toBe(true);
    expect(result.groups.map((g) => [g.name, g.members.map((m) => m.address)])).toEqual([
      ['team', ['a@x.example', 'b@y.example']],
      ['undisclosed-recipients', []],
    ]);
    expect(result.mailboxes.map((m) => m.group)).toEqual(['team', 'team', undefined]);
  });

  it('flags malformed lists', () => {
    expect(parseAddressList('alice').problems).toEqual(['NO_ADDRESS']);
    expect(parseAddressList('<alice@x').problems).toEqual(['UNTERMINATED_ANGLE_ADDR']);
    expect(parseAddressList('a@b@c').problems).toEqual(['INVALID_ADDR_SPEC']);
    expect(parseAddressList('g: a@b').problems).toEqual(['UNTERMINATED_GROUP']);
    expect(parseAddressList('<a@b.example> junk').problems).toEqual(['UNEXPECTED_TOKEN']);
    expect(parseAddressList('a@[192.0.2.1').problems).toEqual(['UNTERMINATED_DOMAIN_LITERAL']);
  });

  it('keeps the angle address when the display name holds an unquoted "@" (SEC-14 I2)', () => {
    const result = parseAddressList('manager@corp.example <eve@corp.example>');
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual(['SPECIALS_IN_DISPLAY_NAME']);
    expect(result.mailboxes.map((m) => m.address)).toEqual(['eve@corp.example']);
  });

  it('applies a configured nesting limit', () => {
    const limits = makePolicy({ limits: { maxHeaderNesting: 2 } }).limits;
    expect(parseAddressList('((ok)) a@b.example', limits).mailboxes).toHaveLength(1);
    expect(() => parseAddressList('(((deep))) a@b.example', limits)).toThrow(LimitError);
    expect(() => parseMime(utf8('Content-Type: text/plain (((x)))\r\n\r\n'), limits)).toThrow(LimitError);
  });

  it('stops deeply nested comments and groups with a LimitError (SEC-33f)', () => {
    expect(() => parseAddressList(`${'('.repeat(10_000)}x${')'.repeat(10_000)} a@b`)).toThrow(LimitError);
    expect(() => parseAddressList(`${'g:'.repeat(10_000)}a@b${';'.repeat(10_000)}`)).toThrow(LimitError);
  });
});

describe('getFromMailbox (SEC-14 I3)', () => {
  it('returns the single From mailbox', () => {
    const result = getFromMailbox(message('From: "Eve" <eve@corp.example>\nSender: manager@corp.example'));
    expect(result).toEqual({ ok: true, mailbox: expect.objectContaining({ address: 'eve@corp.example', name: 'Eve' }) });
  });

  it.each([
    ['To: a@b.example', 'MISSING'],
    ['From:', 'MISSING'],
    ['From: a@b.example\nFrom: c@d.example', 'MULTIPLE_FROM_HEADERS'],
    ['From: a@b.example, c@d.example', 'MULTIPLE'],
    ['From: team: eve@corp.example;', 'GROUP'],
    ['From: team:;', 'GROUP'],
    ['From: eve', 'UNPARSABLE'],
    ['From: <eve@corp.example', 'UNPARSABLE'],
  ])('%j gives %s', (headers, reason) => {
    expect(getFromMailbox(message(headers))).toEqual({ ok: false, reason });
  });
});
