import { RequestModelBuilder, ModelFinding } from './models';
import { normalizeDocument } from './normalize';
import { assignOperationIds, DocumentOperation, documentOperations, IdentifiedOperation } from './operations';
import { expandEnumSegments, planApiGatewayPaths, PlannedPath } from './paths';
import { RefResolver } from './refs';
import {
  AnalyzedApi,
  AnalyzeOptions,
  ApiOperation,
  ApiParameter,
  ApiRequestBody,
  ApiResponse,
  isObject,
  isRef,
  JsonObject,
  LoadedDocument,
  OpenApiError,
  PipelineWarning,
  pointerJoin,
  PropCheck,
  resolveOperationKeys,
  routeKey,
} from '../model';

/**
 * Runs the analysis passes on a loaded document: normalize to OpenAPI 3.0, check operationIds,
 * apply exclusions, plan API Gateway paths, and derive parameters, request models and the warnings
 * for every rule API Gateway cannot enforce.
 */
export function analyzeDocument(loaded: LoadedDocument, options: AnalyzeOptions = {}): AnalyzedApi {
  const source = loaded.source;
  const normalized = normalizeDocument(loaded);
  const document = normalized.document;
  const resolver = new RefResolver(document, source);
  const warnings: PipelineWarning[] = [...normalized.warnings];

  const { operations: all, derived } = assignOperationIds(documentOperations(document, resolver), source);
  const excluded = resolveOperationKeys(
    options.excludeOperations ?? [],
    all,
    new PropCheck(options.constructPath ?? ''),
    'excludeOperations',
  );
  const operations = applyExclusions(all, excluded, source);
  for (const o of derived.filter((d) => !excluded.includes(d.operationId))) {
    warnings.push({
      level: 'info',
      operationId: o.operationId,
      pointer: o.pointer,
      keyword: 'derived-operation-id',
      message: `operation '${o.operationId}': ${routeKey(o.method, o.sourcePath)} has no operationId in the document, so it is derived from method and path; props may name it '${o.operationId}' or '${routeKey(o.method, o.sourcePath)}'`,
    });
  }
  const routes = servedRoutes(operations, resolver, source, warnings);
  const plan = planApiGatewayPaths(
    routes.map((r) => ({ operationId: r.operationId, method: r.operation.method, sourcePath: r.routedPath })),
    source,
  );
  warnings.push(...plan.warnings);

  const models = new RequestModelBuilder(resolver);
  const analyzed: ApiOperation[] = [];
  for (const { operation, operationId, routedPath, fixed } of routes) {
    const planned = plan.paths.get(routedPath)!;
    const parameters = analyzeParameters(operation, planned, resolver, warnings, fixed ?? {});
    const requestBody = operation.requestBody
      ? analyzeRequestBody(operation, models, warnings, options.rejectUnvalidatedMediaTypes === true)
      : undefined;
    if (isObject(operation.operation.callbacks) && Object.keys(operation.operation.callbacks).length > 0) {
      warnings.push({
        operationId: operation.operationId,
        pointer: pointerJoin(operation.pointer, 'callbacks'),
        keyword: 'callbacks',
        message: `operation '${operation.operationId}': its callbacks (${Object.keys(operation.operation.callbacks).join(', ')}) are requests the backend sends; API Gateway neither serves nor validates them`,
      });
    }
    analyzed.push({
      operationId,
      ...(operation.derivedOperationId === true ? { derivedOperationId: true } : {}),
      method: operation.method,
      path: planned.path,
      sourcePath: operation.sourcePath,
      ...(fixed !== undefined ? { documentOperationId: operation.operationId, fixedPathValues: fixed } : {}),
      security: operation.security?.map((r) => ({ ...r })),
      parameters,
      requestBody,
      responses: responsesOf(operation, resolver),
      extensions: extensionsOf(operation.operation),
      tags: Array.isArray(operation.operation.tags) ? operation.operation.tags.map(String) : [],
      summary: typeof operation.operation.summary === 'string' ? operation.operation.summary : undefined,
    });
  }

  return {
    source,
    sourceVersion: loaded.version,
    document,
    operations: analyzed,
    models: models.models(),
    securitySchemes: securitySchemesOf(document, resolver),
    warnings,
  };
}

