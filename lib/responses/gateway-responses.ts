import { JsonObject } from '../openapi/types';

/**
 * The gateway responses SecureApi hardens, with the fixed, generic message each one returns.
 * No `$context.error.message` or validation detail reaches the client: the uniform body carries
 * only a code, a generic message and the request id that support staff can look up in the logs.
 */
export const HARDENED_GATEWAY_RESPONSES: ReadonlyArray<{ readonly type: string; readonly code: string; readonly message: string }> = [
  { type: 'DEFAULT_4XX', code: 'BAD_REQUEST', message: 'The request was rejected' },
  { type: 'DEFAULT_5XX', code: 'INTERNAL_ERROR', message: 'Internal server error' },
  { type: 'BAD_REQUEST_BODY', code: 'INVALID_BODY', message: 'The request body is invalid' },
  { type: 'BAD_REQUEST_PARAMETERS', code: 'INVALID_PARAMETERS', message: 'A required request parameter is missing' },
  { type: 'UNAUTHORIZED', code: 'UNAUTHORIZED', message: 'Unauthorized' },
  { type: 'ACCESS_DENIED', code: 'FORBIDDEN', message: 'Forbidden' },
  { type: 'MISSING_AUTHENTICATION_TOKEN', code: 'FORBIDDEN', message: 'Forbidden' },
  { type: 'EXPIRED_TOKEN', code: 'UNAUTHORIZED', message: 'Unauthorized' },
  { type: 'INVALID_SIGNATURE', code: 'FORBIDDEN', message: 'Forbidden' },
  { type: 'INVALID_API_KEY', code: 'FORBIDDEN', message: 'Forbidden' },
  { type: 'AUTHORIZER_FAILURE', code: 'INTERNAL_ERROR', message: 'Internal server error' },
  { type: 'AUTHORIZER_CONFIGURATION_ERROR', code: 'INTERNAL_ERROR', message: 'Internal server error' },
  { type: 'QUOTA_EXCEEDED', code: 'QUOTA_EXCEEDED', message: 'Quota exceeded' },
  { type: 'THROTTLED', code: 'THROTTLED', message: 'Too many requests' },
  { type: 'WAF_FILTERED', code: 'FORBIDDEN', message: 'Forbidden' },
  { type: 'REQUEST_TOO_LARGE', code: 'REQUEST_TOO_LARGE', message: 'The request is too large' },
  { type: 'UNSUPPORTED_MEDIA_TYPE', code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported media type' },
  { type: 'RESOURCE_NOT_FOUND', code: 'NOT_FOUND', message: 'Not found' },
  { type: 'API_CONFIGURATION_ERROR', code: 'INTERNAL_ERROR', message: 'Internal server error' },
  { type: 'INTEGRATION_FAILURE', code: 'BAD_GATEWAY', message: 'Bad gateway' },
  { type: 'INTEGRATION_TIMEOUT', code: 'GATEWAY_TIMEOUT', message: 'Gateway timeout' },
];

/** Security headers on every gateway response (values as API Gateway static header expressions). */
export const SECURITY_HEADERS: { readonly [header: string]: string } = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

/** The uniform JSON error body: `{"error":{"code","message","requestId"}}`. */
export function errorBody(code: string, message: string, requestId = '$context.requestId'): string {
  return JSON.stringify({ error: { code, message, requestId } });
}

/** Extra static headers for particular response types, contributed by concerns (e.g. WWW-Authenticate on UNAUTHORIZED). */
export type ResponseHeaderContributions = { [responseType: string]: { [header: string]: string } };

/**
 * Builds `x-amazon-apigateway-gateway-responses`: the uniform JSON error with the request id and
 * security headers on every hardened response type, plus headers other concerns contribute.
 */
export function buildGatewayResponses(extraHeaders: ResponseHeaderContributions = {}, commonHeaders: { [header: string]: string } = {}): { [type: string]: JsonObject } {
  const unknown = Object.keys(extraHeaders).filter((t) => !HARDENED_GATEWAY_RESPONSES.some((r) => r.type === t));
  // Invariant (a bug, not configuration): the contributions come from SecureApi's own concerns.
  if (unknown.length > 0) throw new Error(`gateway responses: unknown response type(s) ${unknown.join(', ')}`);
  const responses: { [type: string]: JsonObject } = {};
  for (const { type, code, message } of HARDENED_GATEWAY_RESPONSES) {
    const headers = { ...SECURITY_HEADERS, ...commonHeaders, ...(extraHeaders[type] ?? {}) };
    const responseParameters: JsonObject = {};
    for (const name of Object.keys(headers).sort()) {
      // API Gateway static values are wrapped in single quotes and cannot contain one.
      // Invariant (a bug, not configuration): the headers are SecureApi's own constants and contributions.
      if (headers[name].includes("'")) throw new Error(`gateway responses: header ${name} must not contain a single quote`);
      responseParameters[`gatewayresponse.header.${name}`] = `'${headers[name]}'`;
    }
    responses[type] = {
      responseParameters,
      responseTemplates: { 'application/json': errorBody(code, message) },
    };
  }
  return responses;
}
