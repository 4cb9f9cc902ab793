import { escapePointer, isObject, isRef, listOperations, pointerJoin, unescapePointer } from '../../lib/model/json';

describe('isObject', () => {
  it('is true for a plain object, empty or not', () => {
    expect(isObject({})).toBe(true);
    expect(isObject({ a: 1 })).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['a string', '{}'],
    ['a number', 0],
    ['a boolean', true],
  ])('is false for %s', (_what, value) => {
    expect(isObject(value)).toBe(false);
  });
});

describe('isRef', () => {
  it('is true for an object with a string $ref', () => {
    expect(isRef({ $ref: '#/components/schemas/Pet' })).toBe(true);
    expect(isRef({ $ref: '', description: 'siblings allowed' })).toBe(true);
  });

  it.each([
    ['a $ref that is not a string', { $ref: 1 }],
    ['a $ref that is an object', { $ref: { $ref: '#/a' } }],
    ['an object without $ref', { ref: '#/a' }],
    ['an array holding a reference', [{ $ref: '#/a' }]],
    ['a string', '#/a'],
    ['null', null],
  ])('is false for %s', (_what, value) => {
    expect(isRef(value)).toBe(false);
  });
});

describe('escapePointer and unescapePointer', () => {
  it.each([
    ['/pets', '~1pets'],
    ['a~b', 'a~0b'],
    ['~1', '~01'],
    ['/~', '~1~0'],
    ['plain', 'plain'],
    ['', ''],
  ])('escapes %j as %j (RFC 6901)', (segment, escaped) => {
    expect(escapePointer(segment)).toBe(escaped);
    expect(unescapePointer(escaped)).toBe(segment);
  });

  it('round-trips segments made of ~, / and the digits 0 and 1 in every order', () => {
    const alphabet = ['~', '/', '0', '1', 'a'];
    let segments = [''];
    for (let length = 1; length <= 4; length++) segments = [...segments, ...segments.flatMap((s) => alphabet.map((c) => s + c))];
    expect(segments.length).toBeGreaterThan(600);
    for (const segment of segments) expect(unescapePointer(escapePointer(segment))).toBe(segment);
  });

  it('unescapes ~01 as ~1, not as / (the order RFC 6901 requires)', () => {
    expect(unescapePointer('~01')).toBe('~1');
  });
});

describe('pointerJoin', () => {
  it('appends escaped tokens to a base', () => {
    expect(pointerJoin('/paths', '/pets/{petId}', 'get')).toBe('/paths/~1pets~1{petId}/get');
  });

  it('writes numbers as array indexes', () => {
    expect(pointerJoin('/paths/~1pets/get/parameters', 0)).toBe('/paths/~1pets/get/parameters/0');
  });

  it('is the base itself without tokens', () => {
    expect(pointerJoin('/components')).toBe('/components');
  });

  it('builds from the root with an empty base', () => {
    expect(pointerJoin('', 'a~b')).toBe('/a~0b');
  });
});

describe('listOperations', () => {
  const METHODS = ['get', 'put', 'post', 'delete'];

  it('lists operations in document order, methods in the order given', () => {
    const document = {
      paths: {
        '/b': { post: { operationId: 'b1' }, get: { operationId: 'b0' } },
        '/a': { delete: { operationId: 'a0' } },
      },
    };
    expect(listOperations(document, { methods: METHODS }).map((o) => `${o.path} ${o.method}`)).toEqual(['/b get', '/b post', '/a delete']);
  });

  it('says where each operation is, with escaped pointers', () => {
    const operation = { operationId: 'getPet' };
    const pathItem = { get: operation, summary: 'x' };
    const [found] = listOperations({ paths: { '/pets/{petId}': pathItem } }, { methods: METHODS });
    expect(found).toEqual({
      container: 'paths',
      path: '/pets/{petId}',
      method: 'get',
      operation,
      pathItem,
      pathItemPointer: '/paths/~1pets~1{petId}',
      pointer: '/paths/~1pets~1{petId}/get',
    });
  });

  it('skips x- extension keys under paths, and path-item members that are not methods', () => {
    const document = {
      paths: { 'x-internal': { get: { operationId: 'hidden' } }, '/a': { get: {}, parameters: [], summary: 's', 'x-get': {} } },
    };
    expect(listOperations(document, { methods: METHODS }).map((o) => o.path + ' ' + o.method)).toEqual(['/a get']);
  });

  it('skips methods whose value is not an object', () => {
    const document = { paths: { '/a': { get: null, put: 'x', post: [], delete: {} } } };
    expect(listOperations(document, { methods: METHODS }).map((o) => o.method)).toEqual(['delete']);
  });

  it('finds nothing in a document without paths, or with paths that is not an object', () => {
    expect(listOperations({}, { methods: METHODS })).toEqual([]);
    expect(listOperations({ paths: [{ get: {} }] }, { methods: METHODS })).toEqual([]);
    expect(listOperations({ paths: 'x' }, { methods: METHODS })).toEqual([]);
  });

  it('reads webhooks only when asked, after paths when both are asked for', () => {
    const document = { webhooks: { newPet: { post: {} } }, paths: { '/a': { get: {} } } };
    expect(listOperations(document, { methods: METHODS }).map((o) => o.container)).toEqual(['paths']);
    const both = listOperations(document, { methods: METHODS, containers: ['paths', 'webhooks'] });
    expect(both.map((o) => `${o.container} ${o.path}`)).toEqual(['paths /a', 'webhooks newPet']);
    expect(both[1].pointer).toBe('/webhooks/newPet/post');
  });

  it('skips a path item that is a reference unless asked to follow it', () => {
    const document = { paths: { '/a': { $ref: '#/components/pathItems/A' } }, components: { pathItems: { A: { get: {} } } } };
    expect(listOperations(document, { methods: METHODS })).toEqual([]);
    const followed = listOperations(document, {
      methods: METHODS,
      followPathItem: (value, pointer) =>
        (value as { $ref?: string }).$ref === '#/components/pathItems/A'
          ? { value: document.components.pathItems.A, pointer: '/components/pathItems/A' }
          : { value, pointer },
    });
    expect(followed).toHaveLength(1);
    expect(followed[0]).toMatchObject({ path: '/a', pathItemPointer: '/components/pathItems/A', pointer: '/components/pathItems/A/get' });
  });

  it('does not list an own __proto__ key as a method', () => {
    const pathItem = JSON.parse('{"__proto__":{"get":{}}}');
    expect(listOperations({ paths: { '/a': pathItem } }, { methods: METHODS })).toEqual([]);
  });
});
