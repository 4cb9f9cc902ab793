import { PropCheck } from '../model/config-error';

// The stage's access log: one JSON object a request, with every security-relevant `$context`
// variable and none that carries a secret or a payload. Pure data: no aws-cdk-lib here, so the
// table is tested, documented and reused (metric filters, Logs Insights queries) from one place.

/** One field of the JSON access log. */
export interface AccessLogField {
  /** The JSON key. Metric filters and queries select it as `$.<name>`. */
  readonly name: string;
  /** The API Gateway `$context` variable API Gateway substitutes (`-` when it has no value). */
  readonly variable: string;
  /** What the field tells an operator or an investigator. */
  readonly description: string;
}

/** Fields whose value the client chooses (header, path): always the last fields of the line. */
export const ATTACKER_CONTROLLED_FIELDS: readonly AccessLogField[] = [
  { name: 'userAgent', variable: '$context.identity.userAgent', description: 'client User-Agent header (client-chosen, logged last)' },
  { name: 'path', variable: '$context.path', description: 'request path as called, including the stage (client-chosen, logged last)' },
];

/**
 * Every field SecureApi writes, in log order. Values are always JSON strings: API Gateway writes
 * `-` for an empty variable, which would be invalid JSON unquoted. Metric filters therefore
 * compare strings (`{ $.status = "401" }`).
 */
export const ACCESS_LOG_FIELDS: readonly AccessLogField[] = [
  // Who and when
  { name: 'requestId', variable: '$context.requestId', description: 'API Gateway request id; the id in every error body' },
  {
    name: 'extendedRequestId',
    variable: '$context.extendedRequestId',
    description: 'extended request id (x-amz-apigw-id), for AWS support cases',
  },
  { name: 'xrayTraceId', variable: '$context.xrayTraceId', description: 'X-Ray trace id, to join the log line with its trace' },
  { name: 'apiId', variable: '$context.apiId', description: 'REST API id; a dimension of the access-log metrics' },
  { name: 'stage', variable: '$context.stage', description: 'stage name; a dimension of the access-log metrics' },
  { name: 'sourceIp', variable: '$context.identity.sourceIp', description: 'client IP address as seen by API Gateway' },
  { name: 'requestTimeEpoch', variable: '$context.requestTimeEpoch', description: 'request time, epoch milliseconds' },
  // What
  { name: 'httpMethod', variable: '$context.httpMethod', description: 'HTTP method' },
  { name: 'resourcePath', variable: '$context.resourcePath', description: 'API resource template, e.g. /orders/{orderId}' },
  { name: 'protocol', variable: '$context.protocol', description: 'HTTP protocol version' },
  { name: 'domainName', variable: '$context.domainName', description: 'host the client called (custom domain or execute-api)' },
  // Outcome
  { name: 'status', variable: '$context.status', description: 'HTTP status returned to the client' },
  { name: 'responseLength', variable: '$context.responseLength', description: 'response payload length in bytes' },
  { name: 'responseLatency', variable: '$context.responseLatency', description: 'total response latency in ms' },
  { name: 'integrationLatency', variable: '$context.integration.latency', description: 'backend latency in ms' },
  { name: 'integrationStatus', variable: '$context.integration.status', description: 'status returned by the backend' },
  { name: 'integrationError', variable: '$context.integration.error', description: 'error returned by the backend, if any' },
  { name: 'errorMessage', variable: '$context.error.message', description: 'the gateway error message, if any' },
  {
    name: 'errorResponseType',
    variable: '$context.error.responseType',
    description: 'gateway response type, e.g. UNAUTHORIZED, BAD_REQUEST_BODY, THROTTLED, WAF_FILTERED',
  },
  // Identity and access decisions
  { name: 'apiKeyId', variable: '$context.identity.apiKeyId', description: 'id (not value) of the API key used' },
  {
    name: 'userArn',
    variable: '$context.identity.userArn',
    description: 'IAM (SigV4) caller: the ARN of the principal API Gateway verified; `-` for other mechanisms',
  },
  {
    name: 'caller',
    variable: '$context.identity.caller',
    description: 'IAM (SigV4) caller: the principal identifier of the signer; `-` for other mechanisms',
  },
  { name: 'principalId', variable: '$context.authorizer.principalId', description: 'principal returned by the Lambda authorizer' },
  { name: 'authorizerStatus', variable: '$context.authorizer.status', description: 'status code returned by the authorizer' },
  { name: 'authorizerError', variable: '$context.authorizer.error', description: 'error message returned by the authorizer' },
  { name: 'authorizerLatency', variable: '$context.authorizer.latency', description: 'authorizer latency in ms' },
  { name: 'wafResponseCode', variable: '$context.wafResponseCode', description: 'AWS WAF verdict: WAF_ALLOW or WAF_BLOCK' },
  { name: 'wafStatus', variable: '$context.waf.status', description: 'status code returned by AWS WAF' },
  { name: 'wafError', variable: '$context.waf.error', description: 'error message returned by AWS WAF' },
  { name: 'wafLatency', variable: '$context.waf.latency', description: 'AWS WAF latency in ms' },
  // Values the client chooses come last: AWS does not document that API Gateway escapes quotes in
  // them (DataBiosphere/azul#4348 saw broken lines), so none can come before a field a reader trusts.
  ...ATTACKER_CONTROLLED_FIELDS,
];

