import { AnalyzedApi, ApiOperation, ApiParameter, HTTP_METHODS, isObject, JsonObject, OpenApiError, SecurityRequirement } from '../model';
import { BodyContribution, foldContributions } from './body-contribution';
import { addCors, CorsOptions } from './cors-preflight';
import { buildGatewayResponses } from './gateway-responses';

export const VALIDATOR_BODY_AND_PARAMS = 'body-and-params';
export const VALIDATOR_PARAMS_ONLY = 'params-only';
/** API Gateway's catch-all media type key: its model validates requests whose Content-Type has no model of its own. */
export const DEFAULT_MEDIA_TYPE = '$default';

/** The name of the API Gateway request validator an operation gets: the body is validated wherever the operation has one. */
export function requestValidatorName(operation: ApiOperation): string {
  return operation.requestBody !== undefined ? VALIDATOR_BODY_AND_PARAMS : VALIDATOR_PARAMS_ONLY;
}

/** What the constructs add to the body that API Gateway imports. All values may hold CDK tokens. */
export interface EmitOptions {
  /** `x-amazon-apigateway-integration` object for every operation, by operationId. */
  readonly integrations: { [operationId: string]: JsonObject };
  /** The `security` array written on each operation (API Gateway ignores root-level security). */
  readonly operationSecurity?: { [operationId: string]: SecurityRequirement[] };
  /** Title written into `info.title` (the REST API's name). @default the document's title */
  readonly title?: string;
  /** What the concerns (auth, API keys, docs, TLS ...) add, folded in this order. @default - none */
  readonly contributions?: ReadonlyArray<BodyContribution | undefined>;
  /**
   * Strict CORS: CORS headers on the non-proxy integrations' answers, a preflight on every path and CORS headers on
   * the gateway responses, added last. @default - no CORS
   */
  readonly cors?: CorsOptions;
}

/**
 * Writes the OpenAPI 3.0.1 body that API Gateway imports. Only what API Gateway uses is written:
 * parameters reduced to name/in/required, request models, responses without schemas (API Gateway
 * never validates responses), the hardened gateway responses, and the `x-amazon-apigateway-*`
 * extensions the concerns contribute; then, when asked for, the CORS headers of the non-proxy integrations' answers,
 * the CORS preflights and the gateway responses' CORS headers.
 * Keys are written in a fixed order, so the same input gives a byte-identical body.
 */
