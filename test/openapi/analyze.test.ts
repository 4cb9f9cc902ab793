import { HTTP_METHODS, listOperations, LoadedDocument } from '../../lib/model';
import { analyzeDocument, withDerivedOperationIds } from '../../lib/openapi';
import { doc30, doc31, jsonBodyOperation, load, op } from './helpers';

describe('analyzeDocument: operations', () => {
  it('lists every operation with its API Gateway path, security, tags and extensions', () => {
    const api = analyzeDocument(
      load(
        doc30(
          {
            '/pets': {
              get: op('listPets', { tags: ['pets'], summary: 'List', 'x-internal': true }),
              post: op('createPet', { security: [] }),
            },
          },
          { security: [{ oauth: ['pets:read'] }], components: { securitySchemes: { oauth: { type: 'oauth2', flows: {} } } } },
        ),
      ),
    );
    expect(api.operations.map((o) => [o.operationId, o.method, o.path, o.security])).toEqual([
      ['listPets', 'get', '/pets', [{ oauth: ['pets:read'] }]],
      ['createPet', 'post', '/pets', []],
    ]);
    expect(api.operations[0].tags).toEqual(['pets']);
    expect(api.operations[0].summary).toBe('List');
    expect(api.operations[0].extensions).toEqual({ 'x-internal': true });
    expect(api.securitySchemes).toEqual({ oauth: { type: 'oauth2', flows: {} } });
  });

  it('serves the operations of a 3.1 components.pathItems entry under each path that references it, and the docs copy names them alike', () => {
    const noId = { responses: { '200': { description: 'OK' } } };
    // Built by hand: the official 3.1 schema of 2021-04-15 does not yet allow a $ref as a path item.
    const loaded: LoadedDocument = {
      source: 'api.yaml',
      version: '3.1',
      document: doc31(
        { '/a': { $ref: '#/components/pathItems/Shared' }, '/b': { $ref: '#/components/pathItems/Shared' } },
        { components: { pathItems: { Shared: { get: noId, post: op('') } } } },
      ),
    };
    const api = analyzeDocument(loaded);
    expect(api.operations.map((o) => `${o.method} ${o.path} ${o.operationId}`)).toEqual([
      'get /a getA',
      'post /a postA',
      'get /b getB',
      'post /b postB',
    ]);
    const docs = withDerivedOperationIds(loaded, api.operations).document;
    expect(listOperations(docs, { methods: HTTP_METHODS }).map((o) => `${o.method} ${o.path} ${String(o.operation.operationId)}`)).toEqual(
      api.operations.map((o) => `${o.method} ${o.path} ${o.operationId}`),
    );
  });

  it('leaves security undefined when neither the operation nor the root declares any', () => {
    expect(analyzeDocument(load(doc30({ '/a': { get: op('getA') } }))).operations[0].security).toBeUndefined();
  });

  it('derives an operationId for every operation without one, with an info naming each', () => {
    const noId = { responses: { '200': { description: 'OK' } } };
    const document = doc30({ '/pets/{petId}': { get: noId, post: op('postPet') }, '/b': { put: noId } });
    const api = analyzeDocument(load(document));
    expect(api.operations.map((o) => [o.operationId, o.derivedOperationId ?? false])).toEqual([
      ['getPetsPetId', true],
      ['postPet', false],
      ['putB', true],
    ]);
    expect(api.warnings.filter((w) => w.keyword === 'derived-operation-id').map((w) => [w.level, w.message])).toEqual([
      [
        'info',
        "operation 'getPetsPetId': GET /pets/{petId} has no operationId in the document, so it is derived from method and path; props may name it 'getPetsPetId' or 'GET /pets/{petId}'",
      ],
      [
        'info',
        "operation 'putB': PUT /b has no operationId in the document, so it is derived from method and path; props may name it 'putB' or 'PUT /b'",
      ],
    ]);
  });

  it('excludes operations by route key, with or without operationIds in the document', () => {
    const noId = { responses: { '200': { description: 'OK' } } };
    const api = analyzeDocument(load(doc30({ '/pets/{petId}': { get: noId, delete: op('deletePet') }, '/pets': { get: noId } })), {
      excludeOperations: ['get /pets/{petId}', 'DELETE /pets/{petId}'],
    });
    expect(api.operations.map((o) => o.operationId)).toEqual(['getPets']);
  });

  it('lists every duplicated operationId with its routes', () => {
    const document = doc30({ '/a': { get: op('same'), post: op('same') }, '/b': { get: op('same') } });
    expect(() => analyzeDocument(load(document))).toThrow(
      "(inline document)#/paths: duplicate operationIds (each must be unique):\n  'same': GET /a, POST /a, GET /b",
    );
  });

  it('leaves out excluded operations', () => {
    const document = doc30({ '/posts/{id}.json': { get: op('getPostJson') }, '/posts/{id}': { get: op('getPost') } });
    expect(() => analyzeDocument(load(document))).toThrow(
      "'getPostJson' (GET /posts/{id}.json) and 'getPost' (GET /posts/{id}) both become GET /posts/{id}",
    );
    const api = analyzeDocument(load(document), { excludeOperations: ['getPostJson'] });
    expect(api.operations.map((o) => o.operationId)).toEqual(['getPost']);
  });

  it('rejects an excluded operationId that does not exist', () => {
    expect(() =>
      analyzeDocument(load(doc30({ '/a': { get: op('getA') } })), {
        excludeOperations: ['getA', 'nope', 'GET /b'],
        constructPath: 'Stack/Api',
      }),
    ).toThrow(
      "SecureApi 'Stack/Api': excludeOperations names operation(s) the document does not define: 'nope', 'GET /b' (use an operationId, or a route key such as 'GET /a' with the path as the document writes it)",
    );
  });

  it('rejects excluding every operation', () => {
    expect(() => analyzeDocument(load(doc30({ '/a': { get: op('getA') } })), { excludeOperations: ['getA'] })).toThrow(
      '(inline document)#/paths: every operation is excluded by excludeOperations; an API needs at least one operation',
    );
  });

  it('rejects a document without operations', () => {
    expect(() => analyzeDocument(load(doc30({})))).toThrow('(inline document)#/paths: the document defines no operations');
  });

  it('follows $refs to path items, parameters, request bodies and responses', () => {
    const document = doc30(
      { '/pets/{id}': { $ref: '#/components/x-paths/pet' } },
      {
        components: {
          parameters: { id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
          requestBodies: { Pet: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } },
          responses: { Ok: { description: 'Fine' } },
        },
      },
    );
    (document.components as any)['x-paths'] = {
      pet: {
        parameters: [{ $ref: '#/components/parameters/id' }],
        put: {
          operationId: 'putPet',
          requestBody: { $ref: '#/components/requestBodies/Pet' },
          responses: { '200': { $ref: '#/components/responses/Ok' } },
        },
      },
    };
    const [operation] = analyzeDocument(load(document)).operations;
    expect(operation.parameters).toEqual([{ name: 'id', in: 'path', required: true }]);
    expect(operation.requestBody).toEqual({
      required: true,
      contentTypes: ['application/json'],
      jsonModelName: 'PutPetRequest',
      modelsByContentType: { 'application/json': 'PutPetRequest' },
    });
    expect(operation.responses).toEqual([{ status: '200', description: 'Fine' }]);
  });
});

