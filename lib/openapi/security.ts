import {
  ApiOperation,
  AuthMechanism,
  escapePointer,
  JsonObject,
  MECHANISM_LABELS,
  MechanismScheme,
  OpenApiError,
  PipelineWarning,
} from '../model';

/** How API Gateway can enforce a security scheme, from the scheme alone (before any configuration). */
export type SchemeEnforcement = 'jwt' | 'apiKey' | 'iam' | 'unsupported';

/**
 * The name of the security scheme SecureApi writes into the imported body for IAM (`AWS_IAM`): API
 * Gateway's own convention, an `apiKey` scheme on the `Authorization` header with
 * `x-amazon-apigateway-authtype: awsSigv4` (developer guide, "x-amazon-apigateway-authtype property").
 */
export const IAM_SCHEME_NAME = 'SecureApiIam';

/** The IAM security scheme of the imported body: every operation whose security names it is `AWS_IAM`. */
export const IAM_SECURITY_SCHEME: JsonObject = Object.freeze({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'awsSigv4',
});

/**
 * API Gateway's convention for IAM: `{ type: apiKey, name: Authorization, in: header,
 * x-amazon-apigateway-authtype: awsSigv4 }`. Such a scheme needs no configuration.
 */
export function isIamScheme(scheme: JsonObject): boolean {
  return (
    String(scheme.type ?? '').toLowerCase() === 'apikey' &&
    String(scheme.in ?? '').toLowerCase() === 'header' &&
    String(scheme.name ?? '').toLowerCase() === 'authorization' &&
    String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'awssigv4'
  );
}

/**
 * Maps an OpenAPI security scheme to the mechanism that enforces it on API Gateway:
 * OAuth 2.0, OpenID Connect and HTTP bearer tokens go to the JWT Lambda authorizer; API Gateway's
 * IAM convention (see {@link isIamScheme}) to `AWS_IAM`; an `apiKey` in a header goes to API Gateway's
 * API keys. Anything else (HTTP basic, keys in query strings or cookies, mutual TLS, a Lambda or Cognito
 * authorizer the document names with `x-amazon-apigateway-authtype`) needs a configured mechanism
 * (`Auth.schemes`) or has no API Gateway equivalent.
 */
export function classifySecurityScheme(scheme: JsonObject): SchemeEnforcement {
  const type = String(scheme.type ?? '').toLowerCase();
  if (type === 'oauth2' || type === 'openidconnect') return 'jwt';
  if (type === 'http' && String(scheme.scheme ?? '').toLowerCase() === 'bearer') return 'jwt';
  if (isIamScheme(scheme)) return 'iam';
  // An apiKey scheme carrying x-amazon-apigateway-authtype is another mechanism in disguise
  // (custom for a Lambda authorizer, cognito_user_pools), not an API Gateway API key.
  if (scheme['x-amazon-apigateway-authtype'] !== undefined) return 'unsupported';
  if (type === 'apikey' && String(scheme.in ?? '').toLowerCase() === 'header') return 'apiKey';
  return 'unsupported';
}

/** What one document security scheme stands for, once the configured mechanisms are known. */
export type SchemeRole =
  /** API Gateway's API-key check (combines with any mechanism). */
  | { readonly role: 'apiKey' }
  /** A mechanism that authenticates the caller. */
  | { readonly role: 'mechanism'; readonly scheme: MechanismScheme }
  /** No API Gateway equivalent (HTTP basic, a key in a query string ...): warned about and not enforced. */
  | { readonly role: 'unsupported' }
  /** A mechanism scheme that no configured mechanism maps: a synth error naming it and its operations. */
  | { readonly role: 'unmapped' };

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
  /**
   * Optional authentication (`security: [{}, { oauth: [...] }]`): a request without a token is served as
   * anonymous; a request with one must carry a valid token, checked like any other. JWT only.
   * @default false
   */
  readonly anonymousAllowed?: boolean;
}

export interface ResolvedAccess {
  readonly access: OperationAccess;
  readonly warnings: PipelineWarning[];
  /**
   * The mechanism the document's requirements ask for, and the document schemes that ask for it.
   * @default - none: the operation declares no mechanism (undeclared, public, or an API key alone)
   */
  readonly requested?: { readonly scheme: MechanismScheme; readonly documentSchemes: string[] };
  /**
   * Document schemes the operation names that no configured mechanism maps.
   * @default - none
   */
  readonly unmapped?: string[];
}

