import { JsonObject } from '../model';
import { SecureApiConfigError } from '../model/config-error';
import { BodyContribution, classifySecurityScheme } from '../openapi';
import { ApiKeysOptions } from './api-keys-options';

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
    throw new SecureApiConfigError(
      label,
      'apiKeys.source',
      `is ApiKeySource.authorizer(), which needs the JWT authorizer to return the key; configure auth, or use ApiKeySource.header()`,
    );
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

type SecurityDecisions = ReadonlyArray<{
  readonly operationId: string;
  readonly security: ReadonlyArray<{ readonly [scheme: string]: string[] }>;
}>;

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

/**
 * The synth warning for operations an API key alone protects, with advice that fits the configuration:
 * with a JWT authorizer configured the fix is in the document (require a token on those operations);
 * without one it is to configure `auth` first.
 */
export function keyOnlyWarning(keyOnly: string[], hasAuthorizer: boolean, label: string): string | undefined {
  if (keyOnly.length === 0) return undefined;
  const subject = `${keyOnly.join(', ')} ${keyOnly.length === 1 ? 'is' : 'are'}`;
  const advice = hasAuthorizer
    ? `auth is configured but ${keyOnly.length === 1 ? 'this operation does' : 'these operations do'} not ask for a token: add an OAuth 2.0 / OpenID Connect scheme to the same security requirement in the document (for example [{ oauth: ['scope'], apiKeyScheme: [] }])`
    : 'Configure auth (Auth.jwt or Auth.cognito) and require a token on them in the document as well';
  return `SecureApi '${label}': ${subject} protected by an API key alone; API keys identify and meter clients but do not authenticate them. ${advice}.`;
}

/** An operation's security decision with the mechanism that authenticates its callers. */
type MechanismDecisions = ReadonlyArray<{
  readonly operationId: string;
  readonly security: ReadonlyArray<{ readonly [scheme: string]: string[] }>;
  readonly mechanism: string;
  /** `anonymousAllowed`: optional authentication (`security: [{}, { oauth: [...] }]`). */
  readonly access?: { readonly anonymousAllowed?: boolean };
}>;

/**
 * With `ApiKeySource.authorizer()`, API Gateway takes the key of a request from the Lambda authorizer's
 * `UsageIdentifierKey` (API Gateway developer guide, "x-amazon-apigateway-api-key-source property" and
 * "Choose an API key source": a request without a matching key gets 403). A route that requires a key but no token
 * runs no authorizer, so it never gets a key and answers 403 to every request. `keyOnlyRoutes` names
 * those routes (operationIds, and the docs route with `DocsAccess.apiKey()`); any is a synth error.
 *
 * The same holds for a route that requires a key and is authorized by IAM (`AWS_IAM` runs no authorizer) or by
 * the native Cognito user pool authorizer (which returns no `UsageIdentifierKey`): a synth error naming them.
 * A route of your own Lambda authorizer (`Auth.lambda`) gets the key only if your function returns it (SecureApi
 * wires only its JWT authorizer to the consumers' keys): returned as a warning naming them.
 *
 * A route with optional authentication (`security: [{}, { oauth: [...] }]`) that requires a key (through
 * `requireForAllOperations`) is a synth error too: the JWT authorizer allows a caller without a token as anonymous,
 * with no consumer to take a key from, so its answer carries no `usageIdentifierKey` and API Gateway answers 403 to
 * every anonymous caller; the authentication would not be optional at all.
 */
export function assertKeySourceReaches(
  options: ApiKeysOptions,
  keyOnlyRoutes: string[],
  label: string,
  decisions: MechanismDecisions = [],
): string[] {
  if (options.source?.type !== 'AUTHORIZER') return [];
  const fail = (problem: string) => {
    throw new SecureApiConfigError(label, 'apiKeys.source', problem);
  };
  const they = (ids: string[], one: string, many: string) => `${ids.join(', ')} ${ids.length === 1 ? one : many}`;
  if (keyOnlyRoutes.length > 0) {
    fail(
      `is ApiKeySource.authorizer(), but ${they(keyOnlyRoutes, 'requires', 'require')} an API key and no token: no authorizer runs there to supply the key, so API Gateway would answer 403 to every request. Require a token on ${keyOnlyRoutes.length === 1 ? 'it' : 'them'} as well, or use ApiKeySource.header()`,
    );
  }
  const keyed = decisions.filter((d) => d.security.some((requirement) => API_KEY_SCHEME_NAME in requirement));
  const noKeySupplier = keyed.filter((d) => d.mechanism === 'iam' || d.mechanism === 'cognitoUserPool');
  if (noKeySupplier.length > 0) {
    const named = noKeySupplier.map((d) => `${d.operationId} (${d.mechanism === 'iam' ? 'IAM' : 'Cognito user pool'})`).sort();
    fail(
      `is ApiKeySource.authorizer(), but ${they(named, 'requires', 'require')} an API key and ${noKeySupplier.length === 1 ? 'is' : 'are'} authorized by IAM or a Cognito user pool: neither runs a Lambda authorizer that returns a usageIdentifierKey, so API Gateway would find no key and answer 403 to every request. Use ApiKeySource.header(), drop the key requirement from ${noKeySupplier.length === 1 ? 'it' : 'them'}, or protect ${noKeySupplier.length === 1 ? 'it' : 'them'} with the JWT authorizer`,
    );
  }
  const optional = keyed.filter((d) => d.access?.anonymousAllowed === true).map((d) => d.operationId);
  if (optional.length > 0) {
    const one = optional.length === 1;
    fail(
      `is ApiKeySource.authorizer(), but ${they(optional.sort(), 'requires', 'require')} an API key and ${one ? 'makes' : 'make'} authentication optional (security: [{}, ...]): the JWT authorizer lets a caller without a token through as anonymous, with no consumer whose key it could return as usageIdentifierKey, so API Gateway would answer 403 to every anonymous caller. Use ApiKeySource.header() (anonymous callers then send a key), require a token on ${one ? 'it' : 'them'} (drop the empty requirement {}), or make ${one ? 'it' : 'them'} public with security: []`,
    );
  }
  const ownAuthorizer = keyed.filter((d) => d.mechanism === 'lambda').map((d) => d.operationId);
  if (ownAuthorizer.length === 0) return [];
  return [
    `SecureApi '${label}': apiKeys.source is ApiKeySource.authorizer(), and ${they(ownAuthorizer.sort(), 'requires', 'require')} an API key under your Lambda authorizer (Auth.lambda): API Gateway takes the key from its usageIdentifierKey, and SecureApi gives only its JWT authorizer the consumers' keys, so these answer 403 unless your function returns a consumer's key value`,
  ];
}

/** The operations whose security requires an API key. */
export function keyRequiredOperations(decisions: SecurityDecisions): string[] {
  return decisions.filter((d) => d.security.some((requirement) => API_KEY_SCHEME_NAME in requirement)).map((d) => d.operationId);
}
