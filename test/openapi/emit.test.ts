import { analyzeDocument, emitApiGatewayBody } from '../../lib/openapi';
import { doc30, integrationsFor, jsonBodyOperation, load, op } from './helpers';
import { synthesizedInvocationUri } from '../support/invocation-uri';

const document = doc30(
  {
    '/pets': {
      post: jsonBodyOperation(
        'createPet',
        { $ref: '#/components/schemas/NewPet' },
        {
          parameters: [{ name: 'X-Request-Id', in: 'header', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '201': { description: 'Created.\nMore text that is documentation.' },
            default: { description: 'Error', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      ),
      get: op('listPets', { parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }] }),
    },
    '/pets/{id}': {
      put: {
        operationId: 'replacePet',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } }, 'application/xml': {} } },
        responses: { '200': { description: 'OK' } },
      },
      delete: op('deletePet', { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] }),
    },
    '/uploads': {
      post: {
        operationId: 'upload',
        requestBody: { content: { 'multipart/form-data': { schema: { type: 'object' } } } },
        responses: { '204': { description: 'Stored' } },
      },
    },
  },
  {
    components: {
      schemas: {
        NewPet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, tag: { $ref: '#/components/schemas/Tag' } } },
        Tag: { type: 'string', nullable: true },
        Unused: { type: 'object' },
      },
      securitySchemes: {
        oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://id.example.com/token', scopes: {} } } },
      },
    },
  },
);
const analyzed = analyzeDocument(load(document));
const ids = analyzed.operations.map((o) => o.operationId);

