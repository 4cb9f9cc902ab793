import { createPublicKey } from 'node:crypto';
import { verifyJwtSync } from 'aws-jwt-verify/jwt-verifier';
import { AuthorizerUnderTest, configFor, requestEvent } from './support/harness';
import { API_AUDIENCE, makeKey, TestIdp, trustForThisProcess } from './support/idp';
import { accessClaims, attackerKey, b64url, jws, Segment, signature } from './support/tokens';

// RFC 8725 (JWT best current practices) and RFC 9068 (JWT access tokens): every case the issue lists,
// one test each, with the exact outcome API Gateway would give (401, 403 or Allow) and the reason
// code the rejection is logged under. Tokens are signed with the IdP's real keys where the point is
// that a correctly signed token must still be refused.
let idp: TestIdp;
let untrust: () => void;
let authorizer: AuthorizerUnderTest;

const HEADER = { alg: 'RS256', kid: 'rs-1', typ: 'at+jwt' };

beforeAll(async () => {
  idp = await TestIdp.start();
  await idp.publish([makeKey('rs-1', 'RS256'), makeKey('es-1', 'ES256'), makeKey('rs-noalg', 'RS256', true)]);
  untrust = trustForThisProcess(idp);
  authorizer = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] }));
  // Warm the key cache, so that every test below exercises one check and not the first fetch.
  expect((await authorizer.call(good())).outcome).toBe('Allow');
});

afterAll(async () => {
  untrust?.();
  await idp?.stop();
});

/** Signed with the IdP's own `kid` key: everything but the changed part is genuine. */
function signed(header: Segment, claims: Segment, kid = 'rs-1', alg: 'RS256' | 'ES256' = 'RS256'): string {
  return jws(header, claims, { key: idp.key(kid).privateKey, alg });
}

function claims(overrides: { [claim: string]: unknown } = {}): { [claim: string]: unknown } {
  return accessClaims(idp.issuer, API_AUDIENCE, overrides);
}

function good(overrides: { [claim: string]: unknown } = {}): string {
  return signed(HEADER, claims(overrides));
}

async function expectOutcome(
  authorization: string | undefined,
  outcome: '401' | '403' | 'Allow',
  reason?: string,
  operation?: string,
): Promise<void> {
  const run = await authorizer.run(requestEvent(authorization, operation));
  expect({ outcome: run.outcome, reasons: run.reasons }).toEqual({ outcome, reasons: reason === undefined ? [] : [reason] });
}

const bearer = (token: string) => `Bearer ${token}`;

/** Bytes from text (UTF-8) and raw byte values, in order. */
function bytes(...parts: Array<string | number[]>): Uint8Array {
  return new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));
}

