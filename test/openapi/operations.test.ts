import { HTTP_METHODS, JsonObject, listOperations, LoadedDocument, OpenApiError } from '../../lib/model';
import { assignOperationIds, DocumentOperation, documentOperations, withDerivedOperationIds } from '../../lib/openapi/operations';
import { RefResolver } from '../../lib/openapi/refs';

const SOURCE = 'api.yaml';
const operationsOf = (document: JsonObject) => documentOperations(document, new RefResolver(document, SOURCE));

describe('documentOperations', () => {
  it('lists every operation in document order with its method, path and pointer', () => {
    const document = {
      paths: {
        '/pets': { post: { operationId: 'createPet' }, get: { operationId: 'listPets' } },
        '/pets/{petId}': { delete: { operationId: 'deletePet' } },
      },
    };
    expect(operationsOf(document).map((o) => [o.method, o.sourcePath, o.pointer, o.operationId])).toEqual([
      ['get', '/pets', '/paths/~1pets/get', 'listPets'],
      ['post', '/pets', '/paths/~1pets/post', 'createPet'],
      ['delete', '/pets/{petId}', '/paths/~1pets~1{petId}/delete', 'deletePet'],
    ]);
  });

  it('reads every HTTP method API Gateway serves, and nothing else of a path item', () => {
    const op = {};
    const document = {
      paths: { '/a': { get: op, put: op, post: op, delete: op, options: op, head: op, patch: op, trace: op, summary: 'x' } },
    };
    expect(operationsOf(document).map((o) => o.method)).toEqual(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);
  });

  it('leaves operationId undefined when the document does not write one, or writes an empty or non-string one', () => {
    const document = { paths: { '/a': { get: {}, put: { operationId: '' }, post: { operationId: 7 } } } };
    expect(operationsOf(document).map((o) => o.operationId)).toEqual([undefined, undefined, undefined]);
  });

  it('merges path-level and operation-level parameters, the operation winning for the same name and location', () => {
    const document = {
      paths: {
        '/pets/{petId}': {
          parameters: [
            { name: 'petId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'trace', in: 'header' },
          ],
          get: {
            parameters: [
              { name: 'petId', in: 'path', required: true, schema: { type: 'integer' } },
              { name: 'petId', in: 'query' },
            ],
          },
        },
      },
    };
    const [get] = operationsOf(document);
    expect(get.parameters).toEqual([
      {
        parameter: { name: 'petId', in: 'path', required: true, schema: { type: 'integer' } },
        pointer: '/paths/~1pets~1{petId}/get/parameters/0',
      },
      { parameter: { name: 'trace', in: 'header' }, pointer: '/paths/~1pets~1{petId}/parameters/1' },
      { parameter: { name: 'petId', in: 'query' }, pointer: '/paths/~1pets~1{petId}/get/parameters/1' },
    ]);
  });

  it('follows parameter references and keeps the pointer of the target', () => {
    const document = {
      paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/Limit' }] } } },
      components: { parameters: { Limit: { name: 'limit', in: 'query' } } },
    };
    expect(operationsOf(document)[0].parameters).toEqual([
      { parameter: { name: 'limit', in: 'query' }, pointer: '/components/parameters/Limit' },
    ]);
  });

  it('follows a request body reference', () => {
    const body = { content: { 'application/json': { schema: { type: 'object' } } } };
    const document = {
      paths: { '/a': { post: { requestBody: { $ref: '#/components/requestBodies/B' } } } },
      components: { requestBodies: { B: body } },
    };
    expect(operationsOf(document)[0].requestBody).toEqual({ body, pointer: '/components/requestBodies/B' });
  });

  it('has no request body when the operation declares none, or one that is not an object', () => {
    const document = { paths: { '/a': { post: {}, put: { requestBody: 'x' } } } };
    expect(operationsOf(document).map((o) => o.requestBody)).toEqual([undefined, undefined]);
  });

  it('follows a path item reference', () => {
    const document = {
      paths: { '/a': { $ref: '#/components/pathItems/A' } },
      components: { pathItems: { A: { get: { operationId: 'getA' } } } },
    };
    expect(operationsOf(document).map((o) => [o.sourcePath, o.pointer, o.operationId])).toEqual([
      ['/a', '/components/pathItems/A/get', 'getA'],
    ]);
  });

  it('takes the root security unless the operation writes its own, an empty list included (a public operation)', () => {
    // Listed in HTTP_METHODS order: get, put, post.
    const document = {
      security: [{ oauth: ['read'] }],
      paths: { '/a': { get: {}, post: { security: [] }, put: { security: [{ apiKey: [] }] } } },
    };
    expect(operationsOf(document).map((o) => o.security)).toEqual([[{ oauth: ['read'] }], [{ apiKey: [] }], []]);
  });

  it('has no security when neither the root nor the operation writes a list', () => {
    expect(operationsOf({ security: {}, paths: { '/a': { get: { security: 'none' } } } })[0].security).toBeUndefined();
  });

  it('refuses a dangling parameter reference, naming where it is', () => {
    const document = { paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/Missing' }] } } } };
    expect(() => operationsOf(document)).toThrow(OpenApiError);
    expect(() => operationsOf(document)).toThrow("$ref '#/components/parameters/Missing' points to nothing");
  });
});

const operation = (method: DocumentOperation['method'], sourcePath: string, operationId?: string): DocumentOperation => ({
  method,
  sourcePath,
  operationId,
  pointer: `/paths/${sourcePath.replace(/\//g, '~1')}/${method}`,
  operation: {},
  parameters: [],
});

describe('assignOperationIds', () => {
  it('keeps written operationIds and derives the missing ones from method and path', () => {
    const { operations, derived } = assignOperationIds([operation('get', '/pets', 'listPets'), operation('get', '/pets/{petId}')], SOURCE);
    expect(operations.map((o) => [o.operationId, o.derivedOperationId])).toEqual([
      ['listPets', undefined],
      ['getPetsPetId', true],
    ]);
    expect(derived.map((o) => o.operationId)).toEqual(['getPetsPetId']);
  });

  it('never derives an id the document already writes for another operation', () => {
    const { operations } = assignOperationIds([operation('post', '/x', 'getPets'), operation('get', '/pets')], SOURCE);
    const ids = operations.map((o) => o.operationId);
    expect(ids[1]).not.toBe('getPets');
    expect(new Set(ids).size).toBe(2);
  });

  it('refuses duplicate written operationIds, naming every route that uses each', () => {
    const run = () =>
      assignOperationIds(
        [operation('get', '/a', 'same'), operation('post', '/b', 'same'), operation('get', '/c', 'other'), operation('put', '/d', 'other')],
        SOURCE,
      );
    expect(run).toThrow(OpenApiError);
    expect(run).toThrow("'same': GET /a, POST /b");
    expect(run).toThrow("'other': GET /c, PUT /d");
  });

  it('returns an empty list for a document without operations', () => {
    expect(assignOperationIds([], SOURCE)).toEqual({ operations: [], derived: [] });
  });

  it('does not change the operations it was given', () => {
    const input = [operation('get', '/pets')];
    assignOperationIds(input, SOURCE);
    expect(input[0].operationId).toBeUndefined();
  });
});

describe('withDerivedOperationIds', () => {
  const loaded = (document: JsonObject): LoadedDocument => ({ source: SOURCE, version: '3.0', document });

  it('returns the document itself when nothing was derived', () => {
    const input = loaded({ paths: { '/a': { get: { operationId: 'getA' } } } });
    expect(withDerivedOperationIds(input, [{ operationId: 'getA', method: 'get', sourcePath: '/a' }])).toBe(input);
  });

  it('writes derived ids into a copy, leaving the user\u2019s document untouched', () => {
    const input = loaded({ paths: { '/a': { get: {} } } });
    const out = withDerivedOperationIds(input, [{ operationId: 'getA', derivedOperationId: true, method: 'get', sourcePath: '/a' }]);
    expect(out.document).toEqual({ paths: { '/a': { get: { operationId: 'getA' } } } });
    expect(input.document).toEqual({ paths: { '/a': { get: {} } } });
    expect(out.source).toBe(SOURCE);
  });

  it('never overwrites an operationId the document writes', () => {
    const input = loaded({ paths: { '/a': { get: { operationId: 'mine' } } } });
    const out = withDerivedOperationIds(input, [{ operationId: 'getA', derivedOperationId: true, method: 'get', sourcePath: '/a' }]);
    expect((out.document.paths as any)['/a'].get.operationId).toBe('mine');
  });

  it('ignores a derived operation that is not in the document', () => {
    const input = loaded({ paths: {} });
    expect(
      withDerivedOperationIds(input, [{ operationId: 'x', derivedOperationId: true, method: 'get', sourcePath: '/gone' }]).document,
    ).toEqual({
      paths: {},
    });
  });

  it('names, in the copy, every operation the analysis derived an id for (end to end)', () => {
    const document = { paths: { '/a': { get: {}, post: { operationId: 'createA' } }, '/b/{id}': { delete: {} } } };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect(operationsOf(out.document).map((o) => o.operationId)).toEqual(operations.map((o) => o.operationId));
  });

  // Issue 16: the id was written only where the operation sits directly under `paths`, and only when
  // operationId was absent, so the docs did not name these operations as the API does.
  it('names a derived operation behind a path item $ref', () => {
    const document = { paths: { '/a': { $ref: '#/components/pathItems/A' } }, components: { pathItems: { A: { get: {} } } } };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    expect(operations.map((o) => o.operationId)).toEqual(['getA']);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect(operationsOf(out.document).map((o) => o.operationId)).toEqual(['getA']);
  });

  it('names a derived operation in place of an empty operationId', () => {
    const document = { paths: { '/b': { get: { operationId: '' } } } };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    expect(operations.map((o) => o.operationId)).toEqual(['getB']);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect((out.document.paths as any)['/b'].get.operationId).toBe('getB');
  });

  it('names a derived operation in place of an operationId that is not a string', () => {
    const document = { paths: { '/b': { get: { operationId: 7 }, put: { operationId: null } } } };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect(operationsOf(out.document).map((o) => o.operationId)).toEqual(['getB', 'putB']);
    expect((out.document.paths as any)['/b'].get.operationId).toBe('getB');
  });

  it('gives each of two paths that share one path item its own operations, named after its own path', () => {
    const document = {
      paths: { '/a': { $ref: '#/components/pathItems/Shared' }, '/b': { $ref: '#/components/pathItems/Shared' } },
      components: { pathItems: { Shared: { get: {}, post: { operationId: '' } } } },
    };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    expect(operations.map((o) => o.operationId)).toEqual(['getA', 'postA', 'getB', 'postB']);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect(operationsOf(out.document).map((o) => o.operationId)).toEqual(['getA', 'postA', 'getB', 'postB']);
  });

  it('names a path whose item is a $ref to another path after its own path, and the other after its own', () => {
    const document = { paths: { '/a': { $ref: '#/paths/~1b' }, '/b': { get: {} } } };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect(operationsOf(out.document).map((o) => [o.sourcePath, o.operationId])).toEqual([
      ['/a', 'getA'],
      ['/b', 'getB'],
    ]);
  });

  it('follows a chain of path item references, and keeps the summary, description and extensions the reference writes', () => {
    const document = {
      paths: { '/a': { $ref: '#/components/pathItems/A', summary: 'A here', 'x-internal': true } },
      components: {
        pathItems: { A: { $ref: '#/components/pathItems/B' }, B: { summary: 'B', parameters: [{ name: 'q', in: 'query' }], get: {} } },
      },
    };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect((out.document.paths as any)['/a']).toEqual({
      summary: 'A here',
      'x-internal': true,
      parameters: [{ name: 'q', in: 'query' }],
      get: { operationId: 'getA' },
    });
  });

  it('leaves the user\u2019s document, its shared path items included, untouched', () => {
    const document = {
      paths: { '/a': { $ref: '#/components/pathItems/A' }, '/b': { get: { operationId: '' } } },
      components: { pathItems: { A: { get: {} } } },
    };
    const before = structuredClone(document);
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect(document).toEqual(before);
    // The components stay, for anything else that references them.
    expect(out.document.components).toEqual(before.components);
  });

  it('inlines every path item $ref, named operations too, so what reads the copy finds each operation under its own path', () => {
    const document = {
      paths: { '/a': { $ref: '#/x-items/A' } },
      'x-items': { A: { get: { operationId: 'named', 'x-internal': true } } },
    };
    const { operations } = assignOperationIds(operationsOf(document), SOURCE);
    const out = withDerivedOperationIds(loaded(document), operations);
    expect((out.document.paths as any)['/a']).toEqual({ get: { operationId: 'named', 'x-internal': true } });
    expect(listOperations(out.document, { methods: HTTP_METHODS }).map((o) => [o.path, o.operation.operationId])).toEqual([
      ['/a', 'named'],
    ]);
  });
});
