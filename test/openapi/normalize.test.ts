import { convertSchema31, downConvert31, normalizeDocument } from '../../lib/openapi/normalize';
import { doc31, load, op } from './helpers';

describe('convertSchema31 (OpenAPI 3.1 schema to 3.0)', () => {
  it('turns a type array with null into the type plus nullable', () => {
    expect(convertSchema31({ type: ['string', 'null'], maxLength: 3 })).toEqual({ type: 'string', nullable: true, maxLength: 3 });
  });

  it('turns a type array of several types into anyOf alternatives', () => {
    expect(convertSchema31({ type: ['string', 'integer', 'null'] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
      nullable: true,
    });
  });

  it('keeps an existing anyOf when adding type alternatives', () => {
    expect(convertSchema31({ type: ['string', 'number'], anyOf: [{ minLength: 1 }, { minimum: 0 }] })).toEqual({
      anyOf: [{ minLength: 1 }, { minimum: 0 }],
      allOf: [{ anyOf: [{ type: 'string' }, { type: 'number' }] }],
    });
  });

  it('turns type null alone into a nullable enum of null', () => {
    expect(convertSchema31({ type: 'null' })).toEqual({ nullable: true, enum: [null] });
  });

  it('turns const into a one-value enum', () => {
    expect(convertSchema31({ const: 'cat' })).toEqual({ enum: ['cat'] });
  });

  it('turns numeric exclusiveMinimum and exclusiveMaximum into the boolean form', () => {
    expect(convertSchema31({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 })).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 10,
      exclusiveMaximum: true,
    });
  });

  it('keeps the stricter bound when both minimum and exclusiveMinimum are given', () => {
    expect(convertSchema31({ minimum: 5, exclusiveMinimum: 1 })).toEqual({ minimum: 5 });
    expect(convertSchema31({ minimum: 1, exclusiveMinimum: 5 })).toEqual({ minimum: 5, exclusiveMinimum: true });
  });

  it('turns examples into a single example', () => {
    expect(convertSchema31({ type: 'string', examples: ['a', 'b'] })).toEqual({ type: 'string', example: 'a' });
  });

  it('drops $schema, $id and $comment', () => {
    expect(convertSchema31({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'x', $comment: 'c', type: 'string' })).toEqual({
      type: 'string',
    });
  });

  it('converts boolean schemas', () => {
    expect(convertSchema31({ properties: { any: true, none: false } })).toEqual({ properties: { any: {}, none: { not: {} } } });
  });

  it('converts nested schemas in properties, items, allOf and additionalProperties', () => {
    expect(
      convertSchema31({
        properties: { a: { type: ['integer', 'null'] } },
        items: { const: 1 },
        allOf: [{ type: ['boolean', 'null'] }],
        additionalProperties: { type: ['string', 'null'] },
      }),
    ).toEqual({
      properties: { a: { type: 'integer', nullable: true } },
      items: { enum: [1] },
      allOf: [{ type: 'boolean', nullable: true }],
      additionalProperties: { type: 'string', nullable: true },
    });
  });

  it('wraps a $ref that has sibling keywords in allOf, because 3.0 would ignore the siblings', () => {
    expect(convertSchema31({ $ref: '#/components/schemas/Pet', required: ['name'], description: 'a pet' })).toEqual({
      allOf: [{ $ref: '#/components/schemas/Pet' }],
      required: ['name'],
      description: 'a pet',
    });
  });

  it('leaves a $ref with only annotations as a plain reference', () => {
    expect(convertSchema31({ $ref: '#/components/schemas/Pet', description: 'a pet' })).toEqual({
      $ref: '#/components/schemas/Pet',
      description: 'a pet',
    });
  });

  it('keeps keywords without a 3.0 form as x-oas31- extensions, so later passes report them', () => {
    expect(
      convertSchema31({
        if: { required: ['a'] },
        then: { required: ['b'] },
        prefixItems: [{ type: 'string' }],
        unevaluatedProperties: false,
      }),
    ).toEqual({
      'x-oas31-if': { required: ['a'] },
      'x-oas31-then': { required: ['b'] },
      'x-oas31-prefixItems': [{ type: 'string' }],
      'x-oas31-unevaluatedProperties': false,
    });
  });

  it('maps binary and base64 content to the 3.0 formats', () => {
    expect(convertSchema31({ type: 'string', contentMediaType: 'application/octet-stream' })).toEqual({ type: 'string', format: 'binary' });
    expect(convertSchema31({ type: 'string', contentEncoding: 'base64' })).toEqual({ type: 'string', format: 'byte' });
  });
});

