import { documentedOperations, sanitizeDocument } from '../../lib/docs/sanitize';
import { loadDocumentFile } from '../../lib/openapi/load';
import { JsonObject } from '../../lib/model';
import { CORPUS_DOCUMENTS as CORPUS, CorpusDocument, corpusFile } from '../fixtures/corpus';
import { swaggerParserVerdicts } from './support/swagger-parser';

function spec(file: CorpusDocument): JsonObject {
  return loadDocumentFile(corpusFile(file)).document;
}

/** Fails with swagger-parser's message unless the document is valid OpenAPI. */
function validates(document: JsonObject): void {
  expect(swaggerParserVerdicts([document])).toEqual([null]);
}

/** Every key anywhere in a value, with its parent key, for "nothing of X remains" checks. */
function allKeys(node: unknown, parent = ''): Array<{ key: string; parent: string }> {
  if (Array.isArray(node)) return node.flatMap((item) => allKeys(item, parent));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => [{ key, parent }, ...allKeys(value, key)]);
}

/**
 * The oracle for "public operations are unchanged but for extensions": an operation without any key
 * spelled as an extension (`x-` in lower case, as the OpenAPI patterned field is case-sensitive), applied
 * to both sides. Names such as the header `X-Request-Id` are compared as they are.
 */
function withoutDeniedExtensions(node: unknown): unknown {
  const denied = /^x-/;
  if (Array.isArray(node)) return node.map(withoutDeniedExtensions);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !denied.test(k))
      .map(([k, v]) => [k, withoutDeniedExtensions(v)]),
  );
}

function operationsById(document: JsonObject): Map<string, JsonObject> {
  return new Map(documentedOperations(document).map((o) => [String(o.operation.operationId ?? `${o.method} ${o.path}`), o.operation]));
}