export function emitApiGatewayBody(analyzed: AnalyzedApi, options: EmitOptions): JsonObject {
  const source = analyzed.source;
  const contributed = foldContributions(options.contributions ?? []);
  const known = new Set(analyzed.operations.map((o) => o.operationId));
  const unknown = Object.keys(options.integrations)
    .filter((id) => !known.has(id))
    .sort();
  if (unknown.length > 0) {
    throw new OpenApiError(
      `integrations are given for operationId(s) the API does not have: ${unknown.map((id) => `'${id}'`).join(', ')}`,
      source,
    );
  }
  const missing = analyzed.operations.filter((o) => options.integrations[o.operationId] === undefined).map((o) => `'${o.operationId}'`);
  if (missing.length > 0) {
    throw new OpenApiError(`no integration for operation(s) ${missing.join(', ')}`, source);
  }

  const byPath = new Map<string, Map<string, JsonObject>>();
  for (const operation of analyzed.operations) {
    const methods = byPath.get(operation.path) ?? new Map<string, JsonObject>();
    methods.set(operation.method, emitOperation(operation, options, contributed, source));
    byPath.set(operation.path, methods);
  }
  const unknownExtended = [
    ...new Set([
      ...Object.keys(contributed.operationExtensions),
      ...Object.keys(contributed.operationParameters),
      ...Object.keys(contributed.integrationSettings),
    ]),
  ]
    .filter((id) => !known.has(id))
    .sort();
  if (unknownExtended.length > 0) {
    throw new OpenApiError(
      `extensions are contributed for operationId(s) the API does not have: ${unknownExtended.map((id) => `'${id}'`).join(', ')}`,
      source,
    );
  }
  for (const [path, item] of Object.entries(contributed.extraPaths)) {
    const methods = byPath.get(path) ?? new Map<string, JsonObject>();
    for (const [method, value] of Object.entries(item)) {
      if (methods.has(method)) {
        throw new OpenApiError(
          `the route ${method.toUpperCase()} ${path} that SecureApi adds is already an operation of the document`,
          source,
          `/paths`,
        );
      }
      methods.set(method, value as JsonObject);
    }
    byPath.set(path, methods);
  }
  const paths: JsonObject = {};
  for (const path of [...byPath.keys()].sort()) {
    const methods = byPath.get(path)!;
    const item: JsonObject = {};
    const order = [...HTTP_METHODS, 'x-amazon-apigateway-any-method'];
    for (const method of [...methods.keys()].sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : 1)))
      item[method] = methods.get(method);
    paths[path] = item;
  }

  const info = isObject(analyzed.document.info) ? analyzed.document.info : {};
  const components: JsonObject = {};
  if (Object.keys(analyzed.models).length > 0) components.schemas = analyzed.models;
  if (Object.keys(contributed.securitySchemes).length > 0) components.securitySchemes = sortedCopy(contributed.securitySchemes);
  const body: JsonObject = {
    openapi: '3.0.1',
    info: {
      title: options.title ?? (typeof info.title === 'string' ? info.title : 'API'),
      version: typeof info.version === 'string' ? info.version : String(info.version ?? '1'),
    },
    paths,
  };
  if (Object.keys(components).length > 0) body.components = components;
  body['x-amazon-apigateway-request-validators'] = {
    [VALIDATOR_BODY_AND_PARAMS]: { validateRequestBody: true, validateRequestParameters: true },
    [VALIDATOR_PARAMS_ONLY]: { validateRequestBody: false, validateRequestParameters: true },
  };
  body['x-amazon-apigateway-gateway-responses'] = sortedCopy(buildGatewayResponses(contributed.responseHeaders));
  for (const key of Object.keys(contributed.rootExtensions).sort()) {
    if (key in body) throw new OpenApiError(`rootExtensions may not replace '${key}', which SecureApi writes itself`, source);
    body[key] = contributed.rootExtensions[key];
  }
  return options.cors !== undefined ? addCors(body, options.cors) : body;
}

function emitOperation(operation: ApiOperation, options: EmitOptions, contributed: Required<BodyContribution>, source: string): JsonObject {
  const extensions = contributed.operationExtensions[operation.operationId];
  const out: JsonObject = { operationId: operation.operationId };
  const parameters = withContributedParameters(operation.parameters, contributed.operationParameters[operation.operationId] ?? []);
  if (parameters.length > 0) {
    out.parameters = parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, schema: { type: 'string' } }));
  }
  if (operation.requestBody !== undefined) {
    const content: JsonObject = {};
    const models = operation.requestBody.modelsByContentType ?? {};
    for (const mediaType of operation.requestBody.contentTypes) {
      const model = models[mediaType];
      content[mediaType] = model !== undefined ? { schema: { $ref: `#/components/schemas/${model}` } } : {};
    }
    // Close the Content-Type gap: a request whose Content-Type has no model would skip validation.
    if (operation.requestBody.jsonModelName !== undefined && !(DEFAULT_MEDIA_TYPE in content)) {
      content[DEFAULT_MEDIA_TYPE] = { schema: { $ref: `#/components/schemas/${operation.requestBody.jsonModelName}` } };
    }
    out.requestBody = { required: operation.requestBody.required, content };
  }
  out.responses = withIntegrationStatuses(emitResponses(operation), options.integrations[operation.operationId]);
  const security = options.operationSecurity?.[operation.operationId];
  if (security !== undefined && security.length > 0) out.security = security;
  out['x-amazon-apigateway-request-validator'] = requestValidatorName(operation);
  out['x-amazon-apigateway-integration'] = withIntegrationSettings(
    options.integrations[operation.operationId],
    contributed.integrationSettings[operation.operationId],
    operation,
    source,
  );
  for (const key of Object.keys(extensions ?? {}).sort()) {
    if (key in out)
      throw new OpenApiError(
        `operation '${operation.operationId}': a contributed extension may not replace '${key}', which SecureApi writes itself`,
        source,
      );
    out[key] = extensions![key];
  }
  return out;
}

