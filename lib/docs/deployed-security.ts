import { AuthMechanism, HTTP_METHODS, isObject, JsonObject, listOperations } from '../model';

/** How a client obtains the tokens the JWT authorizer accepts, as the public document shows it. */
export interface DocsOAuth2 {
  /** The name of the security scheme in the public document. */
  readonly schemeName: string;
  /** The OAuth 2.0 token endpoint. With it, the document declares OAuth 2.0 flows (client credentials, and authorization code with `authorizationUrl`). */
  readonly tokenUrl?: string;
  /** The OAuth 2.0 authorization endpoint, for the authorization code flow. */
  readonly authorizationUrl?: string;
  /** The OAuth 2.0 refresh endpoint. */
  readonly refreshUrl?: string;
  /** The OpenID Connect discovery URL, used when no `tokenUrl` is known. */
  readonly openIdConnectUrl?: string;
  /** Every scope a client may need, with a description. */
  readonly scopes: { [scope: string]: string };
}

/** The API key as deployed. */
export interface DocsApiKey {
  /** The name of the security scheme in the public document. */
  readonly schemeName: string;
  /** The header API Gateway reads the key from. */
  readonly headerName: string;
}

/** What one operation requires, as enforced (from `buildOperationSecurity`'s decisions). */
export interface DocsOperationAccess {
  readonly jwt: boolean;
  readonly apiKey: boolean;
  /** Scope sets of which a token must hold one completely. */
  readonly scopeAlternatives: string[][];
  /**
   * The public scheme of the operation's other mechanism (IAM, a Lambda or Cognito user pool authorizer), a key of
   * {@link DeployedSecurity.mechanismSchemes}.
   * @default - none: the JWT authorizer, an API key, or nothing
   */
  readonly mechanismScheme?: string;
  /**
   * Optional authentication: callers without a token are served as anonymous (documented as `{}` first).
   * @default false
   */
  readonly anonymous?: boolean;
}

/** The public security scheme of a mechanism other than the JWT authorizer, and its name in the public document. */
export function publicMechanismScheme(
  mechanism: Exclude<AuthMechanism, 'none' | 'jwt'>,
  bodySchemeName: string,
  bodyScheme: JsonObject | undefined,
  swagger2: boolean,
): { name: string; scheme: JsonObject } {
  const header = typeof bodyScheme?.name === 'string' ? bodyScheme.name : 'Authorization';
  switch (mechanism) {
    case 'iam':
      return {
        name: 'awsSigV4',
        scheme: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'IAM: sign the request with AWS Signature Version 4 (service `execute-api`) as a principal allowed `execute-api:Invoke` on this operation.',
        },
      };
    case 'lambda':
      return {
        name: `lambdaAuthorizer${bodySchemeName.replace(/^SecureApiLambda/, '')}`,
        scheme: {
          type: 'apiKey',
          in: 'header',
          name: header,
          description: `The credentials your organization's Lambda authorizer checks, in the \`${header}\` header.`,
        },
      };
    case 'cognitoUserPool': {
      const description =
        'A token of the Amazon Cognito user pool in the Authorization header; where an operation lists scopes, an access token holding one of them.';
      return {
        name: `cognitoUserPool${bodySchemeName.replace(/^SecureApiCognito/, '')}`,
        scheme: swagger2
          ? { type: 'apiKey', in: 'header', name: 'Authorization', description }
          : { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description },
      };
    }
  }
}

/** The security as deployed, which replaces the document's own in the public version. */
export interface DeployedSecurity {
  readonly oauth2?: DocsOAuth2;
  readonly apiKey?: DocsApiKey;
  /** By operationId. An operation not listed is shown as public. */
  readonly operations: { [operationId: string]: DocsOperationAccess };
  /**
   * The public schemes of the other mechanisms (IAM, Lambda and Cognito user pool authorizers), by name.
   * @default - none
   */
  readonly mechanismSchemes?: { [name: string]: JsonObject };
}

/**
 * The scopes of an API, with descriptions: every scope an operation requires, described by the
 * document's own OAuth 2.0 schemes where they describe it, plus `extra` scopes (the docs scope).
 */
export function describeScopes(
  document: JsonObject,
  operations: DocsOperationAccess[],
  extra: { [scope: string]: string } = {},
): { [scope: string]: string } {
  const known: { [scope: string]: string } = {};
  const schemes =
    isObject(document.components) && isObject(document.components.securitySchemes)
      ? document.components.securitySchemes
      : isObject(document.securityDefinitions)
        ? document.securityDefinitions
        : {};
  for (const scheme of Object.values(schemes)) {
    if (!isObject(scheme)) continue;
    const flows = isObject(scheme.flows) ? Object.values(scheme.flows) : [scheme];
    for (const flow of flows) {
      if (isObject(flow) && isObject(flow.scopes))
        for (const [scope, description] of Object.entries(flow.scopes)) known[scope] ??= String(description);
    }
  }
  const scopes: { [scope: string]: string } = {};
  const names = new Set([...operations.flatMap((o) => o.scopeAlternatives.flat()), ...Object.keys(extra)]);
  for (const scope of [...names].sort()) scopes[scope] = extra[scope] ?? known[scope] ?? scope;
  return scopes;
}

