import { OpenApiError } from '../../lib/model';
import { inlinedPathItem, RefResolver } from '../../lib/openapi/refs';
import { errorThrownBy } from '../support/thrown-error';

const SOURCE = 'api.yaml';
const document = {
  paths: { '/pets/{petId}': { get: { responses: {} } } },
  components: {
    schemas: {
      Pet: { type: 'object' },
      'a/b': { type: 'string' },
      'm~n': { type: 'integer' },
      'with space': { type: 'boolean' },
      Alias: { $ref: '#/components/schemas/Pet' },
      AliasOfAlias: { $ref: '#/components/schemas/Alias' },
      LoopA: { $ref: '#/components/schemas/LoopB' },
      LoopB: { $ref: '#/components/schemas/LoopA' },
      Self: { $ref: '#/components/schemas/Self' },
      Dangling: { $ref: '#/components/schemas/Missing' },
      External: { $ref: 'common.yaml#/Pet' },
      Nullable: null,
    },
  },
  tags: [{ name: 'pets' }, { name: 'store' }],
  '': { empty: true },
};
const resolver = new RefResolver(document, SOURCE);

const errorOf = (run: () => unknown): OpenApiError => errorThrownBy(OpenApiError, run);

describe('RefResolver.get', () => {
  it('returns the whole document for the empty pointer', () => {
    expect(resolver.get('')).toBe(document);
  });

  it('walks object members and array indexes', () => {
    expect(resolver.get('/components/schemas/Pet')).toEqual({ type: 'object' });
    expect(resolver.get('/tags/1/name')).toBe('store');
  });

  it('unescapes ~1 and ~0 in tokens', () => {
    expect(resolver.get('/paths/~1pets~1{petId}/get')).toEqual({ responses: {} });
    expect(resolver.get('/components/schemas/a~1b')).toEqual({ type: 'string' });
    expect(resolver.get('/components/schemas/m~0n')).toEqual({ type: 'integer' });
  });

  it('reads the empty key with a pointer of a single slash', () => {
    expect(resolver.get('/')).toEqual({ empty: true });
  });

  it('returns a null value that is there', () => {
    expect(resolver.get('/components/schemas/Nullable')).toBeNull();
  });

  it('names the pointer and the referencing place when nothing is there', () => {
    const error = errorOf(() => resolver.get('/components/schemas/Missing', '/paths/~1pets/get'));
    expect(error.message).toContain("$ref '#/components/schemas/Missing' points to nothing");
    expect(error.source).toBe(SOURCE);
    expect(error.pointer).toBe('/paths/~1pets/get');
  });

  it.each([
    ['a prototype member', '/components/__proto__'],
    ['an inherited method', '/components/schemas/Pet/toString'],
    ['the constructor', '/constructor'],
    ['an index beyond the array', '/tags/2'],
    ['an index with a leading zero', '/tags/01'],
    ['a negative index', '/tags/-1'],
    ['a member below a string', '/tags/0/name/length'],
    ['a member below null', '/components/schemas/Nullable/type'],
    ['an unescaped slash inside a key', '/components/schemas/a/b'],
  ])('finds nothing through %s', (_what, pointer) => {
    expect(() => resolver.get(pointer)).toThrow('points to nothing');
  });

  // Found by this test (issue 16), fixed: RFC 6901 §4 allows only digits (or `-`) as a token into an
  // array, but the resolver checks with hasOwnProperty, which is true for an array's `length`.
  // `#/tags/length` therefore resolves to the number 2 instead of being refused.
  it('does not read the length of an array as a member', () => {
    expect(() => resolver.get('/tags/length')).toThrow('points to nothing');
  });

  it('refuses a pointer that does not start with a slash', () => {
    expect(() => resolver.get('components/schemas/Pet')).toThrow("invalid JSON pointer 'components/schemas/Pet'");
  });
});