describe('emitApiGatewayBody', () => {
  const body = emitApiGatewayBody(analyzed, {
    integrations: integrationsFor(ids),
    operationSecurity: { createPet: [{ JwtAuthorizer: [] }], listPets: [] },
    contributions: [
      {
        securitySchemes: {
          JwtAuthorizer: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' },
        },
        responseHeaders: { UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer' } },
      },
      { extraPaths: { '/docs': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } },
      { rootExtensions: { 'x-amazon-apigateway-api-key-source': 'HEADER' } },
    ],
    title: 'My API',
  }) as any;

  it('writes an OpenAPI 3.0.1 document with the given title, in a fixed key order', () => {
    expect(Object.keys(body)).toEqual([
      'openapi',
      'info',
      'paths',
      'components',
      'x-amazon-apigateway-request-validators',
      'x-amazon-apigateway-gateway-responses',
      'x-amazon-apigateway-api-key-source',
    ]);
    expect(body.openapi).toBe('3.0.1');
    expect(body.info).toEqual({ title: 'My API', version: '1.0.0' });
    expect(Object.keys(body.paths)).toEqual(['/docs', '/pets', '/pets/{id}', '/uploads']);
    expect(Object.keys(body.paths['/pets'])).toEqual(['get', 'post']);
  });

  it('declares the two request validators', () => {
    expect(body['x-amazon-apigateway-request-validators']).toEqual({
      'body-and-params': { validateRequestBody: true, validateRequestParameters: true },
      'params-only': { validateRequestBody: false, validateRequestParameters: true },
    });
  });

  it('writes an operation with its integration, validator, security, reduced parameters and responses', () => {
    expect(body.paths['/pets'].post).toEqual({
      operationId: 'createPet',
      parameters: [{ name: 'X-Request-Id', in: 'header', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/NewPet' } },
          $default: { schema: { $ref: '#/components/schemas/NewPet' } },
        },
      },
      responses: { '201': { description: 'Created.' }, default: { description: 'Error' } },
      security: [{ JwtAuthorizer: [] }],
      'x-amazon-apigateway-request-validator': 'body-and-params',
      'x-amazon-apigateway-integration': integrationsFor(['createPet']).createPet,
    });
  });

  it('gives operations without a body the params-only validator', () => {
    expect(body.paths['/pets'].get['x-amazon-apigateway-request-validator']).toBe('params-only');
    expect(body.paths['/pets/{id}'].delete['x-amazon-apigateway-request-validator']).toBe('params-only');
  });

  it('writes no security key for an operation with an empty or no security array', () => {
    expect(body.paths['/pets'].get.security).toBeUndefined();
    expect(body.paths['/pets/{id}'].delete.security).toBeUndefined();
  });

  it('keeps non-JSON media types without a schema, and validates undeclared Content-Types against the JSON model', () => {
    expect(body.paths['/pets/{id}'].put.requestBody.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/NewPet' } },
      'application/xml': {},
      $default: { schema: { $ref: '#/components/schemas/NewPet' } },
    });
    expect(body.paths['/uploads'].post.requestBody.content).toEqual({ 'multipart/form-data': {} });
  });

  it('writes only the request models as schemas, and only the given security schemes', () => {
    expect(body.components).toEqual({
      schemas: {
        NewPet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, tag: { $ref: '#/components/schemas/Tag' } } },
        Tag: { type: ['string', 'null'] },
      },
      securitySchemes: { JwtAuthorizer: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' } },
    });
  });

  it('adds the library routes, gateway responses and root extensions', () => {
    expect(body.paths['/docs']).toEqual({ get: { 'x-amazon-apigateway-integration': { type: 'mock' } } });
    const responses = body['x-amazon-apigateway-gateway-responses'];
    expect(Object.keys(responses)).toEqual([...Object.keys(responses)].sort());
    expect(JSON.parse(responses.DEFAULT_4XX.responseTemplates['application/json'])).toEqual({
      error: { code: 'BAD_REQUEST', message: 'The request was rejected', requestId: '$context.requestId' },
    });
    expect(responses.UNAUTHORIZED.responseParameters['gatewayresponse.header.WWW-Authenticate']).toBe("'Bearer'");
    expect(responses.ACCESS_DENIED.responseParameters).not.toHaveProperty('gatewayresponse.header.WWW-Authenticate');
    expect(body['x-amazon-apigateway-api-key-source']).toBe('HEADER');
  });

  it('writes the extensions a concern contributes on one operation, after its own', () => {
    const extended = emitApiGatewayBody(analyzed, {
      integrations: integrationsFor(ids),
      contributions: [{ operationExtensions: { listPets: { 'x-amazon-apigateway-api-key-required': true } } }],
    }) as any;
    expect(Object.keys(extended.paths['/pets'].get).slice(-2)).toEqual([
      'x-amazon-apigateway-integration',
      'x-amazon-apigateway-api-key-required',
    ]);
    expect(extended.paths['/pets'].post).not.toHaveProperty('x-amazon-apigateway-api-key-required');
  });

  it('adds the CORS preflights last, to the library routes too', () => {
    const withCors = emitApiGatewayBody(analyzed, {
      integrations: integrationsFor(ids),
      contributions: [{ extraPaths: { '/docs': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } }],
      cors: { allowOrigins: ['https://app.example.com'] },
    }) as any;
    for (const path of ['/docs', '/pets', '/pets/{id}', '/uploads']) expect(withCors.paths[path].options.summary).toBe('CORS preflight');
    expect(body.paths['/pets'].options).toBeUndefined();
  });

  it('is deterministic', () => {
    const again = emitApiGatewayBody(analyzeDocument(load(document)), {
      integrations: integrationsFor([...ids].reverse()),
      operationSecurity: { listPets: [], createPet: [{ JwtAuthorizer: [] }] },
      contributions: [
        {
          securitySchemes: {
            JwtAuthorizer: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' },
          },
          responseHeaders: { UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer' } },
        },
        { extraPaths: { '/docs': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } },
        { rootExtensions: { 'x-amazon-apigateway-api-key-source': 'HEADER' } },
      ],
      title: 'My API',
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(body));
  });
});

describe('emitApiGatewayBody: bad input', () => {
  it('names every operation without an integration', () => {
    expect(() => emitApiGatewayBody(analyzed, { integrations: integrationsFor(['createPet', 'listPets']) })).toThrow(
      "(inline document): no integration for operation(s) 'replacePet', 'deletePet', 'upload'",
    );
  });

  it('names integrations for operations the API does not have', () => {
    expect(() => emitApiGatewayBody(analyzed, { integrations: integrationsFor([...ids, 'ghost']) })).toThrow(
      "(inline document): integrations are given for operationId(s) the API does not have: 'ghost'",
    );
  });

  it('refuses an extra route that is already an operation', () => {
    expect(() =>
      emitApiGatewayBody(analyzed, { integrations: integrationsFor(ids), contributions: [{ extraPaths: { '/pets': { get: {} } } }] }),
    ).toThrow('(inline document)#/paths: the route GET /pets that SecureApi adds is already an operation of the document');
  });

  it('refuses root extensions that would replace what it writes itself', () => {
    expect(() =>
      emitApiGatewayBody(analyzed, { integrations: integrationsFor(ids), contributions: [{ rootExtensions: { paths: {} } }] }),
    ).toThrow("(inline document): rootExtensions may not replace 'paths', which SecureApi writes itself");
  });

  it('refuses operation extensions that would replace what it writes, or name an operation the API does not have', () => {
    expect(() =>
      emitApiGatewayBody(analyzed, {
        integrations: integrationsFor(ids),
        contributions: [{ operationExtensions: { listPets: { operationId: 'x' } } }],
      }),
    ).toThrow(
      "(inline document): operation 'listPets': a contributed extension may not replace 'operationId', which SecureApi writes itself",
    );
    expect(() =>
      emitApiGatewayBody(analyzed, {
        integrations: integrationsFor(ids),
        contributions: [{ operationExtensions: { ghost: { 'x-a': 1 } } }],
      }),
    ).toThrow("(inline document): extensions are contributed for operationId(s) the API does not have: 'ghost'");
  });
});

describe('emitApiGatewayBody: size', () => {
  it('keeps a 300-operation document well under 1 MB, because responses carry no schemas', () => {
    const big = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, { type: 'string', description: 'x'.repeat(200) }])),
    };
    const paths: any = {};
    for (let i = 0; i < 100; i++) {
      paths[`/things${i}/{id}`] = {
        get: op(`getThing${i}`, { responses: { '200': { description: 'OK', content: { 'application/json': { schema: big } } } } }),
        put: jsonBodyOperation(`putThing${i}`, { $ref: '#/components/schemas/Thing' }),
        delete: op(`deleteThing${i}`),
      };
    }
    const api = analyzeDocument(load(doc30(paths, { components: { schemas: { Thing: big } } })));
    const integration = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: synthesizedInvocationUri('Fn9270CBC0'),
    };
    const body = emitApiGatewayBody(api, { integrations: Object.fromEntries(api.operations.map((o) => [o.operationId, integration])) });
    expect(api.operations).toHaveLength(300);
    // CDK writes templates indented by one space; measure the same way.
    expect(JSON.stringify(body, undefined, 1).length).toBeLessThan(300 * 1024);
  });
});

