import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AUTHORIZER_ENV, AUTHORIZER_ROUTES_FILE } from '../../contracts/authorizer-config';
import { AUTHORIZER_METRICS_ENV } from '../../contracts/authorizer-metrics';
import { Auth, AuthorizerCacheKey, JwtAlgorithm, JwtAuthProps, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { JwtAuthorizer } from '../../lib/auth/jwt-authorizer';
import { AUTHORIZER_IDENTITY_SOURCE } from '../../lib/auth';
import { nagFindings } from '../helpers/nag';
import { synthesizedInvocationUri } from '../support/invocation-uri';

const ORDERS_API = join(__dirname, '..', 'fixtures', 'auth', 'orders-api.yaml');
const ISSUER = 'https://idp.example.com/realms/orders';
const AUDIENCE = 'https://orders.example.com';

function synth(auth: Partial<JwtAuthProps> = {}, props: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(ORDERS_API),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE], ...auth }),
    ...props,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

function body(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

function authorizerFunction(template: Template): any {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { [AUTHORIZER_ENV.config]: Match.anyValue() } } },
  });
  expect(Object.keys(functions)).toHaveLength(1);
  return Object.entries(functions)[0];
}

function configOf(template: Template): any {
  return JSON.parse(authorizerFunction(template)[1].Properties.Environment.Variables[AUTHORIZER_ENV.config]);
}

