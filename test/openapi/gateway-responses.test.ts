import { buildGatewayResponses, HARDENED_GATEWAY_RESPONSES } from '../../lib/openapi/gateway-responses';

describe('buildGatewayResponses', () => {
  const responses = buildGatewayResponses();

  it('hardens every response type API Gateway clients can see, including WAF_FILTERED and THROTTLED', () => {
    for (const type of [
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'BAD_REQUEST_BODY',
      'BAD_REQUEST_PARAMETERS',
      'UNAUTHORIZED',
      'ACCESS_DENIED',
      'THROTTLED',
      'WAF_FILTERED',
    ]) {
      expect(responses[type]).toBeDefined();
    }
    expect(Object.keys(responses)).toHaveLength(HARDENED_GATEWAY_RESPONSES.length);
  });

  it('returns a uniform JSON error with the request id and no internal message', () => {
    for (const [type, response] of Object.entries(responses)) {
      const template = (response.responseTemplates as Record<string, string>)['application/json'];
      const parsed = JSON.parse(template);
      expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message', 'requestId']);
      expect(parsed.error.requestId).toBe('$context.requestId');
      expect(template).not.toMatch(/\$context\.error\.(message|validationErrorString)|\$context\.authorizer/);
      expect(type).toMatch(/^[A-Z_0-9]+$/);
    }
    expect(JSON.parse((responses.BAD_REQUEST_BODY.responseTemplates as Record<string, string>)['application/json']).error.message).toBe(
      'The request body is invalid',
    );
  });

  it('adds HSTS, nosniff and no-store to every response', () => {
    for (const response of Object.values(responses)) {
      expect(response.responseParameters).toMatchObject({
        'gatewayresponse.header.Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      });
    }
  });

  it('adds headers that concerns contribute to one response type only', () => {
    const withAuth = buildGatewayResponses({ UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer' } });
    expect(withAuth.UNAUTHORIZED.responseParameters).toMatchObject({ 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" });
    expect(withAuth.ACCESS_DENIED.responseParameters).not.toHaveProperty('gatewayresponse.header.WWW-Authenticate');
  });

  it('rejects an unknown response type and a header value API Gateway cannot quote', () => {
    expect(() => buildGatewayResponses({ NOT_A_TYPE: { X: 'y' } })).toThrow('unknown response type(s) NOT_A_TYPE');
    expect(() => buildGatewayResponses({ UNAUTHORIZED: { 'WWW-Authenticate': "Bearer realm='x'" } })).toThrow(
      'WWW-Authenticate must not contain a single quote',
    );
  });
});
