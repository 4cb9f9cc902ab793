import { methodArnPattern } from '../../contracts/authorizer-cache';
import {
  CacheRoute,
  languagesIntersect,
  patternLanguage,
  patternMatchesRequestsOf,
  planAuthorizerCache,
  policySize,
  requestLanguage,
} from '../../lib/auth/cache-proof';

const route = (key: string, requirement: string, label = key): CacheRoute => ({ key, label, requirement });
const OPTIONS = { budgetBytes: 8192, arnPrefixBytes: 72 };

describe('methodArnPattern', () => {
  it.each([
    ['GET /orders/{orderId}', 'GET/orders/*'],
    ['GET /files/{proxy+}', 'GET/files/*'],
    ['ANY /files/{proxy+}', '*/files/*'],
    ['GET /', 'GET/'],
    ['POST /orders/{orderId}/refunds', 'POST/orders/*/refunds'],
  ])('writes %s as %s', (key, pattern) => {
    expect(methodArnPattern(key)).toBe(pattern);
  });
});

describe('languagesIntersect', () => {
  const matches = (pattern: string, arn: string) =>
    languagesIntersect(patternLanguage(pattern), patternLanguage(arn.replace(/[*?]/g, 'x')));
  it('reads * as any run of characters, slashes and nothing included', () => {
    expect(matches('GET/orders/*', 'GET/orders/1/refunds')).toBe(true);
    expect(matches('GET/orders/*', 'GET/orders/')).toBe(true);
    expect(matches('GET/orders/*', 'GET/orders')).toBe(false);
    expect(matches('*/files/*', 'DELETE/x/files/a')).toBe(true);
  });
});

describe('patternMatchesRequestsOf', () => {
  it.each<[string, string, boolean]>([
    // A parameter's pattern covers a literal sibling, and a nested route (the value may even hold a slash).
    ['GET /orders/{id}', 'GET /orders/search', true],
    ['GET /orders/search', 'GET /orders/{id}', true],
    ['GET /orders/{id}', 'GET /orders/{id}/audit', true],
    ['GET /orders/{id}/audit', 'GET /orders/{id}', true],
    // A greedy route covers everything below it, and a route below it is one of its requests.
    ['GET /files/{proxy+}', 'GET /files/admin/audit', true],
    ['GET /files/admin/audit', 'GET /files/{proxy+}', true],
    // ANY covers every method; * of ANY spans slashes, so it reaches into other paths' tails.
    ['ANY /files/{proxy+}', 'DELETE /files/x', true],
    ['ANY /x', 'GET /a/x', true],
    ['GET /a/x', 'ANY /x', false],
    // Different methods never meet; nor do siblings with different literals.
    ['GET /orders/{id}', 'POST /orders/{id}', false],
    ['GET /orders', 'GET /orders/{id}', false],
    ['GET /orders/{id}', 'GET /orders', false],
    ['GET /a/b', 'GET /a/c', false],
    // The root is GET/, and GET/* covers it.
    ['GET /', 'GET /orders', false],
    ['GET /{proxy+}', 'GET /', true],
  ])('the pattern of %s matches a request of %s: %s', (a, b, expected) => {
    expect(patternMatchesRequestsOf(a, b)).toBe(expected);
  });

  it('models parameter values as any string: *, ?, escapes and non-ASCII are in the language', () => {
    const orders = requestLanguage('GET /orders/{id}');
    for (const value of ['*', '?', '.', '~', '%2F', 'a/b', 'ü', '']) {
      expect([value, languagesIntersect(orders, patternLanguage(`GET/orders/${value}`.replace(/[*?]/g, 'z')))]).toEqual([value, true]);
    }
  });
});

describe('planAuthorizerCache', () => {
  it('keys a route set without confusable pairs by the token alone', () => {
    const plan = planAuthorizerCache(
      [
        route('GET /orders', 'r'),
        route('GET /orders/{id}', 'r'),
        route('POST /orders', 'w'),
        route('DELETE /orders/{id}', 'a'),
        route('GET /', 'any'),
      ],
      OPTIONS,
    );
    expect(plan.tokenKeyed).toEqual(['DELETE /orders/{id}', 'GET /', 'GET /orders', 'GET /orders/{id}', 'POST /orders']);
    expect(plan.perRoute).toEqual([]);
  });

  it('keeps both routes of an overlapping pair with different requirements per-route, and names the overlap', () => {
    const plan = planAuthorizerCache(
      [
        route('GET /files/{proxy+}', 'read', 'getFile'),
        route('GET /files/admin/audit', 'admin', 'getAudit'),
        route('GET /me', 'any', 'whoAmI'),
      ],
      OPTIONS,
    );
    expect(plan.tokenKeyed).toEqual(['GET /me']);
    expect(plan.perRoute).toEqual([
      { key: 'GET /files/admin/audit', label: 'getAudit', reason: "'GET /files/admin/audit' overlaps 'GET /files/{proxy+}'" },
      { key: 'GET /files/{proxy+}', label: 'getFile', reason: "'GET /files/admin/audit' overlaps 'GET /files/{proxy+}'" },
    ]);
  });

  it('lets routes with the same requirement overlap', () => {
    expect(planAuthorizerCache([route('GET /files/{proxy+}', 'read'), route('GET /files/admin/audit', 'read')], OPTIONS).perRoute).toEqual(
      [],
    );
  });

  it('keeps the worst-case policy within the budget, moving the rest to per-route', () => {
    const routes = Array.from({ length: 400 }, (_, i) => route(`GET /resource-${String(i).padStart(3, '0')}/{id}`, `scope-${i % 7}`));
    const plan = planAuthorizerCache(routes, OPTIONS);
    expect(plan.tokenKeyed.length).toBeGreaterThan(50);
    expect(plan.tokenKeyed.length).toBeLessThan(400);
    expect(plan.worstCasePolicyBytes).toBeLessThanOrEqual(8192);
    expect(plan.perRoute[0].reason).toBe('the worst-case policy would exceed 8192 bytes');
  });
});

describe('policySize', () => {
  it('bounds the smaller of the two policy forms by half their sum', () => {
    const size = policySize(72);
    const total = size.resource('GET/orders/*') * 10;
    expect(size.worst(total)).toBeGreaterThanOrEqual(size.worst(0));
    expect(size.worst(total)).toBeLessThan(total);
  });
});
