import { withheldHeaderWarning, withholdHeaders } from '../../lib/integrations';
import { JsonObject } from '../../lib/model';

const SECRET = 'x-secureapi-origin-verify';

/**
 * The request headers a backend receives from API Gateway for one integration, as documented: an HTTP
 * proxy gets the client's headers with the integration's header mappings applied over them (a static
 * value replaces the header); a non-proxy integration gets only what it maps; a Lambda proxy gets the
 * method request's headers in its event, whatever the mappings; a mock has no backend.
 */
function headersTheBackendReceives(integration: JsonObject, request: { [name: string]: string }): { [name: string]: string } {
  const mappings = Object.entries((integration.requestParameters ?? {}) as { [key: string]: string })
    .filter(([key]) => key.startsWith('integration.request.header.'))
    .map(([key, value]) => [key.slice('integration.request.header.'.length).toLowerCase(), value] as const);
  const mapped = (from: { [name: string]: string }) => {
    const out = { ...from };
    for (const [name, value] of mappings) {
      const source = /^method\.request\.header\.(.+)$/.exec(value)?.[1]?.toLowerCase();
      if (/^'.*'$/.test(value)) out[name] = value.slice(1, -1);
      else if (source !== undefined && request[source] !== undefined) out[name] = request[source];
    }
    return out;
  };
  switch (integration.type) {
    case 'http_proxy':
      return mapped(request);
    case 'http':
    case 'aws':
      return mapped({});
    case 'aws_proxy':
      return { ...request };
    case 'mock':
      return {};
    default:
      throw new Error(`the test does not model integration type ${String(integration.type)}`);
  }
}

const request = { [SECRET]: 'the-front-secret', authorization: 'Bearer t', 'content-type': 'application/json' };

describe('withholdHeaders', () => {
  it('overrides the secret with a constant on an HTTP proxy integration, keeping its path mappings, so the backend never sees it', () => {
    const integration = {
      type: 'http_proxy',
      uri: 'https://backend.example.com/pets/{petId}',
      requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
    };
    const kept = withholdHeaders(integration, [SECRET]);
    expect(kept).toEqual({
      withheld: true,
      integration: {
        ...integration,
        requestParameters: {
          'integration.request.path.petId': 'method.request.path.petId',
          'integration.request.header.x-secureapi-origin-verify': "'-'",
        },
      },
    });
    expect(headersTheBackendReceives(kept.integration, request)[SECRET]).toBe('-');
    // Without the override (the state before issue 13 #9), the backend receives the secret.
    expect(headersTheBackendReceives(integration, request)[SECRET]).toBe('the-front-secret');
  });

  it('replaces a mapping that would copy the secret to an HTTP proxy backend under another spelling', () => {
    const kept = withholdHeaders(
      {
        type: 'http_proxy',
        requestParameters: { 'integration.request.header.X-SecureApi-Origin-Verify': `method.request.header.${SECRET}` },
      },
      [SECRET],
    );
    expect(kept.integration.requestParameters).toEqual({ 'integration.request.header.x-secureapi-origin-verify': "'-'" });
  });

  it('removes any mapping of the secret from a non-proxy integration, which receives only what it maps', () => {
    const kept = withholdHeaders(
      {
        type: 'http',
        requestParameters: {
          'integration.request.header.x-secureapi-origin-verify': `method.request.header.${SECRET}`,
          'integration.request.header.x-user': 'method.request.header.x-user',
        },
      },
      [SECRET],
    );
    expect(kept).toEqual({
      withheld: true,
      integration: { type: 'http', requestParameters: { 'integration.request.header.x-user': 'method.request.header.x-user' } },
    });
    expect(headersTheBackendReceives(kept.integration, request)).toEqual({});
    const only = withholdHeaders(
      { type: 'aws', requestParameters: { [`integration.request.header.${SECRET}`]: `method.request.header.${SECRET}` } },
      [SECRET],
    );
    expect(only).toEqual({ withheld: true, integration: { type: 'aws' } });
  });

  it('leaves a mock alone: there is no backend', () => {
    const mock = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    expect(withholdHeaders(mock, [SECRET])).toEqual({ withheld: true, integration: mock });
  });

  it('says a Lambda proxy integration still receives the secret: a mapping cannot change its event', () => {
    const lambdaProxy = { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:...' };
    expect(withholdHeaders(lambdaProxy, [SECRET])).toEqual({ withheld: false, integration: lambdaProxy });
    expect(headersTheBackendReceives(lambdaProxy, request)[SECRET]).toBe('the-front-secret');
  });

  it('changes nothing without withheld headers (no CloudFront front)', () => {
    const integration = { type: 'http_proxy', uri: 'https://backend.example.com/pets' };
    expect(withholdHeaders(integration, [])).toEqual({ withheld: true, integration });
  });
});

describe('withheldHeaderWarning', () => {
  it('names the operations whose Lambda proxy backend receives the header, sorted, and how to live with it', () => {
    expect(withheldHeaderWarning(SECRET, ['listPets', 'getPet'], 'S/Api')).toBe(
      `SecureApi 'S/Api': the CloudFront front's secret header ${SECRET} reaches the Lambda proxy backends of 2 operation(s) (getPet, listPets): API Gateway hands a Lambda proxy function the request headers as they came, so it cannot be removed there. Do not log request headers in these functions: a logged value lets whoever reads the logs bypass the front until the secret's next rotation (README: "Rotating the origin secret"); HTTP proxy backends get a constant instead`,
    );
    expect(withheldHeaderWarning(SECRET, [], 'S/Api')).toBeUndefined();
  });

  it('lists ten operations and counts the rest', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `op${String(i).padStart(2, '0')}`);
    expect(withheldHeaderWarning(SECRET, ids, 'S/Api')).toContain(
      '12 operation(s) (op00, op01, op02, op03, op04, op05, op06, op07, op08, op09 and 2 more)',
    );
  });
});
