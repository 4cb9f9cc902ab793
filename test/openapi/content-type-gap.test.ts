import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OpenApi, OperationIntegration, SecureApi } from '../../lib';
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
          'application/json': {
            schema: {
              type: 'object',
              required: ['sku'],
              properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
              additionalProperties: false,
            },
          },
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

describe('a declared non-JSON media type on a JSON operation (abuse case, issue 13 #8)', () => {
  const formAndJson = doc30({
    '/orders': {
      post: {
        operationId: 'createOrder',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } }, additionalProperties: false },
            },
            'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { sku: { type: 'string' } } } },
          },
        },
        responses: { '201': { description: 'Created' } },
      },
    },
  });
  // The attack: a JSON body the schema forbids, labelled as a form so that no model is selected.
  const smuggled = JSON.stringify({ sku: 42, admin: true });

  it('warns, naming the operation and the media type, that a JSON body sent as a form is not validated', () => {
    const analyzedForm = analyzeDocument(load(formAndJson));
    const gatewayForm = new ApiGatewayBodyValidator(emitApiGatewayBody(analyzedForm, { integrations: integrationsFor(['createOrder']) }));
    expect(gatewayForm.check('/orders', 'post', 'application/x-www-form-urlencoded', smuggled)).toBe('skipped');
    const warning = analyzedForm.warnings.find((w) => w.keyword === 'content-type:application/x-www-form-urlencoded');
    expect(warning?.message).toContain(
      "operation 'createOrder': request bodies sent as 'application/x-www-form-urlencoded' are not validated, so a JSON body sent with that Content-Type reaches the backend",
    );
    expect(warning?.message).toContain('rejectUnvalidatedMediaTypes');
  });

  it('with rejectUnvalidatedMediaTypes, validates a body sent as a form against the JSON model and rejects it', () => {
    const analyzedStrict = analyzeDocument(load(formAndJson), { rejectUnvalidatedMediaTypes: true });
    const emitted = emitApiGatewayBody(analyzedStrict, { integrations: integrationsFor(['createOrder']) }) as any;
    expect(Object.keys(emitted.paths['/orders'].post.requestBody.content).sort()).toEqual(['$default', 'application/json']);
    const gatewayStrict = new ApiGatewayBodyValidator(emitted);
    expect(gatewayStrict.check('/orders', 'post', 'application/x-www-form-urlencoded', smuggled)).toBe('rejected');
    expect(gatewayStrict.check('/orders', 'post', 'application/x-www-form-urlencoded', 'sku=A-1')).toBe('rejected');
    expect(gatewayStrict.check('/orders', 'post', 'application/x-www-form-urlencoded', JSON.stringify({ sku: 'A-1' }))).toBe('validated');
    expect(analyzedStrict.warnings.filter((w) => (w.keyword ?? '').startsWith('content-type:'))).toEqual([]);
  });

  it('leaves an operation with no JSON media type as it is, with its warning', () => {
    const formOnly = doc30({
      '/upload': {
        post: {
          operationId: 'upload',
          requestBody: { content: { 'multipart/form-data': { schema: { type: 'object' } } } },
          responses: { '201': { description: 'Created' } },
        },
      },
    });
    const analyzedUpload = analyzeDocument(load(formOnly), { rejectUnvalidatedMediaTypes: true });
    expect(analyzedUpload.operations[0].requestBody!.contentTypes).toEqual(['multipart/form-data']);
    expect(analyzedUpload.warnings.map((w) => w.keyword)).toEqual(['content-type:multipart/form-data']);
  });
});

describe('SecureApi rejectUnvalidatedMediaTypes', () => {
  it('leaves the form media type out of the imported body', () => {
    const stack = new Stack(new App(), 'Stack');
    const doc = doc30({
      '/orders': {
        post: {
          operationId: 'createOrder',
          security: [],
          requestBody: {
            content: {
              'application/json': { schema: { type: 'object' } },
              'application/x-www-form-urlencoded': { schema: { type: 'object' } },
            },
          },
          responses: { '201': { description: 'Created' } },
        },
      },
    });
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(doc),
      defaultIntegration: OperationIntegration.mock(),
      rejectUnvalidatedMediaTypes: true,
    });
    const api = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0];
    expect(Object.keys(api.Properties.Body.paths['/orders'].post.requestBody.content).sort()).toEqual(['$default', 'application/json']);
  });
});
