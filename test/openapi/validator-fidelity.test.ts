import * as fs from 'fs';
import { sample } from 'openapi-sampler';
import { AnalyzedApi, analyzeDocument, ApiOperation, emitApiGatewayBody, JsonObject, LoadedDocument, OpenApi } from '../../lib/openapi';
import { isObject } from '../../lib/model';
import { RefResolver } from '../../lib/openapi/refs';
import { escapePointer } from '../../lib/model';
import { ApiGatewayBodyValidator } from './api-gateway-simulator';
import { CorpusDocument, corpusFile } from '../fixtures/corpus';
import { integrationsFor } from './helpers';
import { FORMATS, OpenApiOracle } from './openapi-oracle';

/*
 * Validator fidelity: for every operation of the corpus with a JSON body, generate valid bodies
 * (openapi-sampler) and invalid ones (a required field removed, a wrong type, an enum violated, an
 * extra property where additionalProperties is false) and compare two verdicts:
 *   - the document's own schema with OpenAPI semantics (OpenApiOracle), and
 *   - the generated draft-4 model as API Gateway selects and applies it (ApiGatewayBodyValidator).
 * A body the document accepts must never be rejected by the model. A body the model accepts but the
 * document rejects must be explained by a rule the warnings announced for that operation: the
 * oracle, relaxed by exactly those keywords, must accept it.
 */

interface Case {
  readonly document: string;
  readonly operationId: string;
  readonly kind: string;
  readonly body: unknown;
  readonly oracle: boolean;
  readonly model: boolean;
  readonly explained?: boolean;
}

const CORPUS: Array<{ file: CorpusDocument; prepare?: (loaded: LoadedDocument) => LoadedDocument; exclude?: string[] }> = [
  { file: 'petstore-expanded.yaml' },
  { file: 'uspto.yaml' },
  { file: 'petstore.yaml' },
  { file: 'petstore-3.1.yaml' },
  { file: 'apisguru-adyen.com-LegalEntityService.json' },
  { file: 'apisguru-twilio.com-twilio_verify_v2.json' },
  { file: 'apisguru-asana.com.json' },
  { file: 'apisguru-bbci.co.uk.json' },
  { file: 'petstore-swagger-2.0.yaml' },
  { file: 'apisguru-docker.com-engine.json' },
  { file: 'apisguru-discourse.local.json', exclude: discourseImpossibleOperations() },
  {
    file: 'apisguru-microcks.local.json',
    prepare: (loaded) => {
      const document = structuredClone(loaded.document) as any;
      document.paths['/jobs/{id}'].get.operationId = 'getJob';
      document.paths['/jobs/{id}'].post.operationId = 'updateJob';
      return OpenApi.fromObject(document).load();
    },
  },
];

/** The 28 Discourse operations whose paths put a parameter inside a segment ({id}.json). */
function discourseImpossibleOperations(): string[] {
  const document = JSON.parse(fs.readFileSync(corpusFile('apisguru-discourse.local.json'), 'utf8'));
  const ids: string[] = [];
  for (const [p, item] of Object.entries<any>(document.paths)) {
    if (!/\}[^/]|[^/]\{/.test(p)) continue;
    for (const operation of Object.values<any>(item)) if (operation?.operationId) ids.push(operation.operationId);
  }
  return ids;
}

const MAX_PER_MUTATION = 3;
const cases: Case[] = [];
const skipped: string[] = [];
let operationsChecked = 0;

/** Properties, required names and additionalProperties of an object schema, through $ref and allOf. */
function shapeOf(
  schema: unknown,
  resolver: RefResolver,
  depth = 0,
): { properties: { [n: string]: unknown }; required: string[]; closed: boolean } {
  const shape = { properties: {} as { [n: string]: unknown }, required: [] as string[], closed: false };
  if (depth > 8 || !isObject(schema)) return shape;
  const node = isObject(schema) && typeof schema.$ref === 'string' ? resolver.follow(schema, '').value : schema;
  if (!isObject(node)) return shape;
  if (isObject(node.properties)) Object.assign(shape.properties, node.properties);
  if (Array.isArray(node.required)) shape.required.push(...(node.required as string[]));
  if (node.additionalProperties === false) shape.closed = true;
  for (const member of Array.isArray(node.allOf) ? node.allOf : []) {
    const inner = shapeOf(member, resolver, depth + 1);
    Object.assign(shape.properties, inner.properties);
    shape.required.push(...inner.required);
    shape.closed = shape.closed || inner.closed;
  }
  return shape;
}

function resolved(schema: unknown, resolver: RefResolver): JsonObject {
  const node = isObject(schema) && typeof schema.$ref === 'string' ? resolver.follow(schema, '').value : schema;
  return isObject(node) ? node : {};
}

