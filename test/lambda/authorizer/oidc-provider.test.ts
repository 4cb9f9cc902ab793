import { buildScopeMap } from '../../../lib/auth/scope-map';
import { analyzeDocument, buildOperationSecurity, OpenApi } from '../../../lib/openapi';
import { ApiGatewayDouble } from './support/api-gateway-double';
import { API_ARN_PREFIX, AuthorizerUnderTest, configFor, ORDERS_API, policyAllows, requestEvent } from './support/harness';
import { API_AUDIENCE, TestIdp, trustForThisProcess } from './support/idp';
import { BundledAuthorizer, synthesizeApi } from './support/synthesized-api';

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
    authorizer = new AuthorizerUnderTest(
      configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] }, { contextClaims: ['jti', 'aud'] }),
    );
  });

  it.each([
    ['RS256', 'rs'],
    ['ES256', 'es'],
  ] as const)('allows an %s access token that holds the operation scope', async (_alg, client) => {
    const token = await idp.token(client, 'orders:read');
    const run = await authorizer.call(token, 'GET /orders/{orderId}', '/orders/o-17');
    expect(run.outcome).toBe('Allow');
    expect(run.result!.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API_ARN_PREFIX}/GET/orders/*` },
    ]);
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
    expect(context).toEqual({
      sub: 'es-client',
      client_id: 'es-client',
      scopes: 'orders:read files:read',
      callerSub: 'es-client',
      callerClientId: 'es-client',
      callerScopes: 'orders:read files:read',
      jti: expect.any(String),
      aud: API_AUDIENCE,
    });
    for (const value of Object.values(context)) expect(typeof value).toBe('string');
  });

  it('covers every path of a greedy operation with one policy resource', async () => {
    const run = await authorizer.call(await idp.token('es', 'files:read'), 'GET /files/{path+}', '/files/a/b/c.txt');
    expect(run.result!.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API_ARN_PREFIX}/GET/files/*` },
    ]);
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

describe('token-keyed cache (issue 20): API Gateway double driven by the synthesized template and the bundled handler', () => {
  // The double routes each request, keys the cache by the values of the identity sources the template
  // declares for the request's authorizer, and evaluates the cached policy against the request's
  // method ARN; public operations call no authorizer. The handler is the bundled asset, in its own process.
  const READ = { oauth: ['orders:read'] };
  const op = (operationId: string, security?: object[]) => ({
    operationId,
    ...(security === undefined ? {} : { security }),
    responses: { '200': { description: 'ok' } },
  });
  // Routes that can be confused: nested, literal beside parameter, greedy beside literal, each with another scope.
  const CONFUSABLE = {
    openapi: '3.0.3',
    info: { title: 'Confusable', version: '1' },
    security: [READ],
    paths: {
      '/health': { get: op('getHealth', []) },
      '/orders': { get: op('listOrders'), post: op('createOrder', [{ oauth: ['orders:write'] }]) },
      '/orders/search': { get: op('searchOrders', [{ oauth: ['orders:write'] }]) },
      '/orders/{orderId}': {
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
        get: op('getOrder'),
        delete: op('deleteOrder', [{ oauth: ['orders:admin'] }]),
      },
      '/orders/{orderId}/audit': {
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
        get: op('getOrderAudit', [{ oauth: ['admin'] }]),
      },
      '/files/{path+}': {
        parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
        get: op('getFile', [{ oauth: ['files:read'] }]),
      },
      '/files/admin/audit': { get: op('getFilesAudit', [{ oauth: ['admin'] }]) },
    },
    components: {
      securitySchemes: {
        oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://idp.example.com/token', scopes: {} } } },
      },
    },
  };
  const bundles: BundledAuthorizer[] = [];
  // Synthesizing takes a while on a loaded machine: both documents are synthesized once, before the tests.
  beforeAll(async () => {
    await Promise.all([gatewayFor(ORDERS_API), gatewayFor(CONFUSABLE)]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(bundles.map((b) => b.stop()));
  });

  const synthesized = new Map<object | string, { api: ReturnType<typeof synthesizeApi>; bundle: BundledAuthorizer }>();
  /** A fresh gateway (empty cache) in front of the document's synthesized API; each document is synthesized once. */
  async function gatewayFor(document: object | string) {
    let entry = synthesized.get(document);
    if (entry === undefined) {
      const api = synthesizeApi(document, { issuer: idp.issuer, audience: [API_AUDIENCE] });
      const bundle = await BundledAuthorizer.start(api, idp.caFile);
      bundles.push(bundle);
      synthesized.set(document, (entry = { api, bundle }));
    }
    return { api: entry.api, gateway: new ApiGatewayDouble(entry.api.routes, entry.bundle.invoke) };
  }

  it('costs one invocation per token per TTL on an API whose routes cannot be confused, and decides every request as the document does', async () => {
    const { api, gateway } = await gatewayFor(ORDERS_API);
    expect(api.routes.filter((r) => r.authorizer !== undefined).map((r) => r.authorizer!.identitySource)).toEqual(
      Array(7).fill('method.request.header.Authorization'),
    );
    const token = await idp.token('es', 'orders:read files:read');
    const session: Array<[string, string, boolean]> = [
      ['GET', '/orders', true],
      ['POST', '/orders', false],
      ['GET', '/orders/o-1', true],
      ['DELETE', '/orders/o-1', false],
      ['POST', '/orders/o-1/refunds', false],
      ['GET', '/me', true],
      ['GET', '/files/a/b.txt', true],
      ['GET', '/health', true],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [method, path, allowed] of session)
        expect([method, path, (await gateway.request(`Bearer ${token}`, method, path)).allowed]).toEqual([method, path, allowed]);
    }
    expect(gateway.invocations).toBe(1);
  });

  it('keeps confusable operations on the per-route key and names them at synth', async () => {
    const { api } = await gatewayFor(CONFUSABLE);
    const byRoute = Object.fromEntries(api.routes.map((r) => [r.key, r.authorizer?.identitySource ?? 'public']));
    expect(byRoute).toEqual({
      'GET /health': 'public',
      'GET /orders': 'method.request.header.Authorization',
      'POST /orders': 'method.request.header.Authorization',
      'GET /orders/search': 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
      'GET /orders/{orderId}': 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
      'DELETE /orders/{orderId}': 'method.request.header.Authorization',
      'GET /orders/{orderId}/audit': 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
      'GET /files/{path+}': 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
      'GET /files/admin/audit': 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
    });
    expect(api.infos).toEqual([
      expect.stringMatching(
        /^SecureApi 'Api\/Api': authorizer cache: token-keyed for 3 of 8 operations; per-route for getFilesAudit, getFile: 'GET \/files\/admin\/audit' overlaps 'GET \/files\/\{path\+\}'; searchOrders, getOrder: 'GET \/orders\/search' overlaps 'GET \/orders\/\{orderId\}'; getOrderAudit: 'GET \/orders\/\{orderId\}' overlaps 'GET \/orders\/\{orderId\}\/audit' \(worst-case policy \d+ bytes\)$/,
      ),
    ]);
  });

  it('denies a read-scoped token that called a read route the admin routes on a nested and a sibling path', async () => {
    const { gateway } = await gatewayFor(CONFUSABLE);
    const token = `Bearer ${await idp.token('rs', 'orders:read')}`;
    expect((await gateway.request(token, 'GET', '/orders/o-1')).allowed).toBe(true);
    expect((await gateway.request(token, 'GET', '/orders')).allowed).toBe(true);
    expect((await gateway.request(token, 'GET', '/orders/o-1/audit')).allowed).toBe(false);
    expect((await gateway.request(token, 'DELETE', '/orders/o-1')).allowed).toBe(false);
    expect((await gateway.request(token, 'POST', '/orders')).allowed).toBe(false);
  });

  it('denies the literal route to a token that called the parameter route, and the reverse', async () => {
    const { gateway } = await gatewayFor(CONFUSABLE);
    const reader = `Bearer ${await idp.token('rs', 'orders:read')}`;
    expect((await gateway.request(reader, 'GET', '/orders/o-1')).allowed).toBe(true);
    expect((await gateway.request(reader, 'GET', '/orders/search')).allowed).toBe(false);
    const writer = `Bearer ${await idp.token('es', 'orders:write')}`;
    expect((await gateway.request(writer, 'GET', '/orders/search')).allowed).toBe(true);
    expect((await gateway.request(writer, 'GET', '/orders/o-1')).allowed).toBe(false);
    expect((await gateway.request(writer, 'GET', '/orders/%2A')).allowed).toBe(false);
  });

  it('denies the literal admin route beside a greedy route to a token that called the greedy one, and the reverse', async () => {
    const { gateway } = await gatewayFor(CONFUSABLE);
    const files = `Bearer ${await idp.token('rs', 'files:read')}`;
    expect((await gateway.request(files, 'GET', '/files/a/b.txt')).allowed).toBe(true);
    expect((await gateway.request(files, 'GET', '/files/admin/audit')).allowed).toBe(false);
    const admin = `Bearer ${await idp.token('es', 'admin')}`;
    expect((await gateway.request(admin, 'GET', '/files/admin/audit')).allowed).toBe(true);
    expect((await gateway.request(admin, 'GET', '/files/admin/other')).allowed).toBe(false);
  });
});

