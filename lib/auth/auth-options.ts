import { Duration, Token } from 'aws-cdk-lib';
import { AuthorizerConfig, AuthorizerIssuer, AuthorizerJwksSettings } from '../../contracts/authorizer-config';
import { PropCheck } from '../model/config-error';

/** JWS algorithms the authorizer can accept. There is deliberately no `none` and no HMAC (HS256...). */
export enum JwtAlgorithm {
  RS256 = 'RS256',
  RS384 = 'RS384',
  RS512 = 'RS512',
  ES256 = 'ES256',
  ES384 = 'ES384',
  ES512 = 'ES512',
  EDDSA = 'EdDSA',
}

/** What API Gateway's authorizer cache is keyed by. */
export enum AuthorizerCacheKey {
  /**
   * The token alone, for every operation where a synth-time proof shows that one policy decides every
   * such operation exactly (one authorizer invocation per token per TTL); the token, method and
   * resource path for the others (a second authorizer on the same function). A synth info line names them.
   */
  TOKEN_WHERE_PROVEN = 'TOKEN_WHERE_PROVEN',
  /** The token, method and resource path for every operation: one invocation per token and operation per TTL. */
  PER_OPERATION = 'PER_OPERATION',
}

/** How the authorizer keeps an issuer's JSON Web Key Set. */
export interface JwksCacheOptions {
  /**
   * After this long a cached key set is fetched again, so keys the IdP removed stop being accepted.
   * @default Duration.minutes(10)
   */
  readonly maxAge?: Duration;
  /**
   * A token with an unknown `kid` refetches the key set at most once per this period, so a flood of
   * random kids cannot hammer the IdP. A rotated key is accepted within this period.
   * @default Duration.seconds(10)
   */
  readonly refetchCooldown?: Duration;
  /**
   * While the IdP is unreachable, cached keys stay in use for at most this long; then the authorizer
   * rejects every token (fails closed).
   * @default Duration.hours(24)
   */
  readonly maxStale?: Duration;
  /**
   * Bound of one HTTPS exchange with the IdP (connect, TLS, response).
   * @default Duration.millis(1500)
   */
  readonly fetchTimeout?: Duration;
}

/** Tuning shared by `Auth.jwt` and `Auth.cognito`. */
export interface AuthorizerOptions {
  /**
   * Algorithms accepted in the token header. `none` and HMAC cannot be chosen.
   * @default [JwtAlgorithm.RS256, JwtAlgorithm.ES256]
   */
  readonly algorithms?: JwtAlgorithm[];
  /**
   * Claims every token must carry, besides `exp` and `iat` (always required).
   * @default ['sub']
   */
  readonly requiredClaims?: string[];
  /**
   * Allowed clock skew for `exp`, `nbf` and `iat`.
   * @default Duration.seconds(30)
   */
  readonly clockTolerance?: Duration;
  /**
   * Claims passed to the backend in the authorizer context (`$context.authorizer.<claim>`), each
   * flattened to a string (objects and arrays as JSON). `sub`, `client_id` and `scopes` are always passed.
   * @default - none besides sub, client_id and scopes
   */
  readonly contextClaims?: string[];
  /**
   * How long API Gateway caches the authorizer's answer (0 turns the cache off). At most one hour.
   * A revoked token stays usable for at most this long after its last authorizer invocation, whatever
   * the cache key: a token-keyed cache does not change that.
   * @default Duration.minutes(5)
   */
  readonly resultCacheTtl?: Duration;
  /**
   * What the authorizer cache is keyed by. `PER_OPERATION` forces today's key (token, method and
   * resource path) on every operation.
   * @default AuthorizerCacheKey.TOKEN_WHERE_PROVEN
   */
  readonly cacheKey?: AuthorizerCacheKey;
  /**
   * Longest accepted token, in characters, checked before any parsing.
   * @default 8192
   */
  readonly maxTokenLength?: number;
  /**
   * How the signing keys are cached and refetched.
   * @default - see each field
   */
  readonly jwksCache?: JwksCacheOptions;
  /**
   * Reserved concurrency of the authorizer function.
   * @default 100
   */
  readonly reservedConcurrency?: number;
  /**
   * Memory of the authorizer function in MB (CPU grows with it, and signature checks are CPU-bound).
   * @default 512
   */
  readonly memorySize?: number;
}