describe('sanitizeDocument on the corpus', () => {
  const sanitized = new Map<string, JsonObject>();
  const verdicts = new Map<string, string | null>();
  beforeAll(() => {
    for (const file of CORPUS) sanitized.set(file, sanitizeDocument(spec(file), { publicUrl: 'https://api.example.com/v1' }).document);
    const results = swaggerParserVerdicts([...sanitized.values()]);
    CORPUS.forEach((file, i) => verdicts.set(file, results[i]));
  });

  it.each(CORPUS)('%s: still a valid OpenAPI document, with every operation unchanged but for denied extensions and servers', (file) => {
    const original = spec(file);
    const document = sanitized.get(file)!;

    expect(verdicts.get(file)).toBeNull();
    const before = operationsById(original);
    const after = operationsById(document);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [id, operation] of after) {
      const { servers: _servers, ...expected } = withoutDeniedExtensions(before.get(id)) as JsonObject;
      expect(withoutDeniedExtensions(operation)).toEqual(expected);
    }
    expect(allKeys(document).filter(({ key }) => /^x-amazon-apigateway-/i.test(key))).toEqual([]);
    if (typeof document.swagger === 'string')
      expect([document.host, document.basePath, document.schemes]).toEqual(['api.example.com', '/v1', ['https']]);
    else expect(document.servers).toEqual([{ url: 'https://api.example.com/v1' }]);
  });

  it("strips the AWS ACM document's x-amazon-apigateway-authtype and its AWS endpoints", () => {
    const original = spec('apisguru-amazonaws.com-acm.json');
    const result = sanitizeDocument(original, { publicUrl: 'https://certs.example.com' });
    // API Gateway's extension, and APIs.guru's catalogue metadata, which is not on the allow-list.
    expect(result.strippedExtensions).toEqual([
      '/info/x-release',
      '/info/contact/x-twitter',
      '/info/x-providerName',
      '/info/x-serviceName',
      '/info/x-origin',
      '/info/x-apiClientRegistration',
      '/info/x-apisguru-categories',
      '/info/x-preferred',
      '/x-hasEquivalentPaths',
      '/components/securitySchemes/hmac/x-amazon-apigateway-authtype',
    ]);
    // Names that merely start with X- are names: the ACM document's SigV4 parameters stay.
    expect(Object.keys((result.document.components as JsonObject).parameters as JsonObject)).toContain('X-Amz-Content-Sha256');
    expect(JSON.stringify(result.document)).not.toMatch(/acm\.\{region\}\.amazonaws\.com/);
    expect(result.document.servers).toEqual([{ url: 'https://certs.example.com' }]);
  });

  it('removes internal ACM operations and exactly the schemas only they used, transitively', () => {
    const original = spec('apisguru-amazonaws.com-acm.json');
    const internal = ['ExportCertificate', 'ImportCertificate', 'PutAccountConfiguration'];
    const result = sanitizeDocument(original, { internalOperations: internal });
    const doc = result.document;

    validates(doc);
    const ids = [...operationsById(doc).keys()];
    expect(ids).toHaveLength(12);
    for (const id of internal) expect(ids).not.toContain(id);
    expect(result.removedOperations).toEqual([
      'POST /#X-Amz-Target=CertificateManager.ExportCertificate (ExportCertificate)',
      'POST /#X-Amz-Target=CertificateManager.ImportCertificate (ImportCertificate)',
      'POST /#X-Amz-Target=CertificateManager.PutAccountConfiguration (PutAccountConfiguration)',
    ]);

    // Only-internal schemas are gone, including those reached only through other schemas
    // (ImportCertificateRequest -> PrivateKeyBlob, ExportCertificateResponse -> PrivateKey) ...
    expect(result.removedDefinitions).toEqual(
      [
        'CertificateBodyBlob',
        'CertificateChainBlob',
        'ExportCertificateRequest',
        'ExportCertificateResponse',
        'ImportCertificateRequest',
        'ImportCertificateResponse',
        'PassphraseBlob',
        'PrivateKey',
        'PrivateKeyBlob',
        'PutAccountConfigurationRequest',
      ].map((name) => `/components/schemas/${name}`),
    );
    // ... while schemas a public operation still uses stay, even where an internal one used them too
    // (CertificateBody: ExportCertificateResponse and GetCertificateResponse).
    const schemas = (doc.components as { schemas: JsonObject }).schemas;
    for (const name of ['Arn', 'CertificateBody', 'CertificateChain', 'ExpiryEventsConfiguration', 'IdempotencyToken', 'TagList'])
      expect(schemas[name]).toBeDefined();
    const text = JSON.stringify(doc);
    for (const pointer of result.removedDefinitions) expect(text).not.toContain(`"#${pointer}"`);
  });

  it('removes Swagger 2.0 operations and the definitions only they used (petstore 2.0)', () => {
    const original = spec('petstore-swagger-2.0.yaml');
    const result = sanitizeDocument(original, {
      internalOperations: ['placeOrder', 'getOrderById', 'deleteOrder'],
      publicUrl: 'https://pets.example.com/v2',
    });
    validates(result.document);
    const definitions = result.document.definitions as JsonObject;
    expect(result.removedOperations).toEqual([
      'DELETE /store/order/{orderId} (deleteOrder)',
      'GET /store/order/{orderId} (getOrderById)',
      'POST /store/order (placeOrder)',
    ]);
    expect(Object.keys((result.document as { paths: JsonObject }).paths)).not.toContain('/store/order');
    expect(result.removedDefinitions).toEqual(['/definitions/Order']);
    // Pet is still used by public operations (addPet, getPetById).
    expect(definitions.Pet).toBeDefined();
    expect(result.document.host).toBe('pets.example.com');
    expect(result.document.basePath).toBe('/v2');
  });

  it("keeps definitions nobody used in the first place: they are the author's to publish", () => {
    const original = spec('apisguru-amazonaws.com-acm.json');
    const { document } = sanitizeDocument(original, {});
    expect(Object.keys((document.components as { schemas: JsonObject }).schemas)).toEqual(
      Object.keys((original.components as { schemas: JsonObject }).schemas),
    );
  });
});

