import { execFileSync } from 'child_process';
import { isObject, isRef, JsonObject, LoadedDocument, OpenApiError, PipelineWarning, pointerJoin } from '../model';
import { inlinedPathItem, RefResolver } from './refs';

/** The document in OpenAPI 3.0 form, which is what API Gateway imports. */
export interface NormalizedDocument {
  readonly document: JsonObject;
  readonly warnings: PipelineWarning[];
}

/**
 * Converts a loaded document to OpenAPI 3.0. A 3.0 document is returned as is (it is never
 * mutated); 2.0 goes through swagger2openapi; 3.1 is down-converted by {@link downConvert31}.
 */
export function normalizeDocument(loaded: LoadedDocument): NormalizedDocument {
  switch (loaded.version) {
    case '3.0':
      return { document: loaded.document, warnings: [] };
    case '2.0':
      return { document: convertSwagger2(loaded.document, loaded.source), warnings: [] };
    case '3.1':
      return downConvert31(loaded.document, loaded.source);
  }
}

// swagger2openapi's API is promise-only, and CDK constructs are synchronous, so the conversion runs
// in a short-lived child Node process that this process waits for.
const CONVERT_SCRIPT = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const converter = require(process.argv[1]);
  converter.convertObj(JSON.parse(Buffer.concat(chunks).toString('utf8')), { patch: true, warnOnly: true, resolve: false })
    .then((result) => process.stdout.write(JSON.stringify(result.openapi)))
    .catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(2); });
});`;

export function convertSwagger2(document: JsonObject, source: string): JsonObject {
  let output: string;
  try {
    output = execFileSync(process.execPath, ['-e', CONVERT_SCRIPT, require.resolve('swagger2openapi')], {
      input: JSON.stringify(document),
      maxBuffer: 1024 * 1024 * 1024,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    throw new OpenApiError(`cannot convert the Swagger 2.0 document to OpenAPI 3.0: ${stderr || (e as Error).message}`, source);
  }
  return JSON.parse(output) as JsonObject;
}

/** 3.1 schema keywords with no OpenAPI 3.0 form. They are kept as `x-oas31-<keyword>` so later passes can still see (and report) them. */
export const OAS31_ONLY_KEYWORDS = [
  'if',
  'then',
  'else',
  'prefixItems',
  'contains',
  'minContains',
  'maxContains',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
];
export const OAS31_EXTENSION_PREFIX = 'x-oas31-';

const SCHEMA_ANNOTATIONS_TO_DROP = ['$schema', '$id', '$anchor', '$dynamicAnchor', '$comment', '$vocabulary'];
const SINGLE_SUBSCHEMA = [
  'items',
  'additionalProperties',
  'not',
  'additionalItems',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
];
const MAP_SUBSCHEMAS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const LIST_SUBSCHEMAS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const BOOLEAN_FORM_KEYWORDS = new Set(['additionalProperties', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems']);
const REF_SIBLING_ANNOTATIONS = new Set(['description', 'summary', 'title']);

/** Down-converts an OpenAPI 3.1 document to 3.0. The input is not changed. */
export function downConvert31(original: JsonObject, source = '(inline document)'): NormalizedDocument {
  const document = structuredClone(original);
  const warnings: PipelineWarning[] = [];
  if (isObject(document.webhooks) && Object.keys(document.webhooks).length > 0) {
    warnings.push({
      pointer: '/webhooks',
      keyword: 'webhooks',
      message: `the document's webhooks (${Object.keys(document.webhooks).join(', ')}) describe requests the API sends, not routes it serves; they are not part of the API Gateway API`,
    });
  }
  document.openapi = '3.0.3';
  delete document.webhooks;
  delete document.jsonSchemaDialect;
  if (document.paths === undefined) document.paths = {};
  if (isObject(document.info)) {
    delete document.info.summary;
    if (isObject(document.info.license)) {
      delete document.info.license.identifier;
    }
  }
  inlineComponentPathItems(document, source);
  if (isObject(document.components)) delete document.components.pathItems;
  convertSchemasIn(document, '');
  return { document, warnings };
}

/**
 * OpenAPI 3.0 has no `components.pathItems`: a path that references one gets a copy of it, so that the
 * 3.0 document keeps the operation under its path once the component is gone.
 */
function inlineComponentPathItems(document: JsonObject, source: string): void {
  if (!isObject(document.paths)) return;
  const resolver = new RefResolver(document, source);
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('x-') && isRef(item) && item.$ref.startsWith('#/components/pathItems/'))
      document.paths[path] = inlinedPathItem(item, pointerJoin('/paths', path), resolver);
  }
}