/** One more trusted issuer for `Auth.jwt` (for example during a migration between IdPs). */
export interface JwtIssuer {
  /** The issuer, exactly as its tokens' `iss` claim says it (an https URL). */
  readonly issuer: string;
  /**
   * Accepted `aud` values: a token must name one of them. May be empty only when `clientIds` is set.
   */
  readonly audience: string[];
  /**
   * Where the issuer publishes its keys.
   * @default - read from the issuer's OpenID Connect discovery document
   */
  readonly jwksUri?: string;
  /**
   * Accepted clients (`client_id`, or `azp`).
   * @default - any client of the issuer
   */
  readonly clientIds?: string[];
  /**
   * Accepted `typ` header values. An empty list turns the check off (with a synth warning).
   * @default ['at+jwt'] - RFC 9068 access tokens, so ID tokens are refused
   */
  readonly tokenTypes?: string[];
  /**
   * The document's security schemes (names in `components.securitySchemes`, OAuth 2.0 / OpenID Connect /
   * HTTP bearer) whose requirements this issuer's tokens satisfy. A scope grants access only in a token
   * of an issuer that serves the scheme naming it, so a partner IdP cannot mint `orders:admin` for
   * itself. An operation that declares no security accepts a valid token of any trusted issuer.
   * @default - for `issuer`: every such scheme that no additional issuer names; for an additional
   * issuer: none, so its tokens grant no scopes
   */
  readonly securitySchemes?: string[];
}

/** Props of `Auth.jwt`: any OpenID Connect provider (Auth0, Okta, Entra ID, Keycloak, Cognito...). */
export interface JwtAuthProps extends AuthorizerOptions, JwtIssuer {
  /**
   * More trusted issuers, each with its own audience and keys.
   * @default - only `issuer`
   */
  readonly additionalIssuers?: JwtIssuer[];
  /**
   * The claim that holds the granted scopes: a space-separated string (`scope`, RFC 9068) or an array of strings (`scp`).
   * @default 'scope'
   */
  readonly scopeClaim?: string;
}

const ALGORITHMS = new Set<string>(Object.values(JwtAlgorithm));
const SCOPE_CHARS = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Validation and defaults of the props, for one API. Bad props fail through `check` (a {@link PropCheck}
 * under `auth`); `warnings` are what a protection turned off leaves.
 */
export class AuthPropsCheck {
  /** Synth warnings, by annotation id. */
  readonly warnings: Array<{ readonly id: string; readonly message: string }> = [];
  private readonly where: string;

  constructor(readonly check: PropCheck) {
    this.where = `SecureApi '${check.constructPath}'`;
  }

  fail(path: string, problem: string): never {
    return this.check.fail(path, problem);
  }

