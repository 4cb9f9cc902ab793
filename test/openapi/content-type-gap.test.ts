import { analyzeDocument, emitApiGatewayBody, JsonObject } from '../../lib/openapi';
import { ApiGatewayBodyValidator } from './api-gateway-simulator';
import { doc30, integrationsFor, load } from './helpers';

// API Gateway validates a body only against the model of the request's Content-Type; a Content-Type
// without a model skips body validation. The emitted body adds a $default model so that cannot happen.
const document = doc30({
  '/orders': {
    post: {
      operationId: 'createOrder',
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } }, additionalProperties: false } },
          'application/xml': { schema: { type: 'object' } },
        },
      },
      responses: { '201': { description: 'Created' } },
    },
  },
});
const analyzed = analyzeDocument(load(document));
const body = emitApiGatewayBody(analyzed, { integrations: integrationsFor(['createOrder']) });
const gateway = new ApiGatewayBodyValidator(body);

function withoutDefault(emitted: JsonObject): JsonObject {
  const copy = structuredClone(emitted) as any;
  delete copy.paths['/orders'].post.requestBody.content.$default;
  return copy;
}

describe('the Content-Type gap', () => {
  const invalid = JSON.stringify({ sku: 42, qty: 0, admin: true });

  it('exists without a $default model: an undeclared Content-Type skips body validation', () => {
    const unprotected = new ApiGatewayBodyValidator(withoutDefault(body));
    expect(unprotected.check('/orders', 'post', 'application/json', invalid)).toBe('rejected');
    expect(unprotected.check('/orders', 'post', 'text/plain', invalid)).toBe('skipped');
  });

  it('is closed: a JSON body sent with an undeclared Content-Type is validated against the JSON schema and rejected when invalid', () => {
    expect(gateway.check('/orders', 'post', 'text/plain', invalid)).toBe('rejected');
    expect(gateway.check('/orders', 'post', 'application/x-www-form-urlencoded', invalid)).toBe('rejected');
    expect(gateway.check('/orders', 'post', 'application/json; charset=utf-8', invalid)).toBe('rejected');
  });

  it('accepts a valid JSON body whatever Content-Type it is sent with', () => {
    const valid = JSON.stringify({ sku: 'A-1', qty: 2 });
    expect(gateway.check('/orders', 'post', 'application/json', valid)).toBe('validated');
    expect(gateway.check('/orders', 'post', 'text/plain', valid)).toBe('validated');
  });

  it('rejects a body that is not JSON when it is sent with an undeclared Content-Type', () => {
    expect(gateway.check('/orders', 'post', 'text/plain', 'sku=A-1&qty=2')).toBe('rejected');
  });

  it('leaves a declared non-JSON Content-Type unvalidated, and says so in a warning', () => {
    expect(gateway.check('/orders', 'post', 'application/xml', '<order/>')).toBe('skipped');
    expect(analyzed.warnings.map((w) => w.keyword)).toEqual(['content-type:application/xml']);
  });
});