/** The document's parameters, then the contributed ones it does not declare (header names compare case-insensitively). */
function withContributedParameters(declared: ReadonlyArray<ApiParameter>, contributed: ReadonlyArray<ApiParameter>): ApiParameter[] {
  const key = (p: ApiParameter) => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
  const seen = new Set(declared.map(key));
  const out = [...declared];
  for (const parameter of contributed) {
    if (seen.has(key(parameter))) continue;
    seen.add(key(parameter));
    out.push(parameter);
  }
  return out;
}

/** The integration with the contributed settings added; a setting may not replace what the integration says. */
function withIntegrationSettings(
  integration: JsonObject,
  settings: JsonObject | undefined,
  operation: ApiOperation,
  source: string,
): JsonObject {
  if (settings === undefined || Object.keys(settings).length === 0) return integration;
  const out = { ...integration };
  for (const key of Object.keys(settings).sort()) {
    if (key in out)
      throw new OpenApiError(
        `operation '${operation.operationId}': a contributed integration setting may not replace '${key}', which its integration sets`,
        source,
      );
    out[key] = settings[key];
  }
  return out;
}

/** Status codes only: API Gateway does not validate responses, and their schemas would only grow the template. */
function emitResponses(operation: ApiOperation): JsonObject {
  const responses = operation.responses ?? [];
  if (responses.length === 0) return { default: { description: 'Response' } };
  const out: JsonObject = {};
  for (const r of responses) out[r.status] = { description: shortDescription(r.description) };
  return out;
}

/**
 * A non-proxy integration (mock, for example) maps its answers to method responses by status code;
 * API Gateway rejects the import when one is missing, so declare every status the integration returns.
 * A header an integration response maps (`responseParameters` `method.response.header.<name>`) must be declared
 * on that method response too, or the import fails ("Invalid mapping expression"): declare each one.
 */
function withIntegrationStatuses(responses: JsonObject, integration: JsonObject | undefined): JsonObject {
  const integrationResponses = (integration?.responses ?? {}) as { [key: string]: { statusCode?: unknown; responseParameters?: unknown } };
  const out = { ...responses };
  for (const response of Object.values(integrationResponses)) {
    const status = typeof response?.statusCode === 'string' ? response.statusCode : undefined;
    if (status === undefined) continue;
    if (!(status in out)) out[status] = { description: 'Response' };
    const mapped = Object.keys(isObject(response.responseParameters) ? response.responseParameters : {})
      .filter((key) => key.startsWith(METHOD_RESPONSE_HEADER))
      .map((key) => key.slice(METHOD_RESPONSE_HEADER.length));
    if (mapped.length === 0) continue;
    const declared = out[status] as JsonObject;
    const headers: JsonObject = { ...(isObject(declared.headers) ? declared.headers : {}) };
    for (const name of mapped.sort()) headers[name] ??= { schema: { type: 'string' } };
    out[status] = { ...declared, headers };
  }
  return out;
}

const METHOD_RESPONSE_HEADER = 'method.response.header.';

/** The first line, at most 100 characters: method responses need a description, not documentation. */
function shortDescription(description: string): string {
  const line = description.trim().split('\n')[0].trim();
  return line.length > 100 ? line.slice(0, 99) + '…' : line;
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
}

function sortedCopy(map: { readonly [key: string]: JsonObject }): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key];
  return out;
}