/** The role of a scheme without any configuration: JWT schemes go to the JWT authorizer, IAM to AWS_IAM. */
export function defaultSchemeRole(_name: string, scheme: JsonObject): SchemeRole {
  const kind = classifySecurityScheme(scheme);
  if (kind === 'jwt') return { role: 'mechanism', scheme: { mechanism: 'jwt' } };
  if (kind === 'iam') return { role: 'mechanism', scheme: { mechanism: 'iam', bodySchemeName: IAM_SCHEME_NAME } };
  return { role: kind === 'apiKey' ? 'apiKey' : 'unsupported' };
}

interface Alternative {
  scheme?: MechanismScheme;
  documentSchemes: string[];
  apiKey: boolean;
  scopes: string[];
}

/**
 * Resolves an operation's effective security requirements into what API Gateway can enforce.
 * API Gateway evaluates one authorization type (one authorizer) and/or one API key per method, so
 * requirements that mix mechanisms across alternatives ("a key OR a token", "IAM OR a token") or make
 * authentication optional cannot be expressed and are synth errors. `roleOf` says what each scheme
 * stands for with the configured mechanisms.
 */
export function resolveOperationAccess(
  operation: ApiOperation,
  securitySchemes: { [name: string]: JsonObject },
  source: string,
  roleOf: (name: string, scheme: JsonObject) => SchemeRole = defaultSchemeRole,
): ResolvedAccess {
  const warnings: PipelineWarning[] = [];
  const requirements = operation.security;
  if (requirements === undefined) {
    return { access: { undeclared: true, public: false, jwt: false, apiKey: false, scopeAlternatives: [] }, warnings };
  }
  const pointer = `/paths/${escapePointer(operation.sourcePath)}/${operation.method}/security`;
  const alternatives: Alternative[] = [];
  const unmapped: string[] = [];
  let anonymousAllowed = requirements.length === 0;
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length === 0) {
      anonymousAllowed = true;
      continue;
    }
    const alternative: Alternative = { documentSchemes: [], apiKey: false, scopes: [] };
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
      const role = roleOf(name, scheme);
      if (role.role === 'unmapped') {
        if (!unmapped.includes(name)) unmapped.push(name);
        continue;
      }
      if (role.role === 'unsupported') {
        warnings.push({
          operationId: operation.operationId,
          pointer,
          keyword: `securityScheme:${name}`,
          message: `operation '${operation.operationId}': security scheme '${name}' (${describeScheme(scheme)}) has no API Gateway equivalent and is not enforced; the operation gets the API's default protection instead (the JWT authorizer when auth is set, otherwise none)`,
        });
        continue;
      }
      enforceable++;
      if (role.role === 'apiKey') {
        alternative.apiKey = true;
        continue;
      }
      if (alternative.scheme !== undefined && !sameMechanism(alternative.scheme, role.scheme)) {
        throw new OpenApiError(
          `operation '${operation.operationId}' requires ${describeMechanism(alternative.scheme, alternative.documentSchemes)} AND ${describeMechanism(role.scheme, [name])} in one requirement; API Gateway gives each method one authorization type, so one request cannot be checked by both. Pick one`,
          source,
          pointer,
        );
      }
      alternative.scheme = role.scheme;
      alternative.documentSchemes.push(name);
      for (const scope of requirement[name] ?? []) if (!alternative.scopes.includes(scope)) alternative.scopes.push(scope);
    }
    if (enforceable > 0) alternatives.push(alternative);
  }
  const extra = unmapped.length > 0 ? { unmapped } : {};

  if (alternatives.length === 0) {
    // Either explicitly public, or every declared scheme was unsupported (warned above) or unmapped.
    const explicitlyPublic = anonymousAllowed && unmapped.length === 0;
    return {
      access: { undeclared: !explicitlyPublic, public: explicitlyPublic, jwt: false, apiKey: false, scopeAlternatives: [] },
      warnings,
      ...extra,
    };
  }
  // Optional authentication is served by the JWT authorizer alone (a second authorizer without identity source or
  // cache, which lets a request without a token through as anonymous): API Gateway calls no authorizer, IAM or
  // Cognito check for a missing credential, and an API key check cannot be skipped.
  if (anonymousAllowed && !alternatives.every((a) => a.scheme?.mechanism === 'jwt' && !a.apiKey)) {
    throw new OpenApiError(
      `operation '${operation.operationId}' makes authentication optional (an empty security requirement next to others), which SecureApi serves only with the JWT authorizer (OAuth 2.0 / OpenID Connect schemes) and no API key. Remove the empty requirement, or make the operation public with security: []`,
      source,
      pointer,
    );
  }
  const first = alternatives[0];
  for (const other of alternatives.slice(1)) {
    const sameScheme =
      first.scheme === undefined ? other.scheme === undefined : other.scheme !== undefined && sameMechanism(first.scheme, other.scheme);
    if (sameScheme && other.apiKey === first.apiKey) continue;
    const legacy = [first, other].every((a) => a.scheme === undefined || a.scheme.mechanism === 'jwt');
    throw new OpenApiError(
      legacy
        ? `operation '${operation.operationId}' accepts ${describeAlternative(first)} OR ${describeAlternative(other)}; API Gateway applies one authorizer and one API-key check to every request of a method, so alternatives must use the same mechanisms. Require both in one requirement object (AND), or pick one`
        : `operation '${operation.operationId}' accepts ${describeChoice(first)} OR ${describeChoice(other)}; API Gateway gives each method one authorization type and one API-key check, so it cannot let the caller choose between them. Pick one mechanism for the operation (or split it into two operations)`,
      source,
      pointer,
    );
  }
  const scoped = first.scheme !== undefined && (first.scheme.mechanism === 'jwt' || first.scheme.mechanism === 'cognitoUserPool');
  const scopeAlternatives = scoped && alternatives.every((a) => a.scopes.length > 0) ? alternatives.map((a) => [...a.scopes].sort()) : [];
  const documentSchemes = [...new Set(alternatives.flatMap((a) => a.documentSchemes))];
  return {
    access: {
      undeclared: false,
      public: false,
      jwt: first.scheme?.mechanism === 'jwt',
      apiKey: first.apiKey,
      scopeAlternatives,
      ...(anonymousAllowed ? { anonymousAllowed: true } : {}),
    },
    warnings,
    ...(first.scheme !== undefined ? { requested: { scheme: first.scheme, documentSchemes } } : {}),
    ...extra,
  };
}

