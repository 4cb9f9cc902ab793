// Realistic access-log lines, rendered the way API Gateway renders them: the real format string
// with each $context variable substituted, and '-' where the variable has no value.
import { buildAccessLogFormat } from '../../../lib/observability/access-log-format';

export type ContextValues = { [variable: string]: string };

/** Renders `format` (default: SecureApi's) for one request. */
export function renderAccessLogLine(values: ContextValues, format: string = buildAccessLogFormat()): string {
  return format.replace(/\$context(?:\.[A-Za-z0-9_-]+)+/g, (variable) => {
    const value = values[variable];
    // API Gateway escapes nothing; our sample values contain no quotes or backslashes.
    return value === undefined || value === '' ? '-' : value;
  });
}

const base: ContextValues = {
  '$context.requestId': 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  '$context.extendedRequestId': 'KQmRrF3qIAMF5Zg=',
  '$context.xrayTraceId': 'Root=1-67891233-abcdef012345678912345678',
  '$context.apiId': 'a1b2c3d4e5',
  '$context.stage': 'v1',
  '$context.identity.sourceIp': '203.0.113.17',
  '$context.identity.userAgent': 'okhttp/4.12.0',
  '$context.requestTimeEpoch': '1764370000123',
  '$context.httpMethod': 'GET',
  '$context.resourcePath': '/orders/{orderId}',
  '$context.path': '/v1/orders/42',
  '$context.protocol': 'HTTP/1.1',
  '$context.domainName': 'api.example.com',
  '$context.wafResponseCode': 'WAF_ALLOW',
  '$context.waf.status': '200',
  '$context.waf.latency': '1',
};

/** One named sample request: what happened and the line it leaves. */
export interface SampleLine {
  readonly name: string;
  readonly line: string;
}

function sample(name: string, values: ContextValues): SampleLine {
  return { name, line: renderAccessLogLine({ ...base, ...values }) };
}

const authorized = {
  '$context.authorizer.principalId': 'client-7f3e',
  '$context.authorizer.status': '200',
  '$context.authorizer.latency': '12',
  '$context.identity.apiKeyId': 'k9z8y7x6w5',
};

