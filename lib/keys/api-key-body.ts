import { JsonObject } from '../model';
import { BodyContribution, classifySecurityScheme } from '../openapi';
import { ApiKeysOptions } from './api-keys-options';
import { SecureApiConfigError } from '../model/config-error';

/** The name of the securityScheme SecureApi writes for API Gateway's API-key check. */
export const API_KEY_SCHEME_NAME = 'api_key';

/** What the API-keys concern adds to the imported body, and how `buildOperationSecurity` should treat keys. */
export interface ApiKeyBodyContributions {
  /** API Gateway's `x-api-key` header scheme (`components.securitySchemes`) and `x-amazon-apigateway-api-key-source`. */
  readonly body: BodyContribution;
  /** For `buildOperationSecurity`: the scheme to write on operations that require a key. */
  readonly apiKeySchemeName: string;
  /** For `buildOperationSecurity`: require a key on every non-public operation. */
  readonly apiKeyForAllOperations: boolean;
  /** Synth warnings about the document's API-key schemes. */
  readonly warnings: string[];
}

/**
 * The body contributions of `apiKeys`. API Gateway reads keys only from the `x-api-key` header (or
 * from the authorizer), so a document that declares its apiKey header under another name gets a
 * warning: clients must send `x-api-key`.
 */
export function apiKeyBodyContributions(
  options: ApiKeysOptions,
  documentSchemes: { [name: string]: JsonObject },
  hasAuthorizer: boolean,
  label: string,
): ApiKeyBodyContributions {
  if (options.source?.type === 'AUTHORIZER' && !hasAuthorizer) {
    throw new SecureApiConfigError(label, 'apiKeys.source', `is ApiKeySource.authorizer(), which needs the JWT authorizer to return the key; configure auth, or use ApiKeySource.header()`);
  }
  const warnings: string[] = [];
  for (const [name, scheme] of Object.entries(documentSchemes).sort(([a], [b]) => a.localeCompare(b))) {
    if (classifySecurityScheme(scheme) !== 'apiKey') continue;
    const header = String(scheme.name ?? '');
    if (header.toLowerCase() !== 'x-api-key') {
      warnings.push(
        `SecureApi '${label}': security scheme '${name}' names the API key header '${header}', but API Gateway reads API keys only from 'x-api-key': clients must send the key in x-api-key`,
      );
    }
  }
  return {
    body: {
      securitySchemes: { [API_KEY_SCHEME_NAME]: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      rootExtensions: { 'x-amazon-apigateway-api-key-source': options.source?.type ?? 'HEADER' },
    },
    apiKeySchemeName: API_KEY_SCHEME_NAME,
    apiKeyForAllOperations: options.requireForAllOperations === true,
    warnings,
  };
}

type SecurityDecisions = ReadonlyArray<{ readonly operationId: string; readonly security: ReadonlyArray<{ readonly [scheme: string]: string[] }> }>;

/**
 * Operations an API key alone protects. API keys identify and meter clients, they do not
 * authenticate them (anyone who sees a key can use it), so each such operation gets a warning.
 */
export function keyOnlyOperations(decisions: SecurityDecisions): string[] {
  return decisions
    .filter((d) => d.security.length > 0 && Object.keys(d.security[0]).length === 1 && API_KEY_SCHEME_NAME in d.security[0])
    .map((d) => d.operationId)
    .sort();
}

/** The synth warning (`cdk-secure-api:api-key-only`) about the operations an API key alone protects, when there are any. */
export function keyOnlyWarning(decisions: SecurityDecisions, label: string): string | undefined {
  const keyOnly = keyOnlyOperations(decisions);
  if (keyOnly.length === 0) return undefined;
  return `SecureApi '${label}': ${keyOnly.join(', ')} ${keyOnly.length === 1 ? 'is' : 'are'} protected by an API key alone; API keys identify and meter clients but do not authenticate them. Require a JWT as well (auth).`;
}

/** The operations whose security requires an API key. */
export function keyRequiredOperations(decisions: SecurityDecisions): string[] {
  return decisions.filter((d) => d.security.some((requirement) => API_KEY_SCHEME_NAME in requirement)).map((d) => d.operationId);
}