function wrongTypeValue(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number' || typeof value === 'boolean') return 'not-a-number-or-boolean';
  if (Array.isArray(value)) return { not: 'an array' };
  if (value === null) return ['null replaced'];
  return 'not-an-object';
}

/** Valid variants: null where the schema allows null. */
function nullVariants(body: unknown, schema: unknown, resolver: RefResolver): Array<[string, unknown]> {
  if (!isObject(body)) return [];
  const shape = shapeOf(schema, resolver);
  const allowsNull = (s: JsonObject): boolean => s.nullable === true || (Array.isArray(s.type) && s.type.includes('null'));
  return Object.keys(body)
    .filter((name) => allowsNull(resolved(shape.properties[name], resolver)))
    .slice(0, MAX_PER_MUTATION)
    .map((name) => [`null-allowed:${name}`, { ...body, [name]: null }]);
}

/** Invalid variants of a valid-looking sample, each with the mutation that made it. */
function mutations(body: unknown, schema: unknown, resolver: RefResolver): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [['root-wrong-type', wrongTypeValue(body)]];
  if (!isObject(body)) return out;
  const shape = shapeOf(schema, resolver);
  const present = Object.keys(body);
  for (const name of shape.required.filter((r) => r in body).slice(0, MAX_PER_MUTATION)) {
    const copy = { ...body };
    delete copy[name];
    out.push([`required-removed:${name}`, copy]);
  }
  for (const name of present.slice(0, MAX_PER_MUTATION)) out.push([`wrong-type:${name}`, { ...body, [name]: wrongTypeValue(body[name]) }]);
  const enums = present.filter((name) => Array.isArray(resolved(shape.properties[name], resolver).enum)).slice(0, MAX_PER_MUTATION);
  for (const name of enums) {
    const values = resolved(shape.properties[name], resolver).enum as unknown[];
    out.push([`enum-violated:${name}`, { ...body, [name]: typeof values[0] === 'number' ? 987654321 : '__not_in_enum__' }]);
  }
  if (shape.closed) out.push(['extra-property', { ...body, __unexpected_property__: true }]);
  const formatted = present
    .filter((name) => typeof body[name] === 'string' && String(resolved(shape.properties[name], resolver).format) in FORMATS)
    .slice(0, MAX_PER_MUTATION);
  for (const name of formatted) out.push([`format-violated:${name}`, { ...body, [name]: 'not a valid value for this format' }]);
  // One level down: the first object-valued property with required fields of its own.
  for (const name of present) {
    const value = body[name];
    if (!isObject(value)) continue;
    const inner = shapeOf(shape.properties[name], resolver);
    const requiredInner = inner.required.find((r) => r in value);
    if (requiredInner === undefined) continue;
    const copy = { ...value };
    delete copy[requiredInner];
    out.push([`nested-required-removed:${name}.${requiredInner}`, { ...body, [name]: copy }]);
    break;
  }
  return out;
}

function bodySchemaPointer(document: JsonObject, operation: ApiOperation, mediaType: string, source: string): string {
  const resolver = new RefResolver(document, source);
  const itemPointer = `/paths/${escapePointer(operation.sourcePath)}`;
  const pathItem = resolver.follow(resolver.get(itemPointer), itemPointer);
  const requestBody = resolver.follow(
    (pathItem.value as any)[operation.method].requestBody,
    `${pathItem.pointer}/${operation.method}/requestBody`,
  );
  return `${requestBody.pointer}/content/${escapePointer(mediaType)}/schema`;
}

