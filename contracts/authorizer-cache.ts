/**
 * What the construct's synth-time cache proof (lib/auth/cache-proof.ts) and the authorizer handler
 * (lambda/authorizer) must agree on for the token-keyed cache: the policy pattern of a route, and when
 * two routes have the same access requirement. Dependency-free: the handler bundles it.
 */
import { AuthorizerRoutes } from './authorizer-config';

/**
 * The policy resource pattern of a route, after `arn:…:{apiId}/{stage}/`: the method (`*` for `ANY`),
 * then the path with every path parameter, greedy ones included, written as `*`. IAM's `*` matches any
 * run of characters, `/` included, and the empty string (the only wildcard we emit). The root is `GET/`.
 * `GET /orders/{orderId}` → `GET/orders/*`; `ANY /files/{proxy+}` → `*\/files/*`.
 */
export function methodArnPattern(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  const method = routeKey.slice(0, space);
  const path = routeKey.slice(space + 1).replace(/\{[^}/]*\}/g, '*');
  return `${method === 'ANY' ? '*' : method}${path}`;
}

/** One way to satisfy a route: these scopes in a token of one of these issuers (by index); `undefined` issuers: any. */
export interface RouteAlternative {
  readonly scopes: readonly string[];
  readonly issuers?: readonly number[];
}

/**
 * A route's alternatives with their issuers, as the handler evaluates them (see `AuthorizerRoutes.issuers`).
 * An empty list means any valid token of any issuer.
 */
export function routeAlternatives(routes: AuthorizerRoutes, key: string): RouteAlternative[] {
  const scopes = routes.routes[key] ?? [];
  const binding = routes.issuers?.[key];
  if (routes.issuers !== undefined) {
    if (binding === undefined || binding.length !== scopes.length)
      throw new Error(`the issuer binding of ${key} does not fit its scope alternatives`);
    return scopes.map((set, i) => ({ scopes: set, issuers: binding[i] }));
  }
  // Without a binding only the first issuer grants scopes.
  return scopes.map((set) => ({ scopes: set, issuers: [0] }));
}

/**
 * A canonical form of a route's requirement: two routes with the same key give every token the same
 * decision, so their policy patterns may overlap freely.
 */
export function requirementKey(routes: AuthorizerRoutes, key: string): string {
  const alternatives = routeAlternatives(routes, key).map((a) =>
    JSON.stringify([[...(a.issuers ?? [])].sort((x, y) => x - y), [...a.scopes].sort()]),
  );
  if (alternatives.length === 0) return 'any';
  return JSON.stringify([...new Set(alternatives)].sort());
}
