import { OAS31_EXTENSION_PREFIX } from './normalize';
import { isObject, isRef, JsonObject } from '../model';
import { RefResolver } from './refs';

/** A schema rule the generated model does not enforce, found at `pointer` in the normalized document. */
export interface ModelFinding {
  readonly keyword: string;
  readonly pointer: string;
  readonly detail: string;
}

/** Formats JSON Schema draft 4 defines, which API Gateway's draft-4 validator can check. */
const DRAFT4_FORMATS = new Set(['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri']);
/** Formats that only describe how a number is stored; they constrain nothing a JSON value can break. */
const REPRESENTATION_FORMATS = new Set(['float', 'double']);
/** Integer formats whose range a draft-4 model can enforce with minimum/maximum. */
const INTEGER_BOUNDS: { [format: string]: [number, number] } = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  // 2^63 is the nearest double to 2^63-1: the bound is exact for every integer a client can send in JSON.
  int64: [-(2 ** 63), 2 ** 63],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, 2 ** 64],
};
const DRAFT4_TYPES = new Set(['array', 'boolean', 'integer', 'number', 'null', 'object', 'string']);
/** Validation keywords draft 4 and OpenAPI 3.0 share, copied as they are. */
const COPIED_KEYWORDS = new Set([
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'uniqueItems',
  'maxProperties',
  'minProperties',
]);
/** Annotations and OpenAPI-only keywords that are not validation rules: left out of models. */
const DROPPED_ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'default',
  'readOnly',
  'writeOnly',
  'xml',
  'externalDocs',
  'deprecated',
  'nullable',
  '$schema',
  '$id',
  '$comment',
  'definitions',
  '$defs',
  'contentEncoding',
  'contentMediaType',
]);

/**
 * Builds API Gateway models (JSON Schema draft 4) from OpenAPI 3.0 request schemas.
 *
 * Every referenced schema becomes a model of its own, referenced as `#/components/schemas/<Name>`,
 * so shared and circular schemas need no inlining. Findings (rules a model does not enforce) are
 * kept per model, so each operation can report exactly the rules reachable from its body.
 */
export class RequestModelBuilder {
  private readonly byPointer = new Map<string, string>();
  private readonly usedNames = new Set<string>();
  private readonly built = new Map<string, JsonObject>();
  private readonly findingsOf = new Map<string, ModelFinding[]>();
  private readonly dependenciesOf = new Map<string, Set<string>>();

  constructor(private readonly resolver: RefResolver) {}

  /**
   * The model for a request body schema. A `$ref` to a component reuses that component's model;
   * an inline schema becomes a model named `preferredName`.
   */
  modelFor(schema: unknown, pointer: string, preferredName: string): string {
    if (isRef(schema)) return this.modelForRef(schema.$ref, pointer);
    return this.ensureModel(pointer, preferredName, schema);
  }

  /** All models built so far, by name, in name order. */
  models(): { [name: string]: JsonObject } {
    const out: { [name: string]: JsonObject } = {};
    for (const name of [...this.built.keys()].sort()) out[name] = this.built.get(name)!;
    return out;
  }