/** One route API Gateway serves for a document operation: the operation itself, or one route of its enum expansion. */
interface ServedRoute {
  readonly operation: IdentifiedOperation;
  readonly operationId: string;
  /** The path planned for API Gateway: the document's, or the expansion's literal path. */
  readonly routedPath: string;
  /** The path variables an enum expansion fixed, with their values. */
  readonly fixed?: { readonly [variable: string]: string };
}

/**
 * The routes of every operation: an operation whose partial path segments are all enum-valued
 * (`/v{version}/areas`, `version` in `[1, 2]`) becomes one route per value (`/v1/areas` as
 * `<operationId>_1`, `/v2/areas` as `<operationId>_2`), so API Gateway routes exactly the listed values;
 * every other operation is one route on its own path.
 */
function servedRoutes(
  operations: IdentifiedOperation[],
  resolver: RefResolver,
  source: string,
  warnings: PipelineWarning[],
): ServedRoute[] {
  const taken = new Set(operations.map((o) => o.operationId));
  const routes: ServedRoute[] = [];
  for (const operation of operations) {
    const expansions = expandEnumSegments(operation.sourcePath, pathEnums(operation, resolver));
    if (expansions === undefined) {
      routes.push({ operation, operationId: operation.operationId, routedPath: operation.sourcePath });
      continue;
    }
    const expanded: string[] = [];
    for (const expansion of expansions) {
      const suffix = Object.keys(expansion.values)
        .sort()
        .map((v) => expansion.values[v])
        .join('_')
        .replace(/[^A-Za-z0-9_]/g, '_');
      const operationId = `${operation.operationId}_${suffix}`;
      if (taken.has(operationId)) {
        throw new OpenApiError(
          `operation '${operation.operationId}': expanding the enum of ${operation.method.toUpperCase()} ${operation.sourcePath} gives the operationId '${operationId}', which the API already has; rename one of them`,
          source,
          operation.pointer,
        );
      }
      taken.add(operationId);
      routes.push({ operation, operationId, routedPath: expansion.path, fixed: expansion.values });
      expanded.push(`${operation.method.toUpperCase()} ${expansion.path} ('${operationId}')`);
    }
    const variables = Object.keys(expansions[0].values).sort();
    warnings.push({
      level: 'info',
      operationId: operation.operationId,
      pointer: operation.pointer,
      keyword: 'enum-expansion',
      message:
        `operation '${operation.operationId}': ${operation.method.toUpperCase()} ${operation.sourcePath} is served as ${expanded.join(', ')}, one literal route per value of ${variables.map((v) => `'${v}'`).join(', ')}, ` +
        `so API Gateway answers any other value as an unknown route (403) and the enum is enforced; props naming '${operation.operationId}' or the route key apply to each route. ` +
        `The backend receives the literal path (an HTTP backend the original path; a Lambda proxy event.path, without a path parameter ${variables.map((v) => `'${v}'`).join(', ')})`,
    });
  }
  return routes;
}

/** The enum values of the operation's path parameters (strings, numbers and booleans, as text), by name. */
function pathEnums(operation: DocumentOperation, resolver: RefResolver): { [variable: string]: string[] } {
  const enums: { [variable: string]: string[] } = {};
  for (const { parameter, pointer } of operation.parameters) {
    if (parameter.in !== 'path' || !(isObject(parameter.schema) || isRef(parameter.schema))) continue;
    const schema = resolver.follow(parameter.schema, pointerJoin(pointer, 'schema')).value;
    if (!isObject(schema) || !Array.isArray(schema.enum) || schema.enum.length === 0) continue;
    if (!schema.enum.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) continue;
    enums[String(parameter.name)] = schema.enum.map(String);
  }
  return enums;
}

/** Leaves out the excluded operations (already resolved to operationIds). */
function applyExclusions(operations: IdentifiedOperation[], excluded: string[], source: string): IdentifiedOperation[] {
  const kept = operations.filter((o) => !excluded.includes(o.operationId));
  if (kept.length === 0) {
    throw new OpenApiError(
      operations.length === 0
        ? 'the document defines no operations'
        : 'every operation is excluded by excludeOperations; an API needs at least one operation',
      source,
      '/paths',
    );
  }
  return kept;
}