export const SAMPLE_LINES = {
  ok: sample('200 from the backend', {
    ...authorized,
    '$context.status': '200',
    '$context.responseLength': '512',
    '$context.responseLatency': '48',
    '$context.integration.latency': '31',
    '$context.integration.status': '200',
  }),
  created: sample('201 POST', {
    ...authorized,
    '$context.httpMethod': 'POST',
    '$context.resourcePath': '/orders',
    '$context.path': '/v1/orders',
    '$context.status': '201',
    '$context.responseLength': '97',
    '$context.responseLatency': '80',
    '$context.integration.latency': '66',
    '$context.integration.status': '201',
  }),
  missingToken: sample('401 without a token (authorizer not invoked)', {
    '$context.status': '401',
    '$context.responseLength': '118',
    '$context.responseLatency': '2',
    '$context.error.message': 'Unauthorized',
    '$context.error.responseType': 'UNAUTHORIZED',
  }),
  invalidToken: sample('401 with a forged token', {
    '$context.status': '401',
    '$context.responseLength': '118',
    '$context.responseLatency': '15',
    '$context.authorizer.status': '401',
    '$context.authorizer.latency': '14',
    '$context.authorizer.error': 'Unauthorized',
    '$context.error.message': 'Unauthorized',
    '$context.error.responseType': 'UNAUTHORIZED',
  }),
  insufficientScope: sample('403 explicit deny (scope missing)', {
    '$context.authorizer.principalId': 'client-7f3e',
    '$context.authorizer.status': '200',
    '$context.authorizer.latency': '9',
    '$context.status': '403',
    '$context.responseLength': '131',
    '$context.responseLatency': '10',
    '$context.error.message': 'User is not authorized to access this resource with an explicit deny',
    '$context.error.responseType': 'ACCESS_DENIED',
  }),
  invalidApiKey: sample('403 invalid API key', {
    '$context.status': '403',
    '$context.responseLength': '104',
    '$context.responseLatency': '3',
    '$context.error.message': 'Forbidden',
    '$context.error.responseType': 'INVALID_API_KEY',
  }),
  unknownPath: sample('403 unknown path (Missing Authentication Token)', {
    '$context.resourcePath': '-',
    '$context.path': '/v1/.env',
    '$context.status': '403',
    '$context.responseLength': '110',
    '$context.responseLatency': '1',
    '$context.error.message': 'Missing Authentication Token',
    '$context.error.responseType': 'MISSING_AUTHENTICATION_TOKEN',
  }),
  wafBlock: sample('403 blocked by AWS WAF', {
    '$context.wafResponseCode': 'WAF_BLOCK',
    '$context.waf.status': '403',
    '$context.status': '403',
    '$context.responseLength': '109',
    '$context.responseLatency': '2',
    '$context.error.message': 'Forbidden',
    '$context.error.responseType': 'WAF_FILTERED',
  }),
  wafRateLimit: sample('429 from a WAF rate-based rule with a custom response', {
    '$context.wafResponseCode': 'WAF_BLOCK',
    '$context.waf.status': '429',
    '$context.status': '429',
    '$context.responseLength': '120',
    '$context.responseLatency': '2',
    '$context.error.message': 'Forbidden',
    '$context.error.responseType': 'WAF_FILTERED',
  }),
  badBody: sample('400 body failed the model', {
    ...authorized,
    '$context.httpMethod': 'POST',
    '$context.resourcePath': '/orders',
    '$context.path': '/v1/orders',
    '$context.status': '400',
    '$context.responseLength': '125',
    '$context.responseLatency': '14',
    '$context.error.message': 'Invalid request body',
    '$context.error.responseType': 'BAD_REQUEST_BODY',
  }),
  badParameters: sample('400 required parameter missing', {
    ...authorized,
    '$context.resourcePath': '/orders',
    '$context.path': '/v1/orders',
    '$context.status': '400',
    '$context.responseLength': '140',
    '$context.responseLatency': '13',
    '$context.error.message': 'Missing required request parameters: [limit]',
    '$context.error.responseType': 'BAD_REQUEST_PARAMETERS',
  }),
  backend400: sample('400 returned by the backend itself', {
    ...authorized,
    '$context.status': '400',
    '$context.responseLength': '60',
    '$context.responseLatency': '40',
    '$context.integration.latency': '35',
    '$context.integration.status': '400',
  }),
  throttled: sample('429 stage throttling', {
    '$context.status': '429',
    '$context.responseLength': '113',
    '$context.responseLatency': '1',
    '$context.error.message': 'Too Many Requests',
    '$context.error.responseType': 'THROTTLED',
  }),
  quotaExceeded: sample('429 usage plan quota exhausted', {
    '$context.identity.apiKeyId': 'k9z8y7x6w5',
    '$context.status': '429',
    '$context.responseLength': '109',
    '$context.responseLatency': '2',
    '$context.error.message': 'Limit Exceeded',
    '$context.error.responseType': 'QUOTA_EXCEEDED',
  }),
  authorizerCrash: sample('500 the authorizer threw', {
    '$context.status': '500',
    '$context.responseLength': '126',
    '$context.responseLatency': '310',
    '$context.authorizer.status': '500',
    '$context.authorizer.latency': '305',
    '$context.authorizer.error': 'Internal server error',
    '$context.error.message': 'Internal server error',
    '$context.error.responseType': 'AUTHORIZER_FAILURE',
  }),
  authorizerMisconfigured: sample('500 authorizer configuration error', {
    '$context.status': '500',
    '$context.responseLength': '126',
    '$context.responseLatency': '4',
    '$context.error.message': 'Internal server error',
    '$context.error.responseType': 'AUTHORIZER_CONFIGURATION_ERROR',
  }),
  integrationFailure: sample('502 the backend returned a malformed response', {
    ...authorized,
    '$context.status': '502',
    '$context.responseLength': '36',
    '$context.responseLatency': '120',
    '$context.integration.latency': '110',
    '$context.integration.status': '200',
    '$context.integration.error': 'Malformed Lambda proxy response',
    '$context.error.message': 'Internal server error',
    '$context.error.responseType': 'INTEGRATION_FAILURE',
  }),
  integrationTimeout: sample('504 the backend timed out', {
    ...authorized,
    '$context.status': '504',
    '$context.responseLength': '41',
    '$context.responseLatency': '29001',
    '$context.integration.latency': '29000',
    '$context.integration.status': '-',
    '$context.error.message': 'Endpoint request timed out',
    '$context.error.responseType': 'INTEGRATION_TIMEOUT',
  }),
} satisfies { [key: string]: SampleLine };

export type SampleName = keyof typeof SAMPLE_LINES;
export const ALL_SAMPLE_NAMES = Object.keys(SAMPLE_LINES) as SampleName[];