/** Replaces the document's security schemes and requirements with those deployed. */
export function applyDeployedSecurity(document: JsonObject, deployed: DeployedSecurity): JsonObject {
  const swagger2 = typeof document.swagger === 'string';
  const schemes: JsonObject = {};
  if (deployed.oauth2 !== undefined)
    schemes[deployed.oauth2.schemeName] = swagger2 ? oauth2SchemeV2(deployed.oauth2) : oauth2SchemeV3(deployed.oauth2);
  if (deployed.apiKey !== undefined) {
    schemes[deployed.apiKey.schemeName] = {
      type: 'apiKey',
      in: 'header',
      name: deployed.apiKey.headerName,
      description: 'An API key issued to your application.',
    };
  }
  for (const [name, scheme] of Object.entries(deployed.mechanismSchemes ?? {})) schemes[name] = scheme;
  // Scopes may be listed in a requirement only for OAuth 2.0 and OpenID Connect schemes.
  const oauthScopesAllowed = deployed.oauth2 !== undefined && schemeTakesScopes(schemes[deployed.oauth2.schemeName] as JsonObject);

  if (swagger2) {
    if (Object.keys(schemes).length > 0) document.securityDefinitions = schemes;
    else delete document.securityDefinitions;
  } else {
    const components = isObject(document.components) ? document.components : {};
    if (Object.keys(schemes).length > 0) components.securitySchemes = schemes;
    else delete components.securitySchemes;
    if (Object.keys(components).length > 0 || document.components !== undefined) document.components = components;
  }
  delete document.security;

  for (const { operation } of listOperations(document, { methods: [...HTTP_METHODS, 'trace'], containers: ['paths', 'webhooks'] })) {
    const access = typeof operation.operationId === 'string' ? deployed.operations[operation.operationId] : undefined;
    operation.security = access === undefined ? [] : requirementsFor(access, deployed, oauthScopesAllowed);
  }
  return document;
}

function requirementsFor(
  access: DocsOperationAccess,
  deployed: DeployedSecurity,
  scopesAllowed: boolean,
): Array<{ [scheme: string]: string[] }> {
  if (!access.jwt && !access.apiKey && access.mechanismScheme === undefined) return [];
  const alternatives = access.jwt && access.scopeAlternatives.length > 0 ? access.scopeAlternatives : [[]];
  const requirements = new Map<string, { [scheme: string]: string[] }>();
  for (const scopes of alternatives) {
    const requirement: { [scheme: string]: string[] } = {};
    if (access.jwt && deployed.oauth2 !== undefined) requirement[deployed.oauth2.schemeName] = scopesAllowed ? [...scopes] : [];
    if (access.mechanismScheme !== undefined) requirement[access.mechanismScheme] = [];
    if (access.apiKey && deployed.apiKey !== undefined) requirement[deployed.apiKey.schemeName] = [];
    // Without scopes, alternatives that differed only in scopes become one (requirements must be unique).
    requirements.set(JSON.stringify(requirement), requirement);
  }
  return [...(access.anonymous === true ? [{}] : []), ...requirements.values()];
}

function oauth2SchemeV3(oauth2: DocsOAuth2): JsonObject {
  const description = 'An OAuth 2.0 access token (a JWT) in the Authorization header: `Authorization: Bearer <token>`.';
  if (oauth2.tokenUrl !== undefined) {
    const flows: JsonObject = {
      clientCredentials: {
        tokenUrl: oauth2.tokenUrl,
        ...(oauth2.refreshUrl ? { refreshUrl: oauth2.refreshUrl } : {}),
        scopes: oauth2.scopes,
      },
    };
    if (oauth2.authorizationUrl !== undefined) {
      flows.authorizationCode = {
        authorizationUrl: oauth2.authorizationUrl,
        tokenUrl: oauth2.tokenUrl,
        ...(oauth2.refreshUrl ? { refreshUrl: oauth2.refreshUrl } : {}),
        scopes: oauth2.scopes,
      };
    }
    return { type: 'oauth2', description, flows };
  }
  if (oauth2.openIdConnectUrl !== undefined) return { type: 'openIdConnect', description, openIdConnectUrl: oauth2.openIdConnectUrl };
  return {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `${description} Scopes: ${Object.keys(oauth2.scopes).join(', ') || 'none'}.`,
  };
}

function oauth2SchemeV2(oauth2: DocsOAuth2): JsonObject {
  const description = 'An OAuth 2.0 access token (a JWT) in the Authorization header: `Authorization: Bearer <token>`.';
  if (oauth2.tokenUrl !== undefined) {
    return oauth2.authorizationUrl !== undefined
      ? {
          type: 'oauth2',
          description,
          flow: 'accessCode',
          authorizationUrl: oauth2.authorizationUrl,
          tokenUrl: oauth2.tokenUrl,
          scopes: oauth2.scopes,
        }
      : { type: 'oauth2', description, flow: 'application', tokenUrl: oauth2.tokenUrl, scopes: oauth2.scopes };
  }
  // Swagger 2.0 has neither bearer nor OpenID Connect schemes: describe the header.
  const discovery = oauth2.openIdConnectUrl !== undefined ? ` Discovery: ${oauth2.openIdConnectUrl}.` : '';
  return { type: 'apiKey', in: 'header', name: 'Authorization', description: `${description}${discovery}` };
}

function schemeTakesScopes(scheme: JsonObject): boolean {
  return scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
}
