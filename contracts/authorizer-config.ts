/**
 * What the JWT authorizer construct (lib/auth) writes and the authorizer handler (lambda/authorizer)
 * reads: the runtime configuration in an environment variable, and the per-operation scope map in a
 * JSON file next to the handler in its asset (an API of hundreds of operations does not fit Lambda's
 * 4 KB of environment). Dependency-free, because it is bundled into the handler.
 */

/** Environment variables the construct sets. None holds a secret. */
export const AUTHORIZER_ENV = {
  /** {@link AuthorizerConfig} as JSON. Issuers and client ids may be CloudFormation values resolved at deploy. */
  config: 'SECUREAPI_AUTHORIZER_CONFIG',
  /** Path of the {@link AuthorizerRoutes} file, for tests; by default the handler reads {@link AUTHORIZER_ROUTES_FILE} next to itself. */
  routesFile: 'SECUREAPI_AUTHORIZER_ROUTES_FILE',
} as const;

/** The scope map's file name in the function's asset, next to `index.js`. */
export const AUTHORIZER_ROUTES_FILE = 'routes.json';

/** One trusted token issuer. */
export interface AuthorizerIssuer {
  /** The `iss` value, compared byte for byte. */
  readonly issuer: string;
  /** Where the keys are. When absent, the handler reads `jwks_uri` from the issuer's OIDC discovery document. */
  readonly jwksUri?: string;
  /** Accepted `aud` values (one must match). Absent: `aud` is not checked and `clientIds` must be set (Cognito access tokens carry no `aud`). */
  readonly audience?: string[];
  /** Accepted `client_id` (or `azp`) values. Absent: any client of the issuer. */
  readonly clientIds?: string[];
  /** Accepted `typ` header values (RFC 9068 `at+jwt`), compared case-insensitively without an `application/` prefix. Absent: not checked. */
  readonly tokenTypes?: string[];
  /** Required `token_use` claim (Cognito marks access tokens `access`). Absent: not checked. */
  readonly tokenUse?: string;
  /** Prefix the issuer puts before scope names (Cognito writes `<resource server>/<scope>`); removed before matching. */
  readonly scopePrefix?: string;
}

/** How the handler keeps the issuers' JSON Web Key Sets. */
export interface AuthorizerJwksSettings {
  /** After this many seconds a cached key set is refetched, so removed keys stop being accepted. */
  readonly maxAgeSeconds: number;
  /** A token with an unknown `kid` triggers at most one refetch per this many seconds. */
  readonly refetchCooldownSeconds: number;
  /** While the IdP is unreachable, cached keys stay in use for at most this many seconds; then the handler fails closed. */
  readonly maxStaleSeconds: number;
  /** Bound of one HTTPS exchange (connect, TLS, response) with the IdP, in milliseconds. */
  readonly fetchTimeoutMs: number;
  /** First wait after a failed fetch, in milliseconds; doubled on each further failure. */
  readonly backoffBaseMs: number;
  /** Longest wait between fetch attempts after failures, in milliseconds. */
  readonly backoffMaxMs: number;
}

/** The authorizer's runtime configuration. */
export interface AuthorizerConfig {
  readonly issuers: AuthorizerIssuer[];
  /** Accepted `alg` values, a subset of RS256/384/512, ES256/384/512, EdDSA. */
  readonly algorithms: string[];
  /** Claims every token must carry, besides `exp` and `iat` (always required). */
  readonly requiredClaims: string[];
  readonly clockToleranceSeconds: number;
  /** Longest accepted Authorization header value, checked before any parsing. */
  readonly maxTokenLength: number;
  /** The claim holding the granted scopes: a space-separated string or an array of strings. */
  readonly scopeClaim: string;
  /** Claims copied into the authorizer context (flattened to strings) for the backend. */
  readonly contextClaims: string[];
  readonly jwks: AuthorizerJwksSettings;
}

/**
 * The scope map: for each operation, keyed `METHOD /api/gateway/{path}`, the scope sets of which a
 * token must hold at least one completely (OpenAPI: OR of requirement objects, AND within one).
 * `[]` means any valid token. An operation missing from the map is denied.
 */
export interface AuthorizerRoutes {
  readonly routes: { [methodAndPath: string]: string[][] };
  /**
   * Which issuers each alternative trusts: `issuers[key][i]` lists, by index into
   * {@link AuthorizerConfig.issuers}, the issuers whose tokens may satisfy `routes[key][i]` (a scope is
   * granted only by the issuer that the operation's security scheme trusts). When present, every route
   * has an entry, and a route that needs no scope is written as one alternative without scopes (`[[]]`).
   * When absent (one issuer, mapped to every scheme): only the first issuer grants scopes, and a route
   * without alternatives (`[]`) accepts a valid token of any issuer.
   */
  readonly issuers?: { [methodAndPath: string]: number[][] };
  /**
   * The routes served by the token-keyed authorizer (identity source: the token alone), sorted. For a
   * request of one of them the handler returns one policy deciding every one of them (the synth-time
   * proof in lib/auth/cache-proof.ts shows that this is exact); every other route gets a policy for its
   * own resource only, as its authorizer's cache key holds the method and resource path. Absent: none.
   */
  readonly tokenKeyed?: string[];
  /**
   * The routes with optional authentication (`security: [{}, {...}]`), sorted, served by the authorizer
   * without identity source or cache: a request that carries no Authorization header at all is allowed
   * as anonymous (context `authenticated: false`); a request that carries one is verified as on every
   * other route, and a bad token is refused, never served as anonymous. Absent: none.
   */
  readonly anonymous?: string[];
}

/** The key of an operation in {@link AuthorizerRoutes}. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Rejection reason codes: the `Reason` dimension of the rejection metric and the `reason` of each log line. */
export const REJECTION_REASONS = [
  'no_token',
  'ambiguous_token',
  'malformed_header',
  'token_too_long',
  'malformed_token',
  'bad_header',
  'alg_not_allowed',
  'unsupported_header',
  'kid_unknown',
  'key_mismatch',
  'jwks_unavailable',
  'unknown_issuer',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'issued_in_future',
  'missing_claim',
  'bad_claim',
  'wrong_audience',
  'wrong_client',
  'wrong_token_type',
  'insufficient_scope',
  'unknown_operation',
  'bad_event',
  'config_invalid',
  'internal_error',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];
