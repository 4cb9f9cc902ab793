/**
 * What the API-keys construct (lib/keys), the key-rotation handler (lambda/key-rotation) and the
 * JWT authorizer (lambda/authorizer, for `ApiKeySource.authorizer`) must agree on. Dependency-free:
 * a handler bundles this file, so it holds names, shapes and tiny parsers only.
 */

/** Environment variables of a consumer's key-rotation function (one function per consumer). */
export const KEY_ROTATION_ENV = {
  /** ARN of the one secret this function may rotate; events for any other secret are refused. */
  secretArn: 'SECUREAPI_SECRET_ARN',
  /** The consumer's usage plan; new keys are attached to it. */
  usagePlanId: 'SECUREAPI_USAGE_PLAN_ID',
  /** The consumer's id (for key descriptions and log lines). */
  consumerId: 'SECUREAPI_CONSUMER_ID',
  /** Prefix of every API key name of this consumer; a key's name is the prefix + its secret version id. */
  keyNamePrefix: 'SECUREAPI_KEY_NAME_PREFIX',
  /** Seconds the superseded key stays enabled after finishSecret, so clients can pick up the new value. */
  gracePeriodSeconds: 'SECUREAPI_GRACE_PERIOD_SECONDS',
  /** Seconds a disabled superseded key is kept (re-enable is still possible) before it is deleted. */
  deleteAfterSeconds: 'SECUREAPI_DELETE_AFTER_SECONDS',
} as const;

/**
 * Tag on every API key the rotation function creates. Its value is the ARN of the consumer's secret:
 * the function's IAM policy allows changing only keys that carry this tag with its own secret's ARN.
 */
export const KEY_OWNER_TAG = 'secureapi:key-owner';
/** Tag on every API key: the secret version id whose value the key holds. */
export const KEY_VERSION_TAG = 'secureapi:secret-version';
/**
 * Tags on the secret, one per API key: `secureapi:key:<secret version id>` = the id of the API key holding that
 * version's value. The rotation function finds its keys only through this registry, by id, so it needs no
 * permission to list the account's keys (a listing that may include every key's value).
 */
export const KEY_ID_TAG_PREFIX = 'secureapi:key:';
/**
 * Tags on the secret, one per superseded version: `secureapi:superseded:<secret version id>` = when (ISO 8601)
 * that version stopped being AWSCURRENT, or when the sweep first saw it without a label. Each key's grace
 * period counts from its own record, whatever rotations follow.
 */
export const SUPERSEDED_TAG_PREFIX = 'secureapi:superseded:';

/** The input of the scheduled sweep that disables and deletes superseded keys. */
export const RETIRE_KEYS_EVENT = { action: 'secureapi:retire-superseded-keys' } as const;

/** Key values are 40 alphanumeric characters (about 238 random bits); API Gateway accepts 20–128. */
export const API_KEY_VALUE_LENGTH = 40;

/** The JSON a consumer reads from its secret. */
export interface ApiKeySecretValue {
  /** The consumer this key belongs to. */
  readonly consumerId: string;
  /** The API key value to send in the `x-api-key` header (or that the authorizer returns). */
  readonly apiKey: string;
}

/** The name of the API key that holds the value of secret version `versionId`. */
export function apiKeyName(keyNamePrefix: string, versionId: string): string {
  return `${keyNamePrefix}${versionId}`;
}

/**
 * Reads an API key secret. The first version of a consumer's secret is a placeholder written by
 * CloudFormation (no `apiKey` field) until the first rotation creates the first key: for it this
 * returns `undefined`. Errors never quote the secret string.
 */
export function parseApiKeySecret(secretString: string | undefined): ApiKeySecretValue | undefined {
  if (secretString === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error('API key secret is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error('API key secret is not a JSON object');
  const record = parsed as { consumerId?: unknown; apiKey?: unknown };
  if (record.apiKey === undefined) return undefined;
  if (typeof record.apiKey !== 'string' || record.apiKey.length < 20) {
    throw new Error('API key secret has an apiKey field that is not a string of at least 20 characters');
  }
  return { consumerId: typeof record.consumerId === 'string' ? record.consumerId : '', apiKey: record.apiKey };
}

/**
 * The seam for `ApiKeySource.authorizer`: API Gateway then takes the API key from the authorizer's
 * `usageIdentifierKey`, so the JWT authorizer maps a claim of the token (for example `client_id`) to
 * the consumer's current key value, read from the consumer's secret (AWSCURRENT; cache it briefly:
 * the superseded key stays valid for the grace period). The construct puts this mapping, as JSON,
 * into the authorizer's environment variable {@link USAGE_IDENTIFIER_ENV} and grants read access to
 * the listed secrets.
 */
export interface UsageIdentifierMapping {
  /** The token claim whose value identifies the consumer (for example `client_id`). */
  readonly claim: string;
  /**
   * Each consumer, by the issuer that signs its tokens AND the claim value: a claim is only trusted
   * together with the issuer that signed it, so another trusted issuer cannot mint a token that is
   * metered as this consumer.
   */
  readonly consumers: ReadonlyArray<UsageIdentifierConsumer>;
}

/** One consumer of {@link UsageIdentifierMapping}. */
export interface UsageIdentifierConsumer {
  /** The `iss` of the consumer's tokens, exactly as the authorizer's configuration names it. */
  readonly issuer: string;
  /** The value of the mapping's claim in the consumer's tokens. */
  readonly claimValue: string;
  /** The consumer's secret (its current API key). */
  readonly secretArn: string;
}

/** Environment variable of the authorizer that holds the {@link UsageIdentifierMapping} as JSON. */
export const USAGE_IDENTIFIER_ENV = 'SECUREAPI_USAGE_IDENTIFIERS';

/** Parses the authorizer's {@link USAGE_IDENTIFIER_ENV}; `undefined` when the variable is not set. Throws on any other shape. */
export function parseUsageIdentifierMapping(json: string | undefined): UsageIdentifierMapping | undefined {
  if (json === undefined || json === '') return undefined;
  const parsed = JSON.parse(json) as Partial<UsageIdentifierMapping>;
  const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !isString(parsed.claim) ||
    !Array.isArray(parsed.consumers) ||
    !parsed.consumers.every(
      (c) => typeof c === 'object' && c !== null && isString(c.issuer) && isString(c.claimValue) && isString(c.secretArn),
    )
  ) {
    throw new Error(
      `${USAGE_IDENTIFIER_ENV} must be JSON of the form {"claim": string, "consumers": [{"issuer": string, "claimValue": string, "secretArn": string}]}`,
    );
  }
  return {
    claim: parsed.claim,
    consumers: parsed.consumers.map((c) => ({ issuer: c.issuer, claimValue: c.claimValue, secretArn: c.secretArn })),
  };
}
