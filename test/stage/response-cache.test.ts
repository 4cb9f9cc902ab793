import { PropCheck } from '../../lib/model/config-error';
import { cacheBodyContribution, methodRequestParameter, planResponseCache } from '../../lib/stage/response-cache';
import { apiOperation } from '../support/api-operation';

const check = new PropCheck('Stack/Api', 'stage.cache');
const me = apiOperation('getMe', 'get', '/me');
const order = apiOperation('getOrder', 'get', '/orders/{id}', {
  parameters: [
    { name: 'id', in: 'path', required: true },
    { name: 'expand', in: 'query', required: false },
  ],
});
const status = apiOperation('getStatus', 'get', '/status');
const create = apiOperation('createOrder', 'post', '/orders', {
  requestBody: { required: true, contentTypes: ['application/json'], modelsByContentType: {} },
});
const callers = { getMe: ['Authorization'], getOrder: ['Authorization'], getStatus: [], createOrder: ['Authorization'] };

describe('planResponseCache', () => {
  const plan = planResponseCache([me, order, status, create], callers, { ttlSeconds: 300 }, check);

  it('caches GET operations by default, and no operation with a request body', () => {
    expect(plan.cached.map((c) => c.operationId)).toEqual(['getMe', 'getOrder', 'getStatus']);
  });

  it("keys an authenticated operation on the caller's Authorization header", () => {
    expect(plan.cached.find((c) => c.operationId === 'getMe')!.cacheKeyParameters).toEqual(['method.request.header.Authorization']);
  });

  it('keys on every declared path and query parameter as well', () => {
    expect(plan.cached.find((c) => c.operationId === 'getOrder')!.cacheKeyParameters).toEqual([
      'method.request.header.Authorization',
      'method.request.path.id',
      'method.request.querystring.expand',
    ]);
  });

  it('keys a public operation on its parameters only, and names every cached operation and its keys in the summary', () => {
    expect(plan.cached.find((c) => c.operationId === 'getStatus')!.cacheKeyParameters).toEqual([]);
    expect(plan.summary).toBe(
      'response cache: getMe (300 s, keyed on method.request.header.Authorization); getOrder (300 s, keyed on method.request.header.Authorization, method.request.path.id, method.request.querystring.expand); getStatus (300 s, keyed on the resource only)',
    );
  });

  it('declares the caller header only where the document does not', () => {
    const declared = apiOperation('getMine', 'get', '/mine', { parameters: [{ name: 'authorization', in: 'header', required: false }] });
    const [cached] = planResponseCache([declared], { getMine: ['Authorization'] }, { ttlSeconds: 60 }, check).cached;
    expect(cached.declaredHeaders).toEqual([]);
    expect(cached.cacheKeyParameters).toEqual(['method.request.header.Authorization']);
  });

  it('takes per-operation settings from props over the document, with their own TTL', () => {
    const listed = apiOperation('listOrders', 'get', '/orders', { extensions: { 'x-secureapi-cache': { ttlSeconds: 30 } } });
    const off = apiOperation('getSecret', 'get', '/secret', { extensions: { 'x-secureapi-cache': { enabled: false } } });
    const result = planResponseCache([listed, off], {}, { ttlSeconds: 300, operations: { listOrders: { ttlSeconds: 10 } } }, check);
    expect(result.cached.map((c) => [c.operationId, c.ttlSeconds])).toEqual([['listOrders', 10]]);
  });

  it('refuses to cache an operation with a request body, naming it', () => {
    expect(() => planResponseCache([create], callers, { ttlSeconds: 300, operations: { createOrder: { enabled: true } } }, check)).toThrow(
      "SecureApi 'Stack/Api': stage.cache.operations.createOrder.enabled cannot cache 'createOrder': it takes a request body, which API Gateway cannot use as a cache key, so two different bodies would share one cached response",
    );
  });

  it('does not cache an operation with a cookie parameter, and refuses it when asked', () => {
    const cookie = apiOperation('getPrefs', 'get', '/prefs', { parameters: [{ name: 'session', in: 'cookie', required: false }] });
    expect(planResponseCache([cookie], {}, { ttlSeconds: 300 }, check).cached).toEqual([]);
    expect(() => planResponseCache([cookie], {}, { ttlSeconds: 300, operations: { getPrefs: { enabled: true } } }, check)).toThrow(
      'its cookie parameters cannot be cache keys',
    );
  });

  it('rejects unknown operationIds, bad TTLs and malformed extensions', () => {
    expect(() => planResponseCache([me], callers, { ttlSeconds: 300, operations: { nope: {} } }, check)).toThrow(
      'stage.cache.operations names unknown operationIds: nope',
    );
    expect(() => planResponseCache([me], callers, { ttlSeconds: 300, operations: { getMe: { ttlSeconds: 4000 } } }, check)).toThrow(
      'stage.cache.operations.getMe.ttlSeconds must be between 0 and 3600, got 4000',
    );
    const bad = apiOperation('getBad', 'get', '/bad', { extensions: { 'x-secureapi-cache': 'yes' } });
    expect(() => planResponseCache([bad], {}, { ttlSeconds: 300 }, check)).toThrow(
      "stage.cache.operation 'getBad' x-secureapi-cache must be an object",
    );
  });
});

describe('methodRequestParameter', () => {
  it('writes API Gateway method request parameter names', () => {
    expect(methodRequestParameter('query', 'q')).toBe('method.request.querystring.q');
    expect(methodRequestParameter('path', 'id')).toBe('method.request.path.id');
    expect(methodRequestParameter('header', 'x-api-key')).toBe('method.request.header.x-api-key');
  });
});

describe('cacheBodyContribution', () => {
  it('declares the caller headers and lists the cache keys in the integration', () => {
    const plan = planResponseCache([me, status], callers, { ttlSeconds: 300 }, check);
    expect(cacheBodyContribution(plan)).toEqual({
      operationParameters: { getMe: [{ name: 'Authorization', in: 'header', required: false }] },
      integrationSettings: { getMe: { cacheKeyParameters: ['method.request.header.Authorization'] } },
    });
  });
});

describe('planResponseCache: a GET with a request body', () => {
  it('is not cached by default (its body is no cache key)', () => {
    const search = apiOperation('search', 'get', '/search', {
      requestBody: { required: false, contentTypes: ['application/json'], modelsByContentType: {} },
    });
    expect(planResponseCache([search], {}, { ttlSeconds: 300 }, check).cached).toEqual([]);
  });
});
