import AjvDraft04 from 'ajv-draft-04';
import { RequestModelBuilder } from '../../lib/openapi/models';
import { RefResolver } from '../../lib/openapi/refs';
import { JsonObject } from '../../lib/openapi';

function build(
  schema: unknown,
  schemas: JsonObject = {},
): { name: string; models: { [n: string]: JsonObject }; findings: string[]; builder: RequestModelBuilder } {
  const document = { components: { schemas } };
  const builder = new RequestModelBuilder(new RefResolver(document, 'api.yaml'));
  const name = builder.modelFor(schema, '/paths/~1x/post/requestBody/content/application~1json/schema', 'create-thing Request');
  return { name, models: builder.models(), findings: builder.findingsReachableFrom(name).map((f) => f.keyword), builder };
}

describe('RequestModelBuilder', () => {
  it('names an inline body model after the operation, alphanumeric only', () => {
    const { name, models } = build({ type: 'object' });
    expect(name).toBe('CreateThingRequest');
    expect(models).toEqual({ CreateThingRequest: { type: 'object' } });
  });

  it('reuses the component model for a $ref body, and emits only reachable models', () => {
    const { name, models } = build({ $ref: '#/components/schemas/Pet' }, { Pet: { type: 'object' }, Unused: { type: 'string' } });
    expect(name).toBe('Pet');
    expect(Object.keys(models)).toEqual(['Pet']);
  });

  it('makes model names alphanumeric and unique', () => {
    const schemas = {
      'pet-input': { type: 'object', properties: { a: { $ref: '#/components/schemas/pet_input' } } },
      pet_input: { type: 'string' },
    };
    const { models } = build({ $ref: '#/components/schemas/pet-input' }, schemas);
    expect(Object.keys(models)).toEqual(['PetInput', 'PetInput2']);
    expect(models.PetInput).toEqual({ type: 'object', properties: { a: { $ref: '#/components/schemas/PetInput2' } } });
  });

  it('turns nullable into a type array, adding null to an enum', () => {
    const { models } = build({ type: 'string', nullable: true, enum: ['a', 'b'] });
    expect(models.CreateThingRequest).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
  });

  it('turns nullable without a type into an alternative with null', () => {
    const { models } = build({ allOf: [{ $ref: '#/components/schemas/Pet' }], nullable: true }, { Pet: { type: 'object' } });
    expect(models.CreateThingRequest).toEqual({ anyOf: [{ type: 'null' }, { allOf: [{ $ref: '#/components/schemas/Pet' }] }] });
  });

  it('strips readOnly properties from properties and required, including through a $ref', () => {
    const { models } = build(
      {
        type: 'object',
        required: ['id', 'name', 'created'],
        properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' }, created: { $ref: '#/components/schemas/Stamp' } },
      },
      { Stamp: { type: 'string', readOnly: true } },
    );
    expect(models.CreateThingRequest).toEqual({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });
  });

  it('drops required when only readOnly properties were required (draft 4 forbids an empty required)', () => {
    const { models } = build({ type: 'object', required: ['id'], properties: { id: { type: 'string', readOnly: true } } });
    expect(models.CreateThingRequest).toEqual({ type: 'object', properties: {} });
  });

  it('drops annotations without a finding', () => {
    const { models, findings } = build({
      type: 'string',
      title: 'T',
      description: 'D',
      example: 'x',
      examples: ['x'],
      default: 'x',
      writeOnly: true,
      deprecated: true,
      xml: { name: 'x' },
      externalDocs: { url: 'https://example.com' },
      'x-internal': true,
    });
    expect(models.CreateThingRequest).toEqual({ type: 'string' });
    expect(findings).toEqual([]);
  });

  it('reports a discriminator and relaxes its oneOf to anyOf, so a body matching two alternatives is not rejected', () => {
    const { models, findings } = build(
      { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind' } },
      {
        Cat: { type: 'object', properties: { kind: { type: 'string' } } },
        Dog: { type: 'object', properties: { kind: { type: 'string' } } },
      },
    );
    expect(models.CreateThingRequest).toEqual({ anyOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }] });
    expect(findings).toEqual(['discriminator']);
  });

  it('enforces integer formats as bounds instead of dropping them', () => {
    const { models, findings } = build({
      type: 'object',
      properties: {
        a: { type: 'integer', format: 'int32' },
        b: { type: 'integer', format: 'int32', minimum: 0 },
        c: { type: 'integer', format: 'uint16' },
      },
    });
    expect((models.CreateThingRequest as any).properties).toEqual({
      a: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
      b: { type: 'integer', minimum: 0, maximum: 2147483647 },
      c: { type: 'integer', minimum: 0, maximum: 65535 },
    });
    expect(findings).toEqual([]);
  });

  it('keeps draft-4 formats and reports the others', () => {
    const { models, findings } = build({
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        f: { type: 'number', format: 'float' },
      },
    });
    expect((models.CreateThingRequest as any).properties).toEqual({
      at: { type: 'string', format: 'date-time' },
      id: { type: 'string' },
      f: { type: 'number' },
    });
    expect(findings).toEqual(['format:date-time', 'format:uuid']);
  });

  it('keeps minItems and maxItems but reports that API Gateway may not apply them', () => {
    const { models, findings } = build({ type: 'array', minItems: 1, maxItems: 3 });
    expect(models.CreateThingRequest).toEqual({ type: 'array', minItems: 1, maxItems: 3 });
    expect(findings).toEqual(['minItems', 'maxItems']);
  });

  it('restores 3.1 keywords that draft 4 has, and reports those it has not', () => {
    const { models, findings } = build({
      type: 'object',
      'x-oas31-patternProperties': { '^x-': { type: 'string' } },
      'x-oas31-dependentRequired': { a: ['b'] },
      'x-oas31-if': { required: ['a'] },
      'x-oas31-unevaluatedProperties': false,
    });
    expect(models.CreateThingRequest).toEqual({
      type: 'object',
      patternProperties: { '^x-': { type: 'string' } },
      dependencies: { a: ['b'] },
    });
    expect(findings).toEqual(['if', 'unevaluatedProperties']);
  });

  it('reports keywords that are not JSON Schema', () => {
    expect(build({ type: 'string', const: 'a' }).findings).toEqual(['const']);
  });

  it('handles circular references with one model per schema', () => {
    const { models, findings } = build(
      { $ref: '#/components/schemas/Node' },
      {
        Node: {
          type: 'object',
          properties: {
            children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            tag: { type: 'string', format: 'uuid' },
          },
        },
      },
    );
    expect(models).toEqual({
      Node: {
        type: 'object',
        properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, tag: { type: 'string' } },
      },
    });
    expect(findings).toEqual(['format:uuid']);
  });

  it('follows a chain of $refs to the schema itself', () => {
    const { name } = build(
      { $ref: '#/components/schemas/Alias' },
      { Alias: { $ref: '#/components/schemas/Pet' }, Pet: { type: 'object' } },
    );
    expect(name).toBe('Pet');
  });

  it('reports the findings of every model reachable from a body, and only those', () => {
    const schemas = {
      Order: { type: 'object', properties: { item: { $ref: '#/components/schemas/Item' } } },
      Item: { type: 'object', properties: { sku: { type: 'string', format: 'sku' } } },
      Other: { type: 'string', format: 'other' },
    };
    const { findings, builder } = build({ $ref: '#/components/schemas/Order' }, schemas);
    builder.modelFor({ $ref: '#/components/schemas/Other' }, '/x', 'x');
    expect(findings).toEqual(['format:sku']);
  });

  it('names a dangling $ref', () => {
    expect(() => build({ $ref: '#/components/schemas/Missing' })).toThrow(
      "api.yaml#/paths/~1x/post/requestBody/content/application~1json/schema: $ref '#/components/schemas/Missing' points to nothing",
    );
  });

  it('rejects external $refs with advice', () => {
    expect(() => build({ $ref: 'pet.yaml#/Pet' })).toThrow(
      /external \$ref 'pet\.yaml#\/Pet' is not supported; bundle the document into one file first/,
    );
  });

  it('produces schemas that are valid JSON Schema draft 4', () => {
    const { models } = build(
      { $ref: '#/components/schemas/A' },
      {
        A: {
          type: 'object',
          nullable: true,
          required: ['b'],
          properties: { b: { type: 'integer', format: 'int64', nullable: true }, c: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
          additionalProperties: false,
        },
      },
    );
    const ajv = new AjvDraft04({ strict: false });
    expect(ajv.validateSchema(models.A)).toBe(true);
  });
});