describe('analyzeDocument: parameters', () => {
  const document = doc30({
    '/c/{id}': { get: op('getById', { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }] }) },
    '/c/{slug}/topics': {
      parameters: [
        { name: 'slug', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
      ],
      get: op('getTopics', {
        parameters: [
          { name: 'page', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
          { name: 'X-Trace', in: 'header', schema: { type: 'string', enum: ['a', 'b'], format: 'uuid' } },
          { name: 'session', in: 'cookie', schema: { type: 'string' } },
        ],
      }),
    },
  });
  const api = analyzeDocument(load(document));

  it('merges path-level and operation-level parameters (the operation wins) and renames unified path variables', () => {
    expect(api.operations[1].parameters).toEqual([
      { name: 'id', in: 'path', required: true },
      { name: 'page', in: 'query', required: true },
      { name: 'X-Trace', in: 'header', required: false },
    ]);
  });

  it('reports, once per operation, the parameter rules API Gateway does not check', () => {
    const messages = api.warnings.filter((w) => w.keyword === 'parameter-schema').map((w) => w.message);
    expect(messages).toEqual([
      "operation 'getById': API Gateway only checks that required parameters are present, so these parameter rules are not enforced: id (type:integer)",
      "operation 'getTopics': API Gateway only checks that required parameters are present, so these parameter rules are not enforced: page (pattern); X-Trace (enum, format:uuid); session (in: cookie, not checked at all)",
    ]);
  });

  it('declares every path variable as a required path parameter, even when the document forgot one', () => {
    const api2 = analyzeDocument(
      load(
        doc30({
          '/a/{id}': { get: op('getA', { parameters: [{ name: 'other', in: 'path', required: true, schema: { type: 'string' } }] }) },
        }),
      ),
    );
    expect(api2.operations[0].parameters).toEqual([{ name: 'id', in: 'path', required: true }]);
    expect(api2.warnings.map((w) => w.message)).toEqual([
      "operation 'getA': path parameter(s) 'other' do not appear in /a/{id}; they are left out of the API Gateway definition",
    ]);
  });
});

