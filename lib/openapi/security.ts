import { ApiOperation, escapePointer, JsonObject, OpenApiError, PipelineWarning } from '../model';

/** How API Gateway can enforce a security scheme. */
export type SchemeEnforcement = 'jwt' | 'apiKey' | 'unsupported';

/**
 * Maps an OpenAPI security scheme to the mechanism that enforces it on API Gateway:
 * OAuth 2.0, OpenID Connect and HTTP bearer tokens go to the JWT Lambda authorizer; an
 * `apiKey` in a header goes to API Gateway's API keys. Anything else (HTTP basic, keys in
 * query strings or cookies, mutual TLS) has no API Gateway equivalent.
 */
export function classifySecurityScheme(scheme: JsonObject): SchemeEnforcement {
  const type = String(scheme.type ?? '').toLowerCase();
  if (type === 'oauth2' || type === 'openidconnect') return 'jwt';
  if (type === 'http' && String(scheme.scheme ?? '').toLowerCase() === 'bearer') return 'jwt';
  // An apiKey scheme carrying x-amazon-apigateway-authtype is another mechanism in disguise
  // (awsSigv4 for IAM, custom for a Lambda authorizer), not an API Gateway API key.
  if (scheme['x-amazon-apigateway-authtype'] !== undefined) return 'unsupported';
  if (type === 'apikey' && String(scheme.in ?? '').toLowerCase() === 'header') return 'apiKey';
  return 'unsupported';
}

/** What an operation's `security` requirements ask of API Gateway. */
export interface OperationAccess {
  /** The document declares no requirement for this operation (neither on it nor at the root). */
  readonly undeclared: boolean;
  /** The document explicitly makes the operation public (`security: []` or `[{}]`). */
  readonly public: boolean;
  /** A JWT (OAuth 2.0 / OIDC) is required. */
  readonly jwt: boolean;
  /** An API key is required. */
  readonly apiKey: boolean;
  /**
   * Scope sets of which the token must satisfy at least one (OpenAPI's OR of requirement objects);
   * each set must be held completely (AND). Empty when no scope is required.
   */
  readonly scopeAlternatives: string[][];
}

export interface ResolvedAccess {
  readonly access: OperationAccess;
  readonly warnings: PipelineWarning[];
}

/**
 * Resolves an operation's effective security requirements into what API Gateway can enforce.
 * API Gateway evaluates one authorizer and/or one API key per method, so requirements that
 * mix mechanisms across alternatives ("a key OR a token") or make authentication optional
 * cannot be expressed and are synth errors.
 */
