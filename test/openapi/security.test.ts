import {
  accessGaps,
  ApiOperation,
  buildOperationSecurity,
  classifySecurityScheme,
  escapePointer,
  IAM_SCHEME_NAME,
  IAM_SECURITY_SCHEME,
  iamBodyContribution,
  JsonObject,
  mechanismByOperation,
  operationsByMechanism,
  resolveOperationAccess,
  SecurityRequirement,
} from '../../lib/openapi';
import { apiOperation } from '../support/api-operation';

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
  return apiOperation(operationId, 'get', '/pets/{id}', { security });
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
    ['sigv4', 'iam'],
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

  it("takes API Gateway's IAM convention (awsSigv4 on the Authorization header) for IAM, with no warning", () => {
    const result = access([{ sigv4: [] }]);
    expect(result.warnings).toEqual([]);
    expect(result.access).toMatchObject({ undeclared: false, public: false, jwt: false, apiKey: false });
    expect(result.requested).toEqual({ scheme: { mechanism: 'iam', bodySchemeName: 'SecureApiIam' }, documentSchemes: ['sigv4'] });
  });

  it('rejects a requirement naming an undefined scheme', () => {
    expect(() => access([{ nope: [] }])).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'getPet' requires security scheme 'nope', which components.securitySchemes does not define",
    );
  });

  it('accepts optional authentication with a JWT scheme: anonymous callers allowed, a presented token checked with its scopes', () => {
    expect(access([{}, { oauth: ['pets:read'] }]).access).toEqual({
      undeclared: false,
      public: false,
      jwt: true,
      apiKey: false,
      scopeAlternatives: [['pets:read']],
      anonymousAllowed: true,
    });
  });

  it('rejects optional authentication with an API key or IAM, which API Gateway cannot skip for a caller without one', () => {
    const message =
      'makes authentication optional (an empty security requirement next to others), which SecureApi serves only with the JWT authorizer (OAuth 2.0 / OpenID Connect schemes) and no API key';
    expect(() => access([{}, { key: [] }])).toThrow(message);
    expect(() => access([{}, { oauth: [], key: [] }])).toThrow(message);
    expect(() => access([{}, { sigv4: [] }])).toThrow(message);
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
    mechanism: protectedBy.includes('jwt') ? ('jwt' as const) : ('none' as const),
    documentSchemes: [],
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

describe('buildOperationSecurity: the mechanism of each operation', () => {
  const mixed: { [name: string]: JsonObject } = {
    ...schemes,
    partner: { type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'custom' },
    pool: { type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'cognito_user_pools' },
    partnerSigv4: { type: 'apiKey', in: 'header', name: 'X-Partner-Auth', 'x-amazon-apigateway-authtype': 'awsSigv4' },
  };
  const build = (ops: ApiOperation[], mechanisms: Parameters<typeof buildOperationSecurity>[2] = {}) =>
    buildOperationSecurity(ops, mixed, mechanisms, 'api.yaml');
  const summary = (ops: ApiOperation[], mechanisms: Parameters<typeof buildOperationSecurity>[2] = {}) =>
    build(ops, mechanisms).decisions.map((d) => ({
      id: d.operationId,
      mechanism: d.mechanism,
      security: d.security,
      from: d.documentSchemes,
    }));

  it('makes an operation of the IAM convention AWS_IAM with no configuration at all', () => {
    expect(summary([operation([{ sigv4: [] }], 'getReport')])).toEqual([
      { id: 'getReport', mechanism: 'iam', security: [{ [IAM_SCHEME_NAME]: [] }], from: ['sigv4'] },
    ]);
  });

  it('names the mechanism of every kind of operation next to the JWT authorizer and API keys', () => {
    expect(
      summary(
        [
          operation([{ sigv4: [] }], 'iamOnly'),
          operation([{ sigv4: [], key: [] }], 'iamAndKey'),
          operation([{ oauth: ['pets:read'] }], 'token'),
          operation(undefined, 'undeclared'),
          operation([{ key: [] }], 'keyOnly'),
          operation([], 'open'),
        ],
        { authorizerSchemeName: 'Jwt', apiKeySchemeName: 'api_key' },
      ),
    ).toEqual([
      { id: 'iamOnly', mechanism: 'iam', security: [{ [IAM_SCHEME_NAME]: [] }], from: ['sigv4'] },
      { id: 'iamAndKey', mechanism: 'iam', security: [{ [IAM_SCHEME_NAME]: [], api_key: [] }], from: ['sigv4'] },
      { id: 'token', mechanism: 'jwt', security: [{ Jwt: [] }], from: ['oauth'] },
      { id: 'undeclared', mechanism: 'jwt', security: [{ Jwt: [] }], from: [] },
      { id: 'keyOnly', mechanism: 'none', security: [{ api_key: [] }], from: [] },
      { id: 'open', mechanism: 'none', security: [], from: [] },
    ]);
  });

  it('adds the API key to any mechanism when every operation needs one (an AND)', () => {
    const mapped = { schemes: { partner: { mechanism: 'lambda' as const, bodySchemeName: 'Partner' } } };
    expect(
      summary([operation([{ sigv4: [] }], 'iam'), operation([{ partner: [] }], 'lambda')], {
        ...mapped,
        apiKeySchemeName: 'api_key',
        apiKeyForAllOperations: true,
      }).map((d) => d.security),
    ).toEqual([[{ [IAM_SCHEME_NAME]: [], api_key: [] }], [{ Partner: [], api_key: [] }]]);
  });

  it('maps document schemes to mechanisms by name (Auth.schemes), and the IAM convention stays IAM', () => {
    const mechanisms = {
      schemes: {
        oauth: { mechanism: 'jwt' as const, bodySchemeName: 'Jwt' },
        partner: { mechanism: 'lambda' as const, bodySchemeName: 'SecureApiLambdaPartner' },
        pool: { mechanism: 'cognitoUserPool' as const, bodySchemeName: 'SecureApiCognitoPool' },
        partnerSigv4: { mechanism: 'iam' as const, bodySchemeName: IAM_SCHEME_NAME },
      },
    };
    expect(
      summary(
        [
          operation([{ oauth: [] }], 'a'),
          operation([{ partner: [] }], 'b'),
          operation([{ pool: ['reports:read'] }], 'c'),
          operation([{ partnerSigv4: [] }], 'd'),
          operation([{ sigv4: [] }], 'e'),
        ],
        mechanisms,
      ),
    ).toEqual([
      { id: 'a', mechanism: 'jwt', security: [{ Jwt: [] }], from: ['oauth'] },
      { id: 'b', mechanism: 'lambda', security: [{ SecureApiLambdaPartner: [] }], from: ['partner'] },
      { id: 'c', mechanism: 'cognitoUserPool', security: [{ SecureApiCognitoPool: ['reports:read'] }], from: ['pool'] },
      { id: 'd', mechanism: 'iam', security: [{ [IAM_SCHEME_NAME]: [] }], from: ['partnerSigv4'] },
      { id: 'e', mechanism: 'iam', security: [{ [IAM_SCHEME_NAME]: [] }], from: ['sigv4'] },
    ]);
  });

  it('rejects an operation that accepts IAM OR a token, naming the operation and both choices', () => {
    expect(() => build([operation([{ sigv4: [] }, { oauth: ['pets:read'] }], 'getReport')], { authorizerSchemeName: 'Jwt' })).toThrow(
      "api.yaml#/paths/~1pets~1{id}/get/security: operation 'getReport' accepts IAM (SigV4-signed request, AWS_IAM) (scheme 'sigv4') OR a JWT access token (SecureApi JWT authorizer) (scheme 'oauth'); API Gateway gives each method one authorization type and one API-key check, so it cannot let the caller choose between them. Pick one mechanism for the operation (or split it into two operations)",
    );
  });

  it('rejects one requirement that asks for two mechanisms at once (IAM AND a token)', () => {
    expect(() => build([operation([{ sigv4: [], oauth: [] }], 'both')], { authorizerSchemeName: 'Jwt' })).toThrow(
      "operation 'both' requires IAM (SigV4-signed request, AWS_IAM) (scheme 'sigv4') AND a JWT access token (SecureApi JWT authorizer) (scheme 'oauth') in one requirement",
    );
  });

  it('rejects alternatives served by two different Lambda authorizers', () => {
    const mechanisms = {
      schemes: {
        partner: { mechanism: 'lambda' as const, bodySchemeName: 'LambdaA' },
        pool: { mechanism: 'lambda' as const, bodySchemeName: 'LambdaB' },
      },
    };
    expect(() => build([operation([{ partner: [] }, { pool: [] }], 'either')], mechanisms)).toThrow(
      "operation 'either' accepts a Lambda authorizer (scheme 'partner') OR a Lambda authorizer (scheme 'pool')",
    );
  });

  it('names a scheme no mechanism maps and every operation that uses it', () => {
    expect(() =>
      build([operation([{ partner: [] }], 'listPartners'), operation([{ oauth: [] }], 'ok'), operation([{ partner: [] }], 'getPartner')], {
        schemes: { oauth: { mechanism: 'jwt', bodySchemeName: 'Jwt' } },
      }),
    ).toThrow(
      "api.yaml#/components/securitySchemes: security scheme 'partner' (x-amazon-apigateway-authtype custom), required by 'listPartners', 'getPartner', is mapped to no mechanism: name it in Auth.schemes({ partner: Auth.jwt(...) | Auth.iam() | Auth.lambda(...) | Auth.cognitoUserPool(...) })",
    );
  });

  it('without Auth.schemes, a Lambda-authorizer scheme of the document is an error, not a silent fallback to the JWT authorizer', () => {
    expect(() => build([operation([{ partner: [] }], 'listPartners')], { authorizerSchemeName: 'Jwt' })).toThrow(
      "security scheme 'partner' (x-amazon-apigateway-authtype custom), required by 'listPartners', is mapped to no mechanism: configure auth: Auth.schemes({ partner: ... }) with the mechanism that enforces it",
    );
  });

  it('takes an awsSigv4 scheme on another header for no convention: it needs a mapping', () => {
    expect(() => build([operation([{ partnerSigv4: [] }], 'signed')], {})).toThrow("security scheme 'partnerSigv4'");
  });

  it('with Auth.schemes, an OAuth scheme it does not name is unmapped too (no implicit JWT authorizer)', () => {
    expect(() => build([operation([{ oidc: [] }], 'x')], { schemes: { oauth: { mechanism: 'jwt', bodySchemeName: 'Jwt' } } })).toThrow(
      "security scheme 'oidc' (openIdConnect), required by 'x', is mapped to no mechanism",
    );
  });

  it('protects undeclared operations with the default mechanism, and without one under Auth.schemes names them', () => {
    const schemesOnly = { schemes: { oauth: { mechanism: 'jwt' as const, bodySchemeName: 'Jwt' } } };
    expect(
      summary([operation(undefined, 'u')], { ...schemesOnly, defaultMechanism: { mechanism: 'iam', bodySchemeName: IAM_SCHEME_NAME } }),
    ).toEqual([{ id: 'u', mechanism: 'iam', security: [{ [IAM_SCHEME_NAME]: [] }], from: [] }]);
    expect(() => build([operation(undefined, 'u1'), operation(undefined, 'u2')], schemesOnly)).toThrow(
      "api.yaml#/paths: 'u1', 'u2' declare no security requirement, and Auth.schemes names no defaultScheme",
    );
  });

  it('names the mechanism a configuration lacks', () => {
    expect(() => build([operation([{ partner: [] }], 'p')], { schemes: { partner: { mechanism: 'lambda' } } })).toThrow(
      "operation 'p' requires a Lambda authorizer, which SecureApi's auth does not configure",
    );
  });
});

describe('operationsByMechanism and mechanismByOperation', () => {
  const { decisions } = buildOperationSecurity(
    [
      operation([{ sigv4: [] }], 'getReport'),
      operation([{ oauth: [] }], 'listReports'),
      operation([], 'health'),
      operation([{ sigv4: [] }], 'deleteReport'),
    ],
    schemes,
    { authorizerSchemeName: 'Jwt' },
    'api.yaml',
  );

  it('lists the operations of one mechanism, in document order', () => {
    expect(operationsByMechanism(decisions, 'iam')).toEqual(['getReport', 'deleteReport']);
    expect(operationsByMechanism(decisions, 'jwt')).toEqual(['listReports']);
    expect(operationsByMechanism(decisions, 'none')).toEqual(['health']);
    expect(operationsByMechanism(decisions, 'lambda')).toEqual([]);
  });

  it('maps every operation to its mechanism', () => {
    expect(mechanismByOperation(decisions)).toEqual({ getReport: 'iam', listReports: 'jwt', health: 'none', deleteReport: 'iam' });
  });

  it("contributes API Gateway's IAM scheme to the body only when an operation uses IAM", () => {
    expect(iamBodyContribution(decisions)).toEqual({ securitySchemes: { [IAM_SCHEME_NAME]: IAM_SECURITY_SCHEME } });
    expect(IAM_SECURITY_SCHEME).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    });
    expect(iamBodyContribution(decisions.filter((d) => d.mechanism !== 'iam'))).toBeUndefined();
  });
});
