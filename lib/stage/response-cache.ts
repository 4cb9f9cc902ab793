import { ApiOperation, ApiParameter, BodyContribution, JsonObject } from '../openapi';
import { PropCheck } from '../model/config-error';

/** Per-operation response caching, in `stage.cache.operations` or the document's `x-secureapi-cache`. */
export interface OperationCacheOptions {
  /**
   * Cache this operation's responses. Operations with a request body are never cached.
   * @default - true for GET and HEAD operations, false otherwise
   */
  readonly enabled?: boolean;
  /**
   * Time to live of this operation's cached responses, in seconds (0 to 3600).
   * @default - the stage's `cache.ttl`
   */
  readonly ttlSeconds?: number;
}

/** One operation whose responses the stage caches, and what tells its entries apart. */
export interface CachedOperation {
  readonly operationId: string;
  readonly ttlSeconds: number;
  /**
   * The method request parameters that key the cache (`method.request.header.Authorization`,
   * `method.request.path.id` ...): the caller's credential for every protected operation, and every
   * parameter the operation declares.
   */
  readonly cacheKeyParameters: string[];
  /** Caller headers that must be declared as (optional) method request parameters to be cache keys. */
  readonly declaredHeaders: string[];
}

export interface ResponseCachePlan {
  readonly cached: CachedOperation[];
  /** A line for a synth info naming the cached operations and their keys. */
  readonly summary: string;
}

const CACHED_BY_DEFAULT = new Set(['get', 'head']);

/** The operation's `x-secureapi-cache` extension, checked. */
export function cacheExtensionOf(operation: ApiOperation, check: PropCheck): OperationCacheOptions | undefined {
  const raw = operation.extensions['x-secureapi-cache'];
  if (raw === undefined) return undefined;
  const where = `operation '${operation.operationId}' x-secureapi-cache`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) check.fail(where, 'must be an object { enabled?, ttlSeconds? }');
  const { enabled, ttlSeconds } = raw as { enabled?: unknown; ttlSeconds?: unknown };
  if (enabled !== undefined && typeof enabled !== 'boolean')
    check.fail(`${where}.enabled`, `must be a boolean, got ${JSON.stringify(enabled)}`);
  if (ttlSeconds !== undefined && typeof ttlSeconds !== 'number')
    check.fail(`${where}.ttlSeconds`, `must be a number, got ${JSON.stringify(ttlSeconds)}`);
  return { enabled: enabled as boolean | undefined, ttlSeconds: ttlSeconds as number | undefined };
}

/** The method request parameter name of a declared parameter, as API Gateway writes it. */
export function methodRequestParameter(location: 'path' | 'query' | 'header', name: string): string {
  return `method.request.${location === 'query' ? 'querystring' : location}.${name}`;
}

/**
 * Decides which operations the stage caches, with what TTL and on which keys. API Gateway keys a cache
 * entry by the cache namespace (by default the resource) and the listed `cacheKeyParameters` only
 * (developer guide, "Enable API caching", "Use method or integration parameters as cache keys"), so:
 * - only GET and HEAD by default, and never an operation with a request body (its body is no key);
 * - every protected operation has the caller's credential header in its keys, so two callers never
 *   share an entry, and every declared path, query and header parameter is a key, so two values never do.
 * Cookies cannot be cache keys: an operation with a cookie parameter is not cached.
 */
export function planResponseCache(
  operations: ApiOperation[],
  callerHeaders: { readonly [operationId: string]: ReadonlyArray<string> },
  options: { readonly ttlSeconds: number; readonly operations?: { readonly [operationId: string]: OperationCacheOptions } },
  check: PropCheck,
): ResponseCachePlan {
  const known = new Set(operations.map((o) => o.operationId));
  const unknown = Object.keys(options.operations ?? {})
    .filter((id) => !known.has(id))
    .sort();
  if (unknown.length > 0) check.fail('operations', `names unknown operationIds: ${unknown.join(', ')}`);
  const cached: CachedOperation[] = [];
  for (const operation of operations) {
    const fromProps = options.operations?.[operation.operationId];
    const settings = { ...cacheExtensionOf(operation, check), ...fromProps };
    const enabled = settings.enabled ?? CACHED_BY_DEFAULT.has(operation.method);
    if (!enabled) continue;
    const propPath =
      fromProps !== undefined ? `operations.${operation.operationId}` : `operation '${operation.operationId}' x-secureapi-cache`;
    if (operation.requestBody !== undefined) {
      if (settings.enabled !== true) continue;
      check.fail(
        `${propPath}.enabled`,
        `cannot cache '${operation.operationId}': it takes a request body, which API Gateway cannot use as a cache key, so two different bodies would share one cached response`,
      );
    }
    if (operation.parameters.some((p) => p.in === 'cookie')) {
      if (settings.enabled === true)
        check.fail(`${propPath}.enabled`, `cannot cache '${operation.operationId}': its cookie parameters cannot be cache keys`);
      continue;
    }
    const ttlSeconds = settings.ttlSeconds ?? options.ttlSeconds;
    if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > 3600)
      check.fail(`${propPath}.ttlSeconds`, `must be between 0 and 3600, got ${ttlSeconds}`);
    const callers = [...(callerHeaders[operation.operationId] ?? [])];
    const declared = new Set(operation.parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()));
    const keys = [
      ...callers.map((h) => methodRequestParameter('header', h)),
      ...operation.parameters
        .filter((p) => p.in !== 'cookie' && !callers.some((h) => p.in === 'header' && h.toLowerCase() === p.name.toLowerCase()))
        .map((p) => methodRequestParameter(p.in as 'path' | 'query' | 'header', p.name)),
    ];
    cached.push({
      operationId: operation.operationId,
      ttlSeconds,
      cacheKeyParameters: keys,
      declaredHeaders: callers.filter((h) => !declared.has(h.toLowerCase())),
    });
  }
  const summary =
    cached.length === 0
      ? 'response cache: no operation is cached'
      : `response cache: ${cached.map((c) => `${c.operationId} (${c.ttlSeconds} s, keyed on ${c.cacheKeyParameters.length > 0 ? c.cacheKeyParameters.join(', ') : 'the resource only'})`).join('; ')}`;
  return { cached, summary };
}

/**
 * What the cache adds to the body: every cached operation's `cacheKeyParameters`, and the caller headers it
 * keys on declared as optional method request parameters (API Gateway takes only declared method request
 * parameters as cache keys; the authorizer, not the validator, requires the credential).
 */
export function cacheBodyContribution(plan: ResponseCachePlan): BodyContribution {
  const operationParameters: { [operationId: string]: ApiParameter[] } = {};
  const integrationSettings: { [operationId: string]: JsonObject } = {};
  for (const cached of plan.cached) {
    if (cached.declaredHeaders.length > 0)
      operationParameters[cached.operationId] = cached.declaredHeaders.map((name) => ({ name, in: 'header', required: false }));
    if (cached.cacheKeyParameters.length > 0) integrationSettings[cached.operationId] = { cacheKeyParameters: cached.cacheKeyParameters };
  }
  return { operationParameters, integrationSettings };
}