describe('Auth.jwt on the orders API', () => {
  const { stack, api, template } = synth({ contextClaims: ['tenant'] });
  const imported = body(template);
  const [functionId, fn] = authorizerFunction(template);

  it('declares a REQUEST authorizer whose cache key is the token, the method and the resource path', () => {
    expect(imported.components.securitySchemes[JwtAuthorizer.SCHEME_NAME]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
        authorizerResultTtlInSeconds: 300,
        authorizerUri: synthesizedInvocationUri(functionId),
      },
    });
    expect(AUTHORIZER_IDENTITY_SOURCE).toContain('context.resourcePath');
  });

  it('puts the authorizer on every operation the document protects, and leaves the public one public', () => {
    const security: { [op: string]: unknown } = {};
    for (const item of Object.values(imported.paths) as any[])
      for (const op of Object.values(item) as any[]) if (op.operationId) security[op.operationId] = op.security;
    // No route of the orders API can be confused with another, so every operation is on the token-keyed authorizer.
    const byToken = [{ [JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]: [] }];
    expect(security).toEqual({
      // security: [] in the document: no requirement is written, API Gateway calls no authorizer.
      getHealth: undefined,
      listOrders: byToken,
      createOrder: byToken,
      getOrder: byToken,
      deleteOrder: byToken,
      refundOrder: byToken,
      whoAmI: byToken,
      getFile: byToken,
    });
  });

  it('declares the token-keyed authorizer on the same function, with the token alone as its cache key', () => {
    expect(imported.components.securitySchemes[JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]).toEqual({
      ...imported.components.securitySchemes[JwtAuthorizer.SCHEME_NAME],
      'x-amazon-apigateway-authorizer': {
        ...imported.components.securitySchemes[JwtAuthorizer.SCHEME_NAME]['x-amazon-apigateway-authorizer'],
        identitySource: 'method.request.header.Authorization',
      },
    });
  });

  it('says at synth, as info, which operations are token-keyed', () => {
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('authorizer cache:'));
    expect(infos.map((i) => i.entry.data)).toEqual([
      expect.stringMatching(
        /^SecureApi 'Orders\/Api': authorizer cache: token-keyed for 7 of 7 operations \(worst-case policy \d+ bytes\)$/,
      ),
    ]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('authorizer cache'))).toEqual([]);
  });

  it('packages the scope map computed at synth next to the handler', () => {
    const routes = JSON.parse(readFileSync(join((api.auth!.authorizer as JwtAuthorizer).assetDirectory, AUTHORIZER_ROUTES_FILE), 'utf8'));
    expect(routes).toEqual({
      routes: {
        'DELETE /orders/{orderId}': [['orders:admin', 'orders:write'], ['admin']],
        'GET /files/{path+}': [['files:read']],
        'GET /me': [],
        'GET /orders': [['orders:read']],
        'GET /orders/{orderId}': [['orders:read']],
        'POST /orders': [['orders:write']],
        'POST /orders/{orderId}/refunds': [['refunds:write']],
      },
      tokenKeyed: [
        'DELETE /orders/{orderId}',
        'GET /files/{path+}',
        'GET /me',
        'GET /orders',
        'GET /orders/{orderId}',
        'POST /orders',
        'POST /orders/{orderId}/refunds',
      ],
    });
    expect(readFileSync(join((api.auth!.authorizer as JwtAuthorizer).assetDirectory, 'index.js'), 'utf8')).toContain('Unauthorized');
  });

  it('configures the handler through its environment: issuer, audience, RFC 9068 typ, RS256 and ES256, 30 s tolerance', () => {
    expect(configOf(template)).toEqual({
      issuers: [{ issuer: ISSUER, audience: [AUDIENCE], tokenTypes: ['at+jwt'] }],
      algorithms: ['RS256', 'ES256'],
      requiredClaims: ['sub'],
      clockToleranceSeconds: 30,
      maxTokenLength: 8192,
      scopeClaim: 'scope',
      contextClaims: ['tenant'],
      jwks: {
        maxAgeSeconds: 600,
        refetchCooldownSeconds: 10,
        maxStaleSeconds: 86400,
        fetchTimeoutMs: 1500,
        backoffBaseMs: 1000,
        backoffMaxMs: 60000,
      },
    });
    expect(fn.Properties.Environment.Variables[AUTHORIZER_METRICS_ENV.apiName]).toEqual(expect.any(String));
  });

  it('runs on Node.js 24 on ARM with X-Ray, JSON logs into its own encrypted log group, and reserved concurrency', () => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      MemorySize: 512,
      Timeout: 10,
      ReservedConcurrentExecutions: 100,
    });
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    template.hasResourceProperties('AWS::Logs::LogGroup', Match.objectLike({ KmsKeyId: Match.anyValue(), RetentionInDays: 365 }));
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId].Properties.KmsKeyId).toBeDefined();
  });

  it('lets API Gateway invoke it for this API authorizers only, with one permission', () => {
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] } },
    });
    expect(Object.values(permissions)).toHaveLength(1);
    expect(Object.values(permissions)[0].Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':execute-api:eu-west-1:111111111111:',
            { Ref: expect.stringMatching(/^Api/) },
            '/authorizers/*',
          ],
        ],
      },
    });
  });

  it('answers 401 with WWW-Authenticate: Bearer', () => {
    const unauthorized = imported['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED;
    expect(unauthorized.responseParameters['gatewayresponse.header.WWW-Authenticate']).toMatch(/^'Bearer realm="[A-Za-z0-9 ._-]+"'$/);
  });

  it('is clean under the five cdk-nag packs', () => {
    const findings = nagFindings(stack);
    expect(findings.filter((f) => /Auth/.test(f))).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('exposes the issuer and scope map for the other concerns', () => {
    expect(api.auth!.authorizer.issuers).toEqual([ISSUER]);
    expect(api.auth!.tokenUrl).toBeUndefined();
    expect(Object.keys((api.auth!.authorizer as JwtAuthorizer).scopeMap.routes)).toHaveLength(7);
  });
});

describe('Auth.jwt options', () => {
  it('trusts additional issuers, each with its own audience, keys and clients', () => {
    const { template } = synth({
      jwksUri: 'https://idp.example.com/keys',
      clientIds: ['cli-1'],
      additionalIssuers: [{ issuer: 'https://login.example.net/tenant/v2.0', audience: [], clientIds: ['cli-2'], tokenTypes: ['JWT'] }],
      algorithms: [JwtAlgorithm.ES256],
      clockTolerance: Duration.seconds(5),
      resultCacheTtl: Duration.seconds(0),
      scopeClaim: 'scp',
    });
    expect(configOf(template)).toMatchObject({
      issuers: [
        { issuer: ISSUER, jwksUri: 'https://idp.example.com/keys', audience: [AUDIENCE], clientIds: ['cli-1'], tokenTypes: ['at+jwt'] },
        { issuer: 'https://login.example.net/tenant/v2.0', clientIds: ['cli-2'], tokenTypes: ['jwt'] },
      ],
      algorithms: ['ES256'],
      clockToleranceSeconds: 5,
      scopeClaim: 'scp',
    });
    expect(
      body(template).components.securitySchemes[JwtAuthorizer.SCHEME_NAME]['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds,
    ).toBe(0);
  });

  it('adds the docs routes to the scope map with their scope', () => {
    const { api } = synth({}, { docs: {} });
    expect((api.auth!.authorizer as JwtAuthorizer).scopeMap.routes).toMatchObject({
      'GET /docs': [['docs:read']],
      'GET /docs/{file}': [['docs:read']],
    });
  });

  it('changes the function asset when the document changes a scope', () => {
    const app = new App();
    const stack = new Stack(app, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    const document = {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { operationId: 'a', security: [{ o: ['x:read'] }], responses: { '200': { description: 'ok' } } } } },
      components: {
        securitySchemes: {
          o: {
            type: 'oauth2',
            flows: { clientCredentials: { tokenUrl: 'https://t.example.com', scopes: { 'x:read': 'r', 'x:write': 'w' } } },
          },
        },
      },
    };
    new SecureApi(stack, 'A', {
      openApi: OpenApi.fromObject(document),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }),
    });
    const changed = JSON.parse(JSON.stringify(document));
    changed.paths['/a'].get.security = [{ o: ['x:write'] }];
    new SecureApi(stack, 'B', {
      openApi: OpenApi.fromObject(changed),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }),
    });
    const template = Template.fromStack(stack);
    const codes = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [AUTHORIZER_ENV.config]: Match.anyValue() } } },
      }),
    ).map((f) => JSON.stringify(f.Properties.Code));
    expect(codes).toHaveLength(2);
    expect(codes[0]).not.toEqual(codes[1]);
  });

  it('warns when the token type check is turned off', () => {
    const { stack } = synth({ tokenTypes: [] });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('tokenTypes is empty, so the token type \\(typ\\) is not checked'));
  });

  it('warns when sub is no longer required', () => {
    const { stack } = synth({ requiredClaims: ['jti'] });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp("requiredClaims leaves out 'sub'"));
  });
});

