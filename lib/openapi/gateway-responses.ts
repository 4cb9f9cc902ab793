import { errorBody, HTTP_ERRORS, HttpError, SECURITY_HEADERS } from '../../contracts/http-responses';
import { JsonObject } from '../model';

/**
 * The gateway responses SecureApi hardens, with the fixed, generic error each one returns.
 * No `$context.error.message` or validation detail reaches the client: the uniform body carries
 * only a code, a generic message and the request id that support staff can look up in the logs.
 */
export const HARDENED_GATEWAY_RESPONSES: ReadonlyArray<{ readonly type: string; readonly error: HttpError }> = [
  { type: 'DEFAULT_4XX', error: HTTP_ERRORS.badRequest },
  { type: 'DEFAULT_5XX', error: HTTP_ERRORS.internalError },
  { type: 'BAD_REQUEST_BODY', error: HTTP_ERRORS.invalidBody },
  { type: 'BAD_REQUEST_PARAMETERS', error: HTTP_ERRORS.invalidParameters },
  { type: 'UNAUTHORIZED', error: HTTP_ERRORS.unauthorized },
  { type: 'ACCESS_DENIED', error: HTTP_ERRORS.forbidden },
  { type: 'MISSING_AUTHENTICATION_TOKEN', error: HTTP_ERRORS.forbidden },
  { type: 'EXPIRED_TOKEN', error: HTTP_ERRORS.unauthorized },
  { type: 'INVALID_SIGNATURE', error: HTTP_ERRORS.forbidden },
  { type: 'INVALID_API_KEY', error: HTTP_ERRORS.forbidden },
  { type: 'AUTHORIZER_FAILURE', error: HTTP_ERRORS.internalError },
  { type: 'AUTHORIZER_CONFIGURATION_ERROR', error: HTTP_ERRORS.internalError },
  { type: 'QUOTA_EXCEEDED', error: HTTP_ERRORS.quotaExceeded },
  { type: 'THROTTLED', error: HTTP_ERRORS.throttled },
  { type: 'WAF_FILTERED', error: HTTP_ERRORS.forbidden },
  { type: 'REQUEST_TOO_LARGE', error: HTTP_ERRORS.requestTooLarge },
  { type: 'UNSUPPORTED_MEDIA_TYPE', error: HTTP_ERRORS.unsupportedMediaType },
  { type: 'RESOURCE_NOT_FOUND', error: HTTP_ERRORS.notFound },
  { type: 'API_CONFIGURATION_ERROR', error: HTTP_ERRORS.internalError },
  { type: 'INTEGRATION_FAILURE', error: HTTP_ERRORS.badGateway },
  { type: 'INTEGRATION_TIMEOUT', error: HTTP_ERRORS.gatewayTimeout },
];

/** Extra static headers for particular response types, contributed by concerns (e.g. WWW-Authenticate on UNAUTHORIZED). */
export type ResponseHeaderContributions = { [responseType: string]: { [header: string]: string } };

/**
 * Builds `x-amazon-apigateway-gateway-responses`: the uniform JSON error with the request id and
 * security headers on every hardened response type, plus headers other concerns contribute.
 */
export function buildGatewayResponses(
  extraHeaders: ResponseHeaderContributions = {},
  commonHeaders: { [header: string]: string } = {},
): { [type: string]: JsonObject } {
  const unknown = Object.keys(extraHeaders).filter((t) => !HARDENED_GATEWAY_RESPONSES.some((r) => r.type === t));
  // Invariant (a bug, not configuration): the contributions come from SecureApi's own concerns.
  if (unknown.length > 0) throw new Error(`gateway responses: unknown response type(s) ${unknown.join(', ')}`);
  const responses: { [type: string]: JsonObject } = {};
  for (const { type, error } of HARDENED_GATEWAY_RESPONSES) {
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
      responseTemplates: { 'application/json': errorBody(error, '$context.requestId') },
    };
  }
  return responses;
}
