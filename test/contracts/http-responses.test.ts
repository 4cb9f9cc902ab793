import { errorBody, HTTP_ERRORS, SECURITY_HEADERS } from '../../contracts/http-responses';

describe('http-responses', () => {
  it('writes the uniform error body with the code, the generic message and the request id, in that order', () => {
    expect(errorBody(HTTP_ERRORS.forbidden, '$context.requestId')).toBe(
      '{"error":{"code":"FORBIDDEN","message":"Forbidden","requestId":"$context.requestId"}}',
    );
    expect(errorBody(HTTP_ERRORS.throttled, null)).toBe('{"error":{"code":"THROTTLED","message":"Too many requests","requestId":null}}');
  });

  it('keeps every error code stable and every message free of internal detail', () => {
    for (const error of Object.values(HTTP_ERRORS)) {
      expect(error.code).toMatch(/^[A-Z_]+$/);
      expect(error.message).not.toMatch(/\$|arn:|Exception|stack/i);
    }
    expect(new Set(Object.values(HTTP_ERRORS).map((e) => e.code)).size).toBe(Object.keys(HTTP_ERRORS).length);
  });

  it('sends HSTS, nosniff, no-store and DENY framing, in values both API Gateway and WAF accept', () => {
    expect(SECURITY_HEADERS).toEqual({
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
    });
    // API Gateway wraps static header values in single quotes, so none may hold one.
    for (const value of Object.values(SECURITY_HEADERS)) expect(value).not.toContain("'");
  });
});