/** Two alternatives use the same mechanism when API Gateway would run the same check (one JWT authorizer serves every JWT scheme). */
function sameMechanism(a: MechanismScheme, b: MechanismScheme): boolean {
  return a.mechanism === b.mechanism && a.bodySchemeName === b.bodySchemeName;
}

function describeAlternative(a: { scheme?: MechanismScheme; apiKey: boolean }): string {
  const jwt = a.scheme !== undefined;
  return jwt && a.apiKey ? 'a token AND an API key' : jwt ? 'a token' : 'an API key';
}

function describeMechanism(scheme: MechanismScheme, documentSchemes: string[]): string {
  return `${MECHANISM_LABELS[scheme.mechanism]} (scheme ${documentSchemes.map((n) => `'${n}'`).join(', ')})`;
}

function describeChoice(a: Alternative): string {
  const mechanism = a.scheme !== undefined ? describeMechanism(a.scheme, a.documentSchemes) : undefined;
  return mechanism !== undefined && a.apiKey ? `${mechanism} AND an API key` : (mechanism ?? 'an API key alone');
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
  /**
   * Name of the securityScheme that carries the JWT authorizer (`x-amazon-apigateway-authorizer`), when
   * `auth` is `Auth.jwt` or `Auth.cognito`: it serves every OAuth 2.0 / OpenID Connect / bearer scheme of the
   * document and every operation that declares nothing.
   */
  readonly authorizerSchemeName?: string;
  /**
   * The mechanism of each document security scheme, by the scheme's name (`Auth.schemes`). When set, a
   * scheme it does not name is a synth error unless it is API Gateway's IAM convention or an API-key header.
   * @default - the document's JWT schemes go to `authorizerSchemeName`
   */
  readonly schemes?: { readonly [documentSchemeName: string]: MechanismScheme };
  /**
   * The mechanism of operations that declare no security requirement.
   * @default - `authorizerSchemeName`'s JWT authorizer; with `schemes` and without it, such an operation is a synth error
   */
  readonly defaultMechanism?: MechanismScheme;
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
  /** The mechanism that authenticates the operation's callers: `none` when it is public or an API key alone protects it. */
  readonly mechanism: AuthMechanism;
  /**
   * The security scheme of the imported body that carries the mechanism.
   * @default - none, when `mechanism` is `none`
   */
  readonly mechanismScheme?: string;
  /**
   * The document's security schemes that ask for the mechanism; empty when the operation declares none
   * and gets the default mechanism.
   */
  readonly documentSchemes: string[];
}