/** Walks the non-schema parts of a document and converts every schema found. */
function convertSchemasIn(node: unknown, pointer: string): void {
  if (Array.isArray(node)) {
    node.forEach((item) => convertSchemasIn(item, pointer));
    return;
  }
  if (!isObject(node)) return;
  for (const key of Object.keys(node)) {
    if (key.startsWith('x-') || key === 'example' || key === 'examples') continue;
    if (key === 'schema' && (isObject(node[key]) || typeof node[key] === 'boolean')) {
      node[key] = convertSchema31(node[key]);
    } else if (key === 'schemas' && pointer === '/components' && isObject(node[key])) {
      const schemas = node[key] as JsonObject;
      for (const name of Object.keys(schemas)) schemas[name] = convertSchema31(schemas[name]);
    } else {
      convertSchemasIn(node[key], `${pointer}/${key}`);
    }
  }
}

/** Converts one JSON Schema 2020-12 schema (OpenAPI 3.1) to an OpenAPI 3.0 schema object. */
export function convertSchema31(input: unknown): JsonObject {
  if (input === true) return {};
  if (input === false) return { not: {} };
  if (!isObject(input)) return input as JsonObject;
  const schema: JsonObject = { ...input };

  for (const key of SINGLE_SUBSCHEMA) {
    if (isObject(schema[key]) || typeof schema[key] === 'boolean') {
      // These keep their boolean form (it means "allowed" / "not allowed", not a schema).
      if (BOOLEAN_FORM_KEYWORDS.has(key) && typeof schema[key] === 'boolean') continue;
      schema[key] = convertSchema31(schema[key]);
    }
  }
  for (const key of MAP_SUBSCHEMAS) {
    if (isObject(schema[key])) {
      const map = schema[key] as JsonObject;
      schema[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, convertSchema31(v)]));
    }
  }
  for (const key of LIST_SUBSCHEMAS) {
    if (Array.isArray(schema[key])) schema[key] = (schema[key] as unknown[]).map(convertSchema31);
  }
  for (const key of SCHEMA_ANNOTATIONS_TO_DROP) delete schema[key];

  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== 'null');
    const nullable = types.length < (schema.type as string[]).length;
    delete schema.type;
    if (types.length === 1) schema.type = types[0];
    else if (types.length > 1) {
      // 3.0 has no type arrays: several types become alternatives.
      const alternatives = types.map((t) => ({ type: t }));
      if (Array.isArray(schema.anyOf)) schema.allOf = [...((schema.allOf as unknown[]) ?? []), { anyOf: alternatives }];
      else schema.anyOf = alternatives;
    } else if (nullable) schema.enum = [null];
    if (nullable) schema.nullable = true;
  } else if (schema.type === 'null') {
    delete schema.type;
    schema.nullable = true;
    schema.enum = [null];
  }

  if ('const' in schema) {
    schema.enum = [schema.const];
    delete schema.const;
  }
  for (const [exclusive, inclusive] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const bound = schema[exclusive];
    if (typeof bound !== 'number') continue;
    const other = schema[inclusive];
    const exclusiveIsStricter = typeof other !== 'number' || (exclusive === 'exclusiveMinimum' ? bound >= other : bound <= other);
    if (exclusiveIsStricter) {
      schema[inclusive] = bound;
      schema[exclusive] = true;
    } else {
      delete schema[exclusive];
    }
  }
  if (Array.isArray(schema.examples)) {
    if (schema.example === undefined && schema.examples.length > 0) schema.example = schema.examples[0];
    delete schema.examples;
  }
  if (schema.contentEncoding === 'base64' && schema.format === undefined) schema.format = 'byte';
  if (schema.contentMediaType === 'application/octet-stream' && schema.format === undefined) schema.format = 'binary';
  delete schema.contentEncoding;
  delete schema.contentMediaType;

  for (const key of OAS31_ONLY_KEYWORDS) {
    if (key in schema) {
      schema[OAS31_EXTENSION_PREFIX + key] = schema[key];
      delete schema[key];
    }
  }
  // In 3.1 keywords next to $ref apply too; in 3.0 they are ignored, so wrap the reference.
  if (typeof schema.$ref === 'string') {
    const siblings = Object.keys(schema).filter((k) => k !== '$ref' && !REF_SIBLING_ANNOTATIONS.has(k) && !k.startsWith('x-'));
    if (siblings.length > 0) {
      const ref = schema.$ref;
      delete schema.$ref;
      schema.allOf = [{ $ref: ref }, ...((schema.allOf as unknown[]) ?? [])];
    }
  }
  return schema;
}
