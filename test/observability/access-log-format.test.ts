import {
  ACCESS_LOG_FIELDS,
  buildAccessLogFormat,
  contextVariablesIn,
  FORBIDDEN_ACCESS_LOG_VARIABLES,
  forbiddenReason,
} from '../../lib/observability/access-log-format';
import { PropCheck } from '../../lib/model/config-error';

/** The fields issue 7 requires, as field name → $context variable. */
const REQUIRED: { [field: string]: string } = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  responseLatency: '$context.responseLatency',
  apiKeyId: '$context.identity.apiKeyId',
  principalId: '$context.authorizer.principalId',
  authorizerError: '$context.authorizer.error',
  authorizerLatency: '$context.authorizer.latency',
  wafResponseCode: '$context.wafResponseCode',
  wafStatus: '$context.waf.status',
  wafError: '$context.waf.error',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
};

describe('access log format', () => {
  const format = buildAccessLogFormat();
  const parsed = JSON.parse(format) as { [key: string]: unknown };

  it('is a JSON object whose values are all strings, so a "-" for an empty variable stays valid JSON', () => {
    expect(typeof parsed).toBe('object');
    for (const value of Object.values(parsed)) expect(typeof value).toBe('string');
  });

  it.each(Object.entries(REQUIRED))('logs %s as %s', (field, variable) => {
    expect(parsed[field]).toBe(variable);
  });

  it('holds exactly the fields of the documented table, in order', () => {
    expect(Object.keys(parsed)).toEqual(ACCESS_LOG_FIELDS.map((f) => f.name));
  });

  it('contains no forbidden variable, no Authorization header, no API key value and no body', () => {
    for (const variable of contextVariablesIn(format)) expect(forbiddenReason(variable)).toBeUndefined();
    expect(format).not.toMatch(
      /\$input|\$method\.request|Authorization|identity\.apiKey"|identity\.apiKey[^I]|requestOverride|claims|validationErrorString/i,
    );
  });

  it('gives every field a $context variable and a description', () => {
    for (const field of ACCESS_LOG_FIELDS) {
      expect(field.variable).toMatch(/^\$context\.[A-Za-z.]+$/);
      expect(field.description.length).toBeGreaterThan(5);
    }
  });
});

describe('forbidden variables', () => {
  it.each([
    ['$context.identity.apiKey', 'the API key value itself'],
    ['$context.authorizer.claims.email', 'token claims'],
    ['$context.error.validationErrorString', 'echo request body values'],
    ['$input.body', 'request body'],
    ['$method.request.header.Authorization', 'Authorization'],
    ['$context.requestOverride.header.Authorization', 'Authorization'],
  ])('rejects %s', (variable, reason) => {
    expect(forbiddenReason(variable)).toContain(reason);
  });

  it.each(['$context.identity.apiKeyId', '$context.authorizer.principalId', '$context.authorizer.clientId', '$context.identity.sourceIp'])(
    'allows %s',
    (variable) => {
      expect(forbiddenReason(variable)).toBeUndefined();
    },
  );

  it('lists a reason for every forbidden entry', () => {
    for (const entry of FORBIDDEN_ACCESS_LOG_VARIABLES) expect(entry.reason.length).toBeGreaterThan(10);
  });
});

describe('extra access log fields', () => {
  it('appends an authorizer context value after the built-in fields', () => {
    const parsed = JSON.parse(buildAccessLogFormat({ clientId: '$context.authorizer.clientId' }));
    expect(parsed.clientId).toBe('$context.authorizer.clientId');
    expect(Object.keys(parsed).at(-1)).toBe('clientId');
  });

  it('rejects a field that logs the API key value', () => {
    expect(() => buildAccessLogFormat({ key: '$context.identity.apiKey' })).toThrow(
      'SecureApi: logging.extraAccessLogFields.key $context.identity.apiKey must not be logged: it is the API key value itself',
    );
  });

  it('rejects a field that logs a request header', () => {
    expect(() =>
      buildAccessLogFormat({ auth: '$method.request.header.Authorization' }, new PropCheck('Api', 'logging.extraAccessLogFields')),
    ).toThrow("SecureApi 'Api': logging.extraAccessLogFields.auth $method.request.header.Authorization must not be logged");
  });

  it('rejects a field that would replace a built-in one', () => {
    expect(() => buildAccessLogFormat({ status: '$context.integrationStatus' })).toThrow(
      "SecureApi: logging.extraAccessLogFields field 'status' is already logged as $context.status",
    );
  });

  it('rejects a field name metric filters cannot select', () => {
    expect(() => buildAccessLogFormat({ 'client.id': '$context.authorizer.clientId' })).toThrow(
      "SecureApi: logging.extraAccessLogFields field name 'client.id' must start with a letter",
    );
  });

  it('rejects a value without a $context variable', () => {
    expect(() => buildAccessLogFormat({ team: 'payments' })).toThrow(
      "SecureApi: logging.extraAccessLogFields.team 'payments' holds no $context variable",
    );
  });
});
