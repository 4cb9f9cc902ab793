import { createPublicKey, KeyObject } from 'node:crypto';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import {
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
} from 'aws-jwt-verify/error';
import { Jwk } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { verifyJwtSync } from 'aws-jwt-verify/jwt-verifier';
import { AuthorizerConfig, AuthorizerIssuer, AuthorizerRoutes, RejectionReason } from '../../contracts/authorizer-config';
import { UsageIdentifierMapping } from '../../contracts/api-keys';
import { AUTHORIZER_METRICS, AUTHORIZER_METRICS_ENV } from '../../contracts/authorizer-metrics';
import { methodArnPattern, RouteAlternative, routeAlternatives } from '../../contracts/authorizer-cache';
import { callerIdentityContext } from '../../contracts/caller-identity';
import { tokenKeyedPolicies } from './cache-policy';
import { JsonGetter, JwksStore } from './jwks-store';
import { LineWriter, reject, Rejection, rejectionLogger } from './rejection';
import { bearerToken, carriesNoAuthorization, normalizeType, payloadIsUtf8, readHeader } from './token-gate';
import { SecretReader, usageIdentifierLookup } from './usage-identifier';

/** What the handler needs from outside, replaceable in tests. */
export interface AuthorizerDependencies {
  readonly getJson?: JsonGetter;
  /** The clock of the key cache (cool-downs, back-off, key age). Token times always use the real clock. */
  readonly now?: () => number;
  readonly write?: LineWriter;
  readonly metricNamespace?: string;
  readonly apiName?: string;
  /** `ApiKeySource.authorizer()`: which consumer's API key to return as `usageIdentifierKey`, by claim. */
  readonly usageIdentifiers?: UsageIdentifierMapping;
  readonly readSecret?: SecretReader;
}

export type AuthorizerHandler = (event: unknown) => Promise<APIGatewayAuthorizerResult>;

/** An operation of the scope map, ready for requests. */
interface Route {
  /** OR of alternatives; none at all means any valid token of any issuer. */
  readonly alternatives: readonly RouteAlternative[];
  /** Served by the token-keyed authorizer: answer with the policy for every such route. */
  readonly tokenKeyed: boolean;
  /** `METHOD/path` with every path variable as `*` (`*` for ANY): the policy resource that covers all requests of the operation. */
  readonly resource: string;
  /** Optional authentication: a request without any Authorization header is allowed as anonymous. */
  readonly anonymous: boolean;
}

/**
 * Builds the REQUEST authorizer handler. Every request ends in one of three ways: an Allow policy for
 * the operation's resource, a Deny policy (403) when the valid token lacks the operation's scopes,
 * or `Error('Unauthorized')` (401) for anything else, never another error (which would be a 500).
 * For an operation of the token-keyed authorizer (`routes.tokenKeyed`), the policy decides every such
 * operation at once (see cache-policy.ts), since API Gateway reuses it for all of them.
 */