describe('analyzeDocument: request bodies', () => {
  it('builds a model for each JSON media type and names the application/json one as the default', () => {
    const document = doc30(
      {
        '/pets': {
          patch: {
            operationId: 'patchPet',
            requestBody: {
              content: {
                'application/merge-patch+json': { schema: { type: 'object', properties: { a: { type: 'string' } } } },
                'application/json; charset=utf-8': { schema: { $ref: '#/components/schemas/Pet' } },
                'application/xml': { schema: { $ref: '#/components/schemas/Pet' } },
              },
            },
            responses: { '200': { description: 'OK' } },
          },
        },
      },
      { components: { schemas: { Pet: { type: 'object' } } } },
    );
    const api = analyzeDocument(load(document));
    expect(api.operations[0].requestBody).toEqual({
      required: false,
      contentTypes: ['application/merge-patch+json', 'application/json; charset=utf-8', 'application/xml'],
      jsonModelName: 'Pet',
      modelsByContentType: { 'application/merge-patch+json': 'PatchPetRequest', 'application/json; charset=utf-8': 'Pet' },
    });
    expect(Object.keys(api.models)).toEqual(['PatchPetRequest', 'Pet']);
    expect(api.warnings.map((w) => w.message)).toEqual([
      "operation 'patchPet': request bodies sent as 'application/xml' are not validated, so a JSON body sent with that Content-Type reaches the backend without its JSON schema being checked; API Gateway validates only JSON bodies against models. Set rejectUnvalidatedMediaTypes to validate them against the JSON model instead, or make the backend check them",
    ]);
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data', 'application/octet-stream', 'text/plain'])(
    'reports that %s bodies are not validated',
    (mediaType) => {
      const document = doc30({
        '/u': {
          post: {
            operationId: 'upload',
            requestBody: { content: { [mediaType]: { schema: { type: 'object' } } } },
            responses: { '200': { description: 'OK' } },
          },
        },
      });
      const api = analyzeDocument(load(document));
      expect(api.operations[0].requestBody!.jsonModelName).toBeUndefined();
      expect(api.warnings).toEqual([
        {
          operationId: 'upload',
          pointer: `/paths/~1u/post/requestBody/content/${mediaType.replace('/', '~1')}`,
          keyword: `content-type:${mediaType}`,
          message: `operation 'upload': request bodies sent as '${mediaType}' are not validated; API Gateway validates only JSON bodies against models, so the backend must check them`,
        },
      ]);
    },
  );

  it('reports each unenforced body rule once per operation, naming the operation, the keyword and where it is written', () => {
    const schemas = {
      Pet: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, owner: { $ref: '#/components/schemas/Owner' } },
        discriminator: { propertyName: 'id' },
      },
      Owner: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
    };
    const document = doc30(
      {
        '/pets': {
          post: jsonBodyOperation('createPet', { $ref: '#/components/schemas/Pet' }),
          put: jsonBodyOperation('replacePet', { $ref: '#/components/schemas/Owner' }),
        },
      },
      { components: { schemas } },
    );
    const api = analyzeDocument(load(document));
    expect(api.warnings.map((w) => [w.operationId, w.keyword, w.message])).toEqual([
      [
        'replacePet',
        'format:uuid',
        "operation 'replacePet': request body rule 'format:uuid' is not enforced by API Gateway: format 'uuid' is not a JSON Schema draft 4 format, so API Gateway does not check it (#/components/schemas/Owner/properties/id/format)",
      ],
      [
        'createPet',
        'format:uuid',
        "operation 'createPet': request body rule 'format:uuid' is not enforced by API Gateway: format 'uuid' is not a JSON Schema draft 4 format, so API Gateway does not check it (#/components/schemas/Pet/properties/id/format, #/components/schemas/Owner/properties/id/format)",
      ],
      [
        'createPet',
        'discriminator',
        "operation 'createPet': request body rule 'discriminator' is not enforced by API Gateway: discriminator is not a JSON Schema keyword: the model accepts a body matching any of the alternatives, whatever its discriminator value (#/components/schemas/Pet/discriminator)",
      ],
    ]);
  });

  it('reports OpenAPI 3.1 keywords that have no draft-4 form', () => {
    const document = doc31({
      '/a': {
        post: jsonBodyOperation('postA', {
          type: 'object',
          if: { required: ['a'] },
          then: { required: ['b'] },
          unevaluatedProperties: false,
        }),
      },
    });
    const api = analyzeDocument(load(document));
    expect(api.sourceVersion).toBe('3.1');
    expect(api.warnings.map((w) => w.keyword)).toEqual(['if', 'then', 'unevaluatedProperties']);
  });

  it('reports callbacks, which API Gateway neither serves nor validates', () => {
    const document = doc30({
      '/subscribe': { post: op('subscribe', { callbacks: { onEvent: { '{$request.body#/url}': { post: op('event') } } } }) },
    });
    expect(analyzeDocument(load(document)).warnings.map((w) => w.message)).toEqual([
      "operation 'subscribe': its callbacks (onEvent) are requests the backend sends; API Gateway neither serves nor validates them",
    ]);
  });

  it('returns the document normalized to OpenAPI 3.0', () => {
    const api = analyzeDocument(load(doc31({ '/a': { get: op('getA') } })));
    expect(api.document.openapi).toBe('3.0.3');
  });
});

