import { AuthorizerUnderTest, configFor, requestEvent } from './support/harness';
import { API_AUDIENCE, makeKey } from './support/idp';
import { accessClaims, jws } from './support/tokens';

// Issue 13, "cache key spellings". RFC 9110 §11.1 makes the auth scheme case-insensitive, so the handler
// accepts `Bearer` in any case; API Gateway keys its authorizer cache by the exact header string, so the
// 2^6 = 64 spellings of `Bearer` give one token up to 64 cache entries. Refusing all but one spelling
// would break conforming clients; instead the answer must not depend on the spelling at all, so an extra
// entry can cost an invocation but never change a decision. The key set is served from memory.
const ISSUER = 'https://idp.example.com';
const key = makeKey('es-1', 'ES256');

function authorizer(): AuthorizerUnderTest {
  const getJson = async (uri: string) =>
    uri.endsWith('/.well-known/openid-configuration') ? { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } : { keys: [key.publicJwk] };
  return new AuthorizerUnderTest(configFor({ issuer: ISSUER, audience: [API_AUDIENCE] }), undefined, { getJson });
}

/** Every spelling of `Bearer` in upper and lower case letters: 64. */
function spellings(): string[] {
  const all: string[] = [];
  for (let mask = 0; mask < 64; mask++) all.push([...'bearer'].map((c, i) => (mask & (1 << i) ? c.toUpperCase() : c)).join(''));
  return all;
}

it('gives every case spelling of the Bearer scheme the same answer, so a cache entry per spelling never changes a decision', async () => {
  const a = authorizer();
  const token = jws({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt' }, accessClaims(ISSUER, API_AUDIENCE, { scope: 'orders:read' }), {
    key: key.privateKey,
    alg: 'ES256',
  });
  expect(spellings()).toHaveLength(64);
  for (const operation of ['GET /orders/{orderId}', 'POST /orders']) {
    const answers = new Set<string>();
    for (const scheme of spellings()) {
      const run = await a.run(requestEvent(`${scheme} ${token}`, operation));
      answers.add(JSON.stringify([run.outcome, run.result, run.reasons]));
    }
    expect([operation, answers.size]).toEqual([operation, 1]);
  }
  expect((await a.run(requestEvent(`BEARER ${token}`, 'GET /orders/{orderId}'))).outcome).toBe('Allow');
  expect((await a.run(requestEvent(`BEARER ${token}`, 'POST /orders'))).outcome).toBe('403');
});