/** The Swagger petstore with everything an API Gateway deployment adds to a document, planted. */
function plantedPetstore(): JsonObject {
  const document = spec('petstore.yaml');
  const lambdaArn = 'arn:aws:lambda:eu-west-1:210987654321:function:petstore-backend';
  for (const { operation } of documentedOperations(document)) {
    operation['x-amazon-apigateway-integration'] = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${lambdaArn}/invocations`,
      credentials: 'arn:aws:iam::210987654321:role/petstore-apigw',
    };
    operation['x-amazon-apigateway-request-validator'] = 'all';
  }
  const paths = document.paths as { [path: string]: JsonObject };
  paths['/pet/{petId}']['x-amazon-apigateway-any-method'] = {
    'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'http://internal-backend-123.eu-west-1.elb.amazonaws.com/{proxy}' },
  };
  paths['/admin/reindex'] = {
    post: {
      operationId: 'reindex',
      'x-internal': true,
      tags: ['admin'],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ReindexJob' } } } },
      responses: { '202': { description: 'Started' } },
    },
  };
  const components = document.components as { schemas: JsonObject; securitySchemes: JsonObject };
  components.schemas.ReindexJob = { type: 'object', properties: { shard: { $ref: '#/components/schemas/ShardSpec' } } };
  components.schemas.ShardSpec = { type: 'object', properties: { 'x-amazon-apigateway-note': { type: 'string' } } };
  (components.securitySchemes.api_key as JsonObject)['x-amazon-apigateway-authorizer'] = {
    type: 'request',
    authorizerUri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${lambdaArn}/invocations`,
  };
  (document.tags as JsonObject[]).push({ name: 'admin', description: 'Operations staff only' });
  document['x-amazon-apigateway-policy'] = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:210987654321:*' },
    ],
  };
  document['x-amazon-apigateway-request-validators'] = { all: { validateRequestBody: true, validateRequestParameters: true } };
  document['x-amazon-apigateway-gateway-responses'] = {
    DEFAULT_4XX: { responseTemplates: { 'application/json': '{"message":$context.error.messageString}' } },
  };
  document['x-amazon-apigateway-endpoint-configuration'] = { vpcEndpointIds: ['vpce-0123456789abcdef0'] };
  return document;
}

describe('sanitizeDocument on a document planted with API Gateway extensions', () => {
  const planted = plantedPetstore();
  const result = sanitizeDocument(planted, { publicUrl: 'https://pets.example.com' });
  const text = JSON.stringify(result.document);

  it('leaves no x-amazon-apigateway-* extension, integration URI, ARN or VPC endpoint id', () => {
    expect(allKeys(result.document).filter(({ key, parent }) => /^x-amazon-apigateway-/.test(key) && parent !== 'properties')).toEqual([]);
    expect(text).not.toMatch(/arn:aws/);
    expect(text).not.toMatch(/elb\.amazonaws\.com|vpce-|210987654321|petstore-backend/);
  });

  it('removes the x-internal operation, the schemas only it used (transitively) and its tag', () => {
    expect(Object.keys(result.document.paths as JsonObject)).not.toContain('/admin/reindex');
    const schemas = (result.document.components as { schemas: JsonObject }).schemas;
    expect(schemas.ReindexJob).toBeUndefined();
    expect(schemas.ShardSpec).toBeUndefined();
    expect((result.document.tags as Array<{ name: string }>).map((t) => t.name)).toEqual(['pet', 'store', 'user']);
    expect(result.removedDefinitions).toEqual(['/components/schemas/ReindexJob', '/components/schemas/ShardSpec', '/tags/3']);
    expect(result.removedOperations).toEqual(['ANY /pet/{petId}', 'POST /admin/reindex (reindex)']);
  });

  it('keeps a schema property whose name merely looks like an extension', () => {
    const document = plantedPetstore();
    (document.components as { schemas: JsonObject }).schemas.Pet = {
      type: 'object',
      properties: { 'x-amazon-apigateway-note': { type: 'string' }, name: { type: 'string' } },
    };
    const schemas = (sanitizeDocument(document).document.components as { schemas: { Pet: { properties: JsonObject } } }).schemas;
    expect(Object.keys(schemas.Pet.properties)).toEqual(['x-amazon-apigateway-note', 'name']);
  });

  it('still validates, with the public operations unchanged but for the stripped extensions', () => {
    validates(result.document);
    const before = operationsById(planted);
    for (const [id, operation] of operationsById(result.document))
      expect(withoutDeniedExtensions(operation)).toEqual(withoutDeniedExtensions(before.get(id)));
  });

  it('does not modify its input', () => {
    expect(planted).toEqual(plantedPetstore());
  });
});

