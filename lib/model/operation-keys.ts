import { createHash } from 'node:crypto';
import { PropCheck } from './config-error';

/**
 * Operation keys: every prop keyed by operation (`integrations`, `excludeOperations`,
 * `stage.throttling.operations`, `waf.operationRateLimits`, `apiKeys.tiers[].operationThrottles`)
 * accepts an operationId (written in the document or derived) or a route key `'GET /pets/{petId}'`
 * (the method and the path as the document writes it). One resolver serves them all.
 */

/** What the resolver needs to know of an operation. */
export interface KeyedOperation {
  readonly operationId: string;
  readonly method: string;
  /** The path as written in the document. */
  readonly sourcePath: string;
  /** The document's operationId, when the operation is one of an enum expansion's routes (which share it). */
  readonly documentOperationId?: string;
}

/** The route key of an operation: `GET /pets/{petId}` (method upper case, path as written). */
export function routeKey(method: string, sourcePath: string): string {
  return `${method.toUpperCase()} ${sourcePath}`;
}

const ROUTE_KEY = /^([A-Za-z]+)\s+(\/\S*)$/;

/**
 * The operationId a key names, or undefined. A key is an operationId, or a route key whose method is
 * matched case-insensitively and whose path is matched exactly as the document writes it. For the
 * routes of an enum expansion, which share a document operation, see {@link resolveOperationKeyIds}.
 */
export function resolveOperationKey(key: string, operations: readonly KeyedOperation[]): string | undefined {
  return resolveOperationKeyIds(key, operations)[0];
}

/**
 * Every operationId a key names: the operation with that operationId; or every route an enum-valued
 * path segment was expanded into, by the document's operationId or the document's route key.
 */
export function resolveOperationKeyIds(key: string, operations: readonly KeyedOperation[]): string[] {
  const byId = operations.find((o) => o.operationId === key);
  if (byId !== undefined) return [byId.operationId];
  const expanded = operations.filter((o) => o.documentOperationId === key);
  if (expanded.length > 0) return expanded.map((o) => o.operationId);
  const route = ROUTE_KEY.exec(key.trim());
  if (route === null) return [];
  const wanted = routeKey(route[1], route[2]);
  return operations.filter((o) => routeKey(o.method, o.sourcePath) === wanted).map((o) => o.operationId);
}

/**
 * Resolves a list of operation keys to operationIds (a key naming an expanded document operation gives
 * each of its routes). An unknown key, or two keys naming the same operation, is a synth error naming
 * the keys (`check` gives the construct and prop path).
 */
export function resolveOperationKeys(
  keys: readonly string[],
  operations: readonly KeyedOperation[],
  check: PropCheck,
  prop: string,
): string[] {
  return resolveKeys(keys, operations, check, prop).flatMap((r) => r.ids);
}

function resolveKeys(
  keys: readonly string[],
  operations: readonly KeyedOperation[],
  check: PropCheck,
  prop: string,
): Array<{ key: string; ids: string[] }> {
  const resolved = keys.map((key) => ({ key, ids: resolveOperationKeyIds(key, operations) }));
  const unknown = resolved.filter((r) => r.ids.length === 0).map((r) => r.key);
  if (unknown.length > 0) {
    check.fail(
      prop,
      `names operation(s) the document does not define: ${unknown.map((k) => `'${k}'`).join(', ')}` +
        ` (use an operationId, or a route key such as '${operations.length > 0 ? routeKey(operations[0].method, operations[0].sourcePath) : 'GET /path'}' with the path as the document writes it)`,
    );
  }
  const seen = new Map<string, string>();
  for (const { key, ids } of resolved) {
    for (const id of ids) {
      const earlier = seen.get(id);
      if (earlier !== undefined) check.fail(prop, `names operation '${id}' twice: as '${earlier}' and as '${key}'`);
      seen.set(id, key);
    }
  }
  return resolved;
}

/** A map keyed by operation keys, re-keyed by operationId (same errors as {@link resolveOperationKeys}). */
export function keyByOperationId<T>(
  map: { readonly [key: string]: T } | undefined,
  operations: readonly KeyedOperation[],
  check: PropCheck,
  prop: string,
): { [operationId: string]: T } | undefined {
  if (map === undefined) return undefined;
  const out: { [operationId: string]: T } = {};
  for (const { key, ids } of resolveKeys(Object.keys(map), operations, check, prop)) for (const id of ids) out[id] = map[key];
  return out;
}

/**
 * The base of a derived operationId: the method, then every word of the path in camel case.
 * `GET /pets/{petId}` → `getPetsPetId`, `POST /v1/{name}:cancel` → `postV1NameCancel`, `GET /` → `getRoot`.
 * Only ASCII letters and digits are kept, so the id is a valid identifier in every generated client.
 */
export function baseOperationId(method: string, sourcePath: string): string {
  const words = sourcePath.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const path = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return `${method.toLowerCase()}${path === '' ? 'Root' : path}`;
}

/**
 * The derived operationId of one route, given every operationId the document writes and every route
 * that needs one. Collision rule: a base (see {@link baseOperationId}) that only this route derives and
 * that the document does not write is used as it is; otherwise every route deriving that base gets
 * `_` and the first 8 hex digits of the SHA-256 of its route key (`getPetsPetId_1a2b3c4d`). So an id
 * depends only on its own route and on the routes that derive the same base: adding other operations
 * never changes it.
 */
export function deriveOperationIds(
  routes: ReadonlyArray<{ readonly method: string; readonly sourcePath: string }>,
  writtenIds: ReadonlySet<string>,
): string[] {
  const bases = routes.map((r) => baseOperationId(r.method, r.sourcePath));
  const count = new Map<string, number>();
  for (const b of bases) count.set(b, (count.get(b) ?? 0) + 1);
  return bases.map((base, i) => {
    if (count.get(base) === 1 && !writtenIds.has(base)) return base;
    const hash = createHash('sha256').update(routeKey(routes[i].method, routes[i].sourcePath)).digest('hex').slice(0, 8);
    return `${base}_${hash}`;
  });
}