  /** Every rule not enforced by a model or by any model it references. */
  findingsReachableFrom(modelName: string): ModelFinding[] {
    const seen = new Set<string>();
    const out: ModelFinding[] = [];
    const stack = [modelName];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(...(this.findingsOf.get(name) ?? []));
      for (const dependency of this.dependenciesOf.get(name) ?? []) stack.push(dependency);
    }
    return out;
  }

  private modelForRef(ref: string, from: string): string {
    const target = this.resolver.follow({ $ref: ref }, from);
    const components = /^\/components\/schemas\/([^/]+)$/.exec(target.pointer);
    const preferred = components ? components[1].replace(/~1/g, '/').replace(/~0/g, '~') : target.pointer.split('/').slice(-3).join(' ');
    return this.ensureModel(target.pointer, preferred, target.value);
  }

  private ensureModel(pointer: string, preferredName: string, schema: unknown): string {
    const existing = this.byPointer.get(pointer);
    if (existing !== undefined) return existing;
    const name = this.uniqueName(preferredName);
    this.byPointer.set(pointer, name);
    const context: ConversionContext = { findings: [], dependencies: new Set() };
    // Register before converting, so a schema that refers to itself finds its own name.
    this.findingsOf.set(name, context.findings);
    this.dependenciesOf.set(name, context.dependencies);
    this.built.set(name, {});
    this.built.set(name, this.convert(schema, pointer, context));
    return name;
  }

  private uniqueName(preferred: string): string {
    let base = preferred
      .split(/[^A-Za-z0-9]+/)
      .filter((w) => w.length > 0)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join('');
    if (base === '') base = 'Model';
    if (/^[0-9]/.test(base)) base = 'M' + base;
    let name = base;
    for (let i = 2; this.usedNames.has(name); i++) name = `${base}${i}`;
    this.usedNames.add(name);
    return name;
  }

  private convert(schema: unknown, pointer: string, context: ConversionContext): JsonObject {
    if (schema === true || schema === undefined) return {};
    if (schema === false) return { not: {} };
    if (!isObject(schema)) return {};
    if (isRef(schema)) {
      // OpenAPI 3.0 and draft 4 both ignore keywords next to $ref.
      const name = this.modelForRef(schema.$ref, pointer);
      context.dependencies.add(name);
      return { $ref: `#/components/schemas/${name}` };
    }
    const out: JsonObject = {};
    const note = (keyword: string, detail: string, at: string = pointer): void => {
      context.findings.push({ keyword, pointer: at, detail });
    };
    for (const key of Object.keys(schema)) {
      const value = schema[key];
      const at = `${pointer}/${key}`;
      if (COPIED_KEYWORDS.has(key)) {
        out[key] = value;
      } else if (key === 'type') {
        if (typeof value === 'string' && DRAFT4_TYPES.has(value)) out.type = value;
        else note(`type:${String(value)}`, `type '${String(value)}' is not a JSON Schema type`, at);
      } else if (key === 'enum') {
        if (Array.isArray(value) && value.length > 0) out.enum = [...value];
      } else if (key === 'minItems' || key === 'maxItems') {
        out[key] = value;
        note(key, `${key} is kept in the model, but API Gateway documents that basic request validation may not apply it`, at);
      } else if (key === 'required') {
        if (Array.isArray(value)) out.required = [...new Set(value.filter((v) => typeof v === 'string'))];
      } else if (key === 'properties' && isObject(value)) {
        const properties: JsonObject = {};
        const readOnly: string[] = [];
        for (const property of Object.keys(value)) {
          if (this.isReadOnly(value[property], `${at}/${escape(property)}`)) {
            readOnly.push(property);
            continue;
          }
          properties[property] = this.convert(value[property], `${at}/${escape(property)}`, context);
        }
        out.properties = properties;
        if (readOnly.length > 0) out['x-read-only'] = readOnly;
      } else if (key === 'additionalProperties' || key === 'not' || key === 'additionalItems') {
        out[key] = typeof value === 'boolean' ? value : this.convert(value, at, context);
      } else if (key === 'items') {
        out.items = Array.isArray(value) ? value.map((v, i) => this.convert(v, `${at}/${i}`, context)) : this.convert(value, at, context);
      } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
        if (Array.isArray(value) && value.length > 0) out[key] = value.map((v, i) => this.convert(v, `${at}/${i}`, context));
      } else if (key === 'patternProperties' || key === 'dependencies') {
        if (isObject(value)) out[key] = this.convertMap(value, at, context, key === 'dependencies');
      } else if (key === 'format') {
        this.convertFormat(schema, out, at, note);
      } else if (key === 'discriminator') {
        note(
          'discriminator',
          'discriminator is not a JSON Schema keyword: the model accepts a body matching any of the alternatives, whatever its discriminator value',
          at,
        );
      } else if (key.startsWith(OAS31_EXTENSION_PREFIX)) {
        this.convertOas31Keyword(key.slice(OAS31_EXTENSION_PREFIX.length), value, out, at, context, note);
      } else if (DROPPED_ANNOTATIONS.has(key) || key.startsWith('x-')) {
        // Documentation only: nothing to enforce.
      } else {
        note(key, `'${key}' is not a JSON Schema draft 4 keyword`, at);
      }
    }

    // Properties marked readOnly must not be sent, so they are not required in a request either.
    const readOnly = out['x-read-only'] as string[] | undefined;
    delete out['x-read-only'];
    if (Array.isArray(out.required)) {
      const required = (out.required as string[]).filter((r) => readOnly === undefined || !readOnly.includes(r));
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
    // With a discriminator, OpenAPI picks the alternative by the discriminator value, so a body that
    // also matches another alternative is still valid; oneOf would reject it, anyOf does not.
    if (schema.discriminator !== undefined && Array.isArray(out.oneOf)) {
      out.anyOf = out.oneOf;
      delete out.oneOf;
    }
    if (schema.nullable === true) return nullableForm(out);
    return out;
  }

  private convertMap(map: JsonObject, pointer: string, context: ConversionContext, dependencies: boolean): JsonObject {
    const out: JsonObject = {};
    for (const key of Object.keys(map)) {
      const value = map[key];
      out[key] = dependencies && Array.isArray(value) ? [...value] : this.convert(value, `${pointer}/${escape(key)}`, context);
    }
    return out;
  }

  private convertFormat(schema: JsonObject, out: JsonObject, at: string, note: (k: string, d: string, at?: string) => void): void {
    const format = String(schema.format);
    const bounds = INTEGER_BOUNDS[format];
    if (bounds !== undefined && (schema.type === 'integer' || schema.type === 'number')) {
      // Enforce the format's range instead of dropping it.
      if (typeof schema.minimum !== 'number' || schema.minimum < bounds[0]) out.minimum = bounds[0];
      if (typeof schema.maximum !== 'number' || schema.maximum > bounds[1]) out.maximum = bounds[1];
      return;
    }
    if (REPRESENTATION_FORMATS.has(format) && (schema.type === 'number' || schema.type === undefined)) return;
    if (DRAFT4_FORMATS.has(format)) {
      // Kept, because a validator that knows it enforces it; but AWS does not document that API
      // Gateway checks formats, so it is reported like the rules it may not apply.
      out.format = format;
      note(
        `format:${format}`,
        `format '${format}' is kept in the model, but API Gateway does not document checking formats: treat it as unchecked`,
        at,
      );
      return;
    }
    note(`format:${format}`, `format '${format}' is not a JSON Schema draft 4 format, so API Gateway does not check it`, at);
  }

  private convertOas31Keyword(
    keyword: string,
    value: unknown,
    out: JsonObject,
    at: string,
    context: ConversionContext,
    note: (k: string, d: string, at?: string) => void,
  ): void {
    if (keyword === 'patternProperties' && isObject(value)) {
      out.patternProperties = this.convertMap(value, at, context, false);
    } else if (keyword === 'dependentRequired' && isObject(value)) {
      out.dependencies = { ...((out.dependencies as JsonObject) ?? {}), ...value };
    } else if (keyword === 'dependentSchemas' && isObject(value)) {
      out.dependencies = { ...((out.dependencies as JsonObject) ?? {}), ...this.convertMap(value, at, context, false) };
    } else {
      note(keyword, `'${keyword}' (OpenAPI 3.1 / JSON Schema 2020-12) has no JSON Schema draft 4 form`, at);
    }
  }

  /** A property is read-only when its schema, or the schema its `$ref` names, says so. */
  private isReadOnly(schema: unknown, pointer: string): boolean {
    if (isRef(schema)) {
      try {
        const target = this.resolver.follow(schema, pointer).value;
        return isObject(target) && target.readOnly === true;
      } catch {
        return false; // the reference error is reported where the property is converted
      }
    }
    return isObject(schema) && schema.readOnly === true;
  }
}

interface ConversionContext {
  readonly findings: ModelFinding[];
  readonly dependencies: Set<string>;
}

/** OpenAPI 3.0 `nullable: true` in draft 4: `null` joins the type (and the enum), or becomes an alternative. */
function nullableForm(schema: JsonObject): JsonObject {
  if (typeof schema.type === 'string') {
    const out: JsonObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return { ...schema, enum: [...schema.enum, null] };
  if (Object.keys(schema).length === 0) return schema;
  return { anyOf: [{ type: 'null' }, schema] };
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