describe('sanitizeDocument options', () => {
  const base = (): JsonObject => ({
    openapi: '3.0.3',
    info: { title: 'T', version: '1', 'x-twilio': { secret: 'config' } },
    servers: [{ url: 'http://localhost:8080' }, { url: 'https://staging.internal.example.com' }],
    paths: {
      '/a': {
        servers: [{ url: 'http://backend-a.corp' }],
        get: {
          operationId: 'getA',
          servers: [{ url: 'http://10.0.0.5' }],
          'x-maturity': ['beta'],
          responses: { '200': { description: 'OK' } },
        },
      },
      '/hidden': { 'x-internal': true, get: { operationId: 'getHidden', responses: { '200': { description: 'OK' } } } },
    },
  });

  it('replaces every server entry with the public URL', () => {
    const { document } = sanitizeDocument(base(), { publicUrl: 'https://api.example.com/' });
    expect(document.servers).toEqual([{ url: 'https://api.example.com' }]);
    expect(JSON.stringify(document)).not.toMatch(/localhost|internal|corp|10\.0\.0\.5/);
  });

  it('removes every server entry when the public URL is left to the serving layer', () => {
    const { document } = sanitizeDocument(base());
    expect(document.servers).toBeUndefined();
    expect((document.paths as { '/a': JsonObject })['/a'].servers).toBeUndefined();
  });

  it('removes a path marked x-internal as a whole', () => {
    const result = sanitizeDocument(base());
    expect(Object.keys(result.document.paths as JsonObject)).toEqual(['/a']);
    expect(result.removedOperations).toEqual(['GET /hidden (getHidden)']);
  });

  it('strips every extension that is not on the allow-list', () => {
    const { document, strippedExtensions } = sanitizeDocument(base());
    expect(strippedExtensions.sort()).toEqual(['/info/x-twilio', '/paths/~1a/get/x-maturity']);
    expect(JSON.stringify(document)).not.toMatch(/x-twilio|x-maturity/);
  });

  it('publishes the extensions on a custom allow-list, by exact name or prefix', () => {
    const { document, strippedExtensions } = sanitizeDocument(base(), { publishedExtensions: ['x-twilio', 'x-matur*'] });
    expect(strippedExtensions).toEqual([]);
    expect((document.info as JsonObject)['x-twilio']).toEqual({ secret: 'config' });
  });

  it('rejects an internalOperations entry that names no operation, so a typo cannot publish what it meant to hide', () => {
    expect(() => sanitizeDocument(base(), { internalOperations: ['getA', 'getB', 'deleteEverything'] })).toThrow(
      "internalOperations names 'deleteEverything', 'getB', which are not operationIds of the document",
    );
  });

  it('rejects an allow-list entry that is not an extension name', () => {
    expect(() => sanitizeDocument(base(), { publishedExtensions: ['description'] })).toThrow(
      "SecureApi: docs.publishedExtensions holds 'description', which is not a vendor extension name: it must start with 'x-'",
    );
  });

  it('keeps schemas that a discriminator mapping names without a $ref', () => {
    const document: JsonObject = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: {
        '/pets': {
          get: {
            operationId: 'listPets',
            responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
          },
        },
        '/admin': {
          get: {
            operationId: 'admin',
            'x-internal': true,
            responses: {
              '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Audit' } } } },
            },
          },
        },
      },
      components: {
        schemas: {
          Pet: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' } },
            discriminator: { propertyName: 'kind', mapping: { dog: 'Dog', cat: '#/components/schemas/Cat' } },
          },
          Dog: { type: 'object' },
          Cat: { type: 'object' },
          Audit: { type: 'object' },
        },
      },
    };
    const schemas = (sanitizeDocument(document).document.components as { schemas: JsonObject }).schemas;
    expect(Object.keys(schemas)).toEqual(['Pet', 'Dog', 'Cat']);
  });
});

