import { invokeRoutesOf, schemeMechanism } from '../../lib/access/invoke-routes';

const SIGV4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
const JWT = {
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': { type: 'request' },
};
const POOL = {
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'cognito_user_pools',
  'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools' },
};
const KEY = { type: 'apiKey', name: 'x-api-key', in: 'header' };

describe('schemeMechanism', () => {
  it('reads what authorizes a request from the scheme API Gateway imports', () => {
    expect(schemeMechanism(SIGV4)).toBe('iam');
    expect(schemeMechanism({ ...SIGV4, 'x-amazon-apigateway-authtype': 'AWSSIGV4' })).toBe('iam');
    expect(schemeMechanism(JWT)).toBe('lambdaAuthorizer');
    expect(schemeMechanism({ ...JWT, 'x-amazon-apigateway-authorizer': { type: 'token' } })).toBe('lambdaAuthorizer');
    expect(schemeMechanism(POOL)).toBe('cognitoUserPools');
    expect(schemeMechanism(KEY)).toBeUndefined();
  });
});

describe('invokeRoutesOf', () => {
  it("lists every route of the body with its mechanism, an API key adding none, SecureApi's own routes included", () => {
    const body = {
      paths: {
        '/reports/{id}': {
          get: { operationId: 'getReport', security: [{ sigv4: [] }, { sigv4: [], api_key: [] }] },
          delete: { operationId: 'deleteReport', security: [{ sigv4: [] }] },
          options: { responses: {} },
        },
        '/reports': { get: { operationId: 'listReports', security: [{ jwt: ['reports:read'] }] }, parameters: [] },
        '/profile': { get: { operationId: 'getProfile', security: [{ pool: [] }] } },
        '/catalog': { get: { operationId: 'getCatalog', security: [{ api_key: [] }] } },
        '/docs/{proxy+}': { 'x-amazon-apigateway-any-method': { security: [{ jwt: [] }] } },
      },
      components: { securitySchemes: { sigv4: SIGV4, jwt: JWT, pool: POOL, api_key: KEY } },
    };
    expect(invokeRoutesOf(body)).toEqual([
      { key: 'ANY /docs/{proxy+}', operationId: undefined, mechanism: 'lambdaAuthorizer' },
      { key: 'DELETE /reports/{id}', operationId: 'deleteReport', mechanism: 'iam' },
      { key: 'GET /catalog', operationId: 'getCatalog', mechanism: 'none' },
      { key: 'GET /profile', operationId: 'getProfile', mechanism: 'cognitoUserPools' },
      { key: 'GET /reports', operationId: 'listReports', mechanism: 'lambdaAuthorizer' },
      { key: 'GET /reports/{id}', operationId: 'getReport', mechanism: 'iam' },
      { key: 'OPTIONS /reports/{id}', operationId: undefined, mechanism: 'none' },
    ]);
  });

  it('refuses a route written with two mechanisms, which the security pass never emits', () => {
    const body = {
      paths: { '/x': { get: { operationId: 'x', security: [{ sigv4: [] }, { jwt: [] }] } } },
      components: { securitySchemes: { sigv4: SIGV4, jwt: JWT } },
    };
    expect(() => invokeRoutesOf(body)).toThrow('route GET /x is written with several authorizing mechanisms (iam, lambdaAuthorizer)');
  });
});