/** The role of each document scheme under the configured mechanisms. */
function schemeRoles(mechanisms: SecurityMechanisms): (name: string, scheme: JsonObject) => SchemeRole {
  return (name, scheme) => {
    const mapped = mechanisms.schemes?.[name];
    if (mapped !== undefined) return { role: 'mechanism', scheme: mapped };
    const role = defaultSchemeRole(name, scheme);
    if (role.role === 'apiKey') return role;
    if (role.role === 'mechanism' && role.scheme.mechanism === 'iam') return role;
    if (mechanisms.schemes !== undefined) return { role: 'unmapped' };
    if (role.role === 'mechanism')
      return { role: 'mechanism', scheme: { mechanism: 'jwt', bodySchemeName: mechanisms.authorizerSchemeName } };
    // A scheme that names an API Gateway mechanism (a Lambda or Cognito authorizer) that nothing configures.
    return scheme['x-amazon-apigateway-authtype'] !== undefined ? { role: 'unmapped' } : role;
  };
}

/**
 * Decides every operation's API Gateway security from the document and the configured mechanisms.
 * Secure by default: an operation that declares nothing is protected by the default mechanism when one is
 * configured; only an explicit `security: []` makes it public. Scopes are not written for the JWT
 * authorizer: API Gateway ignores them for Lambda authorizers, so the authorizer enforces them from its scope map.
 */