export function createAuthorizer(config: AuthorizerConfig, routes: AuthorizerRoutes, deps: AuthorizerDependencies = {}): AuthorizerHandler {
  const issuers = new Map<string, AuthorizerIssuer>(config.issuers.map((i) => [i.issuer, i]));
  const issuerIndex = new Map<AuthorizerIssuer, number>(config.issuers.map((i, n) => [i, n]));
  const onlyIssuer = config.issuers.length === 1 ? config.issuers[0] : undefined;
  const store = new JwksStore(config.issuers, config.jwks, deps.getJson, deps.now);
  // Public keys in native form, one per JWK object: a refetched set brings new objects, so keys removed from it are dropped with it.
  const keyObjects = new WeakMap<object, KeyObject>();
  const toKeyObject = (jwk: Jwk): KeyObject => {
    let key = keyObjects.get(jwk);
    if (key === undefined) keyObjects.set(jwk, (key = createPublicKey({ key: jwk as never, format: 'jwk' })));
    return key;
  };
  const algorithms = new Set(config.algorithms);
  const tolerance = config.clockToleranceSeconds;
  const table = new Map<string, Route>();
  const tokenKeyed = new Set(routes.tokenKeyed ?? []);
  const anonymous = new Set(routes.anonymous ?? []);
  for (const key of Object.keys(routes.routes)) {
    table.set(key, {
      alternatives: routeAlternatives(routes, key),
      // A route with optional authentication is served by the authorizer without cache: never token-keyed.
      tokenKeyed: tokenKeyed.has(key) && !anonymous.has(key),
      resource: methodArnPattern(key),
      anonymous: anonymous.has(key),
    });
  }
  const cachePolicy = tokenKeyedPolicies(routes);
  const log = logger(deps);
  const usageIdentifier =
    deps.usageIdentifiers === undefined ? undefined : usageIdentifierLookup(deps.usageIdentifiers, deps.readSecret, deps.now);

  return async (event) => {
    const e = event as {
      httpMethod?: unknown;
      resource?: unknown;
      methodArn?: unknown;
      requestContext?: { requestId?: unknown; identity?: { sourceIp?: unknown } };
    } | null;
    const operation = typeof e?.httpMethod === 'string' && typeof e.resource === 'string' ? `${e.httpMethod} ${e.resource}` : undefined;
    const requestId = e?.requestContext?.requestId;
    const sourceIp = e?.requestContext?.identity?.sourceIp;
    // An `ANY` method's event carries the request's own method.
    const route = operation === undefined ? undefined : (table.get(operation) ?? table.get(`ANY ${e!.resource as string}`));
    const arnPrefix = stageArnPrefix(e?.methodArn);
    try {
      // Optional authentication: no Authorization header at all is an anonymous caller, allowed on this route only.
      // Any header that is present goes through the full check below, so a bad token is refused, never downgraded.
      // Only routes with optional authentication look at the headers here: the others go straight to the token.
      if (route?.anonymous === true && arnPrefix !== undefined && carriesNoAuthorization(event)) {
        const answer = policy('anonymous', 'Allow', `${arnPrefix}/${route.resource}`);
        // The identity headers of HTTP backends are mapped from these: '-', never absent, so a client-sent one is replaced.
        return { ...answer, context: { authenticated: false, ...callerIdentityContext(undefined, undefined, []) } };
      }
      const token = bearerToken(event, config.maxTokenLength);
      const header = readHeader(token, algorithms);
      // With one issuer the payload is parsed once, by the verifier, which also checks `iss`.
      const issuer = onlyIssuer ?? issuers.get(unverifiedIssuer(token)) ?? reject('unknown_issuer');
      if (issuer.tokenTypes !== undefined && !(typeof header.typ === 'string' && issuer.tokenTypes.includes(normalizeType(header.typ))))
        reject('wrong_token_type');
      const kid = header.kid as string;
      const jwk = store.freshKey(issuer.issuer, kid) ?? (await store.key(issuer.issuer, kid));
      JwksStore.assertKeyFits(jwk, header.alg as string);
      const payload = verify(token, jwk, issuer, tolerance, toKeyObject);
      if (!payloadIsUtf8(token)) reject('bad_claim');
      const clientId = checkClaims(payload, issuer, config.requiredClaims, tolerance);
      const scopes = grantedScopes(payload[config.scopeClaim], issuer.scopePrefix);

      if (operation === undefined || arnPrefix === undefined) reject('bad_event');
      const resource = `${arnPrefix}/${route?.resource ?? operation.replace(' ', '')}`;
      const principalId = String(payload.sub ?? clientId ?? 'unknown');
      const index = issuerIndex.get(issuer)!;
      const denied: RejectionReason | undefined =
        route === undefined ? 'unknown_operation' : permits(route, index, scopes) ? undefined : 'insufficient_scope';
      if (denied !== undefined) log(denied, 403, { requestId, operation, sub: payload.sub, clientId, sourceIp });
      // The token-keyed authorizer's answer is cached for the token and reused for every route it serves:
      // one policy for all of them, and a context (and usage key) that do not depend on the route.
      const policyDocument = route?.tokenKeyed === true ? cachePolicy(arnPrefix, index, scopes) : undefined;
      const anyAllowed = policyDocument === undefined ? denied === undefined : policyDocument.Statement.some((s) => s.Effect === 'Allow');
      if (!anyAllowed) return policyDocument === undefined ? policy(principalId, 'Deny', resource) : { principalId, policyDocument };
      const context: { [key: string]: string | boolean } = {};
      for (const claim of config.contextClaims) {
        const value = payload[claim];
        if (value !== undefined && value !== null) context[claim] = typeof value === 'string' ? value : JSON.stringify(value);
      }
      context.sub = principalId;
      if (clientId !== undefined) context.client_id = clientId;
      context.scopes = [...scopes].join(' ');
      if (route?.anonymous === true) context.authenticated = true;
      // Last, so no configured context claim can replace them: the values the identity headers of HTTP backends are mapped from.
      Object.assign(context, callerIdentityContext(typeof payload.sub === 'string' ? payload.sub : undefined, clientId, [...scopes]));
      const usageIdentifierKey = usageIdentifier === undefined ? undefined : await usageIdentifier(issuer.issuer, payload);
      const answer = policyDocument === undefined ? policy(principalId, 'Allow', resource) : { principalId, policyDocument };
      return { ...answer, context, ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }) };
    } catch (error) {
      log(error instanceof Rejection ? error.reason : 'internal_error', 401, { requestId, operation, sourceIp });
      throw new Error('Unauthorized');
    }
  };
}

