import { fetch } from 'aws-jwt-verify/https';
import { assertIsJwks, Jwk, Jwks, JwkWithKid } from 'aws-jwt-verify/jwk';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import { AuthorizerJwksSettings } from '../../contracts/authorizer-config';
import { reject } from './rejection';

/** GETs a JSON document over HTTPS within a time bound. */
export type JsonGetter = (uri: string, timeoutMs: number) => Promise<unknown>;

/** One issuer's keys and the state of fetching them. */
interface KeySource {
  readonly issuer: string;
  jwksUri?: string;
  keys?: Map<string, JwkWithKid>;
  fetchedAt: number;
  lastAttempt: number;
  failures: number;
  retryAt: number;
  pending?: Promise<void>;
}

/** The key type (and curve) each algorithm needs: a JWK without `alg` cannot be used with another algorithm. */
const KEY_TYPE: { [alg: string]: string } = {
  RS256: 'RSA',
  RS384: 'RSA',
  RS512: 'RSA',
  ES256: 'EC P-256',
  ES384: 'EC P-384',
  ES512: 'EC P-521',
  EdDSA: 'OKP',
};

/**
 * The issuers' JSON Web Key Sets, kept across invocations. Unlike aws-jwt-verify's cache it bounds
 * every way the IdP can be hammered or trusted too long: a set older than `maxAgeSeconds` is refetched, so removed keys stop working; an unknown
 * `kid` refetches at most once per cool-down; after a failed fetch (5xx, timeout, refused) attempts
 * back off exponentially while the cached keys stay in use for up to `maxStaleSeconds`; with no key
 * at all it fails closed. Keys come from `jwksUri`, or from the issuer's OIDC discovery document.
 */
export class JwksStore {
  private readonly sources = new Map<string, KeySource>();

  constructor(
    issuers: ReadonlyArray<{ issuer: string; jwksUri?: string }>,
    private readonly settings: AuthorizerJwksSettings,
    private readonly getJson: JsonGetter = httpsGetJson,
    private readonly now: () => number = Date.now,
  ) {
    for (const { issuer, jwksUri } of issuers) {
      this.sources.set(issuer, { issuer, jwksUri, fetchedAt: 0, lastAttempt: -Infinity, failures: 0, retryAt: 0 });
    }
  }

  /** The key for `kid` when it is cached and fresh: the path of nearly every request, with no promise. */
  freshKey(issuer: string, kid: string): JwkWithKid | undefined {
    const source = this.sources.get(issuer)!;
    return this.now() - source.fetchedAt < this.settings.maxAgeSeconds * 1000 ? source.keys?.get(kid) : undefined;
  }

  /** The key for `kid`, fetching the set when the rules allow; throws the rejection when there is none to use. */
  async key(issuer: string, kid: string): Promise<JwkWithKid> {
    const source = this.sources.get(issuer)!;
    const { maxAgeSeconds, refetchCooldownSeconds, maxStaleSeconds } = this.settings;
    const now = this.now();
    const known = source.keys?.has(kid) === true;
    const stale = now - source.fetchedAt >= maxAgeSeconds * 1000;
    const unknownMayRefetch = !known && now - source.lastAttempt >= refetchCooldownSeconds * 1000;
    if ((stale || unknownMayRefetch) && now >= source.retryAt) await this.refresh(source);
    if (source.keys === undefined || this.now() - source.fetchedAt > maxStaleSeconds * 1000) reject('jwks_unavailable');
    return source.keys.get(kid) ?? reject('kid_unknown');
  }

  /** Fails unless the key may verify a token signed with `alg`: right type and curve, `alg` and `use` if the key states them, RSA of 2048 bits or more. */
  static assertKeyFits(jwk: Jwk, alg: string): void {
    const [kty, crv] = (KEY_TYPE[alg] ?? '').split(' ');
    const fits =
      jwk.kty === kty &&
      (crv === undefined || jwk.crv === crv) &&
      (jwk.alg === undefined || jwk.alg === alg) &&
      (jwk.use === undefined || jwk.use === 'sig') &&
      (kty !== 'RSA' || (typeof jwk.n === 'string' && jwk.n.length >= 342));
    if (!fits) reject('key_mismatch');
  }

  private refresh(source: KeySource): Promise<void> {
    source.pending ??= this.load(source).then(
      (jwks) => {
        source.keys = new Map();
        for (const jwk of jwks.keys) if (typeof jwk.kid === 'string') source.keys.set(jwk.kid, jwk as JwkWithKid);
        source.fetchedAt = this.now();
        source.failures = 0;
        source.retryAt = 0;
        source.pending = undefined;
      },
      () => {
        source.failures++;
        source.retryAt = this.now() + Math.min(this.settings.backoffBaseMs * 2 ** (source.failures - 1), this.settings.backoffMaxMs);
        source.pending = undefined;
      },
    );
    return source.pending;
  }

  private async load(source: KeySource): Promise<Jwks> {
    source.lastAttempt = this.now();
    const timeout = this.settings.fetchTimeoutMs;
    if (source.jwksUri === undefined) {
      const discovery = (await this.getJson(`${source.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, timeout)) as {
        issuer?: unknown;
        jwks_uri?: unknown;
      };
      // OIDC Discovery §4.3: the document must name exactly the issuer it was fetched for.
      if (discovery.issuer !== source.issuer || typeof discovery.jwks_uri !== 'string' || !discovery.jwks_uri.startsWith('https://')) {
        throw new Error('discovery document does not match the issuer');
      }
      source.jwksUri = discovery.jwks_uri;
    }
    const jwks = (await this.getJson(source.jwksUri, timeout)) as Parameters<typeof assertIsJwks>[0];
    assertIsJwks(jwks);
    return jwks;
  }
}

/** aws-jwt-verify's HTTPS GET (https: only, no redirects), one attempt bounded by `timeoutMs`, parsed as strict UTF-8 JSON. */
export async function httpsGetJson(uri: string, timeoutMs: number): Promise<unknown> {
  const body = await fetch(uri, { responseTimeout: timeoutMs, headers: { Accept: 'application/json' } });
  return safeJsonParse(new TextDecoder('utf-8', { fatal: true }).decode(body));
}