  httpsUrl(path: string, value: string): string {
    if (Token.isUnresolved(value)) return value;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return this.fail(path, `must be an https:// URL, got '${value}'`);
    }
    if (url.protocol !== 'https:' || url.hash !== '' || url.search !== '' || url.username !== '' || url.password !== '') {
      this.fail(path, `must be an https:// URL without credentials, query or fragment, got '${value}'`);
    }
    return value;
  }

  issuer(path: string, issuer: JwtIssuer, scopePrefix?: string): AuthorizerIssuer {
    this.httpsUrl(`${path}issuer`, issuer.issuer);
    if (issuer.jwksUri !== undefined) this.httpsUrl(`${path}jwksUri`, issuer.jwksUri);
    if (issuer.audience.length === 0 && (issuer.clientIds ?? []).length === 0) {
      this.fail(
        `${path}audience`,
        'must name at least one audience (or clientIds must be set): a token for another API would otherwise be accepted',
      );
    }
    for (const [i, aud] of issuer.audience.entries())
      if (!Token.isUnresolved(aud) && aud.trim() !== aud)
        this.fail(`${path}audience[${i}]`, `must not have surrounding whitespace, got '${aud}'`);
    const tokenTypes = issuer.tokenTypes ?? ['at+jwt'];
    if (tokenTypes.length === 0) {
      this.warnings.push({
        id: 'cdk-secure-api:auth-token-type-unchecked',
        message: `${this.where}: auth.${path}tokenTypes is empty, so the token type (typ) is not checked and an ID token of the same issuer and audience would be accepted as an access token`,
      });
    }
    return {
      issuer: issuer.issuer,
      jwksUri: issuer.jwksUri,
      audience: issuer.audience.length > 0 ? [...issuer.audience] : undefined,
      clientIds: issuer.clientIds !== undefined && issuer.clientIds.length > 0 ? [...issuer.clientIds] : undefined,
      tokenTypes: tokenTypes.length > 0 ? tokenTypes.map((t) => t.toLowerCase().replace(/^application\//, '')) : undefined,
      scopePrefix,
    };
  }

  /** The runtime configuration, less the issuers. */
  settings(options: AuthorizerOptions, scopeClaim = 'scope'): Omit<AuthorizerConfig, 'issuers'> {
    const algorithms = options.algorithms ?? [JwtAlgorithm.RS256, JwtAlgorithm.ES256];
    if (algorithms.length === 0) this.fail('algorithms', 'must name at least one algorithm');
    for (const alg of algorithms)
      if (!ALGORITHMS.has(alg)) this.fail('algorithms', `may hold only ${[...ALGORITHMS].join(', ')} (never none or HMAC), got '${alg}'`);
    const clockTolerance = seconds(options.clockTolerance, 30);
    if (clockTolerance < 0 || clockTolerance > 300) this.fail('clockTolerance', `must be between 0 and 300 seconds, got ${clockTolerance}`);
    const maxTokenLength = options.maxTokenLength ?? 8192;
    if (!Number.isInteger(maxTokenLength) || maxTokenLength < 512 || maxTokenLength > 10240) {
      this.fail('maxTokenLength', `must be an integer from 512 to 10240 (API Gateway's header limit), got ${maxTokenLength}`);
    }
    if (!/^[A-Za-z0-9_:.\-/]+$/.test(scopeClaim)) this.fail('scopeClaim', `must be a claim name, got '${scopeClaim}'`);
    const contextClaims = options.contextClaims ?? [];
    for (const claim of contextClaims) {
      if (!/^[A-Za-z0-9_:.\-/]+$/.test(claim))
        this.fail('contextClaims', `must hold claim names of letters, digits and _:.-/, got '${claim}'`);
    }
    if (new Set(contextClaims).size !== contextClaims.length) this.fail('contextClaims', 'must not repeat a claim');
    const requiredClaims = options.requiredClaims ?? ['sub'];
    if (!requiredClaims.includes('sub')) {
      this.warnings.push({
        id: 'cdk-secure-api:auth-sub-optional',
        message: `${this.where}: auth.requiredClaims leaves out 'sub' (RFC 9068 requires it), so tokens without a subject are accepted`,
      });
    }
    return {
      algorithms: [...algorithms],
      requiredClaims: [...requiredClaims],
      clockToleranceSeconds: clockTolerance,
      maxTokenLength,
      scopeClaim,
      contextClaims: [...contextClaims],
      jwks: this.jwks(options.jwksCache ?? {}),
    };
  }

  resultCacheTtlSeconds(options: AuthorizerOptions): number {
    const ttl = seconds(options.resultCacheTtl, 300);
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) this.fail('resultCacheTtl', `must be whole seconds from 0 to 3600, got ${ttl}`);
    return ttl;
  }

  scopes(scopes: string[], path: string): void {
    for (const scope of scopes)
      if (!SCOPE_CHARS.test(scope)) this.fail(path, `holds '${scope}', which is not a valid OAuth 2.0 scope (RFC 6749 §3.3)`);
  }

  private jwks(options: JwksCacheOptions): AuthorizerJwksSettings {
    const maxAgeSeconds = seconds(options.maxAge, 600);
    const refetchCooldownSeconds = seconds(options.refetchCooldown, 10);
    const maxStaleSeconds = seconds(options.maxStale, 86400);
    const fetchTimeoutMs = options.fetchTimeout?.toMilliseconds() ?? 1500;
    if (maxAgeSeconds < 60 || maxAgeSeconds > 86400)
      this.fail('jwksCache.maxAge', `must be between 1 minute and 1 day, got ${maxAgeSeconds} s`);
    if (refetchCooldownSeconds < 1 || refetchCooldownSeconds > 300)
      this.fail('jwksCache.refetchCooldown', `must be between 1 and 300 seconds, got ${refetchCooldownSeconds}`);
    if (maxStaleSeconds < maxAgeSeconds || maxStaleSeconds > 7 * 86400)
      this.fail('jwksCache.maxStale', `must be at least maxAge and at most 7 days, got ${maxStaleSeconds} s`);
    if (fetchTimeoutMs < 100 || fetchTimeoutMs > 5000)
      this.fail('jwksCache.fetchTimeout', `must be between 100 ms and 5 s, got ${fetchTimeoutMs} ms`);
    return { maxAgeSeconds, refetchCooldownSeconds, maxStaleSeconds, fetchTimeoutMs, backoffBaseMs: 1000, backoffMaxMs: 60000 };
  }
}

function seconds(duration: Duration | undefined, fallback: number): number {
  return duration === undefined ? fallback : duration.toSeconds();
}
