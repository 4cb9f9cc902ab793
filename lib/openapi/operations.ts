import {
  deriveOperationIds,
  HTTP_METHODS,
  HttpMethod,
  isObject,
  isRef,
  JsonObject,
  listOperations,
  LoadedDocument,
  OpenApiError,
  pointerJoin,
  routeKey,
  SecurityRequirement,
} from '../model';
import { inlinedPathItem, RefResolver } from './refs';

/** An operation as found in the normalized document, before any API Gateway decision. */
export interface DocumentOperation {
  readonly operationId?: string;
  /** The document has no operationId for it: `operationId` was derived from its method and path. */
  readonly derivedOperationId?: boolean;
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
  return listOperations(document, { methods: HTTP_METHODS, followPathItem: (value, pointer) => resolver.follow(value, pointer) }).map(
    (found) => {
      const { pathItem, pathItemPointer, pointer } = found;
      const operation = found.operation;
      if (!pathParameters.has(pathItemPointer))
        pathParameters.set(pathItemPointer, resolveParameters(pathItem.parameters, pointerJoin(pathItemPointer, 'parameters'), resolver));
      const own = resolveParameters(operation.parameters, pointerJoin(pointer, 'parameters'), resolver);
      const merged = new Map<string, { parameter: JsonObject; pointer: string }>();
      for (const p of [...pathParameters.get(pathItemPointer)!, ...own])
        merged.set(`${String(p.parameter.in)}:${String(p.parameter.name)}`, p);
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
    },
  );
}

function resolveParameters(list: unknown, pointer: string, resolver: RefResolver): Array<{ parameter: JsonObject; pointer: string }> {
  if (!Array.isArray(list)) return [];
  return list.map((entry, i) => {
    const followed = isRef(entry) ? resolver.follow(entry, `${pointer}/${i}`) : { value: entry, pointer: `${pointer}/${i}` };
    return { parameter: isObject(followed.value) ? followed.value : {}, pointer: followed.pointer };
  });
}

/** An operation with its operationId, written or derived. */
export type IdentifiedOperation = DocumentOperation & { readonly operationId: string };

/**
 * Gives every operation an operationId: the one the document writes, or a derived one (see
 * `deriveOperationIds`: deterministic from method and path, unique, stable when operations are added).
 * Duplicate written operationIds stay an error naming every route that uses them: integrations, docs
 * and authorizer scopes are keyed by operationId.
 */
export function assignOperationIds(
  operations: DocumentOperation[],
  source: string,
): { operations: IdentifiedOperation[]; derived: IdentifiedOperation[] } {
  const byId = new Map<string, string[]>();
  for (const o of operations) {
    if (o.operationId !== undefined) byId.set(o.operationId, [...(byId.get(o.operationId) ?? []), routeKey(o.method, o.sourcePath)]);
  }
  const duplicates = [...byId.entries()].filter(([, routes]) => routes.length > 1);
  if (duplicates.length > 0) {
    throw new OpenApiError(
      `duplicate operationIds (each must be unique):\n  ${duplicates.map(([id, routes]) => `'${id}': ${routes.join(', ')}`).join('\n  ')}`,
      source,
      '/paths',
    );
  }
  const missing = operations.filter((o) => o.operationId === undefined);
  const ids = deriveOperationIds(missing, new Set(byId.keys()));
  const derived = new Map(missing.map((o, i) => [o, ids[i]]));
  const assigned = operations.map((o): IdentifiedOperation =>
    derived.has(o) ? { ...o, operationId: derived.get(o)!, derivedOperationId: true } : { ...o, operationId: o.operationId! },
  );
  return { operations: assigned, derived: assigned.filter((o) => o.derivedOperationId === true) };
}

/**
 * The loaded document as the documentation reads it: a copy in which every operation sits under its own
 * path and carries the operationId the API gives it. A path item that is a `$ref` is inlined (two paths
 * may share one path item, and each names its operations after its own path; and what reads the copy
 * finds every operation, `x-internal` ones included). A derived operationId is written wherever
 * {@link documentOperations} reads no name: no operationId, or an empty or non-string one. The
 * document itself is returned when there is nothing to change.
 */
export function withDerivedOperationIds(
  loaded: LoadedDocument,
  operations: ReadonlyArray<{
    readonly operationId: string;
    readonly derivedOperationId?: boolean;
    readonly documentOperationId?: string;
    readonly method: string;
    readonly sourcePath: string;
  }>,
): LoadedDocument {
  const derived = operations.filter((o) => o.derivedOperationId === true);
  const referenced = isObject(loaded.document.paths)
    ? Object.keys(loaded.document.paths).filter((path) => !path.startsWith('x-') && isRef((loaded.document.paths as JsonObject)[path]))
    : [];
  if (derived.length === 0 && referenced.length === 0) return loaded;
  const document = structuredClone(loaded.document);
  const paths = isObject(document.paths) ? document.paths : {};
  // References are followed in the user's document, which the copy does not change.
  const resolver = new RefResolver(loaded.document, loaded.source);
  for (const path of referenced) paths[path] = inlinedPathItem(paths[path] as JsonObject, pointerJoin('/paths', path), resolver);
  for (const o of derived) {
    const item = paths[o.sourcePath];
    const operation = isObject(item) ? item[o.method] : undefined;
    if (isObject(operation) && !hasWrittenOperationId(operation))
      // The routes of an enum expansion share the document operation, and its id.
      operation.operationId = o.documentOperationId ?? o.operationId;
  }
  return { ...loaded, document };
}

/** Whether the document names this operation itself; {@link documentOperations} reads anything else as no name. */
function hasWrittenOperationId(operation: JsonObject): boolean {
  return typeof operation.operationId === 'string' && operation.operationId !== '';
}
