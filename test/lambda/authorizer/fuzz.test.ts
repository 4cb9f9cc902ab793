import fc from 'fast-check';
import { AuthorizerUnderTest, configFor, requestEvent } from './support/harness';
import { API_AUDIENCE, makeKey } from './support/idp';
import { accessClaims, b64url, jws } from './support/tokens';

// Property: whatever arrives, the handler either throws exactly Error('Unauthorized') (checked by
// AuthorizerUnderTest.run, which fails on anything else) or returns a Deny policy; it never allows.
// The key set is served from memory here (the real IdP is covered by the other files), so thousands
// of cases run in seconds.
const ISSUER = 'https://idp.example.com';
const key = makeKey('es-1', 'ES256');
const HEADER = { alg: 'ES256', kid: 'es-1', typ: 'at+jwt' };
const RUNS = 1500;

let authorizer: AuthorizerUnderTest;
let validToken: string;

beforeAll(async () => {
  const getJson = async (uri: string) =>
    uri.endsWith('/.well-known/openid-configuration') ? { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } : { keys: [key.publicJwk] };
  authorizer = new AuthorizerUnderTest(configFor({ issuer: ISSUER, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] }), undefined, {
    getJson,
  });
  validToken = jws(HEADER, accessClaims(ISSUER, API_AUDIENCE), { key: key.privateKey, alg: 'ES256' });
  // The unmodified token is allowed, so the properties below are about the changes, not a broken setup.
  expect((await authorizer.call(validToken)).outcome).toBe('Allow');
});

async function neverAllows(authorization: string | undefined): Promise<void> {
  const run = await authorizer.run(requestEvent(authorization));
  expect(run.outcome).not.toBe('Allow');
}

const jwsAlphabet = fc.constantFrom(...'ABCXYZabcxyz0189-_.=+/ \n\t\u0000\u00e9\u200b\ud83d\ude00%'.split(''));

describe('malformed tokens and events never get through', () => {
  it('arbitrary Authorization header values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: jwsAlphabet, maxLength: 400 })),
        async (value) => {
          await neverAllows(value);
          await neverAllows(`Bearer ${value}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('single-character edits, insertions and deletions of a valid token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), jwsAlphabet, async (at, edit, char) => {
        const i = at % validToken.length;
        const changed =
          edit === 'replace'
            ? validToken.slice(0, i) + char + validToken.slice(i + 1)
            : edit === 'insert'
              ? validToken.slice(0, i) + char + validToken.slice(i)
              : validToken.slice(0, i) + validToken.slice(i + 1);
        fc.pre(changed !== validToken);
        await neverAllows(`Bearer ${changed}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('rearranged, repeated and foreign segments', async () => {
    const [h, p, s] = validToken.split('.');
    const segment = fc.oneof(
      fc.constantFrom(h, p, s, ''),
      fc.base64String().map((x) => x.replace(/=+$/, '')),
      fc.jsonValue().map((v) => b64url(JSON.stringify(v))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), async (segments) => {
        const token = segments.join('.');
        fc.pre(token !== validToken);
        await neverAllows(`Bearer ${token}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('correctly signed tokens with arbitrary headers and claims', async () => {
    const header = fc.oneof(
      fc.constant(HEADER),
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom('alg', 'kid', 'typ', 'crit', 'jku', 'jwk', 'b64', 'cty', 'x5t', 'zip'),
        fc.oneof(fc.constantFrom('ES256', 'es-1', 'at+jwt', 'none', 'HS256', 'JWT'), fc.jsonValue()),
      ),
    );
    const claims = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom('iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'scope', 'client_id', 'azp'),
        fc.oneof(fc.constantFrom(ISSUER, API_AUDIENCE, 'orders:read', 'x'), fc.integer(), fc.double(), fc.jsonValue()),
      ),
    );
    await fc.assert(
      fc.asyncProperty(header, claims, async (h, c) => {
        // `exp` and `iat` are mandatory; a random dictionary that happens to hold a complete valid set is not a malformed token.
        fc.pre(!(typeof c === 'object' && c !== null && 'exp' in c && 'iat' in c && (c as { iss?: unknown }).iss === ISSUER));
        const token = jws(typeof h === 'string' ? h : JSON.stringify(h), typeof c === 'string' ? c : JSON.stringify(c), {
          key: key.privateKey,
          alg: 'ES256',
        });
        await neverAllows(`Bearer ${token}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary events, including events that carry the valid token in odd places', async () => {
    const event = fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.anything(),
        methodArn: fc.oneof(fc.anything(), fc.string()),
        resource: fc.anything(),
        httpMethod: fc.anything(),
        headers: fc.oneof(
          fc.anything(),
          fc.dictionary(
            fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'x'),
            fc.oneof(fc.constant(`Bearer ${validToken}`), fc.anything()),
          ),
        ),
        multiValueHeaders: fc.oneof(
          fc.anything(),
          fc.dictionary(fc.constantFrom('Authorization', 'authorization'), fc.array(fc.constant(`Bearer ${validToken}`))),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const run = await authorizer.run(e);
        expect(run.outcome).not.toBe('Allow');
      }),
      { numRuns: RUNS },
    );
  });
});
