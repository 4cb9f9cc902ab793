// The response cache at the seam with authorization (issue 19 #1): caller B, holding a valid token,
// must never receive caller A's cached response, nor one parameter value the response for another.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Auth, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { ApiGatewayCacheDouble, CachedRequest } from '../helpers/api-gateway-cache';
import { nagFindings } from '../helpers/nag';

const document = {
  openapi: '3.0.3',
  info: { title: 'Orders', version: '1' },
  components: {
    securitySchemes: {
      oauth: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'orders:read': 'Read' } } },
      },
    },
  },
  security: [{ oauth: ['orders:read'] }],
  paths: {
    '/me': { get: { operationId: 'getMe', responses: { '200': { description: 'The caller' } } } },
    '/orders/{id}': {
      get: {
        operationId: 'getOrder',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'An order' } },
      },
    },
    '/orders': {
      post: {
        operationId: 'createOrder',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '201': { description: 'Created' } },
      },
    },
    '/status': { get: { operationId: 'getStatus', security: [], responses: { '200': { description: 'Up' } } } },
  },
};

function synth(cache = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt({ issuer: 'https://login.example.com', audience: ['orders'] }),
    stage: { cache },
  });
  return stack;
}

/** The backend: answers with the caller's identity and the order asked for. */
const backend = (request: CachedRequest) =>
  JSON.stringify({ caller: request.headers?.Authorization ?? 'anonymous', order: request.path?.id });

describe('stage.cache (abuse cases)', () => {
  const stack = synth();
  const template = Template.fromStack(stack).toJSON();

  it("serves caller B its own GET /me, never caller A's cached response", () => {
    const cache = new ApiGatewayCacheDouble(template);
    const a = cache.serve({ method: 'GET', resource: '/me', headers: { Authorization: 'Bearer token-of-A' } }, backend);
    const b = cache.serve({ method: 'GET', resource: '/me', headers: { Authorization: 'Bearer token-of-B' } }, backend);
    expect(JSON.parse(a).caller).toBe('Bearer token-of-A');
    expect(JSON.parse(b).caller).toBe('Bearer token-of-B');
  });

  it('keeps GET /orders/1 and GET /orders/2 apart for one caller', () => {
    const cache = new ApiGatewayCacheDouble(template);
    const headers = { Authorization: 'Bearer token-of-A' };
    cache.serve({ method: 'GET', resource: '/orders/{id}', path: { id: '1' }, headers }, backend);
    const second = cache.serve({ method: 'GET', resource: '/orders/{id}', path: { id: '2' }, headers }, backend);
    expect(JSON.parse(second).order).toBe('2');
  });

  it("the double catches the defect: a stage-wide cache without keys serves A's response to B", () => {
    const unkeyed = structuredClone(template);
    const stage = Object.values(unkeyed.Resources as { [id: string]: any }).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    stage.Properties.MethodSettings = [{ HttpMethod: '*', ResourcePath: '/*', CachingEnabled: true }];
    const api = Object.values(unkeyed.Resources as { [id: string]: any }).find((r) => r.Type === 'AWS::ApiGateway::RestApi');
    delete api.Properties.Body.paths['/me'].get['x-amazon-apigateway-integration'].cacheKeyParameters;
    const cache = new ApiGatewayCacheDouble(unkeyed);
    cache.serve({ method: 'GET', resource: '/me', headers: { Authorization: 'Bearer token-of-A' } }, backend);
    const b = cache.serve({ method: 'GET', resource: '/me', headers: { Authorization: 'Bearer token-of-B' } }, backend);
    expect(JSON.parse(b).caller).toBe('Bearer token-of-A');
  });

  it('never caches the whole stage, nor an operation with a request body', () => {
    const stageResource = Object.values(template.Resources as { [id: string]: any }).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    expect(stageResource.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', CachingEnabled: false }),
    );
    expect(stageResource.Properties.CacheClusterEnabled).toBe(true);
    const cache = new ApiGatewayCacheDouble(template);
    expect(cache.caches('POST', '/orders')).toBe(false);
    expect(cache.caches('GET', '/me')).toBe(true);
  });

  it('declares the Authorization header as an optional method request parameter and lists it as a cache key in the body', () => {
    const api = Object.values(template.Resources as { [id: string]: any }).find((r) => r.Type === 'AWS::ApiGateway::RestApi');
    const getMe = api.Properties.Body.paths['/me'].get;
    expect(getMe.parameters).toEqual([{ name: 'Authorization', in: 'header', required: false, schema: { type: 'string' } }]);
    expect(getMe['x-amazon-apigateway-integration'].cacheKeyParameters).toEqual(['method.request.header.Authorization']);
    const getStatus = api.Properties.Body.paths['/status'].get;
    expect(getStatus.parameters).toBeUndefined();
    expect(getStatus['x-amazon-apigateway-integration'].cacheKeyParameters).toBeUndefined();
  });

  it('encrypts every cached method, with the stage logging and metrics', () => {
    const stageResource = Object.values(template.Resources as { [id: string]: any }).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    expect(stageResource.Properties.MethodSettings).toContainEqual({
      HttpMethod: 'GET',
      ResourcePath: '/~1me',
      CachingEnabled: true,
      CacheTtlInSeconds: 300,
      CacheDataEncrypted: true,
      DataTraceEnabled: false,
      LoggingLevel: 'ERROR',
      MetricsEnabled: true,
      ThrottlingBurstLimit: 200,
      ThrottlingRateLimit: 100,
    });
  });

  it('names the cached operations and their keys in a synth info', () => {
    const infos = Annotations.fromStack(stack)
      .findInfo('*', Match.stringLikeRegexp('response cache'))
      .map((m) => String(m.entry.data));
    expect(infos).toContain(
      "SecureApi 'Stack/Api': response cache: getMe (300 s, keyed on method.request.header.Authorization); getOrder (300 s, keyed on method.request.header.Authorization, method.request.path.id); getStatus (300 s, keyed on the resource only)",
    );
  });

  it('passes the five cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