describe('Auth.jwt bad props', () => {
  it.each<[string, Partial<JwtAuthProps>, string]>([
    [
      'an http issuer',
      { issuer: 'http://idp.example.com' },
      "SecureApi 'Orders/Api': auth.issuer must be an https:// URL without credentials, query or fragment, got 'http://idp.example.com'",
    ],
    [
      'an issuer that is not a URL',
      { issuer: 'idp.example.com' },
      "SecureApi 'Orders/Api': auth.issuer must be an https:// URL, got 'idp.example.com'",
    ],
    [
      'an http jwksUri',
      { jwksUri: 'http://idp.example.com/keys' },
      "SecureApi 'Orders/Api': auth.jwksUri must be an https:// URL without credentials, query or fragment, got 'http://idp.example.com/keys'",
    ],
    [
      'no audience and no clients',
      { audience: [] },
      "SecureApi 'Orders/Api': auth.audience must name at least one audience (or clientIds must be set): a token for another API would otherwise be accepted",
    ],
    [
      'an audience with whitespace',
      { audience: [' https://orders.example.com'] },
      "SecureApi 'Orders/Api': auth.audience[0] must not have surrounding whitespace, got ' https://orders.example.com'",
    ],
    [
      'HS256 forced in',
      { algorithms: ['HS256' as JwtAlgorithm] },
      "SecureApi 'Orders/Api': auth.algorithms may hold only RS256, RS384, RS512, ES256, ES384, ES512, EdDSA (never none or HMAC), got 'HS256'",
    ],
    [
      'none forced in',
      { algorithms: ['none' as JwtAlgorithm] },
      "SecureApi 'Orders/Api': auth.algorithms may hold only RS256, RS384, RS512, ES256, ES384, ES512, EdDSA (never none or HMAC), got 'none'",
    ],
    ['no algorithm', { algorithms: [] }, "SecureApi 'Orders/Api': auth.algorithms must name at least one algorithm"],
    [
      'a clock tolerance over 5 minutes',
      { clockTolerance: Duration.minutes(10) },
      "SecureApi 'Orders/Api': auth.clockTolerance must be between 0 and 300 seconds, got 600",
    ],
    [
      'a cache TTL over an hour',
      { resultCacheTtl: Duration.hours(2) },
      "SecureApi 'Orders/Api': auth.resultCacheTtl must be whole seconds from 0 to 3600, got 7200",
    ],
    [
      'a tiny token limit',
      { maxTokenLength: 100 },
      "SecureApi 'Orders/Api': auth.maxTokenLength must be an integer from 512 to 10240 (API Gateway's header limit), got 100",
    ],
    [
      'a repeated context claim',
      { contextClaims: ['tenant', 'tenant'] },
      "SecureApi 'Orders/Api': auth.contextClaims must not repeat a claim",
    ],
    [
      'a JWKS max age under a minute',
      { jwksCache: { maxAge: Duration.seconds(10) } },
      "SecureApi 'Orders/Api': auth.jwksCache.maxAge must be between 1 minute and 1 day, got 10 s",
    ],
    [
      'a fetch timeout over 5 s',
      { jwksCache: { fetchTimeout: Duration.seconds(10) } },
      "SecureApi 'Orders/Api': auth.jwksCache.fetchTimeout must be between 100 ms and 5 s, got 10000 ms",
    ],
    [
      'a repeated issuer',
      { additionalIssuers: [{ issuer: ISSUER, audience: ['x'] }] },
      `SecureApi 'Orders/Api': auth.additionalIssuers repeats the issuer '${ISSUER}'`,
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('rejects a document scope that is not a valid OAuth 2.0 scope', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    const document = {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { operationId: 'a', security: [{ o: ['read all'] }], responses: { '200': { description: 'ok' } } } } },
      components: {
        securitySchemes: {
          o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://t.example.com', scopes: { 'read all': 'r' } } } },
        },
      },
    };
    expect(
      () =>
        new SecureApi(stack, 'A', {
          openApi: OpenApi.fromObject(document),
          defaultIntegration: OperationIntegration.mock(),
          auth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }),
        }),
    ).toThrow("SecureApi 'Bad/A': auth.scopes of the document holds 'read all', which is not a valid OAuth 2.0 scope (RFC 6749 §3.3)");
  });
});

