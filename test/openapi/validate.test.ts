import { OpenApiError } from '../../lib/model';
import { validateAgainstOpenApiSchema } from '../../lib/openapi/validate';
import { errorThrownBy } from '../support/thrown-error';

const SOURCE = 'api.yaml';

const v30 = (extra: object = {}) => ({
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1.0.0' },
  paths: { '/pets': { get: { responses: { '200': { description: 'ok' } } } } },
  ...extra,
});
const v31 = (extra: object = {}) => ({ ...v30(), openapi: '3.1.0', ...extra });
const v20 = (extra: object = {}) => ({
  swagger: '2.0',
  info: { title: 'Pets', version: '1.0.0' },
  paths: { '/pets': { get: { responses: { '200': { description: 'ok' } } } } },
  ...extra,
});

const errorOf = (run: () => unknown): OpenApiError => errorThrownBy(OpenApiError, run);

describe('validateAgainstOpenApiSchema', () => {
  it.each([
    ['Swagger 2.0', v20(), '2.0'],
    ['OpenAPI 3.0', v30(), '3.0'],
    ['OpenAPI 3.1', v31(), '3.1'],
  ] as const)('accepts a minimal valid %s document', (_name, document, version) => {
    expect(() => validateAgainstOpenApiSchema(document, version, SOURCE)).not.toThrow();
  });

  it('accepts a 3.1 document with JSON Schema 2020-12 keywords in its schemas', () => {
    const document = v31({
      components: {
        schemas: { Pet: { type: ['object', 'null'], properties: { tag: { const: 'x' } }, prefixItems: [{ type: 'string' }] } },
      },
    });
    expect(() => validateAgainstOpenApiSchema(document, '3.1', SOURCE)).not.toThrow();
  });

  it('accepts x- extensions where the specification allows them', () => {
    expect(() => validateAgainstOpenApiSchema(v30({ 'x-owner': 'team-a' }), '3.0', SOURCE)).not.toThrow();
  });

  it('names a missing required property, the version and the source', () => {
    const { info: _info, ...document } = v30();
    const error = errorOf(() => validateAgainstOpenApiSchema(document, '3.0', SOURCE));
    expect(error.message).toContain("invalid OpenAPI 3.0 document: missing required property 'info'");
    expect(error.source).toBe(SOURCE);
  });

  it('names an unexpected property and points to the object that holds it', () => {
    const document = v30({ paths: { '/pets': { get: { responses: { '200': { description: 'ok' } }, bogus: true } } } });
    const error = errorOf(() => validateAgainstOpenApiSchema(document, '3.0', SOURCE));
    expect(error.message).toContain("unexpected property 'bogus'");
    expect(error.pointer).toBe('/paths/~1pets/get');
  });

  it('points to the deepest problem, not to the failed oneOf around it', () => {
    const document = v30({
      paths: {
        '/pets': {
          get: {
            parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' }, requried: true }],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    const error = errorOf(() => validateAgainstOpenApiSchema(document, '3.0', SOURCE));
    expect(error.pointer).toBe('/paths/~1pets/get/parameters/0');
    expect(error.message).toContain("unexpected property 'requried'");
  });

  it('points to a value outside an enum and quotes the allowed values', () => {
    const document = v30({
      paths: { '/pets': { get: { parameters: [{ name: 'x', in: 'body', schema: {} }], responses: { '200': { description: 'ok' } } } } },
    });
    const error = errorOf(() => validateAgainstOpenApiSchema(document, '3.0', SOURCE));
    expect(error.pointer).toBe('/paths/~1pets/get/parameters/0/in');
    // The schema tries each parameter kind; the error quotes the allowed values of one of them.
    expect(error.message).toMatch(/must be equal to one of the allowed values: \[("[a-z]+",?)+\]$/);
  });

  it('refuses a 2.0 document checked as 3.0, and a 3.0 document checked as 2.0', () => {
    expect(() => validateAgainstOpenApiSchema(v20(), '3.0', SOURCE)).toThrow(OpenApiError);
    expect(() => validateAgainstOpenApiSchema(v30(), '2.0', SOURCE)).toThrow(/invalid Swagger 2.0 document/);
  });

  it('refuses a 3.1 document whose paths is not an object', () => {
    expect(() => validateAgainstOpenApiSchema(v31({ paths: [] }), '3.1', SOURCE)).toThrow(/invalid OpenAPI 3.1 document/);
  });

  it('does not check formats (format keywords are annotations API Gateway handles separately)', () => {
    expect(() =>
      validateAgainstOpenApiSchema(v30({ info: { title: 'Pets', version: '1', termsOfService: 'not a url' } }), '3.0', SOURCE),
    ).not.toThrow();
  });

  it('does not change the document it checks', () => {
    const document = v30();
    const before = JSON.stringify(document);
    validateAgainstOpenApiSchema(document, '3.0', SOURCE);
    expect(JSON.stringify(document)).toBe(before);
  });

  it('answers the same for the same document on a second call (compiled validators are reused, not mutated)', () => {
    const bad = v30({ paths: { '/pets': { get: {} } } });
    const first = errorOf(() => validateAgainstOpenApiSchema(bad, '3.0', SOURCE)).message;
    expect(errorOf(() => validateAgainstOpenApiSchema(bad, '3.0', SOURCE)).message).toBe(first);
    expect(() => validateAgainstOpenApiSchema(v30(), '3.0', SOURCE)).not.toThrow();
  });
});
