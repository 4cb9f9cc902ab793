import { ApiParameter, JsonObject } from '../model';

/**
 * What one concern (auth, API keys, docs, TLS ...) adds to the body API Gateway imports. Each concern
 * returns one; {@link emitApiGatewayBody} folds the list, so the body is written in one place and nothing
 * patches it afterwards. All values may hold CDK tokens: this folder passes them through untouched.
 */
export interface BodyContribution {
  /** `components.securitySchemes` entries (an authorizer, the API key). */
  readonly securitySchemes?: { readonly [schemeName: string]: JsonObject };
  /** Routes the library owns (for example `/docs`), as OpenAPI path items. */
  readonly extraPaths?: { readonly [path: string]: JsonObject };
  /** Static headers added to gateway responses, by response type (e.g. `WWW-Authenticate` on `UNAUTHORIZED`). */
  readonly responseHeaders?: { readonly [responseType: string]: { readonly [header: string]: string } };
  /** Root-level extensions (`x-amazon-apigateway-api-key-source`, `-policy`, `servers` with the endpoint configuration ...). */
  readonly rootExtensions?: JsonObject;
  /** Extensions written on operations of the document, by operationId. */
  readonly operationExtensions?: { readonly [operationId: string]: JsonObject };
  /**
   * Method request parameters declared on operations besides the document's, by operationId (for example
   * the `Authorization` header, so that it can be a cache key). A parameter the operation already declares
   * is not repeated.
   */
  readonly operationParameters?: { readonly [operationId: string]: ReadonlyArray<ApiParameter> };
  /** Fields added to operations' `x-amazon-apigateway-integration` (for example `cacheKeyParameters`), by operationId. */
  readonly integrationSettings?: { readonly [operationId: string]: JsonObject };
}

/** The contributions of a list of concerns as one. Two concerns may not write the same key; response headers merge by type. */
export function foldContributions(contributions: ReadonlyArray<BodyContribution | undefined>): Required<BodyContribution> {
  const securitySchemes: { [schemeName: string]: JsonObject } = {};
  const extraPaths: { [path: string]: JsonObject } = {};
  const responseHeaders: { [responseType: string]: { [header: string]: string } } = {};
  const rootExtensions: JsonObject = {};
  const operationExtensions: { [operationId: string]: JsonObject } = {};
  const operationParameters: { [operationId: string]: ApiParameter[] } = {};
  const integrationSettings: { [operationId: string]: JsonObject } = {};
  for (const contribution of contributions) {
    if (contribution === undefined) continue;
    addOnce(securitySchemes, contribution.securitySchemes, 'the security scheme');
    addOnce(rootExtensions, contribution.rootExtensions, 'the root extension');
    for (const [path, item] of Object.entries(contribution.extraPaths ?? {})) {
      extraPaths[path] = { ...extraPaths[path] };
      addOnce(extraPaths[path], item, `on the path ${path} the method`);
    }
    for (const [type, headers] of Object.entries(contribution.responseHeaders ?? {}))
      responseHeaders[type] = { ...responseHeaders[type], ...headers };
    for (const [operationId, extensions] of Object.entries(contribution.operationExtensions ?? {})) {
      operationExtensions[operationId] = { ...operationExtensions[operationId] };
      addOnce(operationExtensions[operationId], extensions, `on operation '${operationId}' the extension`);
    }
    for (const [operationId, parameters] of Object.entries(contribution.operationParameters ?? {})) {
      operationParameters[operationId] = [...(operationParameters[operationId] ?? []), ...parameters];
    }
    for (const [operationId, settings] of Object.entries(contribution.integrationSettings ?? {})) {
      integrationSettings[operationId] = { ...integrationSettings[operationId] };
      addOnce(integrationSettings[operationId], settings, `on operation '${operationId}' the integration setting`);
    }
  }
  return { securitySchemes, extraPaths, responseHeaders, rootExtensions, operationExtensions, operationParameters, integrationSettings };
}

function addOnce(target: { [key: string]: unknown }, values: { readonly [key: string]: unknown } | undefined, what: string): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    // Invariant (a bug, not configuration): SecureApi's own concerns contribute distinct keys.
    if (key in target) throw new Error(`body contributions: ${what} '${key}' is contributed twice`);
    target[key] = value;
  }
}
