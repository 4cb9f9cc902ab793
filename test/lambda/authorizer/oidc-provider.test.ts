import { API_ARN_PREFIX, AuthorizerUnderTest, configFor, policyAllows, requestEvent } from './support/harness';
import { API_AUDIENCE, TestIdp, trustForThisProcess } from './support/idp';

// The handler verifies tokens that a real OpenID provider issued, finding the keys through OIDC
// discovery and the JWKS over HTTPS, exactly as deployed.
let idp: TestIdp;
let untrust: () => void;

beforeAll(async () => {
  idp = await TestIdp.start();
  untrust = trustForThisProcess(idp);
});

afterAll(async () => {
  untrust?.();
  await idp?.stop();
});

describe('tokens from oidc-provider, keys by discovery', () => {
  let authorizer: AuthorizerUnderTest;
  beforeAll(() => {
    authorizer = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] }, { contextClaims: ['jti', 'aud'] }));
  });

  it.each([
    ['RS256', 'rs'],
    ['ES256', 'es'],
  ] as const)('allows an %s access token that holds the operation scope', async (_alg, client) => {
    const token = await idp.token(client, 'orders:read');
    const run = await authorizer.call(token, 'GET /orders/{orderId}', '/orders/o-17');
    expect(run.outcome).toBe('Allow');
    expect(run.result!.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API_ARN_PREFIX}/GET/orders/*` }]);
    expect(run.result!.principalId).toBe(`${client}-client`);
  });

  it('looks the keys up through discovery once and then serves every token from the cache', async () => {
    const counts = await idp.counts();
    const token = await idp.token('es', 'orders:read');
    for (let i = 0; i < 5; i++) expect((await authorizer.call(token)).outcome).toBe('Allow');
    expect(await idp.counts()).toMatchObject({ discovery: counts.discovery, jwks: counts.jwks });
    expect(counts).toMatchObject({ discovery: 1, jwks: 1 });
  });

  it('denies (403) a valid token that lacks the operation scope, and logs the reason with the verified client', async () => {
    const token = await idp.token('rs', 'orders:read');
    const run = await authorizer.call(token, 'POST /orders');
    expect(run.outcome).toBe('403');
    expect(run.reasons).toEqual(['insufficient_scope']);
    expect(JSON.parse(run.lines[0])).toMatchObject({ status: 403, client_id: 'rs-client', operation: 'POST /orders', Api: 'OrdersApi' });
  });

  it('allows an operation whose requirement objects are alternatives when the token holds one set completely', async () => {
    // deleteOrder: (orders:write AND orders:admin) OR admin
    expect((await authorizer.call(await idp.token('rs', 'orders:write orders:admin'), 'DELETE /orders/{orderId}')).outcome).toBe('Allow');
    expect((await authorizer.call(await idp.token('rs', 'admin'), 'DELETE /orders/{orderId}')).outcome).toBe('Allow');
    expect((await authorizer.call(await idp.token('rs', 'orders:write'), 'DELETE /orders/{orderId}')).outcome).toBe('403');
  });

  it('allows any valid token on an operation that requires no scope', async () => {
    expect((await authorizer.call(await idp.token('es', 'files:read'), 'GET /me')).outcome).toBe('Allow');
  });

  it('denies (403) an operation missing from the scope map, such as a public one the authorizer should never see', async () => {
    const run = await authorizer.call(await idp.token('es', 'orders:read'), 'GET /health');
    expect(run.outcome).toBe('403');
    expect(run.reasons).toEqual(['unknown_operation']);
  });

  it('passes sub, client_id, the scopes and the configured claims to the backend as strings', async () => {
    const run = await authorizer.call(await idp.token('es', 'orders:read files:read'), 'GET /files/{path+}', '/files/a/b/c.txt');
    expect(run.outcome).toBe('Allow');
    const context = run.result!.context!;
    expect(context).toEqual({ sub: 'es-client', client_id: 'es-client', scopes: 'orders:read files:read', jti: expect.any(String), aud: API_AUDIENCE });
    for (const value of Object.values(context)) expect(typeof value).toBe('string');
  });

  it('covers every path of a greedy operation with one policy resource', async () => {
    const run = await authorizer.call(await idp.token('es', 'files:read'), 'GET /files/{path+}', '/files/a/b/c.txt');
    expect(run.result!.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API_ARN_PREFIX}/GET/files/*` }]);
    expect(policyAllows(run.result!, `${API_ARN_PREFIX}/GET/files/x/y/z`)).toBe(true);
  });
});

describe('cache-safe policies (REQUEST authorizer keyed by token, method and resource path)', () => {
  /** API Gateway's authorizer cache: the key is the identity sources; a hit reuses the policy as it is. */
  class AuthorizerCache {
    private readonly entries = new Map<string, Awaited<ReturnType<AuthorizerUnderTest['run']>>>();
    invocations = 0;
    constructor(private readonly authorizer: AuthorizerUnderTest) {}
    async request(token: string, operation: string, path: string): Promise<boolean> {
      const event = requestEvent(`Bearer ${token}`, operation, path) as { methodArn: string; httpMethod: string; resource: string };
      // identitySource: method.request.header.Authorization, context.httpMethod, context.resourcePath
      const key = JSON.stringify([`Bearer ${token}`, event.httpMethod, event.resource]);
      let run = this.entries.get(key);
      if (run === undefined) {
        this.invocations++;
        run = await this.authorizer.run(event);
        this.entries.set(key, run);
      }
      return run.outcome !== '401' && policyAllows(run.result!, event.methodArn);
    }
  }

  it('still denies operation B to a token cached after operation A when it lacks B scope', async () => {
    const authorizer = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE] }));
    const cache = new AuthorizerCache(authorizer);
    const token = await idp.token('rs', 'orders:read');
    expect(await cache.request(token, 'GET /orders/{orderId}', '/orders/1')).toBe(true);
    expect(await cache.request(token, 'POST /orders/{orderId}/refunds', '/orders/1/refunds')).toBe(false);
    expect(await cache.request(token, 'DELETE /orders/{orderId}', '/orders/1')).toBe(false);
    // The cached policy of A serves A's other requests.
    expect(await cache.request(token, 'GET /orders/{orderId}', '/orders/2')).toBe(true);
    expect(cache.invocations).toBe(3);
  });

  it('returns a policy for operation A that matches no request of another operation B', async () => {
    const authorizer = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE] }));
    const token = await idp.token('es', 'orders:read orders:write refunds:write files:read admin');
    const operations: Array<[string, string]> = [
      ['GET /orders', '/orders'],
      ['POST /orders', '/orders'],
      ['GET /orders/{orderId}', '/orders/1'],
      ['DELETE /orders/{orderId}', '/orders/1'],
      ['POST /orders/{orderId}/refunds', '/orders/1/refunds'],
      ['GET /me', '/me'],
    ];
    for (const [a, pathA] of operations) {
      const run = await authorizer.call(token, a, pathA);
      expect(run.outcome).toBe('Allow');
      for (const [b, pathB] of operations) {
        if (b === a) continue;
        const arnB = (requestEvent('x', b, pathB) as { methodArn: string }).methodArn;
        expect([a, b, policyAllows(run.result!, arnB)]).toEqual([a, b, false]);
      }
    }
  });
});