export function resolveOperationAccess(
  operation: ApiOperation,
  securitySchemes: { [name: string]: JsonObject },
  source: string,
): ResolvedAccess {
  const warnings: PipelineWarning[] = [];
  const requirements = operation.security;
  if (requirements === undefined) {
    return { access: { undeclared: true, public: false, jwt: false, apiKey: false, scopeAlternatives: [] }, warnings };
  }
  const pointer = `/paths/${escapePointer(operation.sourcePath)}/${operation.method}/security`;
  const alternatives: Array<{ jwt: boolean; apiKey: boolean; scopes: string[] }> = [];
  let anonymousAllowed = requirements.length === 0;
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length === 0) {
      anonymousAllowed = true;
      continue;
    }
    const alternative = { jwt: false, apiKey: false, scopes: [] as string[] };
    let enforceable = 0;
    for (const name of names) {
      const scheme = securitySchemes[name];
      if (scheme === undefined) {
        throw new OpenApiError(
          `operation '${operation.operationId}' requires security scheme '${name}', which components.securitySchemes does not define`,
          source,
          pointer,
        );
      }
      const kind = classifySecurityScheme(scheme);
      if (kind === 'unsupported') {
        warnings.push({
          operationId: operation.operationId,
          pointer,
          keyword: `securityScheme:${name}`,
          message: `operation '${operation.operationId}': security scheme '${name}' (${describeScheme(scheme)}) has no API Gateway equivalent and is not enforced; the operation gets the API's default protection instead (the JWT authorizer when auth is set, otherwise none)`,
        });
        continue;
      }
      enforceable++;
      if (kind === 'jwt') {
        alternative.jwt = true;
        for (const scope of requirement[name] ?? []) if (!alternative.scopes.includes(scope)) alternative.scopes.push(scope);
      } else {
        alternative.apiKey = true;
      }
    }
    if (enforceable > 0) alternatives.push(alternative);
  }

  if (alternatives.length === 0) {
    // Either explicitly public, or every declared scheme was unsupported (warned above).
    const explicitlyPublic = anonymousAllowed;
    return {
      access: { undeclared: !explicitlyPublic, public: explicitlyPublic, jwt: false, apiKey: false, scopeAlternatives: [] },
      warnings,
    };
  }
  if (anonymousAllowed) {
    throw new OpenApiError(
      `operation '${operation.operationId}' makes authentication optional (an empty security requirement next to others); API Gateway cannot express optional authentication. Remove the empty requirement, or make the operation public with security: []`,
      source,
      pointer,
    );
  }
  const first = alternatives[0];
  for (const other of alternatives.slice(1)) {
    if (other.jwt !== first.jwt || other.apiKey !== first.apiKey) {
      throw new OpenApiError(
        `operation '${operation.operationId}' accepts ${describeAlternative(first)} OR ${describeAlternative(other)}; API Gateway applies one authorizer and one API-key check to every request of a method, so alternatives must use the same mechanisms. Require both in one requirement object (AND), or pick one`,
        source,
        pointer,
      );
    }
  }
  const scopeAlternatives =
    first.jwt && alternatives.every((a) => a.scopes.length > 0) ? alternatives.map((a) => [...a.scopes].sort()) : [];
  return { access: { undeclared: false, public: false, jwt: first.jwt, apiKey: first.apiKey, scopeAlternatives }, warnings };
}

function describeAlternative(a: { jwt: boolean; apiKey: boolean }): string {
  return a.jwt && a.apiKey ? 'a token AND an API key' : a.jwt ? 'a token' : 'an API key';
}

function describeScheme(scheme: JsonObject): string {
  const type = String(scheme.type ?? 'unknown');
  if (type === 'http') return `http ${String(scheme.scheme ?? '')}`.trim();
  const authType = scheme['x-amazon-apigateway-authtype'];
  if (authType !== undefined) return `x-amazon-apigateway-authtype ${String(authType)}`;
  if (type === 'apiKey') return `apiKey in ${String(scheme.in ?? '')}`;
  return type;
}

/** How the constructs enforce access, as handed to {@link buildOperationSecurity}. */
export interface SecurityMechanisms {
  /** Name of the securityScheme that carries the JWT authorizer (`x-amazon-apigateway-authorizer`), when auth is configured. */
  readonly authorizerSchemeName?: string;
  /** Name of the `apiKey` securityScheme that API Gateway reads (`x-api-key` header), when API keys are configured. */
  readonly apiKeySchemeName?: string;
  /** Require an API key on every operation, whatever the document says. */
  readonly apiKeyForAllOperations?: boolean;
}

/** The `security` array to write on one operation of the imported body, and why. */
export interface OperationSecurityDecision {
  readonly operationId: string;
  /** `[]` for a public operation, else one requirement object (API Gateway reads only the first). */
  readonly security: Array<{ [schemeName: string]: string[] }>;
  readonly access: OperationAccess;
}

/**
 * Decides every operation's API Gateway security from the document and the configured mechanisms.
 * Secure by default: an operation that declares nothing is protected by the authorizer when one is
 * configured; only an explicit `security: []` makes it public. Scopes are not written here: API
 * Gateway ignores them for Lambda authorizers, so the authorizer enforces them from its scope map.
 */