describe('optional authentication (issue 15): security [{}, {oauth}] through the pipeline and the handler', () => {
  // The scope map comes from the same pipeline the construct runs: the document's optional route is marked anonymous.
  const document = {
    openapi: '3.0.3',
    info: { title: 'Catalog', version: '1' },
    components: {
      securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://x/token', scopes: {} } } } },
    },
    paths: {
      '/catalog': {
        get: { operationId: 'browseCatalog', security: [{}, { oauth: ['orders:read'] }], responses: { '200': { description: 'ok' } } },
      },
      '/orders': {
        get: { operationId: 'listOrders', security: [{ oauth: ['orders:read'] }], responses: { '200': { description: 'ok' } } },
      },
    },
  };
  let authorizer: AuthorizerUnderTest;
  let routes: ReturnType<typeof buildScopeMap>;
  beforeAll(() => {
    const analyzed = analyzeDocument(OpenApi.fromObject(document).load());
    const security = buildOperationSecurity(
      analyzed.operations,
      analyzed.securitySchemes,
      { authorizerSchemeName: 'jwt' },
      analyzed.source,
    );
    routes = buildScopeMap(analyzed.operations, security.decisions, 'jwt');
    authorizer = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] }), routes);
  });

  it('marks only the optional route anonymous in the scope map', () => {
    expect(routes.anonymous).toEqual(['GET /catalog']);
  });

  it('allows a request without any Authorization header as anonymous, on that route only, with authenticated: false', async () => {
    const run = await authorizer.run(requestEvent(undefined, 'GET /catalog'));
    expect(run.outcome).toBe('Allow');
    expect(run.result).toEqual({
      principalId: 'anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API_ARN_PREFIX}/GET/catalog` }],
      },
      // The identity headers of HTTP backends are mapped from these: '-' for an anonymous caller, never absent.
      context: { authenticated: false, callerSub: '-', callerClientId: '-', callerScopes: '-' },
    });
    expect(policyAllows(run.result!, `${API_ARN_PREFIX}/GET/orders`)).toBe(false);
  });

  it('verifies a presented token exactly as elsewhere, and tells the backend the caller is authenticated', async () => {
    const run = await authorizer.call(await idp.token('es', 'orders:read'), 'GET /catalog');
    expect(run.outcome).toBe('Allow');
    expect(run.result!.context).toMatchObject({ sub: 'es-client', authenticated: true });
  });

  it('refuses a forged, empty or malformed token with 401 instead of downgrading it to anonymous', async () => {
    const genuine = await idp.token('es', 'orders:read');
    const [header, payload, signature] = genuine.split('.');
    const forged = [header, payload, signature.slice(0, -4) + (signature.endsWith('AAAA') ? 'BBBB' : 'AAAA')].join('.');
    for (const authorization of [`Bearer ${forged}`, '', 'Bearer', 'Basic dXNlcjpwYXNz']) {
      const run = await authorizer.run(requestEvent(authorization, 'GET /catalog'));
      expect(run.outcome).toBe('401');
      expect(run.result).toBeUndefined();
    }
    const lower = await authorizer.run(requestEvent(undefined, 'GET /catalog', undefined, { authorization: `Bearer ${forged}` }));
    expect(lower.outcome).toBe('401');
  });

  it('denies (403) a valid token that lacks the scope, rather than serving it as anonymous', async () => {
    const run = await authorizer.call(await idp.token('es', 'files:read'), 'GET /catalog');
    expect(run.outcome).toBe('403');
    expect(run.reasons).toEqual(['insufficient_scope']);
  });

  it('keeps a required route closed to a request without a token (401)', async () => {
    const run = await authorizer.run(requestEvent(undefined, 'GET /orders'));
    expect(run.outcome).toBe('401');
    expect(run.reasons).toEqual(['no_token']);
  });
});