describe('algorithms', () => {
  it('rejects alg none with an empty signature', async () => {
    await expectOutcome(bearer(jws({ alg: 'none', kid: 'rs-1', typ: 'at+jwt' }, claims(), { signature: '' })), '401', 'malformed_token');
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s even with a signature present', async (alg) => {
    await expectOutcome(
      bearer(jws({ alg, kid: 'rs-1', typ: 'at+jwt' }, claims(), { signature: 'c2lnbmF0dXJl' })),
      '401',
      'alg_not_allowed',
    );
  });

  it('rejects algorithm confusion: HS256 keyed with the RSA public key', async () => {
    const publicPem = createPublicKey(idp.key('rs-1').privateKey).export({ format: 'pem', type: 'spki' }).toString();
    await expectOutcome(
      bearer(jws({ alg: 'HS256', kid: 'rs-1', typ: 'at+jwt' }, claims(), { hmacSecret: publicPem })),
      '401',
      'alg_not_allowed',
    );
  });

  it('rejects HMAC even when a mistaken configuration lists HS256', async () => {
    const lax = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE] }, { algorithms: ['RS256', 'HS256'] }));
    const publicPem = createPublicKey(idp.key('rs-1').privateKey).export({ format: 'pem', type: 'spki' }).toString();
    const run = await lax.call(jws({ alg: 'HS256', kid: 'rs-1', typ: 'at+jwt' }, claims(), { hmacSecret: publicPem }));
    expect([run.outcome, run.reasons]).toEqual(['401', ['key_mismatch']]);
  });

  it('rejects algorithm substitution when the JWK has no alg: an RSA key used under alg ES256', async () => {
    // RSA PKCS#1 signature by the IdP's own alg-less key, but the header claims ES256.
    const token = jws({ alg: 'ES256', kid: 'rs-noalg', typ: 'at+jwt' }, claims(), { key: idp.key('rs-noalg').privateKey, alg: 'RS256' });
    // aws-jwt-verify alone accepts this token: it picks the digest from the header and takes the key as it comes.
    expect(verifyJwtSync(token, idp.key('rs-noalg').publicJwk as never, { issuer: idp.issuer, audience: API_AUDIENCE }).sub).toBe(
      'client-7',
    );
    await expectOutcome(bearer(token), '401', 'key_mismatch');
  });

  it('rejects an algorithm outside the allow-list with an alg-less key of the right type (RS512)', async () => {
    const token = jws({ alg: 'RS512', kid: 'rs-noalg', typ: 'at+jwt' }, claims(), { key: idp.key('rs-noalg').privateKey, alg: 'RS512' });
    await expectOutcome(bearer(token), '401', 'alg_not_allowed');
  });

  it('rejects an alg/kty mismatch: alg RS256 with the kid of the P-256 key', async () => {
    await expectOutcome(
      bearer(jws({ alg: 'RS256', kid: 'es-1', typ: 'at+jwt' }, claims(), { key: idp.key('rs-1').privateKey, alg: 'RS256' })),
      '401',
      'key_mismatch',
    );
  });

  it('accepts a genuine ES256 token (the allow-list is not RS256 only)', async () => {
    await expectOutcome(bearer(signed({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt' }, claims(), 'es-1', 'ES256')), 'Allow');
  });
});

describe('key ids', () => {
  it('rejects a token whose kid is not in the JWKS', async () => {
    await expectOutcome(
      bearer(jws({ ...HEADER, kid: 'attacker-key' }, claims(), { key: attackerKey('RS256'), alg: 'RS256' })),
      '401',
      'kid_unknown',
    );
  });

  it('rejects a token without kid', async () => {
    await expectOutcome(bearer(signed({ alg: 'RS256', typ: 'at+jwt' }, claims())), '401', 'bad_header');
  });

  it('rejects a kid that is not a string', async () => {
    await expectOutcome(bearer(signed({ ...HEADER, kid: 1 }, claims())), '401', 'bad_header');
  });

  it.each([
    ['a path traversal', '../../../../etc/passwd'],
    ['SQL', "rs-1' OR '1'='1"],
    ['a NUL byte', 'rs-1\u0000'],
    ['a zero-width lookalike of a real kid', 'rs-1\u200b'],
    ['a very long value', 'k'.repeat(1500)],
  ])('rejects a malicious kid (%s) without hammering the IdP', async (_name, kid) => {
    const before = (await idp.counts()).jwks;
    await expectOutcome(bearer(jws({ ...HEADER, kid }, claims(), { key: attackerKey('RS256'), alg: 'RS256' })), '401', 'kid_unknown');
    await expectOutcome(
      bearer(jws({ ...HEADER, kid: `${kid}-2` }, claims(), { key: attackerKey('RS256'), alg: 'RS256' })),
      '401',
      'kid_unknown',
    );
    expect((await idp.counts()).jwks - before).toBeLessThanOrEqual(1);
  });
});

describe('headers that point at other keys', () => {
  const attacker = attackerKey('RS256');
  const attackerJwk = createPublicKey(attacker).export({ format: 'jwk' });

  it('rejects a jku header pointing at an attacker JWKS, without fetching it', async () => {
    const before = await idp.counts();
    await expectOutcome(
      bearer(jws({ ...HEADER, kid: 'evil', jku: `${idp.issuer}/jwks?attacker` }, claims(), { key: attacker, alg: 'RS256' })),
      '401',
      'unsupported_header',
    );
    expect(await idp.counts()).toEqual(before);
  });

  it('rejects an x5u header pointing at an attacker certificate', async () => {
    await expectOutcome(
      bearer(jws({ ...HEADER, kid: 'evil', x5u: 'https://attacker.example/cert.pem' }, claims(), { key: attacker, alg: 'RS256' })),
      '401',
      'unsupported_header',
    );
  });

  it('rejects an embedded jwk header carrying the attacker key', async () => {
    await expectOutcome(
      bearer(jws({ ...HEADER, kid: 'evil', jwk: attackerJwk }, claims(), { key: attacker, alg: 'RS256' })),
      '401',
      'unsupported_header',
    );
  });

  it('rejects an embedded x5c certificate chain', async () => {
    await expectOutcome(
      bearer(jws({ ...HEADER, x5c: ['MIIBattacker'] }, claims(), { key: attacker, alg: 'RS256' })),
      '401',
      'unsupported_header',
    );
  });

  it('rejects an IdP-signed token that carries a jku header even though its own kid is genuine', async () => {
    await expectOutcome(bearer(signed({ ...HEADER, jku: `${idp.issuer}/jwks` }, claims())), '401', 'unsupported_header');
  });
});

describe('time claims', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('rejects an expired token', async () => {
    await expectOutcome(bearer(good({ iat: now() - 3600, exp: now() - 120 })), '401', 'expired');
  });

  it('rejects a token whose nbf is in the future', async () => {
    await expectOutcome(bearer(good({ nbf: now() + 600 })), '401', 'not_yet_valid');
  });

  it('rejects a token whose iat is in the future', async () => {
    await expectOutcome(bearer(good({ iat: now() + 600, exp: now() + 1200 })), '401', 'issued_in_future');
  });

  it('accepts an iat a few seconds ahead, within the clock tolerance', async () => {
    await expectOutcome(bearer(good({ iat: now() + 10 })), 'Allow');
  });

  it('rejects a token without exp', async () => {
    await expectOutcome(bearer(good({ exp: undefined })), '401', 'missing_claim');
  });

  it('rejects a token without iat', async () => {
    await expectOutcome(bearer(good({ iat: undefined })), '401', 'missing_claim');
  });

  it('rejects a token without sub', async () => {
    await expectOutcome(bearer(good({ sub: undefined })), '401', 'missing_claim');
  });

  it('rejects an exp that is a string', async () => {
    await expectOutcome(bearer(good({ exp: String(now() + 600) })), '401', 'malformed_token');
  });

  it('rejects an exp that is not finite (1e400 parses to Infinity)', async () => {
    const payload = JSON.stringify(claims({ exp: 0 })).replace('"exp":0', '"exp":1e400');
    await expectOutcome(bearer(signed(HEADER, payload)), '401', 'malformed_token');
  });

  it('rejects an exp that is null', async () => {
    await expectOutcome(bearer(good({ exp: null })), '401', 'malformed_token');
  });
});

describe('issuer and audience', () => {
  it('rejects a wrong iss', async () => {
    await expectOutcome(bearer(good({ iss: 'https://attacker.example' })), '401', 'unknown_issuer');
  });

  it('rejects a missing iss', async () => {
    await expectOutcome(bearer(good({ iss: undefined })), '401', 'unknown_issuer');
  });

  it.each([
    ['a trailing slash', (i: string) => `${i}/`],
    ['a zero-width space', (i: string) => i.replace('://', '://\u200b')],
    ['a fullwidth full stop (U+FF0E)', (i: string) => i.replace('127.0', '127\uff0e0')],
    ['an upper-case scheme', (i: string) => i.replace('https', 'HTTPS')],
    ['a Cyrillic lookalike letter', (i: string) => i.replace('https', 'httрs')],
  ])('rejects a lookalike iss with %s', async (_name, mutate) => {
    await expectOutcome(bearer(good({ iss: mutate(idp.issuer) })), '401', 'unknown_issuer');
  });

  it('rejects a wrong aud', async () => {
    await expectOutcome(bearer(good({ aud: 'https://other-api.example.com' })), '401', 'wrong_audience');
  });

  it('rejects a missing aud', async () => {
    await expectOutcome(bearer(good({ aud: undefined })), '401', 'wrong_audience');
  });

  it.each([
    ['a Cyrillic o', API_AUDIENCE.replace('orders', 'оrders')],
    ['a zero-width joiner', API_AUDIENCE.replace('orders', 'ord\u200ders')],
    ['a trailing slash', `${API_AUDIENCE}/`],
    ['a different case', API_AUDIENCE.toUpperCase()],
  ])('rejects a lookalike aud with %s', async (_name, aud) => {
    expect(aud).not.toBe(API_AUDIENCE);
    await expectOutcome(bearer(good({ aud })), '401', 'wrong_audience');
  });

  it('accepts an aud array that contains the API audience', async () => {
    await expectOutcome(bearer(good({ aud: ['https://other.example.com', API_AUDIENCE] })), 'Allow');
  });
});

describe('token type (RFC 9068)', () => {
  it('rejects an ID token used as an access token (typ JWT, aud the client, nonce)', async () => {
    await expectOutcome(
      bearer(signed({ alg: 'RS256', kid: 'rs-1', typ: 'JWT' }, claims({ nonce: 'n-1', at_hash: 'abc', aud: API_AUDIENCE }))),
      '401',
      'wrong_token_type',
    );
  });

  it('rejects a token without typ when at+jwt is required', async () => {
    await expectOutcome(bearer(signed({ alg: 'RS256', kid: 'rs-1' }, claims())), '401', 'wrong_token_type');
  });

  it('accepts typ application/at+jwt, the same media type spelled in full', async () => {
    await expectOutcome(bearer(signed({ alg: 'RS256', kid: 'rs-1', typ: 'application/AT+JWT' }, claims())), 'Allow');
  });
});

describe('scopes', () => {
  it('denies (403) a scope lookalike: orders:writer for orders:write', async () => {
    await expectOutcome(bearer(good({ scope: 'orders:read orders:writer' })), '403', 'insufficient_scope', 'POST /orders');
  });

  it('denies (403) a scope that differs only in case', async () => {
    await expectOutcome(bearer(good({ scope: 'Orders:Write' })), '403', 'insufficient_scope', 'POST /orders');
  });

  it('denies (403) scopes joined by a tab instead of a space', async () => {
    await expectOutcome(bearer(good({ scope: 'orders:read\torders:write' })), '403', 'insufficient_scope', 'POST /orders');
  });

  it('rejects a scope claim that is an array instead of a string', async () => {
    await expectOutcome(bearer(good({ scope: ['orders:write'] })), '401', 'malformed_token', 'POST /orders');
  });

  it('rejects a scope claim that is a number', async () => {
    await expectOutcome(bearer(good({ scope: 7 })), '401', 'malformed_token', 'POST /orders');
  });

  it('accepts the exact scope', async () => {
    await expectOutcome(bearer(good({ scope: 'orders:write' })), 'Allow', undefined, 'POST /orders');
  });
});

describe('header members', () => {
  it('rejects an unknown crit header', async () => {
    await expectOutcome(bearer(signed({ ...HEADER, crit: ['exp-v2'], 'exp-v2': 1 }, claims())), '401', 'unsupported_header');
  });

  it('rejects b64:false (unencoded payload)', async () => {
    await expectOutcome(bearer(signed({ ...HEADER, b64: false, crit: ['b64'] }, claims())), '401', 'unsupported_header');
  });

  it('rejects b64:false even without crit', async () => {
    await expectOutcome(bearer(signed({ ...HEADER, b64: false }, claims())), '401', 'unsupported_header');
  });

  it('rejects duplicate header members, even when both say the same', async () => {
    await expectOutcome(bearer(signed('{"alg":"RS256","kid":"rs-1","typ":"at+jwt","kid":"rs-1"}', claims())), '401', 'bad_header');
  });

  it('rejects a duplicate alg that hides none behind RS256', async () => {
    await expectOutcome(bearer(signed('{"alg":"none","kid":"rs-1","typ":"at+jwt","alg":"RS256"}', claims())), '401', 'bad_header');
  });

  it('accepts a genuine header with insignificant whitespace', async () => {
    await expectOutcome(bearer(signed('{ "alg" : "RS256", "kid":"rs-1",\n"typ":"at+jwt" }', claims())), 'Allow');
  });
});

describe('one spelling per token (API Gateway caches by the header string)', () => {
  it('rejects base64 padding appended to each segment of a valid token', async () => {
    const token = good();
    await expectOutcome(bearer(token), 'Allow');
    const padded = token
      .split('.')
      .map((s) => s + '='.repeat((4 - (s.length % 4)) % 4 || 1))
      .join('.');
    await expectOutcome(bearer(padded), '401', 'malformed_token');
  });

  it.each([
    ['a trailing space', ' '],
    ['a trailing newline', '\n'],
    ['a trailing CRLF', '\r\n'],
    ['a trailing tab', '\t'],
  ])('rejects a valid token with %s', async (_name, suffix) => {
    await expectOutcome(bearer(good() + suffix), '401', 'malformed_token');
  });

  it('rejects standard-base64 characters (+ and /) in place of - and _', async () => {
    let token = good();
    while (!/[-_]/.test(token)) token = good({ jti: Math.random().toString(36) });
    await expectOutcome(bearer(token.replace(/-/g, '+').replace(/_/g, '/')), '401', 'malformed_token');
  });

  it('rejects a signature whose last character differs only in unused bits', async () => {
    const token = good();
    const sig = token.split('.')[2];
    expect(sig.length % 4).toBe(2); // RS256-2048: 256 bytes, 342 characters, 4 unused bits in the last one
    const last = sig[sig.length - 1];
    const sibling = String.fromCharCode(last.charCodeAt(0) + 1);
    const malleated = token.slice(0, -1) + sibling;
    // The same bytes: aws-jwt-verify accepts the second spelling.
    expect(verifyJwtSync(malleated, idp.key('rs-1').publicJwk as never, { issuer: idp.issuer, audience: API_AUDIENCE }).sub).toBe(
      'client-7',
    );
    await expectOutcome(bearer(malleated), '401', 'malformed_token');
  });
});

describe('malformed segments', () => {
  it('rejects a header that is not valid UTF-8', async () => {
    const header = bytes('{"alg":"RS256","kid":"rs-1","typ":"at+jwt","x":"', [0xc3, 0x28], '"}');
    await expectOutcome(bearer(jws(header, claims(), { key: idp.key('rs-1').privateKey, alg: 'RS256' })), '401', 'bad_header');
  });

  it('rejects a correctly signed payload that is not valid UTF-8', async () => {
    const text = JSON.stringify(claims({ name: 'MARKER' }));
    const payload = bytes(text.slice(0, text.indexOf('MARKER')), [0xff, 0xfe], text.slice(text.indexOf('MARKER') + 6));
    const token = signed(HEADER, payload);
    // aws-jwt-verify decodes the bad bytes as U+FFFD and accepts the token.
    expect(verifyJwtSync(token, idp.key('rs-1').publicJwk as never, { issuer: idp.issuer, audience: API_AUDIENCE }).name).toBe(
      '\ufffd\ufffd',
    );
    await expectOutcome(bearer(token), '401', 'bad_claim');
  });

  it('rejects a header that is not JSON', async () => {
    await expectOutcome(bearer(jws('alg=RS256', claims(), { signature: 'c2ln' })), '401', 'malformed_token');
  });

  it('rejects a header that is a JSON array', async () => {
    await expectOutcome(bearer(jws('["RS256"]', claims(), { signature: 'c2ln' })), '401', 'malformed_token');
  });

  it('rejects a correctly signed payload that is not JSON', async () => {
    await expectOutcome(bearer(signed(HEADER, 'sub=client-7')), '401', 'malformed_token');
  });

  it.each([
    ['two segments', () => good().split('.').slice(0, 2).join('.')],
    ['four segments', () => `${good()}.${b64url('x')}`],
    ['five segments (a JWE)', () => [b64url('{"alg":"RSA-OAEP","enc":"A256GCM"}'), 'a', 'b', 'c', 'd'].join('.')],
    ['an empty payload segment', () => good().replace(/\.[^.]+\./, '..')],
  ])('rejects a token with %s', async (_name, make) => {
    await expectOutcome(bearer(make()), '401', 'malformed_token');
  });

  it('rejects an oversized token before parsing it', async () => {
    // Over the limit and also malformed: the length is what it trips on first.
    const huge = `${b64url('{')}.${'A'.repeat(5000)}.%%%`;
    await expectOutcome(bearer(huge), '401', 'token_too_long');
  });

  it('accepts a token exactly at the length limit', async () => {
    let token = good({ pad: '' });
    token = good({ pad: 'x'.repeat(Math.floor(((4096 - token.length) * 3) / 4)) });
    expect(token.length).toBeLessThanOrEqual(4096);
    expect(token.length).toBeGreaterThan(4090);
    await expectOutcome(bearer(token), 'Allow');
  });
});

describe('the Authorization header', () => {
  it('rejects a request without Authorization header', async () => {
    await expectOutcome(undefined, '401', 'no_token');
  });

  it('rejects an empty Authorization header', async () => {
    await expectOutcome('', '401', 'no_token');
  });

  it('rejects a token without the Bearer prefix', async () => {
    await expectOutcome(good(), '401', 'malformed_header');
  });

  it('rejects another scheme (Basic)', async () => {
    await expectOutcome(`Basic ${Buffer.from('user:password').toString('base64')}`, '401', 'malformed_header');
  });

  it('abuse: rejects a SigV4-only caller at a JWT operation (401, never counted as probing)', async () => {
    const sigv4 =
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261206/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
      'a'.repeat(64);
    await expectOutcome(sigv4, '401', 'malformed_header');
  });

  it('rejects a doubled Bearer prefix', async () => {
    await expectOutcome(`Bearer Bearer ${good()}`, '401', 'malformed_token');
  });

  it('rejects two spaces after Bearer', async () => {
    await expectOutcome(`Bearer  ${good()}`, '401', 'malformed_token');
  });

  it('accepts the scheme name in another case, as RFC 7235 requires', async () => {
    await expectOutcome(`bearer ${good()}`, 'Allow');
  });

  it('rejects an Authorization header sent twice', async () => {
    const event = requestEvent(bearer(good())) as { multiValueHeaders: { [k: string]: string[] } };
    event.multiValueHeaders.Authorization = [bearer(good()), bearer(good({ sub: 'someone-else' }))];
    const run = await authorizer.run(event);
    expect([run.outcome, run.reasons]).toEqual(['401', ['ambiguous_token']]);
  });

  it('rejects two Authorization headers that differ only in name case', async () => {
    const run = await authorizer.run(
      requestEvent(bearer(good()), undefined, undefined, { authorization: bearer(good({ sub: 'someone-else' })) }),
    );
    expect([run.outcome, run.reasons]).toEqual(['401', ['ambiguous_token']]);
  });
});

describe('signatures', () => {
  it('rejects a token signed by an attacker key under the IdP kid', async () => {
    await expectOutcome(bearer(jws(HEADER, claims(), { key: attackerKey('RS256'), alg: 'RS256' })), '401', 'bad_signature');
  });

  it('rejects a genuine token whose payload was changed to add a scope', async () => {
    const [h, , s] = good({ scope: 'orders:read' }).split('.');
    await expectOutcome(
      bearer(`${h}.${b64url(JSON.stringify(claims({ scope: 'orders:read orders:write' })))}.${s}`),
      '401',
      'bad_signature',
      'POST /orders',
    );
  });

  it('rejects a genuine header and payload with the signature of another token', async () => {
    const [h, p] = good({ scope: 'admin' }).split('.');
    const other = good({ scope: 'orders:read' }).split('.')[2];
    expect(signature(`${h}.${p}`, { key: idp.key('rs-1').privateKey, alg: 'RS256' })).not.toBe(other);
    await expectOutcome(bearer(`${h}.${p}.${other}`), '401', 'bad_signature');
  });

  it('never logs the token', async () => {
    const token = good({ exp: 1 });
    const run = await authorizer.run(requestEvent(bearer(token)));
    expect(run.outcome).toBe('401');
    for (const part of token.split('.')) for (const line of run.lines) expect(line).not.toContain(part);
  });
});

describe('Cognito access tokens (client_id, no aud, token_use)', () => {
  let cognito: AuthorizerUnderTest;
  const RESOURCE_SERVER = 'orders-api';
  const cognitoClaims = (overrides: { [claim: string]: unknown } = {}) =>
    accessClaims(idp.issuer, '', {
      aud: undefined,
      client_id: 'app-client-1',
      sub: 'app-client-1',
      token_use: 'access',
      scope: `${RESOURCE_SERVER}/orders:read ${RESOURCE_SERVER}/orders:write`,
      ...overrides,
    });
  const cognitoToken = (overrides: { [claim: string]: unknown } = {}) => signed({ kid: 'rs-1', alg: 'RS256' }, cognitoClaims(overrides));

  beforeAll(() => {
    cognito = new AuthorizerUnderTest(
      configFor({
        issuer: idp.issuer,
        jwksUri: `${idp.issuer}/jwks`,
        clientIds: ['app-client-1'],
        tokenUse: 'access',
        scopePrefix: `${RESOURCE_SERVER}/`,
      }),
    );
  });

  it('accepts an access token with client_id and no aud, and strips the resource-server prefix from scopes', async () => {
    const run = await cognito.call(cognitoToken(), 'POST /orders');
    expect(run.outcome).toBe('Allow');
    expect(run.result!.context).toMatchObject({ client_id: 'app-client-1', scopes: 'orders:read orders:write' });
  });

  it('rejects a Cognito ID token (token_use id)', async () => {
    const run = await cognito.call(cognitoToken({ token_use: 'id', aud: 'app-client-1', client_id: undefined }));
    expect([run.outcome, run.reasons]).toEqual(['401', ['wrong_token_type']]);
  });

  it('rejects a token without token_use', async () => {
    const run = await cognito.call(cognitoToken({ token_use: undefined }));
    expect([run.outcome, run.reasons]).toEqual(['401', ['wrong_token_type']]);
  });

  it('rejects an access token of another app client', async () => {
    const run = await cognito.call(cognitoToken({ client_id: 'app-client-2' }));
    expect([run.outcome, run.reasons]).toEqual(['401', ['wrong_client']]);
  });

  it('rejects an access token without client_id', async () => {
    const run = await cognito.call(cognitoToken({ client_id: undefined }));
    expect([run.outcome, run.reasons]).toEqual(['401', ['wrong_client']]);
  });

  it('denies (403) a scope of another resource server', async () => {
    const run = await cognito.call(cognitoToken({ scope: 'other-api/orders:write' }), 'POST /orders');
    expect([run.outcome, run.reasons]).toEqual(['403', ['insufficient_scope']]);
  });
});

describe('several trusted issuers', () => {
  let multi: AuthorizerUnderTest;
  beforeAll(() => {
    const base = configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] });
    multi = new AuthorizerUnderTest({ ...base, issuers: [...base.issuers, { issuer: 'https://idp.invalid', audience: [API_AUDIENCE] }] });
  });

  it('accepts a token of the first issuer', async () => {
    expect((await multi.call(good())).outcome).toBe('Allow');
  });

  it('rejects a token claiming the second issuer but signed with the first one key', async () => {
    const run = await multi.call(signed(HEADER, claims({ iss: 'https://idp.invalid' })));
    expect([run.outcome, run.reasons]).toEqual(['401', ['jwks_unavailable']]);
  });

  it('rejects an issuer that is configured for neither', async () => {
    const run = await multi.call(good({ iss: `${idp.issuer}\u200b` }));
    expect([run.outcome, run.reasons]).toEqual(['401', ['unknown_issuer']]);
  });
});
