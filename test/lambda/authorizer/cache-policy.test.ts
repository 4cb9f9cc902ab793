import { requirementKey, routeAlternatives } from '../../../contracts/authorizer-cache';
import { AuthorizerRoutes } from '../../../contracts/authorizer-config';
import { tokenKeyedPolicies } from '../../../lambda/authorizer/cache-policy';

const PREFIX = 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod';
const ROUTES: AuthorizerRoutes = {
  routes: {
    'GET /a': [['read']],
    'GET /a/{id}': [['read']],
    'GET /b': [['read']],
    'POST /a': [['write']],
    'DELETE /a/{id}': [['admin']],
    'GET /me': [],
  },
  tokenKeyed: ['DELETE /a/{id}', 'GET /a', 'GET /a/{id}', 'GET /b', 'GET /me', 'POST /a'],
};

describe('tokenKeyedPolicies', () => {
  const policy = tokenKeyedPolicies(ROUTES);

  it('lists the allowed routes in one Allow statement when that is the smaller form', () => {
    expect(policy(PREFIX, 0, new Set(['write'])).Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/GET/me`, `${PREFIX}/POST/a`] },
    ]);
  });

  it('allows everything but one Deny statement when that is the smaller form', () => {
    expect(policy(PREFIX, 0, new Set(['read', 'write'])).Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/*`] },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/DELETE/a/*`] },
    ]);
  });

  it('writes one statement of the whole stage when everything is allowed or everything denied', () => {
    expect(policy(PREFIX, 0, new Set(['read', 'write', 'admin'])).Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/*`] },
    ]);
    const none = tokenKeyedPolicies({ routes: { 'GET /a': [['read']] }, tokenKeyed: ['GET /a'] });
    expect(none(PREFIX, 0, new Set()).Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/*`] }]);
  });

  it('grants no scope of another issuer: without a binding only the first issuer grants scopes', () => {
    expect(policy(PREFIX, 1, new Set(['read', 'write', 'admin'])).Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/GET/me`] },
    ]);
  });

  it('gives tokens whose scopes differ only in scopes no route names the same policy object', () => {
    expect(policy(PREFIX, 0, new Set(['read', 'profile']))).toBe(policy(PREFIX, 0, new Set(['read', 'email'])));
  });

  it('refuses a token-keyed route that is not in the scope map', () => {
    expect(() => tokenKeyedPolicies({ routes: {}, tokenKeyed: ['GET /x'] })).toThrow(
      'the token-keyed route GET /x is not in the scope map',
    );
  });
});

describe('routeAlternatives', () => {
  it('pairs each alternative with its issuers, or with the first issuer without a binding', () => {
    expect(routeAlternatives({ routes: { 'GET /a': [['x'], ['y']] }, issuers: { 'GET /a': [[0, 1], [1]] } }, 'GET /a')).toEqual([
      { scopes: ['x'], issuers: [0, 1] },
      { scopes: ['y'], issuers: [1] },
    ]);
    expect(routeAlternatives({ routes: { 'GET /a': [['x']] } }, 'GET /a')).toEqual([{ scopes: ['x'], issuers: [0] }]);
    expect(() => routeAlternatives({ routes: { 'GET /a': [['x']] }, issuers: {} }, 'GET /a')).toThrow(
      'the issuer binding of GET /a does not fit its scope alternatives',
    );
  });
});

describe('requirementKey', () => {
  it('is equal for the same alternatives in any order, and differs by scopes or issuers', () => {
    const routes: AuthorizerRoutes = {
      routes: { a: [['x', 'y'], ['z']], b: [['z'], ['y', 'x']], c: [['x', 'y']], d: [['x', 'y'], ['z']], e: [] },
      issuers: { a: [[0], [1]], b: [[1], [0]], c: [[0]], d: [[0], [0]], e: [] },
    };
    expect(requirementKey(routes, 'a')).toBe(requirementKey(routes, 'b'));
    expect(requirementKey(routes, 'a')).not.toBe(requirementKey(routes, 'c'));
    expect(requirementKey(routes, 'a')).not.toBe(requirementKey(routes, 'd'));
    expect(requirementKey(routes, 'e')).toBe('any');
  });
});
