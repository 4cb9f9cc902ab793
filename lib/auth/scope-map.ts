import { AuthorizerRoutes, routeKey } from '../../contracts/authorizer-config';
import { ApiOperation, OperationSecurityDecision } from '../openapi';

/** A route the library adds outside the user's document (for example `/docs`) that the authorizer protects. */
export interface AuthorizedRoute {
  /** HTTP method, e.g. `GET`. */
  readonly method: string;
  /** API Gateway path, e.g. `/docs/{file}`. */
  readonly path: string;
  /**
   * Scope sets of which a token must hold one completely.
   * @default - any valid token
   */
  readonly scopeAlternatives?: string[][];
}

/**
 * The authorizer's scope map, computed at synth from the same security decisions that wrote the
 * imported body: every operation the authorizer protects, with its OpenAPI scope alternatives
 * (operation-level `security` overriding root-level, OR of requirement objects, AND within one).
 * Operations the authorizer does not protect are left out, so the handler denies them if it is ever
 * invoked for one.
 */
export function buildScopeMap(
  operations: ApiOperation[],
  decisions: OperationSecurityDecision[],
  authorizerSchemeName: string,
  extraRoutes: AuthorizedRoute[] = [],
): AuthorizerRoutes {
  const byId = new Map(operations.map((o) => [o.operationId, o]));
  const entries: Array<[string, string[][]]> = [];
  for (const decision of decisions) {
    if (!decision.security.some((requirement) => authorizerSchemeName in requirement)) continue;
    const operation = byId.get(decision.operationId);
    // Invariant (a bug, not configuration): the decisions are made from these operations.
    if (operation === undefined) throw new Error(`scope map: no operation '${decision.operationId}'`);
    entries.push([routeKey(operation.method, operation.path), decision.access.scopeAlternatives.map((set) => [...set].sort())]);
  }
  for (const route of extraRoutes) entries.push([routeKey(route.method, route.path), (route.scopeAlternatives ?? []).map((set) => [...set].sort())]);
  const routes: { [key: string]: string[][] } = {};
  for (const [key, alternatives] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Invariant (a bug, not configuration): operations have distinct routes, and the docs check its route is free.
    if (key in routes) throw new Error(`scope map: the route ${key} is declared twice`);
    routes[key] = alternatives;
  }
  return { routes };
}

/** Every scope the map names, sorted: what a Cognito resource server must define. */
export function scopesOf(map: AuthorizerRoutes): string[] {
  const scopes = new Set<string>();
  for (const alternatives of Object.values(map.routes)) for (const set of alternatives) for (const scope of set) scopes.add(scope);
  return [...scopes].sort();
}
