/**
 * What consumers of the API's JSON access log rely on. The access log format (lib/observability)
 * must write these fields with these `$context` variables; the ip-blocker handler reads them.
 * Both sides import this module, and test/waf/access-log-contract.test.ts checks the format.
 *
 * API Gateway writes every value as a JSON string (`"401"`), and `-` when a variable is empty.
 */
export interface AccessLogContractField {
  /** The JSON key the format writes. */
  readonly name: string;
  /** The `$context` variable behind it. */
  readonly variable: string;
  /** Other keys a reader accepts for the same value (older or hand-written formats); dotted names are nested. */
  readonly aliases: readonly string[];
}

/** The client's IP address as API Gateway saw it. */
export const ACCESS_LOG_SOURCE_IP: AccessLogContractField = {
  name: 'sourceIp',
  variable: '$context.identity.sourceIp',
  aliases: ['ip', 'clientIp', 'identity.sourceIp'],
};

/** The HTTP status returned to the client. */
export const ACCESS_LOG_STATUS: AccessLogContractField = {
  name: 'status',
  variable: '$context.status',
  aliases: ['statusCode', 'httpStatus'],
};

/** The gateway response type (UNAUTHORIZED, BAD_REQUEST_BODY, ...), `-` when the backend answered. */
export const ACCESS_LOG_RESPONSE_TYPE: AccessLogContractField = {
  name: 'errorResponseType',
  variable: '$context.error.responseType',
  aliases: ['responseType', 'error.responseType'],
};

/** The request time in epoch milliseconds. */
export const ACCESS_LOG_REQUEST_TIME: AccessLogContractField = {
  name: 'requestTimeEpoch',
  variable: '$context.requestTimeEpoch',
  aliases: ['requestTime', 'timestamp'],
};

/** Every field the ip-blocker depends on. */
export const IP_BLOCKER_ACCESS_LOG_FIELDS: readonly AccessLogContractField[] = [
  ACCESS_LOG_SOURCE_IP,
  ACCESS_LOG_STATUS,
  ACCESS_LOG_RESPONSE_TYPE,
  ACCESS_LOG_REQUEST_TIME,
];

/**
 * Gateway response types that mean "the client failed authentication or authorization"
 * (the authorizer's 401/403 and API Gateway's API-key and IAM checks).
 * MISSING_AUTHENTICATION_TOKEN is also what a REST API answers for an unknown route, so
 * path scanners count as well.
 */
export const AUTH_FAILURE_RESPONSE_TYPES: readonly string[] = [
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'EXPIRED_TOKEN',
  'INVALID_SIGNATURE',
  'INVALID_API_KEY',
  'MISSING_AUTHENTICATION_TOKEN',
];

/** Gateway response types that mean "the request failed the OpenAPI validation" (400 BAD_REQUEST_*). */
export const VALIDATION_FAILURE_RESPONSE_TYPES: readonly string[] = ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'];

/** The statuses of the failures above: the subscription filter forwards only these lines. */
export const FAILURE_STATUSES: readonly string[] = ['400', '401', '403'];