/** A handler for a function whose configuration cannot be read: it refuses every request, and says why in each log line. */
export function refuseEverything(deps: AuthorizerDependencies = {}): AuthorizerHandler {
  const log = logger(deps);
  return async () => {
    log('config_invalid', 401, {});
    throw new Error('Unauthorized');
  };
}

/** `arn:aws:execute-api:<region>:<account>:<api>/<stage>` of a method ARN, or `undefined` when it is not one. */
export function stageArnPrefix(methodArn: unknown): string | undefined {
  if (typeof methodArn !== 'string' || !methodArn.startsWith('arn:')) return undefined;
  const stageEnd = methodArn.indexOf('/', methodArn.indexOf('/') + 1);
  return stageEnd < 0 ? undefined : methodArn.slice(0, stageEnd);
}

function logger(deps: AuthorizerDependencies) {
  return rejectionLogger(
    deps.metricNamespace ?? process.env[AUTHORIZER_METRICS_ENV.namespace] ?? AUTHORIZER_METRICS.defaultNamespace,
    deps.apiName ?? process.env[AUTHORIZER_METRICS_ENV.apiName] ?? '',
    deps.write ?? ((line) => process.stdout.write(line)),
  );
}

/** The `iss` of a token not yet verified, only to choose among several trusted issuers. */
function unverifiedIssuer(token: string): string {
  try {
    return String(decomposeUnverifiedJwt(token).payload.iss);
  } catch {
    return reject('malformed_token');
  }
}

/** aws-jwt-verify checks the signature, then `exp`, `nbf`, `iss` and `aud`; its errors become reason codes. */
function verify(token: string, jwk: Jwk, issuer: AuthorizerIssuer, tolerance: number, toKeyObject: (jwk: Jwk) => KeyObject): JwtPayload {
  try {
    return verifyJwtSync(token, jwk, { issuer: issuer.issuer, audience: issuer.audience ?? null, graceSeconds: tolerance }, toKeyObject);
  } catch (error) {
    return reject(
      error instanceof JwtExpiredError
        ? 'expired'
        : error instanceof JwtNotBeforeError
          ? 'not_yet_valid'
          : error instanceof JwtInvalidAudienceError
            ? 'wrong_audience'
            : error instanceof JwtInvalidIssuerError
              ? 'unknown_issuer'
              : error instanceof JwtInvalidSignatureError
                ? 'bad_signature'
                : error instanceof JwtParseError
                  ? 'malformed_token'
                  : 'key_mismatch',
    );
  }
}

/**
 * The checks aws-jwt-verify leaves to its caller (RFC 8725, RFC 9068): `exp` and `iat` present,
 * `iat` not in the future, the required claims present, Cognito's `token_use`, the client.
 * Returns the client id (`client_id`, else `azp`).
 */
function checkClaims(payload: JwtPayload, issuer: AuthorizerIssuer, required: string[], tolerance: number): string | undefined {
  if (payload.exp === undefined || payload.iat === undefined) reject('missing_claim');
  if (payload.iat > Date.now() / 1000 + tolerance) reject('issued_in_future');
  for (const claim of required) {
    const value = payload[claim];
    if (value === undefined || value === null || value === '') reject('missing_claim');
  }
  if (issuer.tokenUse !== undefined && payload.token_use !== issuer.tokenUse) reject('wrong_token_type');
  const clientId = payload.client_id ?? payload.azp;
  if (clientId !== undefined && typeof clientId !== 'string') reject('bad_claim');
  if (issuer.clientIds !== undefined && !issuer.clientIds.includes(clientId as string)) reject('wrong_client');
  return clientId;
}

/** The granted scopes: a space-separated string (RFC 8693/9068) or an array of strings (`scp` of some IdPs), without the issuer's prefix. */
function grantedScopes(claim: unknown, prefix: string | undefined): Set<string> {
  const list =
    claim === undefined
      ? []
      : typeof claim === 'string'
        ? claim.split(' ')
        : Array.isArray(claim) && claim.every((s) => typeof s === 'string')
          ? (claim as string[])
          : reject('bad_claim');
  const scopes = new Set<string>();
  for (const scope of list) {
    const name = prefix !== undefined && scope.startsWith(prefix) ? scope.slice(prefix.length) : scope;
    if (name !== '') scopes.add(name);
  }
  return scopes;
}

/**
 * OpenAPI semantics, with every scope bound to its issuer: at least one alternative whose issuers
 * include the token's and whose scopes the token holds completely; no alternative means any valid
 * token. Names compare exactly.
 */
function permits(route: Route, issuer: number, granted: ReadonlySet<string>): boolean {
  return (
    route.alternatives.length === 0 ||
    route.alternatives.some((a) => (a.issuers === undefined || a.issuers.includes(issuer)) && a.scopes.every((scope) => granted.has(scope)))
  );
}

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  };
}
