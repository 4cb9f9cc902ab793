import { AuthorizerRoutes, routeKey } from '../../contracts/authorizer-config';
import { SecureApiConfigError } from '../model/config-error';
import { ApiOperation, classifySecurityScheme, JsonObject, OperationSecurityDecision } from '../openapi';

/** A route the library adds outside the user's document (for example `/docs`) that the authorizer protects. */
export interface AuthorizedRoute {
  /** HTTP method, e.g. `GET`. */
  readonly method: string;
  /** API Gateway path, e.g. `/docs/{file}`. */
  readonly path: string;
  /**
   * The route's operationId in the imported body, so the authorizer cache can serve it by the token alone.
   * @default - none: the route stays on the per-operation cache key
   */
  readonly operationId?: string;
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
  binding?: IssuerBinding,
): AuthorizerRoutes {
  const byId = new Map(operations.map((o) => [o.operationId, o]));
  const entries: Array<[string, string[][], number[][] | undefined]> = [];
  for (const decision of decisions) {
    if (!decision.security.some((requirement) => authorizerSchemeName in requirement)) continue;
    const operation = byId.get(decision.operationId);
    // Invariant (a bug, not configuration): the decisions are made from these operations.
    if (operation === undefined) throw new Error(`scope map: no operation '${decision.operationId}'`);
    const key = routeKey(operation.method, operation.path);
    if (binding === undefined) entries.push([key, decision.access.scopeAlternatives.map((set) => [...set].sort()), undefined]);
    else entries.push([key, ...boundAlternatives(operation, decision, binding)]);
  }
  for (const route of extraRoutes) {
    const alternatives = (route.scopeAlternatives ?? []).map((set) => [...set].sort());
    // The library's own routes (the docs) take their scopes from the API's issuer, the first one.
    if (binding === undefined) entries.push([routeKey(route.method, route.path), alternatives, undefined]);
    else
      entries.push([
        routeKey(route.method, route.path),
        alternatives.length > 0 ? alternatives : [[]],
        (alternatives.length > 0 ? alternatives : [[]]).map(() => [0]),
      ]);
  }
  const anonymous = decisions
    .filter((d) => d.access.anonymousAllowed === true && d.security.some((requirement) => authorizerSchemeName in requirement))
    .map((d) => routeKey(byId.get(d.operationId)!.method, byId.get(d.operationId)!.path))
    .sort();
  const routes: { [key: string]: string[][] } = {};
  const issuers: { [key: string]: number[][] } = {};
  for (const [key, alternatives, trusted] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Invariant (a bug, not configuration): operations have distinct routes, and the docs check its route is free.
    if (key in routes) throw new Error(`scope map: the route ${key} is declared twice`);
    routes[key] = alternatives;
    if (trusted !== undefined) issuers[key] = trusted;
  }
  return { routes, ...(binding === undefined ? {} : { issuers }), ...(anonymous.length > 0 ? { anonymous } : {}) };
}

/**
 * Which document security schemes each trusted issuer serves: a scope (and a scheme's requirement)
 * counts only in a token of an issuer that serves the scheme naming it.
 */
export interface IssuerBinding {
  /** The SecureApi's construct path, for errors. */
  readonly label: string;
  /** The document's `components.securitySchemes`. */
  readonly securitySchemes: { [name: string]: JsonObject };
  /** For each trusted issuer, in the authorizer configuration's order, the scheme names it serves. */
  readonly issuerSchemes: ReadonlyArray<ReadonlyArray<string>>;
  /** The prop path of each issuer's `securitySchemes`, for errors. */
  readonly issuerProps: ReadonlyArray<string>;
}

/**
 * One operation's alternatives, each with the issuers that may satisfy it. An operation that declares
 * no security (protected by default) accepts a valid token of any trusted issuer, without scopes. A
 * requirement object naming OAuth 2.0 / OIDC / bearer schemes is satisfied by a token of an issuer
 * that serves every one of them, holding all their scopes. Alternatives no issuer can satisfy are
 * dropped; an operation left with none is a synth error.
 */
function boundAlternatives(operation: ApiOperation, decision: OperationSecurityDecision, binding: IssuerBinding): [string[][], number[][]] {
  const all = binding.issuerSchemes.map((_, i) => i);
  if (decision.access.undeclared || operation.security === undefined) return [[[]], [all]];
  const scopes: string[][] = [];
  const issuers: number[][] = [];
  const unserved = new Set<string>();
  for (const requirement of operation.security) {
    const schemes = Object.keys(requirement).filter(
      (name) => binding.securitySchemes[name] !== undefined && classifySecurityScheme(binding.securitySchemes[name]) === 'jwt',
    );
    if (schemes.length === 0) continue;
    const trusted = all.filter((i) => schemes.every((name) => binding.issuerSchemes[i].includes(name)));
    if (trusted.length === 0) {
      for (const name of schemes) if (!all.some((i) => binding.issuerSchemes[i].includes(name))) unserved.add(name);
      continue;
    }
    scopes.push([...new Set(schemes.flatMap((name) => requirement[name] ?? []))].sort());
    issuers.push(trusted);
  }
  if (scopes.length === 0) {
    const names = [...unserved].sort();
    throw new SecureApiConfigError(
      binding.label,
      'auth',
      `trusts no issuer for operation '${operation.operationId}' (${operation.method.toUpperCase()} ${operation.path}): ${names.length > 0 ? `no issuer serves its security scheme${names.length === 1 ? '' : 's'} ${names.map((n) => `'${n}'`).join(', ')}` : 'no one issuer serves all the schemes of one of its requirement objects'}; name the scheme in the securitySchemes of the issuer that should grant its scopes (${binding.issuerProps.join(', ')})`,
    );
  }
  return [scopes, issuers];
}

/** Every scope the map names, sorted: what a Cognito resource server must define. */
export function scopesOf(map: AuthorizerRoutes): string[] {
  const scopes = new Set<string>();
  for (const alternatives of Object.values(map.routes)) for (const set of alternatives) for (const scope of set) scopes.add(scope);
  return [...scopes].sort();
}
