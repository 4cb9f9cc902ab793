import {
  accessGaps,
  ApiOperation,
  buildOperationSecurity,
  classifySecurityScheme,
  escapePointer,
  JsonObject,
  resolveOperationAccess,
  SecurityRequirement,
} from '../../lib/openapi';

const schemes: { [name: string]: JsonObject } = {
  oauth: {
    type: 'oauth2',
    flows: { clientCredentials: { tokenUrl: 'https://id.example.com/token', scopes: { 'pets:read': '', 'pets:write': '' } } },
  },
  oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration' },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  key: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
  basic: { type: 'http', scheme: 'basic' },
  sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'awsSigv4' },
};

function operation(security: SecurityRequirement[] | undefined, operationId = 'getPet'): ApiOperation {
  return { operationId, method: 'get', path: '/pets/{id}', sourcePath: '/pets/{id}', security, parameters: [], extensions: {}, tags: [] };
}

const access = (security: SecurityRequirement[] | undefined) => resolveOperationAccess(operation(security), schemes, 'api.yaml');

describe('classifySecurityScheme', () => {
  it.each([
    ['oauth', 'jwt'],
    ['oidc', 'jwt'],
    ['bearer', 'jwt'],
    ['key', 'apiKey'],
    ['queryKey', 'unsupported'],
    ['basic', 'unsupported'],
    ['sigv4', 'unsupported'],
  ])('classifies %s as %s', (name, expected) => {
    expect(classifySecurityScheme(schemes[name])).toBe(expected);
  });

  it('does not take an apiKey scheme carrying x-amazon-apigateway-authtype for an API key', () => {
    expect(classifySecurityScheme({ type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'custom' })).toBe(
      'unsupported',
    );
  });
});

describe('resolveOperationAccess', () => {
  it('marks an operation without any requirement as undeclared', () => {
    expect(access(undefined)).toEqual({
      access: { undeclared: true, public: false, jwt: false, apiKey: false, scopeAlternatives: [] },
      warnings: [],
    });
  });

  it.each([[[]], [[{}]]])('treats security %j as explicitly public', (security) => {
    expect(access(security as SecurityRequirement[]).access).toEqual({
      undeclared: false,
      public: true,
      jwt: false,
      apiKey: false,
      scopeAlternatives: [],
    });
  });

  it('requires a JWT with the scopes of an OAuth requirement', () => {
    expect(access([{ oauth: ['pets:write', 'pets:read'] }]).access).toEqual({
      undeclared: false,
      public: false,
      jwt: true,
      apiKey: false,
      scopeAlternatives: [['pets:read', 'pets:write']],
    });
  });

  it('keeps alternatives of scopes (OR of requirement objects)', () => {
    expect(access([{ oauth: ['pets:read'] }, { oidc: ['admin'] }]).access.scopeAlternatives).toEqual([['pets:read'], ['admin']]);
  });

  it('requires no scope when one alternative needs none', () => {
    expect(access([{ oauth: ['pets:read'] }, { bearer: [] }]).access.scopeAlternatives).toEqual([]);
  });

  it('requires a token AND an API key when one requirement names both', () => {
    expect(access([{ oauth: [], key: [] }]).access).toMatchObject({ jwt: true, apiKey: true });
  });

  it('warns about a scheme API Gateway cannot enforce and leaves the operation undeclared', () => {
    const result = access([{ basic: [] }]);
    expect(result.access).toMatchObject({ undeclared: true, public: false, jwt: false, apiKey: false });
    expect(result.warnings).toEqual([
      {
        operationId: 'getPet',
        pointer: '/paths/~1pets~1{id}/get/security',
        keyword: 'securityScheme:basic',
        message:
          "operation 'getPet': security scheme 'basic' (http basic) has no API Gateway equivalent and is not enforced; the operation gets the API's default protection instead (the JWT authorizer when auth is set, otherwise none)",
      },
    ]);
  });

  it('names the AWS authtype of a SigV4 scheme when it cannot be enforced', () => {
    expect(access([{ sigv4: [] }]).warnings[0].message).toContain(
      "security scheme 'sigv4' (x-amazon-apigateway-authtype awsSigv4) has no API Gateway equivalent",
    );
  });

  it('rejects a requirement naming an undefined scheme', () => {
    expect(() => access([{ nope: [] }])).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'getPet' requires security scheme 'nope', which components.securitySchemes does not define",
    );
  });

  it('rejects optional authentication', () => {
    expect(() => access([{}, { oauth: [] }])).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'getPet' makes authentication optional (an empty security requirement next to others); API Gateway cannot express optional authentication. Remove the empty requirement, or make the operation public with security: []",
    );
  });

  it('rejects alternatives that use different mechanisms', () => {
    expect(() => access([{ oauth: [] }, { key: [] }])).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'getPet' accepts a token OR an API key; API Gateway applies one authorizer and one API-key check to every request of a method, so alternatives must use the same mechanisms. Require both in one requirement object (AND), or pick one",
    );
  });
});