/** Keywords of a parameter schema that API Gateway does not check (it only checks presence). */
const PARAMETER_RULES = [
  'enum',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
  'properties',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'const',
];

function analyzeParameters(
  operation: DocumentOperation,
  planned: PlannedPath,
  resolver: RefResolver,
  warnings: PipelineWarning[],
  fixed: { readonly [variable: string]: string },
): ApiParameter[] {
  const parameters: ApiParameter[] = [];
  const ignored: string[] = [];
  for (const { parameter, pointer } of operation.parameters) {
    const location = String(parameter.in);
    const name = String(parameter.name);
    if (location === 'cookie') {
      ignored.push(`${name} (in: cookie, not checked at all)`);
      continue;
    }
    if (location !== 'path' && location !== 'query' && location !== 'header') continue;
    // A variable an enum expansion fixed is literal text of this route: API Gateway enforces it by routing.
    if (location === 'path' && name in fixed) continue;
    const servedName = location === 'path' ? (planned.renamedVariables[name] ?? name) : name;
    parameters.push({ name: servedName, in: location, required: location === 'path' || parameter.required === true });

    const rules: string[] = [];
    if (isObject(parameter.schema) || isRef(parameter.schema)) {
      const schema = resolver.follow(parameter.schema, pointerJoin(pointer, 'schema')).value;
      if (isObject(schema)) {
        if (schema.type !== undefined && schema.type !== 'string') rules.push(`type:${String(schema.type)}`);
        for (const keyword of PARAMETER_RULES)
          if (schema[keyword] !== undefined) rules.push(keyword === 'format' ? `format:${String(schema.format)}` : keyword);
      }
    } else if (parameter.content !== undefined) {
      rules.push('content');
    }
    if (rules.length > 0) ignored.push(`${name} (${rules.join(', ')})`);
  }
  // API Gateway maps path parameters by the variables of the resource path: declare exactly those.
  const variables = [...planned.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
  const unused = parameters.filter((p) => p.in === 'path' && !variables.includes(p.name));
  if (unused.length > 0) {
    warnings.push({
      operationId: operation.operationId,
      pointer: pointerJoin(operation.pointer, 'parameters'),
      keyword: 'path-parameter-unused',
      message: `operation '${operation.operationId}': path parameter(s) ${unused.map((p) => `'${p.name}'`).join(', ')} do not appear in ${operation.sourcePath}; they are left out of the API Gateway definition`,
    });
  }
  const served = parameters.filter((p) => p.in !== 'path' || variables.includes(p.name));
  for (const variable of variables) {
    if (!served.some((p) => p.in === 'path' && p.name === variable)) served.push({ name: variable, in: 'path', required: true });
  }
  if (ignored.length > 0) {
    warnings.push({
      operationId: operation.operationId,
      pointer: pointerJoin(operation.pointer, 'parameters'),
      keyword: 'parameter-schema',
      message: `operation '${operation.operationId}': API Gateway only checks that required parameters are present, so these parameter rules are not enforced: ${ignored.join('; ')}`,
    });
  }
  return served;
}

/** `application/json` and any `+json` structured syntax suffix, with or without parameters. */
export function isJsonMediaType(mediaType: string): boolean {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}

/**
 * API Gateway selects the model by the request's Content-Type, `$default` when none matches, and
 * validates nothing when the matched media type has no model (developer guide, "Request validation":
 * models are JSON Schema, so only JSON media types get one). A declared non-JSON media type is
 * therefore a way around the JSON model: a JSON body sent as `application/x-www-form-urlencoded` is
 * not validated, and a backend that parses JSON regardless receives it. Each such media type is a
 * warning naming the operation and the media type; with `rejectUnvalidatedMediaTypes`, those of an
 * operation that has a JSON model are left out of the body, so their requests meet `$default`.
 */
function analyzeRequestBody(
  operation: DocumentOperation,
  models: RequestModelBuilder,
  warnings: PipelineWarning[],
  rejectUnvalidated: boolean,
): ApiRequestBody {
  const { body, pointer } = operation.requestBody!;
  const content = isObject(body.content) ? body.content : {};
  const declared = Object.keys(content);
  const hasJson = declared.some(isJsonMediaType);
  const contentTypes = rejectUnvalidated && hasJson ? declared.filter(isJsonMediaType) : declared;
  const modelsByContentType: { [mediaType: string]: string } = {};
  const findings: ModelFinding[] = [];
  for (const mediaType of contentTypes) {
    const media = isObject(content[mediaType]) ? (content[mediaType] as JsonObject) : {};
    const mediaPointer = pointerJoin(pointer, 'content', mediaType);
    if (!isJsonMediaType(mediaType)) {
      warnings.push({
        operationId: operation.operationId,
        pointer: mediaPointer,
        keyword: `content-type:${mediaType}`,
        message: hasJson
          ? `operation '${operation.operationId}': request bodies sent as '${mediaType}' are not validated, so a JSON body sent with that Content-Type reaches the backend without its JSON schema being checked; API Gateway validates only JSON bodies against models. Set rejectUnvalidatedMediaTypes to validate them against the JSON model instead, or make the backend check them`
          : `operation '${operation.operationId}': request bodies sent as '${mediaType}' are not validated; API Gateway validates only JSON bodies against models, so the backend must check them`,
      });
      continue;
    }
    const model = models.modelFor(media.schema ?? {}, pointerJoin(mediaPointer, 'schema'), `${operation.operationId} Request`);
    modelsByContentType[mediaType] = model;
    findings.push(...models.findingsReachableFrom(model));
  }
  warnings.push(...findingWarnings(operation.operationId!, findings));
  const jsonTypes = Object.keys(modelsByContentType);
  const primary = jsonTypes.find((t) => t.split(';')[0].trim().toLowerCase() === 'application/json') ?? jsonTypes[0];
  return {
    required: body.required === true,
    contentTypes,
    jsonModelName: primary !== undefined ? modelsByContentType[primary] : undefined,
    modelsByContentType,
  };
}

/** One warning per operation and keyword, naming where the rule is written. */
function findingWarnings(operationId: string, findings: ModelFinding[]): PipelineWarning[] {
  const byKeyword = new Map<string, ModelFinding[]>();
  for (const f of findings) byKeyword.set(f.keyword, [...(byKeyword.get(f.keyword) ?? []), f]);
  return [...byKeyword.entries()].map(([keyword, list]) => {
    const places = [...new Set(list.map((f) => f.pointer))];
    const shown = places
      .slice(0, 3)
      .map((p) => `#${p}`)
      .join(', ');
    const more = places.length > 3 ? ` and ${places.length - 3} more place(s)` : '';
    return {
      operationId,
      pointer: places[0],
      keyword,
      message: `operation '${operationId}': request body rule '${keyword}' is not enforced by API Gateway: ${list[0].detail} (${shown}${more})`,
    };
  });
}

function responsesOf(operation: DocumentOperation, resolver: RefResolver): ApiResponse[] {
  const responses = isObject(operation.operation.responses) ? operation.operation.responses : {};
  const out: ApiResponse[] = [];
  for (const status of Object.keys(responses)) {
    if (status.startsWith('x-')) continue;
    const response = resolver.follow(responses[status], pointerJoin(operation.pointer, 'responses', status)).value;
    const description = isObject(response) && typeof response.description === 'string' ? response.description : '';
    out.push({ status, description });
  }
  return out;
}

function extensionsOf(operation: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(operation)) if (key.startsWith('x-')) out[key] = operation[key];
  return out;
}

function securitySchemesOf(document: JsonObject, resolver: RefResolver): { [name: string]: JsonObject } {
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const out: { [name: string]: JsonObject } = {};
  for (const name of Object.keys(schemes)) {
    const value = resolver.follow(schemes[name], pointerJoin('/components/securitySchemes', name)).value;
    if (isObject(value)) out[name] = value;
  }
  return out;
}
