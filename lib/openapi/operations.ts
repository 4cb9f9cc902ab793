import { HTTP_METHODS, HttpMethod, isObject, isRef, JsonObject, listOperations, OpenApiError, pointerJoin, SecurityRequirement } from '../model';
import { RefResolver } from './refs';

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

/** Every operation of a 3.0 document in document order, with its parameters, body and security resolved. */
export function documentOperations(document: JsonObject, resolver: RefResolver): DocumentOperation[] {
  const rootSecurity = Array.isArray(document.security) ? (document.security as SecurityRequirement[]) : undefined;
  const pathParameters = new Map<string, Array<{ parameter: JsonObject; pointer: string }>>();
  return listOperations(document, { methods: HTTP_METHODS, followPathItem: (value, pointer) => resolver.follow(value, pointer) }).map((found) => {
    const { pathItem, pathItemPointer, pointer } = found;
    const operation = found.operation;
    if (!pathParameters.has(pathItemPointer)) pathParameters.set(pathItemPointer, resolveParameters(pathItem.parameters, pointerJoin(pathItemPointer, 'parameters'), resolver));
    const own = resolveParameters(operation.parameters, pointerJoin(pointer, 'parameters'), resolver);
    const merged = new Map<string, { parameter: JsonObject; pointer: string }>();
    for (const p of [...pathParameters.get(pathItemPointer)!, ...own]) merged.set(`${String(p.parameter.in)}:${String(p.parameter.name)}`, p);
    let requestBody: DocumentOperation['requestBody'];
    if (operation.requestBody !== undefined) {
      const followed = resolver.follow(operation.requestBody, pointerJoin(pointer, 'requestBody'));
      if (isObject(followed.value)) requestBody = { body: followed.value, pointer: followed.pointer };
    }
    return {
      operationId: typeof operation.operationId === 'string' && operation.operationId !== '' ? operation.operationId : undefined,
      method: found.method as HttpMethod,
      sourcePath: found.path,
      pointer,
      operation,
      parameters: [...merged.values()],
      requestBody,
      security: Array.isArray(operation.security) ? (operation.security as SecurityRequirement[]) : rootSecurity,
    };
  });
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