describe('analyzeDocument: enum-valued partial path segments', () => {
  const version = (values: unknown[]) => ({ name: 'version', in: 'path', required: true, schema: { type: 'integer', enum: values } });

  it('serves GET /v{version}/areas with enum [1, 2] as two literal routes, each its own operation of the document operation', () => {
    const api = analyzeDocument(load(doc30({ '/v{version}/areas': { get: op('listAreas', { parameters: [version([1, 2])] }) } })));
    expect(
      api.operations.map((o) => [o.operationId, o.path, o.sourcePath, o.documentOperationId, o.fixedPathValues, o.parameters]),
    ).toEqual([
      ['listAreas_1', '/v1/areas', '/v{version}/areas', 'listAreas', { version: '1' }, []],
      ['listAreas_2', '/v2/areas', '/v{version}/areas', 'listAreas', { version: '2' }, []],
    ]);
    // The enum is enforced by routing now: no partial-segment warning, no parameter-schema warning about it.
    expect(api.warnings.map((w) => w.keyword)).toEqual(['enum-expansion']);
    expect(api.warnings[0]).toMatchObject({ level: 'info', operationId: 'listAreas' });
    expect(api.warnings[0].message).toContain(
      "operation 'listAreas': GET /v{version}/areas is served as GET /v1/areas ('listAreas_1'), GET /v2/areas ('listAreas_2')",
    );
  });

  it('keeps a partial segment without enum a whole-segment variable, with its warning', () => {
    const plain = { name: 'version', in: 'path', required: true, schema: { type: 'string' } };
    const api = analyzeDocument(load(doc30({ '/v{version}/areas': { get: op('listAreas', { parameters: [plain] }) } })));
    expect(api.operations.map((o) => [o.operationId, o.path, o.documentOperationId])).toEqual([
      ['listAreas', '/{version}/areas', undefined],
    ]);
    expect(api.warnings.map((w) => w.keyword)).toContain('partial-segment');
  });

  it('falls back to the whole-segment variable when a value cannot be a path part', () => {
    const api = analyzeDocument(load(doc30({ '/v{version}/areas': { get: op('listAreas', { parameters: [version(['1', '2 beta'])] }) } })));
    expect(api.operations.map((o) => o.path)).toEqual(['/{version}/areas']);
  });

  it('keeps two operations that land on one route an error naming both, after expansion too', () => {
    expect(() =>
      analyzeDocument(
        load(
          doc30({
            '/v{version}/areas': { get: op('listAreas', { parameters: [version([1, 2])] }) },
            '/v1/areas': { get: op('listV1Areas') },
          }),
        ),
      ),
    ).toThrow("'listAreas_1' (GET /v1/areas) and 'listV1Areas' (GET /v1/areas) both become GET /v1/areas");
  });

  it('refuses an expanded operationId the document already uses, naming it', () => {
    expect(() =>
      analyzeDocument(
        load(
          doc30({
            '/v{version}/areas': { get: op('listAreas', { parameters: [version([1, 2])] }) },
            '/areas/one': { get: op('listAreas_1') },
          }),
        ),
      ),
    ).toThrow("expanding the enum of GET /v{version}/areas gives the operationId 'listAreas_1', which the API already has");
  });

  it('excludes every route of an expanded operation by its document operationId or route key', () => {
    const document = doc30({ '/v{version}/areas': { get: op('listAreas', { parameters: [version([1, 2])] }) }, '/b': { get: op('getB') } });
    expect(analyzeDocument(load(document), { excludeOperations: ['listAreas'] }).operations.map((o) => o.operationId)).toEqual(['getB']);
    expect(analyzeDocument(load(document), { excludeOperations: ['GET /v{version}/areas'] }).operations.map((o) => o.operationId)).toEqual([
      'getB',
    ]);
  });
});
