import { createRequire } from 'node:module';
import { parseApiKeySecret, UsageIdentifierMapping } from '../../contracts/api-keys';

/** Reads a secret's current value (AWSCURRENT). */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

/**
 * For `ApiKeySource.authorizer()` (lib/keys): the consumer's current API key, found through the issuer
 * that signed the verified token AND a claim of it, to return as `usageIdentifierKey` so the usage plan
 * meters and throttles the client without an `x-api-key` header. A claim value is never trusted alone:
 * a token of another trusted issuer that carries the same value is nobody's consumer. Values are cached
 * for a minute (a rotated-out key stays valid for the rotation's grace period); a failed read is
 * retried after five seconds, and until then the answer carries no key, which API Gateway refuses on
 * methods that require one. The lookup table is built once, when the handler starts.
 */
export function usageIdentifierLookup(
  mapping: UsageIdentifierMapping,
  readSecret: SecretReader = readWithSdk,
  now: () => number = Date.now,
) {
  const byIssuer = new Map<string, Map<string, string>>();
  for (const { issuer, claimValue, secretArn } of mapping.consumers) {
    let byValue = byIssuer.get(issuer);
    if (byValue === undefined) byIssuer.set(issuer, (byValue = new Map()));
    byValue.set(claimValue, secretArn);
  }
  const cache = new Map<string, { value?: string; until: number }>();
  return async (issuer: string, claims: { [claim: string]: unknown }): Promise<string | undefined> => {
    const claimValue = claims[mapping.claim];
    const secretArn = typeof claimValue === 'string' ? byIssuer.get(issuer)?.get(claimValue) : undefined;
    if (secretArn === undefined) return undefined;
    const cached = cache.get(secretArn);
    if (cached !== undefined && cached.until > now()) return cached.value;
    let value: string | undefined;
    let ttl = 60_000;
    try {
      value = parseApiKeySecret(await readSecret(secretArn))?.apiKey;
    } catch {
      ttl = 5_000;
    }
    cache.set(secretArn, { value, until: now() + ttl });
    return value;
  };
}

let client: { send(command: unknown): Promise<{ SecretString?: string }> } | undefined;

/** Secrets Manager through the AWS SDK of the Lambda runtime, loaded only when this feature is on (it is not bundled). */
async function readWithSdk(secretArn: string): Promise<string | undefined> {
  const sdk = createRequire(__filename)('@aws-sdk/client-secrets-manager');
  client ??= new sdk.SecretsManagerClient({});
  return (await client!.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
}