/**
 * `$context` variables (and prefixes) that must never reach an access log, with the reason.
 * A variable equal to one of these, or starting with one ending in `.`, is rejected.
 */
export const FORBIDDEN_ACCESS_LOG_VARIABLES: readonly { readonly variable: string; readonly reason: string }[] = [
  { variable: '$context.identity.apiKey', reason: 'it is the API key value itself' },
  { variable: '$context.authorizer.claims.', reason: 'token claims are personal data and may hold credentials' },
  { variable: '$context.identity.clientCert.clientCertPem', reason: 'it logs the whole client certificate on every request' },
  { variable: '$context.error.validationErrorString', reason: 'validation errors echo request body values' },
  { variable: '$context.requestOverride.', reason: 'overrides can carry request headers such as Authorization' },
  { variable: '$context.responseOverride.header.', reason: 'response headers can carry tokens and cookies' },
  { variable: '$input.', reason: 'it is the request body or its parameters, including the Authorization header' },
  { variable: '$method.request.', reason: 'it is a request header, query or path value, including Authorization' },
  { variable: '$stageVariables.', reason: 'stage variables are configuration, sometimes secrets' },
];

/** Why `variable` must not be logged, or `undefined` when it may be. */
export function forbiddenReason(variable: string): string | undefined {
  for (const entry of FORBIDDEN_ACCESS_LOG_VARIABLES) {
    const matches = entry.variable.endsWith('.')
      ? variable.startsWith(entry.variable)
      : variable === entry.variable || variable.startsWith(`${entry.variable}.`);
    if (matches) return entry.reason;
  }
  return undefined;
}

/** The `$context` variables inside a format string or a field value. */
export function contextVariablesIn(text: string): string[] {
  return [...text.matchAll(/\$(?:context|input|method|stageVariables)(?:\.[A-Za-z0-9_-]+)*/g)].map((m) => m[0]);
}

/**
 * The access log format string: a JSON object of {@link ACCESS_LOG_FIELDS}, plus `extraFields`
 * (for example an authorizer context value, `{ clientId: '$context.authorizer.clientId' }`).
 * Throws, naming `propPath`, when an extra field clashes with a built-in one, has a name metric
 * filters cannot select, or logs a forbidden variable.
 */
export function buildAccessLogFormat(
  extraFields: { readonly [name: string]: string } = {},
  check = new PropCheck('', 'logging.extraAccessLogFields'),
): string {
  const format: { [name: string]: string } = {};
  for (const field of ACCESS_LOG_FIELDS) format[field.name] = field.variable;
  for (const [name, value] of Object.entries(extraFields).sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) {
      check.fail('', `field name '${name}' must start with a letter and hold only letters, digits and '_' (at most 64)`);
    }
    if (name in format) {
      check.fail('', `field '${name}' is already logged as ${format[name]}`);
    }
    const variables = contextVariablesIn(value);
    if (variables.length === 0) {
      check.fail(name, `'${value}' holds no $context variable`);
    }
    for (const variable of variables) {
      const reason = forbiddenReason(variable);
      if (reason !== undefined) check.fail(name, `${variable} must not be logged: ${reason}`);
    }
    format[name] = value;
  }
  return JSON.stringify(format);
}
