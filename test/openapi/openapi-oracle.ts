import Ajv, { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { JsonObject } from '../../lib/openapi';

/**
 * The reference verdict for the validator-fidelity test: does a request body satisfy the schema the
 * user wrote, with OpenAPI semantics? Written apart from lib/openapi on purpose, so it can disagree.
 *
 * - OpenAPI 3.0 (and Swagger 2.0 after conversion): the document's schemas are rewritten into JSON
 *   Schema draft 7 (`nullable` allows null, `$ref` siblings are ignored, boolean exclusive bounds
 *   become numbers) and checked with Ajv.
 * - OpenAPI 3.1: the document's schemas already are JSON Schema 2020-12; checked with Ajv2020.
 * In both, readOnly properties are not required in a request (OpenAPI: "the required will take
 * effect on the response only"), and a discriminator selects the alternative a body must match.
 *
 * `relax` lists keyword names to leave out (`format:uuid` style names drop that format), which
 * lets the test ask "would the document accept this body if it did not have these rules?".
 */
export class OpenApiOracle {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(document: JsonObject, dialect: '3.0' | '3.1', relax: string[] = []) {
    const rewritten = rewriteDocument(structuredClone(document), dialect, new Set(relax));
    const options = { strict: false, validateFormats: true, validateSchema: false, allErrors: false, logger: false } as const;
    this.ajv = dialect === '3.1' ? new Ajv2020(options) : new Ajv(options);
    // The formats the mutations break; other formats are not checked (Ajv ignores unknown ones).
    for (const [name, pattern] of Object.entries(FORMATS)) this.ajv.addFormat(name, pattern);
    this.ajv.addSchema(rewritten, 'document');
  }

  /** A validator for the schema at a JSON pointer of the document. Throws when Ajv cannot compile it. */
  validatorAt(pointer: string): ValidateFunction {
    let validate = this.cache.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `document#${encodePointer(pointer)}` });
      this.cache.set(pointer, validate);
    }
    return validate;
  }
}

function encodePointer(pointer: string): string {
  return pointer
    .split('/')
    .map((t) => encodeURIComponent(t))
    .join('/');
}

/** Deliberately simple checks: enough to tell a sampled value from a deliberately broken one. */
export const FORMATS: { [name: string]: RegExp } = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i,
  email: /^[^@\s]+@[^@\s]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S*$/i,
};

const SKIPPED = new Set(['example', 'examples', 'x-examples']);
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'schemas',
  'paths',
  'content',
  'responses',
  'mapping',
  'securitySchemes',
  'requestBodies',
  'headers',
]);

function rewriteDocument(document: JsonObject, dialect: '3.0' | '3.1', relax: Set<string>): JsonObject {
  const resolve = (ref: string): unknown => {
    let node: any = document;
    for (const token of decodeURIComponent(ref.slice(2)).split('/')) node = node?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node;
  };
  const isReadOnly = (schema: any): boolean => {
    if (schema === null || typeof schema !== 'object') return false;
    if (typeof schema.$ref === 'string') return isReadOnly(resolve(schema.$ref));
    return schema.readOnly === true;
  };
  const visit = (node: any, parentKey = ''): any => {
    if (Array.isArray(node)) return node.map((n) => visit(n));
    if (node === null || typeof node !== 'object') return node;
    let out: any = {};
    for (const [key, value] of Object.entries(node)) out[key] = SKIPPED.has(key) ? value : visit(value, key);
    // A map of names (properties, schemas, ...) is not a schema: its keys are names, not keywords.
    if (NAME_MAPS.has(parentKey)) return out;
    if (dialect === '3.0' && typeof out.$ref === 'string') return { $ref: out.$ref };
    if (Array.isArray(out.required) && out.properties && typeof out.properties === 'object') {
      out.required = out.required.filter((name: string) => !isReadOnly(node.properties[name]));
    }
    for (const keyword of relax) {
      if (keyword.startsWith('format:')) {
        if (out.format === keyword.slice(7)) delete out.format;
      } else if (keyword in out && keyword !== 'discriminator') {
        delete out[keyword];
      }
    }
    if (out.discriminator && !relax.has('discriminator')) out = withDiscriminator(out);
    else delete out.discriminator;
    if (dialect === '3.0') out = draft7Form(out);
    return out;
  };
  return visit(document);
}

/** A body must match the alternative its discriminator value names (explicitly by mapping, or by schema name). */
function withDiscriminator(schema: any): any {
  const { propertyName, mapping = {} } = schema.discriminator;
  const key = Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : undefined;
  if (key === undefined) return schema;
  const alternatives = schema[key].map((alternative: any) => {
    const ref: string | undefined = alternative.$ref;
    if (ref === undefined) return alternative;
    const values = Object.entries(mapping)
      .filter(([, target]) => target === ref)
      .map(([value]) => value);
    if (values.length === 0) values.push(ref.split('/').pop()!);
    return { allOf: [alternative, { required: [propertyName], properties: { [propertyName]: { enum: values } } }] };
  });
  const out = { ...schema, anyOf: alternatives };
  if (key === 'oneOf') delete out.oneOf;
  delete out.discriminator;
  return out;
}

function draft7Form(schema: any): any {
  const out = { ...schema };
  for (const [exclusive, inclusive] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ]) {
    if (out[exclusive] === true && typeof out[inclusive] === 'number') {
      out[exclusive] = out[inclusive];
      delete out[inclusive];
    } else if (typeof out[exclusive] === 'boolean') {
      delete out[exclusive];
    }
  }
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}
