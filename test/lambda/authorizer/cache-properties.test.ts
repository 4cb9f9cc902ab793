import fc from 'fast-check';
import { requirementKey } from '../../../contracts/authorizer-cache';
import { AuthorizerRoutes } from '../../../contracts/authorizer-config';
import { planAuthorizerCache } from '../../../lib/auth/cache-proof';
import { AUTHORIZER_IDENTITY_SOURCE, TOKEN_KEYED_IDENTITY_SOURCE } from '../../../lib/auth/jwt-authorizer';
import { createAuthorizer } from '../../../lambda/authorizer/authorizer';
import { ApiGatewayDouble, DoubleRoute } from './support/api-gateway-double';
import { configFor } from './support/harness';
import { API_AUDIENCE, makeKey } from './support/idp';
import { accessClaims, jws } from './support/tokens';

// Issue 20: for random route sets (nested, literal beside parameter, greedy, ANY, root), random scope
// requirements and random tokens, the decision API Gateway makes from the cached policy (the double
// routes, caches by the identity sources and evaluates the policy) equals the decision the document's
// scopes give, whichever route the token called first, for path values holding *, ?, ., ~,
// percent-escapes and non-ASCII characters, written raw or decoded into the method ARN. The plan is the
// construct's synth-time proof; the handler is the real one. Keys are served from memory.
const ISSUER = 'https://idp.example.com';
const key = makeKey('es-1', 'ES256');
const getJson = async (uri: string) =>
  uri.endsWith('/.well-known/openid-configuration') ? { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } : { keys: [key.publicJwk] };
const SCOPES = ['s1', 's2', 's3'];

const segment = fc.constantFrom('a', 'b', 'orders', 'search', '{id}');
const routeArb = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'ANY'),
  segments: fc.array(segment, { maxLength: 3 }),
  greedy: fc.boolean(),
  requirement: fc.constantFrom<string[][]>([], [['s1']], [['s2']], [['s1', 's2']], [['s2'], ['s3']], [['s3']]),
  public: fc.constantFrom(false, false, false, false, true),
});

type RandomRoute = typeof routeArb extends fc.Arbitrary<infer T> ? T : never;

/** A route set API Gateway would accept: unique keys, the greedy parameter last. */
function routeSet(raw: Array<RandomRoute>): Array<{ key: string; requirement: string[][]; public: boolean }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; requirement: string[][]; public: boolean }> = [];
  for (const r of raw) {
    const parts = [...r.segments, ...(r.greedy ? ['{proxy+}'] : [])];
    const path = `/${parts.join('/')}`;
    // The root only as GET /, as the issue's model has it.
    const method = path === '/' ? 'GET' : r.method;
    const k = `${method} ${path}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ key: k, requirement: r.requirement, public: r.public });
  }
  return out;
}

const valueArb = fc.constantFrom('1', 'search', 'a', '*', '?', '.', '~', '%2F', '%2a', 'a%20b', 'ü', '%C3%BC', 'x.y~z', '**');
const tailArb = fc.array(valueArb, { minLength: 1, maxLength: 3 }).map((v) => v.join('/'));

function concrete(path: string, values: string[], tail: string): string {
  let i = 0;
  return path.replace(/\{proxy\+\}/, tail).replace(/\{id\}/g, () => values[i++ % values.length]);
}

function decides(requirement: string[][], scopes: string[]): boolean {
  return requirement.length === 0 || requirement.some((set) => set.every((s) => scopes.includes(s)));
}

it('decides every request from the cached policy exactly as the document scopes do (fast-check)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(routeArb, { minLength: 1, maxLength: 8 }),
      fc.subarray(SCOPES),
      fc.array(
        fc.record({
          pick: fc.nat(),
          values: fc.array(valueArb, { minLength: 1, maxLength: 3 }),
          tail: tailArb,
          method: fc.constantFrom('GET', 'POST', 'DELETE'),
          decoded: fc.boolean(),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      async (raw, scopes, requests) => {
        const routes = routeSet(raw);
        const map: AuthorizerRoutes = { routes: Object.fromEntries(routes.filter((r) => !r.public).map((r) => [r.key, r.requirement])) };
        const plan = planAuthorizerCache(
          Object.keys(map.routes).map((k) => ({ key: k, label: k, requirement: requirementKey(map, k) })),
          { budgetBytes: 8192, arnPrefixBytes: 72 },
        );
        const tokenKeyed = new Set(plan.tokenKeyed);
        const handler = createAuthorizer(
          configFor({ issuer: ISSUER, audience: [API_AUDIENCE] }),
          { ...map, tokenKeyed: plan.tokenKeyed },
          { getJson, write: () => undefined },
        );
        const doubleRoutes: DoubleRoute[] = routes.map((r) => ({
          key: r.key,
          authorizer: r.public
            ? undefined
            : tokenKeyed.has(r.key)
              ? { name: 'byToken', identitySource: TOKEN_KEYED_IDENTITY_SOURCE }
              : { name: 'perRoute', identitySource: AUTHORIZER_IDENTITY_SOURCE },
        }));
        const gateway = new ApiGatewayDouble(doubleRoutes, handler);
        const token = jws({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt' }, accessClaims(ISSUER, API_AUDIENCE, { scope: scopes.join(' ') }), {
          key: key.privateKey,
          alg: 'ES256',
        });
        // Each request twice, so later ones are served from the cache the earlier ones filled.
        for (const request of [...requests, ...requests]) {
          const target = routes[request.pick % routes.length];
          const [routeMethod, path] = [target.key.slice(0, target.key.indexOf(' ')), target.key.slice(target.key.indexOf(' ') + 1)];
          const method = routeMethod === 'ANY' ? request.method : routeMethod;
          const rawPath = concrete(path, request.values, request.tail);
          const answer = await gateway.request(`Bearer ${token}`, method, rawPath, request.decoded);
          if (answer.route === undefined) continue;
          const reached = routes.find((r) => r.key === answer.route)!;
          const expected = reached.public || decides(reached.requirement, scopes);
          if (answer.allowed !== expected) {
            throw new Error(
              `${method} ${rawPath} (decoded ${request.decoded}) reached ${answer.route}: cached decision ${answer.allowed}, document ${expected}; token-keyed ${[...tokenKeyed].join(', ')}`,
            );
          }
        }
        // Where every protected route is token-keyed, a session costs at most one invocation.
        if (plan.perRoute.length === 0) expect(gateway.invocations).toBeLessThanOrEqual(1);
      },
    ),
    { numRuns: 300 },
  );
});
