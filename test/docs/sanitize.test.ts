import * as fs from 'node:fs';
import * as path from 'node:path';
import { listOperations, sanitizeDocument } from '../../lib/docs/sanitize';
import { loadDocumentFile } from '../../lib/openapi/load';
import { JsonObject } from '../../lib/openapi/types';
import { swaggerParserVerdicts } from './support/swagger-parser';

const SPECS = path.join(__dirname, '..', '..', '..', 'shared', 'specs');
const CORPUS = fs.readdirSync(SPECS).filter((f) => /\.(json|ya?ml)$/.test(f)).sort();

function spec(file: string): JsonObject {
  return loadDocumentFile(path.join(SPECS, file)).document;
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

/** The oracle for "public operations are unchanged": the original operation minus the extensions the default deny-list names. */
function withoutDeniedExtensions(node: unknown): unknown {
  const denied = /^x-(amazon-apigateway-|internal$|secureapi-|swagger-router-|google-backend$|google-management$|google-endpoints$|kong-|ibm-configuration$|wso2-|apigee-)/i;
  if (Array.isArray(node)) return node.map(withoutDeniedExtensions);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => !denied.test(k)).map(([k, v]) => [k, withoutDeniedExtensions(v)]));
}

function operationsById(document: JsonObject): Map<string, JsonObject> {
  return new Map(listOperations(document).map((o) => [String(o.operation.operationId ?? `${o.method} ${o.path}`), o.operation]));
}

describe('sanitizeDocument on the shared corpus', () => {
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
      expect(operation).toEqual(expected);
    }
    expect(allKeys(document).filter(({ key }) => /^x-amazon-apigateway-/i.test(key))).toEqual([]);
    if (typeof document.swagger === 'string') expect([document.host, document.basePath, document.schemes]).toEqual(['api.example.com', '/v1', ['https']]);
    else expect(document.servers).toEqual([{ url: 'https://api.example.com/v1' }]);
  });

  it('strips the AWS ACM document\'s x-amazon-apigateway-authtype and its AWS endpoints', () => {
    const original = spec('apisguru-amazonaws.com-acm.json');
    const result = sanitizeDocument(original, { publicUrl: 'https://certs.example.com' });
    expect(result.strippedExtensions).toEqual(['/components/securitySchemes/hmac/x-amazon-apigateway-authtype']);
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
    for (const name of ['Arn', 'CertificateBody', 'CertificateChain', 'ExpiryEventsConfiguration', 'IdempotencyToken', 'TagList']) expect(schemas[name]).toBeDefined();
    const text = JSON.stringify(doc);
    for (const pointer of result.removedDefinitions) expect(text).not.toContain(`"#${pointer}"`);
  });

  it('removes a Swagger 2.0 operation and the definitions only it used (moby)', () => {
    const original = spec('moby-swagger.yaml');
    const result = sanitizeDocument(original, { internalOperations: ['SwarmInit', 'SwarmJoin', 'SwarmUnlock'], publicUrl: 'https://docker.example.com/v1.56' });
    validates(result.document);
    const definitions = result.document.definitions as JsonObject;
    expect(result.removedOperations).toEqual(['POST /swarm/init (SwarmInit)', 'POST /swarm/join (SwarmJoin)', 'POST /swarm/unlock (SwarmUnlock)']);
    expect(Object.keys((result.document as { paths: JsonObject }).paths)).not.toContain('/swarm/init');
    // Swarm itself is still returned by public operations (SwarmInspect).
    expect(definitions.Swarm).toBeDefined();
    expect(result.document.host).toBe('docker.example.com');
    expect(result.document.basePath).toBe('/v1.56');
  });

  it('keeps definitions nobody used in the first place: they are the author\'s to publish', () => {
    const original = spec('apisguru-amazonaws.com-acm.json');
    const { document } = sanitizeDocument(original, {});
    expect(Object.keys((document.components as { schemas: JsonObject }).schemas)).toEqual(Object.keys((original.components as { schemas: JsonObject }).schemas));
  });
});

/** The Swagger petstore with everything an API Gateway deployment adds to a document, planted. */
function plantedPetstore(): JsonObject {
  const document = spec('swaggerpetstore-openapi.yaml');
  const lambdaArn = 'arn:aws:lambda:eu-west-1:210987654321:function:petstore-backend';
  for (const { operation } of listOperations(document)) {
    operation['x-amazon-apigateway-integration'] = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${lambdaArn}/invocations`,
      credentials: 'arn:aws:iam::210987654321:role/petstore-apigw',
    };
    operation['x-amazon-apigateway-request-validator'] = 'all';
  }
  const paths = document.paths as { [path: string]: JsonObject };
  paths['/pet/{petId}']['x-amazon-apigateway-any-method'] = { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'http://internal-backend-123.eu-west-1.elb.amazonaws.com/{proxy}' } };
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
  (components.securitySchemes.api_key as JsonObject)['x-amazon-apigateway-authorizer'] = { type: 'request', authorizerUri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${lambdaArn}/invocations` };
  (document.tags as JsonObject[]).push({ name: 'admin', description: 'Operations staff only' });
  document['x-amazon-apigateway-policy'] = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:210987654321:*' }] };
  document['x-amazon-apigateway-request-validators'] = { all: { validateRequestBody: true, validateRequestParameters: true } };
  document['x-amazon-apigateway-gateway-responses'] = { DEFAULT_4XX: { responseTemplates: { 'application/json': '{"message":$context.error.messageString}' } } };
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
    for (const [id, operation] of operationsById(result.document)) expect(operation).toEqual(withoutDeniedExtensions(before.get(id)));
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
        get: { operationId: 'getA', servers: [{ url: 'http://10.0.0.5' }], 'x-maturity': ['beta'], responses: { '200': { description: 'OK' } } },
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

  it('strips the extensions on a custom deny-list, by exact name or prefix', () => {
    const { document, strippedExtensions } = sanitizeDocument(base(), { deniedExtensions: ['x-twilio', 'x-matur*'] });
    expect(strippedExtensions.sort()).toEqual(['/info/x-twilio', '/paths/~1a/get/x-maturity']);
    expect(JSON.stringify(document)).not.toMatch(/x-twilio|x-maturity/);
  });

  it('keeps extensions that are not on the deny-list', () => {
    const { document } = sanitizeDocument(base());
    expect((document.info as JsonObject)['x-twilio']).toEqual({ secret: 'config' });
  });

  it('rejects an internalOperations entry that names no operation, so a typo cannot publish what it meant to hide', () => {
    expect(() => sanitizeDocument(base(), { internalOperations: ['getA', 'getB', 'deleteEverything'] })).toThrow(
      "internalOperations names 'deleteEverything', 'getB', which are not operationIds of the document",
    );
  });

  it('rejects a deny-list entry that is not an extension name', () => {
    expect(() => sanitizeDocument(base(), { deniedExtensions: ['description'] })).toThrow("'description' is not a vendor extension name: it must start with 'x-'");
  });

  it('keeps schemas that a discriminator mapping names without a $ref', () => {
    const document: JsonObject = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: {
        '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } } } },
        '/admin': { get: { operationId: 'admin', 'x-internal': true, responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Audit' } } } } } } },
      },
      components: {
        schemas: {
          Pet: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } }, discriminator: { propertyName: 'kind', mapping: { dog: 'Dog', cat: '#/components/schemas/Cat' } } },
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