export function buildOperationSecurity(
  operations: ApiOperation[],
  securitySchemes: { [name: string]: JsonObject },
  mechanisms: SecurityMechanisms,
  source: string,
): { decisions: OperationSecurityDecision[]; warnings: PipelineWarning[] } {
  const warnings: PipelineWarning[] = [];
  const decisions: OperationSecurityDecision[] = [];
  const roleOf = schemeRoles(mechanisms);
  const defaultMechanism: MechanismScheme | undefined =
    mechanisms.defaultMechanism ??
    (mechanisms.authorizerSchemeName !== undefined ? { mechanism: 'jwt', bodySchemeName: mechanisms.authorizerSchemeName } : undefined);
  const unmapped = new Map<string, string[]>();
  const undeclaredWithoutDefault: string[] = [];
  for (const operation of operations) {
    const resolved = resolveOperationAccess(operation, securitySchemes, source, roleOf);
    warnings.push(...resolved.warnings);
    for (const name of resolved.unmapped ?? []) unmapped.set(name, [...(unmapped.get(name) ?? []), operation.operationId]);
    if ((resolved.unmapped ?? []).length > 0) continue;
    const access = resolved.access;
    const pointer = `/paths/${escapePointer(operation.sourcePath)}/${operation.method}/security`;
    const requirement: { [schemeName: string]: string[] } = {};
    const chosen = resolved.requested?.scheme ?? (access.undeclared ? defaultMechanism : undefined);
    if (access.undeclared && chosen === undefined && mechanisms.schemes !== undefined) undeclaredWithoutDefault.push(operation.operationId);
    if (chosen !== undefined) {
      if (chosen.bodySchemeName === undefined) {
        throw new OpenApiError(
          chosen.mechanism === 'jwt'
            ? `operation '${operation.operationId}' requires an OAuth 2.0 / OpenID Connect token, but SecureApi has no 'auth' configured; set auth: Auth.jwt({ issuer, audience }) or Auth.cognito({...})`
            : `operation '${operation.operationId}' requires ${MECHANISM_LABELS[chosen.mechanism]}, which SecureApi's auth does not configure`,
          source,
          pointer,
        );
      }
      // A native Cognito authorizer reads its authorizationScopes from the requirement; the others ignore scopes.
      requirement[chosen.bodySchemeName] =
        chosen.mechanism === 'cognitoUserPool' ? cognitoScopes(operation.operationId, access.scopeAlternatives, source, pointer) : [];
    }
    const needsKey = access.apiKey || (mechanisms.apiKeyForAllOperations === true && !access.public);
    if (needsKey) {
      if (mechanisms.apiKeySchemeName === undefined) {
        throw new OpenApiError(
          `operation '${operation.operationId}' requires an API key, but SecureApi has no 'apiKeys' configured; configure apiKeys (usage plans and consumers)`,
          source,
          pointer,
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
    decisions.push({
      operationId: operation.operationId,
      security: Object.keys(requirement).length > 0 ? [requirement] : [],
      access,
      mechanism: chosen?.mechanism ?? 'none',
      ...(chosen !== undefined ? { mechanismScheme: chosen.bodySchemeName } : {}),
      documentSchemes: resolved.requested?.documentSchemes ?? [],
    });
  }
  if (unmapped.size > 0) {
    const [name, operationIds] = [...unmapped.entries()].sort(([a], [b]) => (a < b ? -1 : 1))[0];
    const scheme = securitySchemes[name];
    throw new OpenApiError(
      `security scheme '${name}' (${describeScheme(scheme)}), required by ${operationIds.map((id) => `'${id}'`).join(', ')}, is mapped to no mechanism: ` +
        (mechanisms.schemes !== undefined
          ? `name it in Auth.schemes({ ${name}: Auth.jwt(...) | Auth.iam() | Auth.lambda(...) | Auth.cognitoUserPool(...) })`
          : `configure auth: Auth.schemes({ ${name}: ... }) with the mechanism that enforces it`) +
        (unmapped.size > 1
          ? ` (also unmapped: ${[...unmapped.keys()]
              .filter((n) => n !== name)
              .sort()
              .map((n) => `'${n}'`)
              .join(', ')})`
          : ''),
      source,
      '/components/securitySchemes',
    );
  }
  if (undeclaredWithoutDefault.length > 0) {
    throw new OpenApiError(
      `${undeclaredWithoutDefault.map((id) => `'${id}'`).join(', ')} declare${undeclaredWithoutDefault.length === 1 ? 's' : ''} no security requirement, and Auth.schemes names no defaultScheme: declare security on ${undeclaredWithoutDefault.length === 1 ? 'it' : 'them'} (security: [] for a public operation), or set Auth.schemes(map, { defaultScheme })`,
      source,
      '/paths',
    );
  }
  return { decisions, warnings };
}

/**
 * The `authorizationScopes` of a native Cognito authorizer. API Gateway accepts a token that holds any
 * one of them (developer guide, "Integrate a REST API with an Amazon Cognito user pool"), which is the
 * document's OR of requirement objects only when each names one scope; an AND of scopes cannot be
 * written, and loosening it to an OR would let a token with one of them in, so it is a synth error.
 */
function cognitoScopes(operationId: string, scopeAlternatives: string[][], source: string, pointer: string): string[] {
  const together = scopeAlternatives.find((set) => set.length > 1);
  if (together !== undefined) {
    throw new OpenApiError(
      `operation '${operationId}' requires the scopes ${together.map((s) => `'${s}'`).join(' AND ')} together, but API Gateway's Cognito user pool authorizer accepts a token holding any one of an operation's scopes; require one scope per security requirement object (each is an alternative), or use Auth.jwt, which enforces scope sets`,
      source,
      pointer,
    );
  }
  return [...new Set(scopeAlternatives.flat())].sort();
}

/** The operationIds whose callers `mechanism` authenticates, in the decisions' order. */
export function operationsByMechanism(
  decisions: ReadonlyArray<Pick<OperationSecurityDecision, 'operationId' | 'mechanism'>>,
  mechanism: AuthMechanism,
): string[] {
  return decisions.filter((d) => d.mechanism === mechanism).map((d) => d.operationId);
}

/** The mechanism of every operation, by operationId. */
export function mechanismByOperation(decisions: ReadonlyArray<Pick<OperationSecurityDecision, 'operationId' | 'mechanism'>>): {
  [operationId: string]: AuthMechanism;
} {
  return Object.fromEntries(decisions.map((d) => [d.operationId, d.mechanism]));
}

/** The imported body's IAM scheme, when an operation uses IAM (no construct is needed: API Gateway signs nothing for us). */
export function iamBodyContribution(
  decisions: ReadonlyArray<Pick<OperationSecurityDecision, 'mechanism'>>,
): { securitySchemes: { [name: string]: JsonObject } } | undefined {
  return decisions.some((d) => d.mechanism === 'iam') ? { securitySchemes: { [IAM_SCHEME_NAME]: { ...IAM_SECURITY_SCHEME } } } : undefined;
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