describe('emitApiGatewayBody: headers a non-proxy integration maps', () => {
  const mapped = {
    type: 'aws',
    responses: {
      default: { statusCode: '201', responseParameters: { 'method.response.header.X-Frame-Options': "'DENY'" } },
      '5\\d{2}': {
        statusCode: '502',
        responseParameters: {
          'method.response.header.X-Content-Type-Options': "'nosniff'",
          'integration.response.header.Ignored': "'x'",
        },
      },
    },
  };
  const body = emitApiGatewayBody(analyzed, { integrations: { ...integrationsFor(ids), createPet: mapped } }) as any;

  it('declares each mapped header on the method response of its status, declared by the document or added for the integration', () => {
    expect(body.paths['/pets'].post.responses).toEqual({
      '201': { description: 'Created.', headers: { 'X-Frame-Options': { schema: { type: 'string' } } } },
      '502': { description: 'Response', headers: { 'X-Content-Type-Options': { schema: { type: 'string' } } } },
      default: { description: 'Error' },
    });
  });

  it('leaves the responses of integrations that map no header as they were', () => {
    expect(body.paths['/pets'].get.responses).toEqual(
      (emitApiGatewayBody(analyzed, { integrations: integrationsFor(ids) }) as any).paths['/pets'].get.responses,
    );
    expect(JSON.stringify(body.paths['/pets'].get.responses)).not.toContain('headers');
  });
});
