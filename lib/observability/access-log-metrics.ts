// Metric filters on the access log: one row a class of rejected or failed request. Pure data, so
// each pattern is tested against realistic log lines without a CDK app. Field names come from
// ACCESS_LOG_FIELDS; every value there is a JSON string, hence the quoted comparisons.

/** The CloudWatch namespace of the access-log metrics. */
export const ACCESS_LOG_METRIC_NAMESPACE = 'CdkSecureApi/AccessLog';

/**
 * Dimensions every access-log metric carries, taken from the log line itself (`$.apiId`, `$.stage`),
 * so one namespace serves every API and stage.
 */
export const ACCESS_LOG_METRIC_DIMENSIONS: { readonly [dimension: string]: string } = {
  ApiId: '$.apiId',
  Stage: '$.stage',
};

/** One metric filter on the access log. */
export interface AccessLogMetricFilter {
  /** Construct id part and CloudWatch metric name. */
  readonly metricName: string;
  /** CloudWatch Logs filter pattern (JSON syntax). */
  readonly pattern: string;
  /** What a matching request is. */
  readonly description: string;
}

const WAF_BLOCKED = '$.wafResponseCode = "WAF_BLOCK" || $.errorResponseType = "WAF_FILTERED"';

/** Every request: the denominator of the rates the alarms watch. */
export const REQUESTS_FILTER: AccessLogMetricFilter = {
  metricName: 'Requests',
  pattern: '{ $.requestId = "*" }',
  description: 'every request that reached the stage',
};

/** The classes of rejected or failed requests, each counted from the access log. */
export const ACCESS_LOG_METRIC_FILTERS: readonly AccessLogMetricFilter[] = [
  REQUESTS_FILTER,
  {
    metricName: 'AuthenticationFailures',
    pattern: '{ $.status = "401" }',
    description: '401: missing, malformed or invalid credentials (token or API key)',
  },
  {
    metricName: 'AuthorizationFailures',
    pattern: `{ $.status = "403" && $.wafResponseCode != "WAF_BLOCK" && $.errorResponseType != "WAF_FILTERED" }`,
    description: '403 not caused by WAF: insufficient scope, explicit deny, resource policy, missing API key',
  },
  {
    metricName: 'ValidationFailures',
    pattern: '{ $.status = "400" && $.errorResponseType = "BAD_REQUEST_*" }',
    description: '400 BAD_REQUEST_BODY / BAD_REQUEST_PARAMETERS: the request failed the OpenAPI validation',
  },
  {
    metricName: 'Throttles',
    pattern: '{ $.status = "429" }',
    description: '429: stage, method or usage-plan throttling, quota exhaustion, or a WAF rate rule',
  },
  {
    metricName: 'WafBlocks',
    pattern: `{ ${WAF_BLOCKED} }`,
    description: 'requests AWS WAF blocked',
  },
  {
    metricName: 'AuthorizerErrors',
    pattern: '{ $.errorResponseType = "AUTHORIZER_FAILURE" || $.errorResponseType = "AUTHORIZER_CONFIGURATION_ERROR" }',
    description: 'the authorizer failed (crashed, timed out or misconfigured): clients got 500',
  },
  {
    metricName: 'ServerErrors',
    pattern: '{ $.status = "5*" }',
    description: '5XX returned to the client, from the gateway or the backend',
  },
];

/** Every access-log line, readable or not (no JSON filter: a broken line must count too). */
export const ACCESS_LOG_LINES_METRIC = 'AccessLogLines';
