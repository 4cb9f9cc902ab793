import { methodArnPattern, requirementKey, routeAlternatives } from '../../contracts/authorizer-cache';
import { AuthorizerRoutes } from '../../contracts/authorizer-config';

describe('methodArnPattern', () => {
  it.each([
    ['GET /orders/{orderId}', 'GET/orders/*'],
    ['GET /orders/{orderId}/items/{itemId}', 'GET/orders/*/items/*'],
    ['GET /files/{proxy+}', 'GET/files/*'],
    ['ANY /files/{proxy+}', '*/files/*'],
    ['ANY /', '*/'],
    ['GET /', 'GET/'],
    ['DELETE /orders', 'DELETE/orders'],
  ])('writes %s as %s', (key, pattern) => {
    expect(methodArnPattern(key)).toBe(pattern);
  });

  it('replaces a parameter that is only part of a segment, and keeps the literal around it', () => {
    expect(methodArnPattern('GET /reports/{year}.csv')).toBe('GET/reports/*.csv');
  });

  it('writes no wildcard for a literal path, so a literal route never grants its neighbours', () => {
    expect(methodArnPattern('GET /admin')).not.toContain('*');
  });

  it('does not treat braces that span a slash as one parameter', () => {
    expect(methodArnPattern('GET /a/{b/c}')).toBe('GET/a/{b/c}');
  });
});

describe('routeAlternatives', () => {
  it('binds every alternative to the first issuer when the map has no issuer binding', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['read'], ['admin', 'audit']] } };
    expect(routeAlternatives(routes, 'GET /a')).toEqual([
      { scopes: ['read'], issuers: [0] },
      { scopes: ['admin', 'audit'], issuers: [0] },
    ]);
  });

  it('has no alternatives for a route that needs any valid token (no binding)', () => {
    expect(routeAlternatives({ routes: { 'GET /a': [] } }, 'GET /a')).toEqual([]);
  });

  it('has no alternatives for a route missing from the map', () => {
    expect(routeAlternatives({ routes: {} }, 'GET /missing')).toEqual([]);
  });

  it('pairs each alternative with its own issuers when the map binds them', () => {
    const routes: AuthorizerRoutes = {
      routes: { 'GET /a': [['read'], []] },
      issuers: { 'GET /a': [[0], [1, 2]] },
    };
    expect(routeAlternatives(routes, 'GET /a')).toEqual([
      { scopes: ['read'], issuers: [0] },
      { scopes: [], issuers: [1, 2] },
    ]);
  });

  it('refuses a binding with fewer entries than the route has alternatives (a scope must not lose its issuer)', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['read'], ['write']] }, issuers: { 'GET /a': [[0]] } };
    expect(() => routeAlternatives(routes, 'GET /a')).toThrow('the issuer binding of GET /a does not fit its scope alternatives');
  });

  it('refuses a bound map without an entry for the route', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['read']] }, issuers: {} };
    expect(() => routeAlternatives(routes, 'GET /a')).toThrow('does not fit');
  });
});

describe('requirementKey', () => {
  it('is "any" for a route that any valid token passes', () => {
    expect(requirementKey({ routes: { 'GET /a': [] } }, 'GET /a')).toBe('any');
  });

  it('does not depend on the order of scopes, issuers or alternatives', () => {
    const routes: AuthorizerRoutes = {
      routes: { 'GET /a': [['b', 'a'], ['c']], 'GET /b': [['c'], ['a', 'b']] },
      issuers: { 'GET /a': [[1, 0], [2]], 'GET /b': [[2], [0, 1]] },
    };
    expect(requirementKey(routes, 'GET /a')).toBe(requirementKey(routes, 'GET /b'));
  });

  it('treats a repeated alternative as one', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['read'], ['read']], 'GET /b': [['read']] } };
    expect(requirementKey(routes, 'GET /a')).toBe(requirementKey(routes, 'GET /b'));
  });

  it('tells apart routes that need different scopes', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['read']], 'GET /b': [['write']] } };
    expect(requirementKey(routes, 'GET /a')).not.toBe(requirementKey(routes, 'GET /b'));
  });

  it('tells apart the same scope granted by different issuers (a scope binds to its issuer)', () => {
    const routes: AuthorizerRoutes = {
      routes: { 'GET /a': [['read']], 'GET /b': [['read']] },
      issuers: { 'GET /a': [[0]], 'GET /b': [[1]] },
    };
    expect(requirementKey(routes, 'GET /a')).not.toBe(requirementKey(routes, 'GET /b'));
  });

  it('tells apart "any token" from "a token of the first issuer without scopes"', () => {
    const routes: AuthorizerRoutes = {
      routes: { 'GET /a': [[]], 'GET /b': [[]] },
      issuers: { 'GET /a': [[0]], 'GET /b': [[0, 1]] },
    };
    expect(requirementKey(routes, 'GET /a')).not.toBe('any');
    expect(requirementKey(routes, 'GET /a')).not.toBe(requirementKey(routes, 'GET /b'));
  });

  it('tells apart one alternative needing two scopes from two alternatives needing one each (AND versus OR)', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['read', 'write']], 'GET /b': [['read'], ['write']] } };
    expect(requirementKey(routes, 'GET /a')).not.toBe(requirementKey(routes, 'GET /b'));
  });

  it('is not confused by scope names holding JSON punctuation', () => {
    const routes: AuthorizerRoutes = { routes: { 'GET /a': [['a","b']], 'GET /b': [['a', 'b']] } };
    expect(requirementKey(routes, 'GET /a')).not.toBe(requirementKey(routes, 'GET /b'));
  });

  it('sorts issuer indexes as numbers, not as text', () => {
    const routes: AuthorizerRoutes = {
      routes: { 'GET /a': [['s']], 'GET /b': [['s']] },
      issuers: { 'GET /a': [[10, 9]], 'GET /b': [[9, 10]] },
    };
    expect(requirementKey(routes, 'GET /a')).toBe(requirementKey(routes, 'GET /b'));
    expect(requirementKey(routes, 'GET /a')).toContain('[9,10]');
  });
});
