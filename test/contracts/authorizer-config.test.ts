import { AUTHORIZER_ENV, AUTHORIZER_ROUTES_FILE, REJECTION_REASONS, routeKey } from '../../contracts/authorizer-config';

describe('routeKey', () => {
  it('writes an operation as its upper-case method, one space, and its API Gateway path', () => {
    expect(routeKey('get', '/orders/{orderId}')).toBe('GET /orders/{orderId}');
    expect(routeKey('Post', '/orders')).toBe('POST /orders');
    expect(routeKey('ANY', '/files/{proxy+}')).toBe('ANY /files/{proxy+}');
  });

  it('gives every letter case of one method the same key, so the scope map has one entry per operation', () => {
    expect(new Set(['get', 'GET', 'Get', 'gEt'].map((m) => routeKey(m, '/a')))).toEqual(new Set(['GET /a']));
  });

  it('keeps the path as written: paths differing only in case are different routes', () => {
    expect(routeKey('get', '/Orders')).not.toBe(routeKey('get', '/orders'));
  });

  it('writes the root as a single slash after the method', () => {
    expect(routeKey('get', '/')).toBe('GET /');
  });
});

describe('REJECTION_REASONS', () => {
  it('holds each reason once', () => {
    expect(new Set(REJECTION_REASONS).size).toBe(REJECTION_REASONS.length);
  });

  it('holds only lower-case snake_case codes, safe as a metric dimension value and a log field', () => {
    for (const reason of REJECTION_REASONS) expect(reason).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
  });

  it('names the reasons the gate and the verifier rely on', () => {
    for (const reason of ['no_token', 'ambiguous_token', 'token_too_long', 'malformed_token', 'bad_signature', 'insufficient_scope'])
      expect(REJECTION_REASONS).toContain(reason);
  });
});

describe('AUTHORIZER_ENV', () => {
  it('uses distinct, prefixed variable names that Lambda accepts', () => {
    const names = Object.values(AUTHORIZER_ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^SECUREAPI_[A-Z_]+$/);
  });

  it('reads the scope map from a plain file name next to the handler (no directory part)', () => {
    expect(AUTHORIZER_ROUTES_FILE).toBe('routes.json');
    expect(AUTHORIZER_ROUTES_FILE).not.toMatch(/[/\\]/);
  });
});