describe('Auth.jwt binds every scope to the issuers that serve its security scheme', () => {
  const PARTNER = 'https://partner.example.net';

  function routesOf(api: SecureApi): unknown {
    return JSON.parse(readFileSync(join((api.auth!.authorizer as JwtAuthorizer).assetDirectory, AUTHORIZER_ROUTES_FILE), 'utf8'));
  }

  it('writes which issuers satisfy each alternative; the API issuer serves the schemes no additional issuer names', () => {
    const { api } = synth({ additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE], securitySchemes: ['oidc'] }] });
    expect(routesOf(api)).toEqual({
      routes: {
        'DELETE /orders/{orderId}': [['orders:admin', 'orders:write'], ['admin']],
        'GET /files/{path+}': [['files:read']],
        'GET /me': [[]],
        'GET /orders': [['orders:read']],
        'GET /orders/{orderId}': [['orders:read']],
        'POST /orders': [['orders:write']],
        'POST /orders/{orderId}/refunds': [['refunds:write']],
      },
      issuers: {
        'DELETE /orders/{orderId}': [[0], [1]],
        'GET /files/{path+}': [[0]],
        'GET /me': [[0]],
        'GET /orders': [[0]],
        'GET /orders/{orderId}': [[0]],
        'POST /orders': [[0]],
        'POST /orders/{orderId}/refunds': [[0]],
      },
      tokenKeyed: expect.any(Array),
    });
  });

  it('gives an additional issuer without securitySchemes no scope, and both issuers a scheme both name', () => {
    expect(
      (routesOf(synth({ additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE] }] }).api) as any).issuers['DELETE /orders/{orderId}'],
    ).toEqual([[0], [0]]);
    const both = synth({
      securitySchemes: ['oauth', 'oidc', 'bearer'],
      additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE], securitySchemes: ['oauth'] }],
    }).api;
    expect((routesOf(both) as any).issuers['DELETE /orders/{orderId}']).toEqual([[0, 1], [0]]);
  });

  it('keeps the scope map of a single issuer as it was (no binding: that issuer serves every scheme)', () => {
    expect(routesOf(synth().api)).not.toHaveProperty('issuers');
  });

  it('binds the docs routes to the API issuer', () => {
    const { api } = synth({ additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE], securitySchemes: ['oauth'] }] }, { docs: {} });
    expect((routesOf(api) as any).issuers['GET /docs']).toEqual([[0]]);
  });

  it.each<[string, Partial<JwtAuthProps>, string]>([
    [
      'a scheme the document does not define',
      { additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE], securitySchemes: ['partner'] }] },
      "SecureApi 'Orders/Api': auth.additionalIssuers[0].securitySchemes names 'partner', which the document's components.securitySchemes does not define (JWT schemes of the document: bearer, oauth, oidc)",
    ],
    [
      'a repeated scheme',
      { securitySchemes: ['oauth', 'oauth'] },
      "SecureApi 'Orders/Api': auth.securitySchemes repeats 'oauth' (JWT schemes of the document: bearer, oauth, oidc)",
    ],
    [
      'an operation whose only scheme no issuer serves',
      { securitySchemes: ['oauth', 'oidc'], additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE] }] },
      "SecureApi 'Orders/Api': auth trusts no issuer for operation 'whoAmI' (GET /me): no issuer serves its security scheme 'bearer'; name the scheme in the securitySchemes of the issuer that should grant its scopes (auth.securitySchemes, auth.additionalIssuers[0].securitySchemes)",
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('rejects a scheme that is not an OAuth 2.0, OpenID Connect or bearer scheme', () => {
    const stack = new Stack(new App(), 'Keyed');
    const document = {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { operationId: 'a', security: [{ o: ['x:read'] }], responses: { '200': { description: 'ok' } } } } },
      components: {
        securitySchemes: {
          o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://t.example.com', scopes: { 'x:read': 'r' } } } },
          key: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
    };
    expect(
      () =>
        new SecureApi(stack, 'A', {
          openApi: OpenApi.fromObject(document),
          defaultIntegration: OperationIntegration.mock(),
          auth: Auth.jwt({
            issuer: ISSUER,
            audience: [AUDIENCE],
            additionalIssuers: [{ issuer: PARTNER, audience: [AUDIENCE], securitySchemes: ['key'] }],
          }),
        }),
    ).toThrow(
      "SecureApi 'Keyed/A': auth.additionalIssuers[0].securitySchemes names 'key', which is not an OAuth 2.0, OpenID Connect or HTTP bearer scheme (JWT schemes of the document: o)",
    );
  });
});

