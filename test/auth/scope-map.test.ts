import { buildScopeMap, scopesOf } from '../../lib/auth/scope-map';
import { OperationSecurityDecision } from '../../lib/openapi';
import { apiOperation } from '../support/api-operation';

const SCHEME = 'SecureApiJwtAuthorizer';

function decision(operationId: string, schemes: string[], scopeAlternatives: string[][] = []): OperationSecurityDecision {
  return {
    operationId,
    security: schemes.length > 0 ? [Object.fromEntries(schemes.map((s) => [s, [] as string[]]))] : [],
    access: {
      undeclared: false,
      public: schemes.length === 0,
      jwt: schemes.includes(SCHEME),
      apiKey: schemes.includes('api_key'),
      scopeAlternatives,
    },
    mechanism: schemes.includes(SCHEME) ? 'jwt' : 'none',
    documentSchemes: [],
  };
}

describe('buildScopeMap', () => {
  const operations = [
    apiOperation('listPets', 'get', '/pets'),
    apiOperation('createPet', 'post', '/pets'),
    apiOperation('health', 'get', '/health'),
    apiOperation('keyOnly', 'get', '/metered'),
  ];
  const decisions = [
    decision('listPets', [SCHEME], [['pets:read'], ['pets:admin']]),
    decision('createPet', [SCHEME], [['pets:write', 'pets:audit']]),
    decision('health', []),
    decision('keyOnly', ['api_key']),
  ];

  it('maps every route the authorizer protects to its scope alternatives, each set sorted', () => {
    expect(buildScopeMap(operations, decisions, SCHEME).routes).toEqual({
      'GET /pets': [['pets:read'], ['pets:admin']],
      'POST /pets': [['pets:audit', 'pets:write']],
    });
  });

  it('leaves out public and key-only operations, so the authorizer denies them if ever invoked for one', () => {
    const routes = buildScopeMap(operations, decisions, SCHEME).routes;
    expect(Object.keys(routes)).not.toContain('GET /health');
    expect(Object.keys(routes)).not.toContain('GET /metered');
  });

  it('adds the routes the library owns, any valid token when they name no scope', () => {
    const routes = buildScopeMap(operations, decisions, SCHEME, [
      { method: 'GET', path: '/docs' },
      { method: 'GET', path: '/docs/{file}', scopeAlternatives: [['docs:read']] },
    ]).routes;
    expect(routes['GET /docs']).toEqual([]);
    expect(routes['GET /docs/{file}']).toEqual([['docs:read']]);
  });

  it('rejects a library route that is already an operation, and a decision without an operation', () => {
    expect(() => buildScopeMap(operations, decisions, SCHEME, [{ method: 'GET', path: '/pets' }])).toThrow(
      'the route GET /pets is declared twice',
    );
    expect(() => buildScopeMap(operations, [decision('ghost', [SCHEME])], SCHEME)).toThrow("no operation 'ghost'");
  });
});

describe('scopesOf', () => {
  it('lists every scope of the map once, sorted: what a Cognito resource server must define', () => {
    expect(scopesOf({ routes: { 'GET /a': [['b', 'a']], 'GET /b': [['a'], ['c']], 'GET /c': [] } })).toEqual(['a', 'b', 'c']);
  });
});
