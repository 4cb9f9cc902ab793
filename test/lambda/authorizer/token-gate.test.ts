import { RejectionReason } from '../../../contracts/authorizer-config';
import { Rejection } from '../../../lambda/authorizer/rejection';
import { bearerToken, normalizeType, payloadIsUtf8, readHeader } from '../../../lambda/authorizer/token-gate';

const MAX = 4096;
const ALGORITHMS: ReadonlySet<string> = new Set(['ES256', 'RS256']);

const b64 = (value: string | Buffer) => (typeof value === 'string' ? Buffer.from(value) : value).toString('base64url');
/** Text and raw bytes joined into one buffer. */
const bytes = (...parts: Array<string | number[]>) => Buffer.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p)] : p)));
/** A compact token with this protected header text (written as is, so duplicates and escapes survive). */
const tokenWithHeader = (headerJson: string, payload = '{"sub":"u1"}') => `${b64(headerJson)}.${b64(payload)}.${b64('signature')}`;
const TOKEN = tokenWithHeader('{"alg":"ES256","kid":"k1"}');

/** The reason `run` rejects with, or `undefined` when it returns. */
function reasonOf(run: () => unknown): RejectionReason | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof Rejection) return error.reason;
    throw error;
  }
}

const withHeaders = (headers: unknown, multiValueHeaders?: unknown) => ({ type: 'REQUEST', headers, multiValueHeaders });
const gate = (event: unknown, max = MAX) => reasonOf(() => bearerToken(event, max));