describe('RefResolver.pointerOf', () => {
  it('turns an internal reference into its pointer', () => {
    expect(resolver.pointerOf('#/components/schemas/Pet')).toBe('/components/schemas/Pet');
    expect(resolver.pointerOf('#')).toBe('');
  });

  it('percent-decodes the fragment (a reference is a URI)', () => {
    expect(resolver.pointerOf('#/components/schemas/with%20space')).toBe('/components/schemas/with space');
    expect(resolver.get(resolver.pointerOf('#/paths/~1pets~1%7BpetId%7D'))).toEqual(document.paths['/pets/{petId}']);
  });

  it.each([
    ['a relative file', 'common.yaml#/Pet'],
    ['a URL', 'https://example.com/schemas.json#/Pet'],
    ['a bare name', 'Pet'],
    ['an empty string', ''],
  ])('refuses an external reference: %s', (_what, ref) => {
    expect(() => resolver.pointerOf(ref)).toThrow('is not supported; bundle the document into one file first');
  });

  it('refuses a fragment that is not valid percent-encoding', () => {
    const error = errorOf(() => resolver.pointerOf('#/components/schemas/%E0%A4%A', '/x'));
    expect(error.message).toContain("$ref '#/components/schemas/%E0%A4%A' is not a valid URI fragment");
    expect(error.pointer).toBe('/x');
  });
});

describe('RefResolver.follow', () => {
  it('returns a value that is not a reference as it is, at its own pointer', () => {
    const value = { type: 'object' };
    expect(resolver.follow(value, '/here')).toEqual({ value, pointer: '/here' });
  });

  it('follows a chain of references to the value and says where it lives', () => {
    expect(resolver.follow({ $ref: '#/components/schemas/AliasOfAlias' }, '/paths/~1pets/get')).toEqual({
      value: { type: 'object' },
      pointer: '/components/schemas/Pet',
    });
  });

  it('refuses a chain that loops, naming every step', () => {
    const error = errorOf(() => resolver.follow({ $ref: '#/components/schemas/LoopA' }, '/start'));
    expect(error.message).toContain(
      '$ref chain loops without reaching a value (#/components/schemas/LoopA -> #/components/schemas/LoopB -> #/components/schemas/LoopA)',
    );
  });

  it('refuses a reference to itself', () => {
    expect(() => resolver.follow({ $ref: '#/components/schemas/Self' }, '/start')).toThrow('$ref chain loops');
  });

  it('names the place that holds a dangling reference', () => {
    const error = errorOf(() => resolver.follow({ $ref: '#/components/schemas/Dangling' }, '/start'));
    expect(error.message).toContain("$ref '#/components/schemas/Missing' points to nothing");
    expect(error.pointer).toBe('/components/schemas/Dangling');
  });

  it('refuses an external reference met along a chain', () => {
    expect(() => resolver.follow({ $ref: '#/components/schemas/External' }, '/start')).toThrow("external $ref 'common.yaml#/Pet'");
  });

  it('follows a long chain without recursion', () => {
    const schemas: { [name: string]: unknown } = { S0: { type: 'string' } };
    for (let i = 1; i <= 5000; i++) schemas[`S${i}`] = { $ref: `#/components/schemas/S${i - 1}` };
    const long = new RefResolver({ components: { schemas } }, SOURCE);
    expect(long.follow({ $ref: '#/components/schemas/S5000' }, '/x')).toEqual({
      value: { type: 'string' },
      pointer: '/components/schemas/S0',
    });
  });
});

describe('inlinedPathItem', () => {
  const items = {
    paths: { '/a': { $ref: '#/x-items/A' } },
    'x-items': { A: { $ref: '#/x-items/B' }, B: { summary: 'B', get: { responses: {} } } },
  };
  const resolver = new RefResolver(items, SOURCE);

  it('copies the path item at the end of the reference chain, so the copy can change without changing it', () => {
    const copy = inlinedPathItem({ $ref: '#/x-items/A' }, '/paths/~1a', resolver);
    expect(copy).toEqual({ summary: 'B', get: { responses: {} } });
    (copy.get as { operationId?: string }).operationId = 'getA';
    expect(items['x-items'].B.get).toEqual({ responses: {} });
  });

  it("keeps the reference's own summary, description and extensions, and nothing else it writes beside $ref", () => {
    const reference = { $ref: '#/x-items/B', summary: 'A', description: 'd', 'x-internal': true, get: { operationId: 'ignored' } };
    expect(inlinedPathItem(reference, '/paths/~1a', resolver)).toEqual({
      summary: 'A',
      description: 'd',
      'x-internal': true,
      get: { responses: {} },
    });
  });

  it('names the reference that points to nothing', () => {
    expect(() => inlinedPathItem({ $ref: '#/x-items/C' }, '/paths/~1a', resolver)).toThrow(
      "api.yaml#/paths/~1a: $ref '#/x-items/C' points to nothing",
    );
  });
});