describe('downConvert31 (OpenAPI 3.1 document to 3.0)', () => {
  const original = doc31(
    {
      '/pets': {
        post: {
          operationId: 'createPet',
          parameters: [{ name: 'limit', in: 'query', schema: { type: ['integer', 'null'] } }],
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' }, examples: { a: { value: { schema: 1 } } } } },
          },
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: ['object', 'null'] } } } } },
        },
      },
    },
    {
      jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
      webhooks: { newPet: { post: op('onNewPet') } },
      info: { title: 'T', version: '1', summary: 'S', license: { name: 'MIT', identifier: 'MIT' } },
      components: { schemas: { Pet: { type: 'object', properties: { name: { type: ['string', 'null'] } } } }, pathItems: { x: {} } },
    },
  );
  const converted = downConvert31(original).document as any;

  it('declares OpenAPI 3.0.3 and drops webhooks, jsonSchemaDialect and 3.1-only info fields', () => {
    expect(converted.openapi).toBe('3.0.3');
    expect(converted.webhooks).toBeUndefined();
    expect(converted.jsonSchemaDialect).toBeUndefined();
    expect(converted.info).toEqual({ title: 'T', version: '1', license: { name: 'MIT' } });
    expect(converted.components.pathItems).toBeUndefined();
  });

  it('converts schemas in parameters, media types and components', () => {
    expect(converted.paths['/pets'].post.parameters[0].schema).toEqual({ type: 'integer', nullable: true });
    expect(converted.paths['/pets'].post.responses['200'].content['application/json'].schema).toEqual({ type: 'object', nullable: true });
    expect(converted.components.schemas.Pet.properties.name).toEqual({ type: 'string', nullable: true });
  });

  it('leaves example values alone, even when they contain a key named schema', () => {
    expect(converted.paths['/pets'].post.requestBody.content['application/json'].examples.a.value).toEqual({ schema: 1 });
  });

  it('does not change the loaded document', () => {
    expect(original.openapi).toBe('3.1.0');
    expect((original.components as any).schemas.Pet.properties.name.type).toEqual(['string', 'null']);
  });

  it('warns that webhooks are not part of the API Gateway API', () => {
    expect(downConvert31(original).warnings).toEqual([
      {
        pointer: '/webhooks',
        keyword: 'webhooks',
        message:
          "the document's webhooks (newPet) describe requests the API sends, not routes it serves; they are not part of the API Gateway API",
      },
    ]);
  });

  it('gives each path that references a components.pathItems entry its own copy, since 3.0 has no pathItems', () => {
    const input = {
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      paths: {
        '/a': { $ref: '#/components/pathItems/Shared', summary: 'A' },
        '/b': { $ref: '#/components/pathItems/Shared' },
        '/c': { $ref: '#/paths/~1b' },
      },
      components: {
        pathItems: {
          Shared: { $ref: '#/components/pathItems/Target' },
          Target: {
            get: { responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: ['string', 'null'] } } } } } },
          },
        },
      },
    };
    const out = downConvert31(input).document as any;
    const get = {
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'string', nullable: true } } } } },
    };
    expect(out.paths['/a']).toEqual({ summary: 'A', get });
    expect(out.paths['/b']).toEqual({ get });
    expect(out.paths['/a'].get).not.toBe(out.paths['/b'].get);
    // A reference to another path is valid 3.0, and now reaches the copy.
    expect(out.paths['/c']).toEqual({ $ref: '#/paths/~1b' });
    expect(out.components.pathItems).toBeUndefined();
    expect((input.paths['/a'] as any).get).toBeUndefined();
  });

  it('names the reference that points to no path item', () => {
    const input = { openapi: '3.1.0', info: { title: 'T', version: '1' }, paths: { '/a': { $ref: '#/components/pathItems/Gone' } } };
    expect(() => downConvert31(input, 'api.yaml')).toThrow("api.yaml#/paths/~1a: $ref '#/components/pathItems/Gone' points to nothing");
  });

  it('adds an empty paths object when the 3.1 document has none', () => {
    expect(downConvert31({ openapi: '3.1.0', info: { title: 'T', version: '1' }, webhooks: {} }).document.paths).toEqual({});
  });
});

describe('normalizeDocument', () => {
  it('returns a 3.0 document unchanged (the same object)', () => {
    const loaded = load({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {} });
    expect(normalizeDocument(loaded).document).toBe(loaded.document);
  });

  it('converts Swagger 2.0 with swagger2openapi, including x-nullable and body parameters', () => {
    const loaded = load({
      swagger: '2.0',
      info: { title: 'T', version: '1' },
      basePath: '/v1',
      paths: {
        '/pets': {
          post: {
            operationId: 'createPet',
            consumes: ['application/json'],
            parameters: [{ name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } }],
            responses: { '200': { description: 'OK' } },
          },
        },
      },
      definitions: { Pet: { type: 'object', properties: { tag: { type: 'string', 'x-nullable': true } } } },
    });
    const document = normalizeDocument(loaded).document as any;
    expect(document.openapi).toMatch(/^3\.0\./);
    expect(document.paths['/pets'].post.requestBody).toEqual({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
      required: true,
    });
    expect(document.components.schemas.Pet.properties.tag).toEqual({ type: 'string', nullable: true });
  });
});