describe('bearerToken', () => {
  it('returns the token of a well-formed Bearer header', () => {
    expect(bearerToken(withHeaders({ Authorization: `Bearer ${TOKEN}` }), MAX)).toBe(TOKEN);
  });

  it('finds the header under any letter case of its name', () => {
    for (const name of ['authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn'])
      expect(bearerToken(withHeaders({ [name]: `Bearer ${TOKEN}` }), MAX)).toBe(TOKEN);
  });

  it('accepts the scheme name in any letter case (RFC 9110 §11.1)', () => {
    expect(bearerToken(withHeaders({ Authorization: `BEARER ${TOKEN}` }), MAX)).toBe(TOKEN);
    expect(bearerToken(withHeaders({ Authorization: `bEaReR ${TOKEN}` }), MAX)).toBe(TOKEN);
  });

  it('accepts a single-valued multiValueHeaders entry that agrees with headers', () => {
    const value = `Bearer ${TOKEN}`;
    expect(bearerToken(withHeaders({ Authorization: value }, { authorization: [value] }), MAX)).toBe(TOKEN);
  });

  describe('no token', () => {
    it.each([
      ['an event that is null', null],
      ['an event that is not an object', 'Bearer x.y.z'],
      ['an event without headers', {}],
      ['headers that are null', withHeaders(null)],
      ['headers without Authorization', withHeaders({ Host: 'api.example.com' })],
      ['an empty header', withHeaders({ Authorization: '' })],
      ['a header that is not a string', withHeaders({ Authorization: ['Bearer a.b.c'] })],
      ['a header named with extra characters', withHeaders({ 'Authorization ': `Bearer ${TOKEN}`, 'x-authorization': `Bearer ${TOKEN}` })],
    ])('rejects %s as no_token', (_what, event) => {
      expect(gate(event)).toBe('no_token');
    });
  });

  describe('ambiguous headers', () => {
    it('refuses two headers whose names differ only in case, rather than pick one', () => {
      expect(gate(withHeaders({ Authorization: `Bearer ${TOKEN}`, authorization: `Bearer ${TOKEN}` }))).toBe('ambiguous_token');
    });

    it('refuses a header sent twice (multiValueHeaders holds two values)', () => {
      const value = `Bearer ${TOKEN}`;
      expect(gate(withHeaders({ Authorization: value }, { Authorization: [value, value] }))).toBe('ambiguous_token');
    });

    it('refuses multiValueHeaders that disagree with headers', () => {
      const other = tokenWithHeader('{"alg":"ES256","kid":"k2"}');
      expect(gate(withHeaders({ Authorization: `Bearer ${TOKEN}` }, { Authorization: [`Bearer ${other}`] }))).toBe('ambiguous_token');
    });

    it('refuses a multi-value entry that is not a list', () => {
      expect(gate(withHeaders({ Authorization: `Bearer ${TOKEN}` }, { Authorization: `Bearer ${TOKEN}` }))).toBe('ambiguous_token');
    });

    it('refuses a token present only in multiValueHeaders', () => {
      expect(gate(withHeaders({}, { Authorization: [`Bearer ${TOKEN}`] }))).toBe('ambiguous_token');
    });
  });

  describe('length', () => {
    it('accepts a token of exactly the longest length', () => {
      const value = `Bearer ${TOKEN}`;
      expect(gate(withHeaders({ Authorization: value }), TOKEN.length)).toBeUndefined();
    });

    it('rejects a token one character over the longest length', () => {
      expect(gate(withHeaders({ Authorization: `Bearer ${TOKEN}` }), TOKEN.length - 1)).toBe('token_too_long');
    });

    it('checks the length before the scheme or the syntax, so an oversized header of anything is token_too_long', () => {
      expect(gate(withHeaders({ Authorization: 'x'.repeat(MAX + 8) }))).toBe('token_too_long');
      expect(gate(withHeaders({ Authorization: `Basic ${'A'.repeat(MAX + 2)}` }))).toBe('token_too_long');
    });

    it('rejects a megabyte header quickly, without running a pattern over it', () => {
      const huge = `Bearer ${'a'.repeat(1_000_000)}.${'b'.repeat(1_000_000)}.c`;
      const started = Date.now();
      expect(gate(withHeaders({ Authorization: huge }))).toBe('token_too_long');
      expect(Date.now() - started).toBeLessThan(200);
    });
  });

  describe('scheme', () => {
    it.each([
      ['another scheme', `Basic ${b64('user:pass')}`],
      ['the scheme without its space', `Bearer${TOKEN}`],
      ['a tab instead of the space', `Bearer\t${TOKEN}`],
      ['a leading space', ` Bearer ${TOKEN}`],
      ['a bare token', TOKEN],
      ['a misspelt scheme', `Bearr ${TOKEN}`],
    ])('rejects %s as malformed_header', (_what, value) => {
      expect(gate(withHeaders({ Authorization: value }))).toBe('malformed_header');
    });
  });

  describe('token syntax', () => {
    const [h, p, s] = TOKEN.split('.');
    it.each([
      ['two spaces after the scheme', `Bearer  ${TOKEN}`],
      ['a trailing space', `Bearer ${TOKEN} `],
      ['a trailing newline', `Bearer ${TOKEN}\n`],
      ['two parts', `Bearer ${h}.${p}`],
      ['four parts (JWE has five)', `Bearer ${TOKEN}.${s}`],
      ['an empty signature (unsecured JWS)', `Bearer ${h}.${p}.`],
      ['an empty payload', `Bearer ${h}..${s}`],
      ['base64 padding', `Bearer ${h}.${p}.${s}==`],
      ['standard base64 characters', `Bearer ${h}.${p}.${s}+/`],
      ['a second token after a comma', `Bearer ${TOKEN}, Bearer ${TOKEN}`],
      ['non-ASCII letters', `Bearer ${h}.${p}.${s}é`],
    ])('rejects %s as malformed_token', (_what, value) => {
      expect(gate(withHeaders({ Authorization: value }))).toBe('malformed_token');
    });

    it('rejects a segment whose length is 1 more than a multiple of 4 (no byte string encodes to it)', () => {
      expect(gate(withHeaders({ Authorization: `Bearer ${h}.${p}.AAAAA` }))).toBe('malformed_token');
    });

    it('gives each token exactly one accepted spelling: a last character with unused bits set is refused', () => {
      // Buffer decodes `AB` and `AA` to the same byte; only the canonical spelling may pass.
      expect(Buffer.from('AB', 'base64url')).toEqual(Buffer.from('AA', 'base64url'));
      expect(gate(withHeaders({ Authorization: `Bearer ${h}.${p}.AA` }))).toBeUndefined();
      expect(gate(withHeaders({ Authorization: `Bearer ${h}.${p}.AB` }))).toBe('malformed_token');
    });

    it('agrees with a base64url round trip for every last character of a 2- and 3-character segment', () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      for (const stem of ['A', 'AA']) {
        for (const last of alphabet) {
          const segment = stem + last;
          const canonical = Buffer.from(segment, 'base64url').toString('base64url') === segment;
          const accepted = gate(withHeaders({ Authorization: `Bearer ${h}.${p}.${segment}` })) === undefined;
          expect([segment, accepted]).toEqual([segment, canonical]);
        }
      }
    });

    it('checks every segment, not only the signature', () => {
      expect(gate(withHeaders({ Authorization: `Bearer AB.${p}.${s}` }))).toBe('malformed_token');
      expect(gate(withHeaders({ Authorization: `Bearer ${h}.AB.${s}` }))).toBe('malformed_token');
    });
  });
});