describe('sanitizeDocument: x-internal everywhere, extensions from an allow-list (abuse cases)', () => {
  // What an author hides from readers, planted at every place OpenAPI lets them mark it; each planted
  // value is a string a reader must never see in the published document.
  const planted = (): JsonObject => ({
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1', 'x-team-owner': 'PLANTED-owner-alice@corp' },
    tags: [{ name: 'orders' }, { name: 'PLANTED-ops-tag', description: 'runbooks', 'x-internal': true }],
    paths: {
      '/orders/{id}': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'PLANTED-path-debug', in: 'header', schema: { type: 'string' }, 'x-internal': true },
        ],
        get: {
          operationId: 'getOrder',
          tags: ['orders', 'PLANTED-ops-tag'],
          'x-backend-url': 'http://PLANTED-backend.example.com:8080/orders',
          security: [{ oauth: ['orders:read'] }, { 'PLANTED-break-glass': [] }],
          parameters: [
            { name: 'PLANTED-trace', in: 'query', schema: { type: 'boolean' }, 'x-internal': true },
            { $ref: '#/components/parameters/AdminOverride' },
            { name: 'X-Request-Id', in: 'header', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'The order',
              headers: {
                'X-Rate-Limit': { schema: { type: 'integer' } },
                'PLANTED-X-Shard': { schema: { type: 'string' }, 'x-internal': true },
              },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
            '418': { description: 'PLANTED-maintenance-mode', 'x-internal': true },
          },
        },
      },
    },
    components: {
      parameters: { AdminOverride: { name: 'PLANTED-admin-override', in: 'query', schema: { type: 'string' }, 'x-internal': true } },
      schemas: {
        Order: {
          type: 'object',
          required: ['id', 'PLANTED-fraudScore'],
          properties: {
            id: { type: 'string' },
            'PLANTED-fraudScore': { type: 'number', 'x-internal': true },
            audit: { $ref: '#/components/schemas/PLANTED-Audit' },
          },
        },
        'PLANTED-Audit': { type: 'object', 'x-internal': true, properties: { approver: { type: 'string' } } },
      },
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'orders:read': 'Read' } } },
        },
        'PLANTED-break-glass': { type: 'apiKey', name: 'X-Break-Glass', in: 'header', 'x-internal': true },
      },
    },
  });

  const result = sanitizeDocument(planted());
  const text = JSON.stringify(result.document);

  it('publishes no element marked x-internal, and nothing that only pointed at one', () => {
    expect(text).not.toContain('PLANTED');
  });

  it('removes internal parameters of operations and path items, and a $ref to an internal parameter', () => {
    const item = (result.document.paths as JsonObject)['/orders/{id}'] as JsonObject;
    expect(item.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect((item.get as JsonObject).parameters).toEqual([{ name: 'X-Request-Id', in: 'header', schema: { type: 'string' } }]);
  });

  it('removes an internal schema property from properties and from required', () => {
    const order = ((result.document.components as JsonObject).schemas as JsonObject).Order as JsonObject;
    expect(order.properties).toEqual({ id: { type: 'string' } });
    expect(order.required).toEqual(['id']);
  });

  it('removes internal responses, response headers, tags and security schemes, with the requirements that named them', () => {
    const get = ((result.document.paths as JsonObject)['/orders/{id}'] as JsonObject).get as JsonObject;
    expect(Object.keys(get.responses as JsonObject)).toEqual(['200']);
    expect(Object.keys(((get.responses as JsonObject)['200'] as JsonObject).headers as JsonObject)).toEqual(['X-Rate-Limit']);
    expect(get.tags).toEqual(['orders']);
    expect(result.document.tags).toEqual([{ name: 'orders' }]);
    expect(get.security).toEqual([{ oauth: ['orders:read'] }]);
  });

  it('strips extensions nobody put on the allow-list, such as a backend URL or an owner', () => {
    expect(result.strippedExtensions).toEqual(['/info/x-team-owner', '/paths/~1orders~1{id}/get/x-backend-url']);
  });

  it('reports what it removed, and the public document still validates', () => {
    expect(result.removedInternalElements).toEqual(
      expect.arrayContaining([
        '/components/parameters/AdminOverride',
        '/components/schemas/PLANTED-Audit',
        '/components/schemas/Order/properties/PLANTED-fraudScore',
      ]),
    );
    validates(result.document);
  });
});