export function buildOperationSecurity(
  operations: ApiOperation[],
  securitySchemes: { [name: string]: JsonObject },
  mechanisms: SecurityMechanisms,
  source: string,
): { decisions: OperationSecurityDecision[]; warnings: PipelineWarning[] } {
  const warnings: PipelineWarning[] = [];
  const decisions: OperationSecurityDecision[] = [];
  for (const operation of operations) {
    const resolved = resolveOperationAccess(operation, securitySchemes, source);
    warnings.push(...resolved.warnings);
    const access = resolved.access;
    const requirement: { [schemeName: string]: string[] } = {};
    const needsJwt = access.jwt || (access.undeclared && mechanisms.authorizerSchemeName !== undefined);
    if (needsJwt) {
      if (mechanisms.authorizerSchemeName === undefined) {
        throw new OpenApiError(
          `operation '${operation.operationId}' requires an OAuth 2.0 / OpenID Connect token, but SecureApi has no 'auth' configured; set auth: Auth.jwt({ issuer, audience }) or Auth.cognito({...})`,
          source,
          `/paths/${escapePointer(operation.sourcePath)}/${operation.method}/security`,
        );
      }
      requirement[mechanisms.authorizerSchemeName] = [];
    }
    const needsKey = access.apiKey || (mechanisms.apiKeyForAllOperations === true && !access.public);
    if (needsKey) {
      if (mechanisms.apiKeySchemeName === undefined) {
        throw new OpenApiError(
          `operation '${operation.operationId}' requires an API key, but SecureApi has no 'apiKeys' configured; configure apiKeys (usage plans and consumers)`,
          source,
          `/paths/${escapePointer(operation.sourcePath)}/${operation.method}/security`,
        );
      }
      requirement[mechanisms.apiKeySchemeName] = [];
    }
    if (access.public) {
      warnings.push({
        operationId: operation.operationId,
        keyword: 'security:[]',
        message: `operation '${operation.operationId}' (${operation.method.toUpperCase()} ${operation.path}) is public: the document sets security: [], so no authorizer or API key protects it`,
      });
    }
    decisions.push({ operationId: operation.operationId, security: Object.keys(requirement).length > 0 ? [requirement] : [], access });
  }
  return { decisions, warnings };
}

/** A synth warning about operations nothing protects. */
export interface AccessGap {
  /** The annotation id, e.g. `cdk-secure-api:no-auth`. */
  readonly id: string;
  readonly message: string;
}

/**
 * What is left open after {@link buildOperationSecurity}: the whole API when no operation has any
 * protection, otherwise the operations the document leaves undeclared while no authorizer is configured.
 * Operations made public on purpose (`security: []`) are warned about by buildOperationSecurity itself.
 */
export function accessGaps(decisions: OperationSecurityDecision[], apiLabel: string): AccessGap[] {
  if (decisions.every((d) => d.security.length === 0)) {
    return [
      {
        id: 'cdk-secure-api:no-auth',
        message: `SecureApi '${apiLabel}' has no authentication: every operation is public. Set auth: Auth.jwt({ issuer, audience }).`,
      },
    ];
  }
  const open = decisions.filter((d) => d.security.length === 0 && d.access.undeclared).map((d) => d.operationId);
  if (open.length === 0) return [];
  const one = open.length === 1;
  return [
    {
      id: 'cdk-secure-api:unprotected-operations',
      message: `SecureApi '${apiLabel}': ${open.join(', ')} declare${one ? 's' : ''} no security requirement and no authorizer is configured, so ${one ? 'it is' : 'they are'} public. Set auth, or declare security: [] to make this explicit.`,
    },
  ];
}

/**
 * The request headers that carry each operation's credentials: for every scheme its API Gateway
 * requirement names, the header of that scheme (`Authorization` for the JWT authorizer, `x-api-key` for
 * API keys). A response cache keys on them, so two callers never share an entry. Public operations have none.
 */
export function callerHeadersOf(
  decisions: ReadonlyArray<Pick<OperationSecurityDecision, 'operationId' | 'security'>>,
  securitySchemes: { readonly [schemeName: string]: JsonObject },
): { [operationId: string]: string[] } {
  const out: { [operationId: string]: string[] } = {};
  for (const decision of decisions) {
    const headers: string[] = [];
    for (const schemeName of Object.keys(decision.security[0] ?? {}).sort()) {
      const scheme = securitySchemes[schemeName];
      if (
        scheme?.in === 'header' &&
        typeof scheme.name === 'string' &&
        !headers.some((h) => h.toLowerCase() === String(scheme.name).toLowerCase())
      ) {
        headers.push(scheme.name);
      }
    }
    out[decision.operationId] = headers;
  }
  return out;
}