describe('readHeader', () => {
  const header = (json: string) => reasonOf(() => readHeader(tokenWithHeader(json), ALGORITHMS));

  it('returns the protected header of an allowed algorithm with a kid', () => {
    expect(readHeader(tokenWithHeader('{"alg":"ES256","kid":"k1","typ":"at+jwt"}'), ALGORITHMS)).toEqual({
      alg: 'ES256',
      kid: 'k1',
      typ: 'at+jwt',
    });
  });

  it('accepts the certificate thumbprint members', () => {
    expect(header('{"alg":"RS256","kid":"k1","x5t":"abc","x5t#S256":"def"}')).toBeUndefined();
  });

  it.each([
    ['alg none', '{"alg":"none","kid":"k1"}'],
    ['an HMAC algorithm (public key used as a shared secret)', '{"alg":"HS256","kid":"k1"}'],
    ['an allowed algorithm in another letter case', '{"alg":"es256","kid":"k1"}'],
    ['no alg', '{"kid":"k1"}'],
    ['alg that is not a string', '{"alg":["ES256"],"kid":"k1"}'],
  ])('rejects %s as alg_not_allowed', (_what, json) => {
    expect(header(json)).toBe('alg_not_allowed');
  });

  it.each([
    ['jku (keys from a URL the token names)', '{"alg":"ES256","kid":"k1","jku":"https://evil.example/jwks"}'],
    ['x5u', '{"alg":"ES256","kid":"k1","x5u":"https://evil.example/cert"}'],
    ['an embedded jwk', '{"alg":"ES256","kid":"k1","jwk":{"kty":"EC"}}'],
    ['an embedded x5c chain', '{"alg":"ES256","kid":"k1","x5c":["MIIB"]}'],
    ['crit', '{"alg":"ES256","kid":"k1","crit":["b64"],"b64":false}'],
    ['cty (a nested token)', '{"alg":"ES256","kid":"k1","cty":"JWT"}'],
    ['an unknown member', '{"alg":"ES256","kid":"k1","zip":"DEF"}'],
    ['a __proto__ member', '{"alg":"ES256","kid":"k1","__proto__":{}}'],
  ])('rejects a header with %s as unsupported_header', (_what, json) => {
    expect(header(json)).toBe('unsupported_header');
  });

  it.each([
    ['a duplicate kid (JSON.parse keeps the last)', '{"alg":"ES256","kid":"k1","kid":"k2"}'],
    ['a duplicate alg hiding none', '{"alg":"none","alg":"ES256","kid":"k1"}'],
    ['a duplicate spelt with a \\u escape', String.raw`{"alg":"ES256","kid":"k1","k\u0069d":"k2"}`],
    ['no kid', '{"alg":"ES256"}'],
    ['an empty kid', '{"alg":"ES256","kid":""}'],
    ['a kid that is a number', '{"alg":"ES256","kid":1}'],
    ['a typ that is not a string', '{"alg":"ES256","kid":"k1","typ":1}'],
    ['a member holding an object (x5t must be a string)', '{"alg":"ES256","kid":"k1","x5t":{"a":1}}'],
  ])('rejects a header with %s as bad_header', (_what, json) => {
    expect(header(json)).toBe('bad_header');
  });

  it('does not count a kid value that spells a member name as a member', () => {
    expect(header(String.raw`{"alg":"ES256","kid":"a\":\"kid\":"}`)).toBeUndefined();
  });

  it('rejects a header that is not valid UTF-8 as bad_header', () => {
    const raw = bytes('{"alg":"ES256","kid":"', [0xff, 0xfe], '"}');
    const token = `${b64(raw)}.${b64('{}')}.${b64('sig')}`;
    expect(reasonOf(() => readHeader(token, ALGORITHMS))).toBe('bad_header');
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a JSON array', '["ES256"]'],
    ['JSON null', 'null'],
    ['a JSON string', '"ES256"'],
    ['a byte-order mark before the object', '\uFEFF{"alg":"ES256","kid":"k1"}'],
  ])('rejects a header of %s as malformed_token', (_what, json) => {
    expect(header(json)).toBe('malformed_token');
  });
});

describe('normalizeType', () => {
  it.each([
    ['at+jwt', 'at+jwt'],
    ['AT+JWT', 'at+jwt'],
    ['application/at+jwt', 'at+jwt'],
    ['Application/AT+JWT', 'at+jwt'],
    ['JWT', 'jwt'],
    ['application/application/jwt', 'application/jwt'],
    ['', ''],
  ])('reads %j as %j', (typ, expected) => {
    expect(normalizeType(typ)).toBe(expected);
  });
});

describe('payloadIsUtf8', () => {
  it('is true for a UTF-8 payload, including non-ASCII text', () => {
    expect(payloadIsUtf8(tokenWithHeader('{"alg":"ES256","kid":"k1"}', '{"name":"Zoë ✓"}'))).toBe(true);
  });

  it('is false when the payload holds bytes that are not UTF-8 (decoders would disagree on its claims)', () => {
    const payload = bytes('{"sub":"', [0xc0, 0xaf], '"}');
    expect(payloadIsUtf8(`${b64('{"alg":"ES256","kid":"k1"}')}.${b64(payload)}.${b64('sig')}`)).toBe(false);
  });

  it('reads the payload only, not the header or the signature', () => {
    const invalid = b64(Buffer.from([0xff]));
    expect(payloadIsUtf8(`${invalid}.${b64('{}')}.${invalid}`)).toBe(true);
  });
});
