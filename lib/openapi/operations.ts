import { isObject, isRef, pointerJoin, RefResolver } from './refs';
import { HTTP_METHODS, HttpMethod, JsonObject, OpenApiError, SecurityRequirement } from './types';

/** An operation as found in the normalized document, before any API Gateway decision. */
export interface DocumentOperation {
  readonly operationId?: string;
  readonly method: HttpMethod;
  readonly sourcePath: string;
  /** JSON pointer of the operation object. */
  readonly pointer: string;
  readonly operation: JsonObject;
  /** Path-level and operation-level parameters merged (the operation's win), `$ref`s followed. */
  readonly parameters: Array<{ parameter: JsonObject; pointer: string }>;
  /** The request body with its `$ref` followed. */
  readonly requestBody?: { body: JsonObject; pointer: string };
  readonly security?: SecurityRequirement[];
}

/** Lists every operation of a 3.0 document in document order. */
export function listOperations(document: JsonObject, resolver: RefResolver): DocumentOperation[] {
  const operations: DocumentOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  const rootSecurity = Array.isArray(document.security) ? (document.security as SecurityRequirement[]) : undefined;
  for (const sourcePath of Object.keys(paths)) {
    if (sourcePath.startsWith('x-')) continue;
    const itemPointer = pointerJoin('/paths', sourcePath);
    const { value: pathItem, pointer: resolvedItemPointer } = resolver.follow(paths[sourcePath], itemPointer);
    if (!isObject(pathItem)) continue;
    const pathParameters = resolveParameters(pathItem.parameters, pointerJoin(resolvedItemPointer, 'parameters'), resolver);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isObject(operation)) continue;
      const pointer = pointerJoin(resolvedItemPointer, method);
      const own = resolveParameters(operation.parameters, pointerJoin(pointer, 'parameters'), resolver);
      const merged = new Map<string, { parameter: JsonObject; pointer: string }>();
      for (const p of [...pathParameters, ...own]) merged.set(`${String(p.parameter.in)}:${String(p.parameter.name)}`, p);
      let requestBody: DocumentOperation['requestBody'];
      if (operation.requestBody !== undefined) {
        const followed = resolver.follow(operation.requestBody, pointerJoin(pointer, 'requestBody'));
        if (isObject(followed.value)) requestBody = { body: followed.value, pointer: followed.pointer };
      }
      operations.push({
        operationId: typeof operation.operationId === 'string' && operation.operationId !== '' ? operation.operationId : undefined,
        method,
        sourcePath,
        pointer,
        operation,
        parameters: [...merged.values()],
        requestBody,
        security: Array.isArray(operation.security) ? (operation.security as SecurityRequirement[]) : rootSecurity,
      });
    }
  }
  return operations;
}

function resolveParameters(list: unknown, pointer: string, resolver: RefResolver): Array<{ parameter: JsonObject; pointer: string }> {
  if (!Array.isArray(list)) return [];
  return list.map((entry, i) => {
    const followed = isRef(entry) ? resolver.follow(entry, `${pointer}/${i}`) : { value: entry, pointer: `${pointer}/${i}` };
    return { parameter: isObject(followed.value) ? followed.value : {}, pointer: followed.pointer };
  });
}

/** Missing and duplicate operationIds are errors: integrations, docs and authorizer scopes are keyed by them. */
export function checkOperationIds(operations: DocumentOperation[], source: string): void {
  const missing = operations.filter((o) => o.operationId === undefined).map((o) => `${o.method.toUpperCase()} ${o.sourcePath}`);
  if (missing.length > 0) {
    throw new OpenApiError(
      `${missing.length} operation(s) have no operationId; SecureApi keys integrations and access rules by operationId, so give each one a unique operationId:\n  ${missing.join('\n  ')}`,
      source,
      '/paths',
    );
  }
  const byId = new Map<string, string[]>();
  for (const o of operations) byId.set(o.operationId!, [...(byId.get(o.operationId!) ?? []), `${o.method.toUpperCase()} ${o.sourcePath}`]);
  const duplicates = [...byId.entries()].filter(([, routes]) => routes.length > 1);
  if (duplicates.length > 0) {
    throw new OpenApiError(
      `duplicate operationIds (each must be unique):\n  ${duplicates.map(([id, routes]) => `'${id}': ${routes.join(', ')}`).join('\n  ')}`,
      source,
      '/paths',
    );
  }
}