function checkDocument(entry: (typeof CORPUS)[number]): void {
  let loaded = OpenApi.fromFile(corpusFile(entry.file)).load();
  if (entry.prepare) loaded = entry.prepare(loaded);
  const analyzed: AnalyzedApi = analyzeDocument(loaded, { excludeOperations: entry.exclude });
  const body = emitApiGatewayBody(analyzed, { integrations: integrationsFor(analyzed.operations.map((o) => o.operationId)) });
  const gateway = new ApiGatewayBodyValidator(body);
  // A 3.1 document is judged by its own JSON Schema 2020-12; others by their OpenAPI 3.0 form.
  const dialect = loaded.version === '3.1' ? '3.1' : '3.0';
  const reference = dialect === '3.1' ? loaded.document : analyzed.document;
  const resolver = new RefResolver(reference, loaded.source);
  const oracle = new OpenApiOracle(reference, dialect);
  const relaxedOracles = new Map<string, OpenApiOracle>();

  for (const operation of analyzed.operations) {
    const models = operation.requestBody?.modelsByContentType ?? {};
    const mediaType = Object.keys(models).find((t) => models[t] === operation.requestBody?.jsonModelName);
    if (mediaType === undefined) continue;
    const pointer = bodySchemaPointer(reference, operation, mediaType, loaded.source);
    const schema = resolver.get(pointer);
    let judge: (b: unknown) => boolean;
    try {
      judge = oracle.validatorAt(pointer) as (b: unknown) => boolean;
    } catch (e) {
      skipped.push(
        `${entry.file} ${operation.operationId}: the reference validator cannot compile the schema (${(e as Error).message.split('\n')[0]})`,
      );
      continue;
    }
    const announced = analyzed.warnings.filter((w) => w.operationId === operation.operationId).map((w) => w.keyword!);
    const relaxKey = [...new Set(announced)].sort().join(',');
    if (!relaxedOracles.has(relaxKey)) relaxedOracles.set(relaxKey, new OpenApiOracle(reference, dialect, relaxKey.split(',')));
    const relaxed = relaxedOracles.get(relaxKey)!.validatorAt(pointer);

    const bodies: Array<[string, unknown]> = [];
    for (const [kind, options] of [
      ['sample-full', {}],
      ['sample-required-only', { skipNonRequired: true }],
    ] as const) {
      try {
        const generated = sample(schema as any, { skipReadOnly: true, enablePatterns: true, quiet: true, ...options }, reference);
        bodies.push([kind, generated], ...nullVariants(generated, schema, resolver), ...mutations(generated, schema, resolver));
      } catch (e) {
        skipped.push(`${entry.file} ${operation.operationId}: openapi-sampler failed (${(e as Error).message})`);
      }
    }
    operationsChecked++;
    for (const [kind, candidate] of bodies) {
      const byOracle = judge(candidate);
      const byModel = gateway.check(operation.path, operation.method, mediaType, JSON.stringify(candidate)) === 'validated';
      const explained = !byOracle && byModel ? relaxed(candidate) : undefined;
      cases.push({
        document: entry.file,
        operationId: operation.operationId,
        kind,
        body: candidate,
        oracle: byOracle,
        model: byModel,
        explained,
      });
    }
  }
}

describe('validator fidelity on the corpus', () => {
  beforeAll(() => {
    for (const entry of CORPUS) checkDocument(entry);
  });

  afterAll(() => {
    const agree = cases.filter((c) => c.oracle === c.model).length;
    const rows = CORPUS.map(({ file }) => {
      const mine = cases.filter((c) => c.document === file);
      const same = mine.filter((c) => c.oracle === c.model).length;
      return `${file}: ${mine.length} bodies, ${same} agree, ${mine.filter((c) => !c.oracle && c.model).length} accepted by the model only (announced)`;
    });
    const summary = {
      operations: operationsChecked,
      bodies: cases.length,
      agreement: cases.length === 0 ? 0 : Math.round((agree / cases.length) * 10000) / 100,
      validBodies: cases.filter((c) => c.oracle).length,
      invalidBodies: cases.filter((c) => !c.oracle).length,
      skipped: skipped.length,
    };
    console.log(
      `validator fidelity: ${summary.agreement}% agreement over ${summary.bodies} bodies (${summary.operations} operations)\n  ${rows.join('\n  ')}${skipped.length ? `\n  skipped:\n    ${skipped.join('\n    ')}` : ''}`,
    );
    if (process.env.FIDELITY_REPORT)
      fs.writeFileSync(
        process.env.FIDELITY_REPORT,
        JSON.stringify({ ...summary, perDocument: rows, skippedOperations: skipped }, undefined, 2),
      );
  });

  it('checks a meaningful number of operations and bodies, valid and invalid', () => {
    expect(operationsChecked).toBeGreaterThan(150);
    expect(cases.filter((c) => c.oracle).length).toBeGreaterThan(200);
    expect(cases.filter((c) => !c.oracle).length).toBeGreaterThan(900);
  });

  it('never rejects a body the document accepts', () => {
    const falseRejections = cases
      .filter((c) => c.oracle && !c.model)
      .map((c) => `${c.document} ${c.operationId} ${c.kind}: ${JSON.stringify(c.body).slice(0, 300)}`);
    expect(falseRejections).toEqual([]);
  });

  it('accepts a body the document rejects only where a warning announced the rule', () => {
    const unexplained = cases
      .filter((c) => !c.oracle && c.model && !c.explained)
      .map((c) => `${c.document} ${c.operationId} ${c.kind}: ${JSON.stringify(c.body).slice(0, 300)}`);
    expect(unexplained).toEqual([]);
  });

  it('agrees with the document on at least 97% of bodies', () => {
    const agree = cases.filter((c) => c.oracle === c.model).length;
    expect(agree / cases.length).toBeGreaterThanOrEqual(0.97);
  });
});
