import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** A steady rate and a burst, as API Gateway applies them per API key. */
export interface UsageThrottle {
  /** Steady-state requests per second (> 0). */
  readonly rateLimit: number;
  /** Largest burst of requests (a whole number >= 1). */
  readonly burstLimit: number;
}

/** How many requests one API key may make per period. */
export interface UsageQuota {
  /** Requests per period (a whole number >= 1). */
  readonly limit: number;
  /** DAY, WEEK or MONTH. */
  readonly period: apigw.Period;
  /**
   * Days into the period at which it starts: 0 for DAY, 0–6 for WEEK, 0–27 for MONTH.
   * @default 0
   */
  readonly offset?: number;
}

/** A usage plan: what every consumer of this tier may do. */
export interface UsageTier {
  /** The tier's name, for example `free`, `partner` or `internal` (letters, digits, `.`, `_`, `-`). */
  readonly name: string;
  /** Throttling of each API key of the tier over the whole stage. */
  readonly throttle: UsageThrottle;
  /**
   * The request quota of each API key of the tier.
   * @default - no quota (a synth warning says so)
   */
  readonly quota?: UsageQuota;
  /**
   * Tighter throttles for single operations, by operationId (at most 20, API Gateway's limit per stage in a plan).
   * @default - none
   */
  readonly operationThrottles?: { [operationId: string]: UsageThrottle };
  /**
   * A description of the tier.
   * @default - generated from the name
   */
  readonly description?: string;
}

/** When keys are rotated, and how long a superseded key keeps working. */
export interface KeyRotationOptions {
  /**
   * How often Secrets Manager rotates the key (whole days, 1–1000).
   * @default Duration.days(90)
   */
  readonly period?: Duration;
  /**
   * How long the superseded key stays enabled after a rotation, so clients can pick up the new value.
   * Must be shorter than `period`.
   * @default Duration.days(7)
   */
  readonly gracePeriod?: Duration;
  /**
   * How long a superseded key stays disabled (an operator can still re-enable it for a late client)
   * before it is deleted.
   * @default Duration.days(7)
   */
  readonly deleteAfter?: Duration;
}

/** A client of the API with its own API key. */
export interface ApiConsumer {
  /** The consumer's id, for example `partner-a` (letters, digits, `.`, `_`, `-`; at most 64). */
  readonly id: string;
  /** The name of the consumer's tier (one of `tiers`). */
  readonly tier: string;
  /**
   * Principals that may read the consumer's key from Secrets Manager (GetSecretValue on this consumer's secret only).
   * More can be added with `ApiKeys.grantRead(consumerId, grantee)`.
   * @default - none
   */
  readonly readers?: iam.IGrantable[];
  /**
   * With `ApiKeySource.authorizer(...)`: the value of the token claim that identifies this consumer.
   * Required with that source: there is no fallback to the consumer's id, which a client of any trusted
   * issuer could choose as its own client id.
   * @default - none (not used with `ApiKeySource.header()`)
   */
  readonly clientId?: string;
  /**
   * With `ApiKeySource.authorizer(...)`: the issuer (`iss`) that signs this consumer's tokens, one of the
   * authorizer's trusted issuers. The consumer is identified by this issuer AND `clientId`, so a token
   * of another trusted issuer with the same claim value is never metered as this consumer. Required
   * when `auth` trusts more than one issuer.
   * @default - the authorizer's only issuer
   */
  readonly issuer?: string;
  /**
   * The consumer's own rotation settings.
   * @default - `ApiKeysOptions.rotation`
   */
  readonly rotation?: KeyRotationOptions;
}

/** Where API Gateway takes the API key of a request from. */
export class ApiKeySource {
  /** Clients send the key in the `x-api-key` header. */
  public static header(): ApiKeySource {
    return new ApiKeySource('HEADER');
  }

  /**
   * The JWT authorizer returns the consumer's key as `usageIdentifierKey`, found through a claim of
   * the token, so machine clients send only their token. Requires `auth`.
   */
  public static authorizer(options: AuthorizerKeySourceOptions = {}): ApiKeySource {
    return new ApiKeySource('AUTHORIZER', options.claim ?? 'client_id');
  }

  private constructor(
    /** `HEADER` or `AUTHORIZER`, as API Gateway names it. */
    public readonly type: string,
    /** The claim that identifies the consumer (AUTHORIZER only). */
    public readonly claim?: string,
  ) {}
}

/** Options of {@link ApiKeySource.authorizer}. */
export interface AuthorizerKeySourceOptions {
  /**
   * The token claim whose value identifies the consumer (matched against `ApiConsumer.clientId`).
   * @default 'client_id'
   */
  readonly claim?: string;
}

/**
 * Usage plans (tiers), consumers with their own API keys, and key rotation. API keys identify and
 * meter clients; they are not authentication: pair them with `auth`.
 */
export interface ApiKeysOptions {
  /** The usage plans. */
  readonly tiers: UsageTier[];
  /** The clients; each gets its own API key, generated into Secrets Manager. */
  readonly consumers: ApiConsumer[];
  /**
   * Where API Gateway reads the key.
   * @default ApiKeySource.header()
   */
  readonly source?: ApiKeySource;
  /**
   * Require a key on every operation that is not explicitly public (`security: []`), whatever the
   * document says. Otherwise operations whose security names an `apiKey` header scheme require one.
   * @default false
   */
  readonly requireForAllOperations?: boolean;
  /**
   * Rotation of every consumer's key (a consumer may override it).
   * @default - every 90 days, superseded key enabled for 7 more days, deleted 7 days after that
   */
  readonly rotation?: KeyRotationOptions;
  /**
   * The KMS key that encrypts the consumers' secrets.
   * @default - a new customer-managed key with rotation on
   */
  readonly encryptionKey?: kms.IKey;
}
