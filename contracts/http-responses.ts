/**
 * What every error answer of a SecureApi API looks like, whoever gives it: API Gateway's gateway
 * responses (lib/openapi), the web ACL's custom responses (lib/waf) and the docs handler (lambda/docs).
 * A client sees one shape, `{"error":{"code","message","requestId"}}`, with a generic message and
 * the same security headers, whichever layer rejected it. Dependency-free: it is bundled into handlers.
 */

/** Security headers on every error answer (static values: API Gateway quotes them, WAF takes them as they are). */
export const SECURITY_HEADERS: { readonly [header: string]: string } = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

/** One error a client can see: a stable code and a generic message that reveals nothing internal. */
export interface HttpError {
  readonly code: string;
  readonly message: string;
}

/** Every error a client can see, by name. */
export const HTTP_ERRORS = {
  badRequest: { code: 'BAD_REQUEST', message: 'The request was rejected' },
  invalidBody: { code: 'INVALID_BODY', message: 'The request body is invalid' },
  invalidParameters: { code: 'INVALID_PARAMETERS', message: 'A required request parameter is missing' },
  unauthorized: { code: 'UNAUTHORIZED', message: 'Unauthorized' },
  forbidden: { code: 'FORBIDDEN', message: 'Forbidden' },
  notFound: { code: 'NOT_FOUND', message: 'Not found' },
  methodNotAllowed: { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' },
  requestTooLarge: { code: 'REQUEST_TOO_LARGE', message: 'The request is too large' },
  unsupportedMediaType: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported media type' },
  quotaExceeded: { code: 'QUOTA_EXCEEDED', message: 'Quota exceeded' },
  throttled: { code: 'THROTTLED', message: 'Too many requests' },
  internalError: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
  badGateway: { code: 'BAD_GATEWAY', message: 'Bad gateway' },
  gatewayTimeout: { code: 'GATEWAY_TIMEOUT', message: 'Gateway timeout' },
} as const satisfies { readonly [name: string]: HttpError };

/**
 * The uniform JSON error body. `requestId` is what support staff look up in the logs: API Gateway's
 * `$context.requestId` in a gateway response template, the event's request id in a handler, and
 * null where the body is static (WAF; clients then find it in the `x-amzn-RequestId` header).
 */
export function errorBody(error: HttpError, requestId: string | null): string {
  return JSON.stringify({ error: { code: error.code, message: error.message, requestId } });
}