describe('buildOperationSecurity', () => {
  const operations = [
    operation(undefined, 'undeclared'),
    operation([], 'open'),
    operation([{ oauth: ['pets:read'] }], 'token'),
    operation([{ key: [] }], 'keyed'),
  ];

  it('protects undeclared operations with the authorizer, keeps public ones public and writes no scopes', () => {
    const { decisions, warnings } = buildOperationSecurity(
      operations,
      schemes,
      { authorizerSchemeName: 'Jwt', apiKeySchemeName: 'api_key' },
      'api.yaml',
    );
    expect(decisions.map((d) => [d.operationId, d.security])).toEqual([
      ['undeclared', [{ Jwt: [] }]],
      ['open', []],
      ['token', [{ Jwt: [] }]],
      ['keyed', [{ api_key: [] }]],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      "operation 'open' (GET /pets/{id}) is public: the document sets security: [], so no authorizer or API key protects it",
    ]);
  });

  it('requires an API key on every non-public operation when asked to', () => {
    const { decisions } = buildOperationSecurity(
      operations,
      schemes,
      { authorizerSchemeName: 'Jwt', apiKeySchemeName: 'api_key', apiKeyForAllOperations: true },
      'api.yaml',
    );
    expect(decisions.map((d) => d.security)).toEqual([[{ Jwt: [], api_key: [] }], [], [{ Jwt: [], api_key: [] }], [{ api_key: [] }]]);
  });

  it('leaves undeclared operations without security when no mechanism is configured', () => {
    const { decisions } = buildOperationSecurity([operation(undefined, 'undeclared')], schemes, {}, 'api.yaml');
    expect(decisions[0].security).toEqual([]);
  });

  it('fails when the document asks for a token but no auth is configured', () => {
    expect(() =>
      buildOperationSecurity([operation([{ oauth: [] }], 'token')], schemes, { apiKeySchemeName: 'api_key' }, 'api.yaml'),
    ).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'token' requires an OAuth 2.0 / OpenID Connect token, but SecureApi has no 'auth' configured; set auth: Auth.jwt({ issuer, audience }) or Auth.cognito({...})",
    );
  });

  it('fails when the document asks for an API key but none is configured', () => {
    expect(() => buildOperationSecurity([operation([{ key: [] }], 'keyed')], schemes, { authorizerSchemeName: 'Jwt' }, 'api.yaml')).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'keyed' requires an API key, but SecureApi has no 'apiKeys' configured; configure apiKeys (usage plans and consumers)",
    );
  });
});

describe('escapePointer', () => {
  it('escapes ~ and / for JSON pointers', () => {
    expect(escapePointer('/a~b/c')).toBe('~1a~0b~1c');
  });
});

describe('accessGaps', () => {
  const decision = (operationId: string, protectedBy: string[], undeclared: boolean) => ({
    operationId,
    security: protectedBy.length > 0 ? [Object.fromEntries(protectedBy.map((s) => [s, [] as string[]]))] : [],
    access: {
      undeclared,
      public: !undeclared && protectedBy.length === 0,
      jwt: protectedBy.includes('jwt'),
      apiKey: protectedBy.includes('api_key'),
      scopeAlternatives: [],
    },
  });

  it('warns once that the whole API is public when nothing protects any operation', () => {
    expect(accessGaps([decision('a', [], true), decision('b', [], false)], 'Stack/Api')).toEqual([
      {
        id: 'cdk-secure-api:no-auth',
        message: "SecureApi 'Stack/Api' has no authentication: every operation is public. Set auth: Auth.jwt({ issuer, audience }).",
      },
    ]);
  });

  it('names the undeclared operations left open when others are protected', () => {
    const gaps = accessGaps(
      [decision('a', ['api_key'], false), decision('b', [], true), decision('c', [], true), decision('health', [], false)],
      'Api',
    );
    expect(gaps).toEqual([
      {
        id: 'cdk-secure-api:unprotected-operations',
        message:
          "SecureApi 'Api': b, c declare no security requirement and no authorizer is configured, so they are public. Set auth, or declare security: [] to make this explicit.",
      },
    ]);
  });

  it('says nothing when every operation is protected or public on purpose', () => {
    expect(accessGaps([decision('a', ['jwt'], true), decision('health', [], false)], 'Api')).toEqual([]);
  });
});