describe('Auth.jwt authorizer cache key', () => {
  function schemesOf(template: Template): string[] {
    const security = new Set<string>();
    for (const item of Object.values(body(template).paths) as any[])
      for (const op of Object.values(item) as any[])
        for (const r of op.security ?? []) for (const name of Object.keys(r)) security.add(name);
    return [...security].sort();
  }

  it('keys every operation by token, method and resource path with cacheKey PER_OPERATION, and says so', () => {
    const { stack, api, template } = synth({ cacheKey: AuthorizerCacheKey.PER_OPERATION });
    expect(schemesOf(template)).toEqual([JwtAuthorizer.SCHEME_NAME]);
    expect(body(template).components.securitySchemes[JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]).toBeUndefined();
    expect((api.auth!.authorizer as JwtAuthorizer).scopeMap.tokenKeyed).toBeUndefined();
    expect(
      Annotations.fromStack(stack)
        .findInfo('*', Match.stringLikeRegexp('authorizer cache'))
        .map((i) => i.entry.data),
    ).toEqual(["SecureApi 'Orders/Api': authorizer cache: per-route for all 7 operations (auth.cacheKey is PER_OPERATION)"]);
  });

  it('still turns caching off with resultCacheTtl 0, with no token-keyed authorizer', () => {
    const { stack, template } = synth({ resultCacheTtl: Duration.seconds(0) });
    expect(schemesOf(template)).toEqual([JwtAuthorizer.SCHEME_NAME]);
    expect(
      body(template).components.securitySchemes[JwtAuthorizer.SCHEME_NAME]['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds,
    ).toBe(0);
    expect(
      Annotations.fromStack(stack)
        .findInfo('*', Match.stringLikeRegexp('authorizer cache'))
        .map((i) => i.entry.data),
    ).toEqual([
      "SecureApi 'Orders/Api': authorizer cache: off (auth.resultCacheTtl is 0), so every request of the 7 operations invokes the authorizer",
    ]);
  });

  it('puts the docs routes on the token-keyed authorizer too when the proof allows it', () => {
    const { stack, template } = synth({}, { docs: {} });
    const paths = body(template).paths;
    expect(Object.keys(paths['/docs'].get.security[0])).toEqual([JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]);
    expect(Object.keys(paths['/docs/{file}'].get.security[0])).toEqual([JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]);
    expect(Object.keys(paths['/orders'].get.security[0])).toEqual([JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]);
    // The info line counts the document's operations only.
    expect(
      Annotations.fromStack(stack)
        .findInfo('*', Match.stringLikeRegexp('authorizer cache'))
        .map((i) => i.entry.data),
    ).toEqual([expect.stringContaining('token-keyed for 7 of 7 operations')]);
  });
});
