import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { buildContentSecurityPolicy, deployValuePlaceholder, DOCS_ENV, DOCS_FILE_PARAMETER } from '../../contracts/docs';
import { bundledHandlerDirectory } from '../common/bundled-handler';
import { HandlerFunction, lambdaInvocationUri } from '../common';
import { ApiOperation, BodyContribution, JsonObject, LoadedDocument, OperationSecurityDecision, VALIDATOR_PARAMS_ONLY } from '../openapi';
import { DeployedSecurity, describeScopes, DocsOperationAccess, publicMechanismScheme } from './deployed-security';
import { docsStaticFiles, writeDocsAsset } from './docs-asset';
import { DocsPublishing, PublishedDocs } from './docs-publishing';
import { DEFAULT_PUBLISHED_EXTENSIONS, documentedOperations, sanitizeDocument } from './sanitize';
import { findSensitiveValues, formatFindings } from './sensitive-values';
import { PropCheck, SecureApiConfigError } from '../model/config-error';

/** The scope a token needs to read the documentation, unless configured otherwise. */
export const DEFAULT_DOCS_SCOPE = 'docs:read';

/** How callers are authenticated on the docs route. */
export enum DocsAccessMode {
  /** The API's JWT authorizer, with the docs scopes. */
  AUTHORIZER = 'authorizer',
  /** An API key (the `x-api-key` header). */
  API_KEY = 'apiKey',
  /** Anyone on the internet. */
  PUBLIC = 'public',
}

/** Options for {@link DocsAccess.authorizer}. */
export interface DocsAuthorizerAccessOptions {
  /**
   * Scopes a token must hold (all of them) to read the documentation.
   * @default ['docs:read']
   */
  readonly scopes?: string[];
}

/**
 * Who may read the API documentation. Create with `DocsAccess.authorizer()` (the default),
 * `DocsAccess.apiKey()` or `DocsAccess.unauthenticated()`.
 */
export class DocsAccess {
  /** Behind the API's JWT authorizer: the caller's token must hold the docs scopes (`docs:read` by default). */
  public static authorizer(options: DocsAuthorizerAccessOptions = {}): DocsAccess {
    const scopes = options.scopes ?? [DEFAULT_DOCS_SCOPE];
    for (const scope of scopes) {
      if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))
        throw new SecureApiConfigError(
          '',
          'docs.access',
          `DocsAccess.authorizer scope '${scope}' is not a valid OAuth 2.0 scope (RFC 6749 §3.3)`,
        );
    }
    return new DocsAccess(DocsAccessMode.AUTHORIZER, [...scopes]);
  }

  /** Behind an API key (API Gateway's `x-api-key` header); requires SecureApi's API keys to be configured. */
  public static apiKey(): DocsAccess {
    return new DocsAccess(DocsAccessMode.API_KEY, []);
  }

  /** Readable by anyone. The sanitized document is still what is served; synth leaves a warning. */
  public static unauthenticated(): DocsAccess {
    return new DocsAccess(DocsAccessMode.PUBLIC, []);
  }

  private constructor(
    /** How callers are authenticated. */
    public readonly mode: DocsAccessMode,
    /** The scopes a token must hold, for `AUTHORIZER`. */
    public readonly scopes: string[],
  ) {}
}

/** OAuth 2.0 endpoints shown in the documentation, for clients to get tokens. */
export interface DocsOAuth2Endpoints {
  /**
   * The token endpoint.
   * @default - the issuer's OpenID Connect discovery document is shown instead
   */
  readonly tokenUrl?: string;
  /**
   * The authorization endpoint, for the authorization code flow.
   * @default - only the client credentials flow is shown
   */
  readonly authorizationUrl?: string;
  /**
   * The refresh endpoint.
   * @default - none
   */
  readonly refreshUrl?: string;
}

/** `SecureApiProps.docs`: the API documentation, served by the API itself. */
export interface ApiDocsOptions {
  /**
   * The route of the documentation page. The page's files and the document are served below it.
   * @default '/docs'
   */
  readonly path?: string;
  /**
   * Who may read the documentation.
   * @default DocsAccess.authorizer() - the API's JWT authorizer with the `docs:read` scope
   */
  readonly access?: DocsAccess;
  /**
   * operationIds to leave out of the documentation, besides those marked `x-internal: true` (and
   * those left out of the API with `excludeOperations`). The API still serves them.
   * @default - only operations marked `x-internal: true`
   */
  readonly internalOperations?: string[];
  /**
   * Vendor extensions to publish in the documentation besides the default allow-list (`x-logo`,
   * `x-tagGroups`, `x-displayName`, `x-codeSamples`, `x-code-samples`, `x-nullable`, `x-enum-varnames`,
   * `x-enum-descriptions`): exact names or prefixes ending in `*` (`x-acme-docs-*`). Every other extension
   * is stripped, so backend configuration in an extension nobody reviewed is never published.
   * `x-amazon-apigateway-*`, `x-secureapi-*` and `x-internal` are stripped even when listed.
   * @default - the default allow-list only
   */
  readonly publishedExtensions?: string[];
  /**
   * Values the sensitive-value check may let through, exactly as they appear (for example a
   * documentation ARN that looks real).
   * @default - none besides the AWS documentation placeholders
   */
  readonly allowedValues?: string[];
  /**
   * Hostname suffixes that are internal to your organization (for example `corp.example.com`), added to
   * the built-in list (`localhost`, `.internal`, `.local`, `.corp`, private addresses, AWS backend endpoints).
   * @default - the built-in list only
   */
  readonly internalHostnames?: string[];
  /**
   * The API's public URL (a custom domain, for example `https://api.example.com`), written as the
   * document's only server.
   * @default - the URL each request for the document came through
   */
  readonly publicUrl?: string;
  /**
   * The OAuth 2.0 endpoints shown to clients.
   * @default - the OpenID Connect discovery document of the authorizer's issuer
   */
  readonly oauth2?: DocsOAuth2Endpoints;
  /**
   * Also publish the page, Swagger UI's files and the sanitized document (with the deployed URL as
   * its server) as static files into a private S3 bucket, for hosting the docs apart from the API
   * (for example behind CloudFront): `DocsPublishing.toNewBucket()` or `DocsPublishing.toBucket(bucket)`.
   * The bucket is `SecureApi.docs.publishedBucket`.
   * @default - not published; the API serves the docs only
   */
  readonly publish?: DocsPublishing;
}

/** A route of the docs, with the scopes its callers need: the root passes these to the authorizer's scope map. */
export interface DocsRoute {
  readonly operationId: string;
  readonly method: 'GET';
  /** The API Gateway resource path. */
  readonly path: string;
  /** Scope sets of which a token must hold one completely (empty when no scope is needed). */
  readonly scopeAlternatives: string[][];
}

/** What the root hands to {@link ApiDocs}: the document, what was deployed, and how it is protected. */
export interface ApiDocsProps {
  readonly options: ApiDocsOptions;
  /** The construct path of the SecureApi, for messages. */
  readonly apiLabel: string;
  /** The user's document as loaded, before any normalization. */
  readonly document: LoadedDocument;
  /** The operations the API serves. */
  readonly operations: ApiOperation[];
  /** How each operation is protected, as deployed. */
  readonly securityDecisions: OperationSecurityDecision[];
  /**
   * The security schemes of the body API Gateway imports, as the auth and API-key concerns contributed
   * them: the scheme with `x-amazon-apigateway-authorizer` is the JWT authorizer, an `apiKey` scheme
   * without one is API Gateway's API key.
   */
  readonly securitySchemes: { [name: string]: JsonObject };
  /**
   * The body's security schemes of the other mechanisms (IAM, Lambda and Cognito user pool authorizers), by
   * name: the public document describes each operation's mechanism from them.
   * @default - none
   */
  readonly mechanismSchemes?: { [name: string]: JsonObject };
  /**
   * The issuer of the tokens the authorizer accepts: its OpenID Connect discovery document is shown to clients.
   * @default - the documentation shows a bearer token scheme without endpoints (unless `options.oauth2` is set)
   */
  readonly issuer?: string;
  /**
   * The API's public URL from another concern (a custom domain); `options.publicUrl` wins.
   * @default - none
   */
  readonly publicUrl?: string;
  /** The docs function's log group (from `ApiLogs.functionLogGroup`). */
  readonly logGroup: logs.ILogGroup;
  /**
   * The stage's execute-api URL (a deploy-time token), the published document's server when no public URL is known.
   * @default - required when `options.publish` is set and there is no public URL
   */
  readonly stageUrl?: string;
  /**
   * The publishing function's log group (from `ApiLogs.functionLogGroup`).
   * @default - required when `options.publish` is set
   */
  readonly publishLogGroup?: logs.ILogGroup;
}

/** The API documentation of a SecureApi, as `SecureApi.docs` exposes it. */
export interface IApiDocs extends IConstruct {
  /** The function that serves the page, its files and the document. */
  readonly handler: lambda.Function;
  /** Scopes the identity provider must know (for example a Cognito resource server): the docs scopes. */
  readonly scopes: string[];
  /** The public document as bundled (values known only at deploy time appear as placeholders). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- public jsii API: `any` is how jsii spells a JSON map for other languages
  readonly publicDocument: { [key: string]: any };
  /** The operations left out of the documentation, as `METHOD path (operationId)`. */
  readonly removedOperations: string[];
  /** The folder of the function's asset: the bundled handler and the files it serves (under `static/`). */
  readonly assetDirectory: string;
  /**
   * The private bucket the docs are published to, when `docs.publish` is set: serve it with a CloudFront
   * origin access control (`S3BucketOrigin.withOriginAccessControl(bucket)`).
   * @default - not published
   */
  readonly publishedBucket?: s3.IBucket;
  /**
   * The key prefix of the published files (`docs/`): the page is `<prefix>index.html`.
   * @default - not published
   */
  readonly publishedPrefix?: string;
}

/**
 * The API documentation: the user's OpenAPI document made public (internal operations, deployment
 * extensions and servers removed, security shown as deployed, checked for sensitive values) and
 * served with Swagger UI by a small function behind the API's authentication.
 * It contributes routes to the imported body (`extraPaths`); the root wires the invoke permission.
 */
export class ApiDocs extends Construct implements IApiDocs {
  /** The function that serves the page, its files and the document. */
  public readonly handler: lambda.Function;
  /** The routes to add to the body API Gateway imports. */
  public readonly extraPaths: { [path: string]: JsonObject };
  /** What the docs add to the imported body: their routes. */
  public readonly bodyContribution: BodyContribution;
  /** The docs routes and the scopes they need, for the authorizer's scope map. */
  public readonly routes: DocsRoute[];
  /** Scopes the identity provider must know (for example a Cognito resource server): the docs scopes. */
  public readonly scopes: string[];
  /** The public document as bundled (values known only at deploy time appear as placeholders). */
  public readonly publicDocument: JsonObject;
  /** The operations left out of the documentation, as `METHOD path (operationId)`. */
  public readonly removedOperations: string[];
  /** The folder of the function's asset: the bundled handler and the files it serves. */
  public readonly assetDirectory: string;
  /** The private bucket the docs are published to, when `docs.publish` is set. */
  public readonly publishedBucket?: s3.IBucket;
  /** The key prefix of the published files, when `docs.publish` is set. */
  public readonly publishedPrefix?: string;

  constructor(scope: Construct, id: string, props: ApiDocsProps) {
    super(scope, id);
    const options = props.options;
    const where = `SecureApi '${props.apiLabel}'`;
    const check = new PropCheck(props.apiLabel, 'docs');
    const access = options.access ?? DocsAccess.authorizer();
    const mechanisms = findMechanisms(props.securitySchemes);
    const docsPath = normalizeDocsPath(options.path, check);
    checkPathIsFree(docsPath, props.operations, check);

    // 1. Who may read the docs, written as the security of the docs routes.
    const routeSecurity = this.routeSecurity(access, mechanisms, props.options.path, check);

    // 2. The public document: sanitized, with the security as deployed, then checked.
    // The routes of an enum expansion are deployed under their own ids, and documented under the document's.
    const deployedIds = new Set(props.operations.map((o) => o.documentOperationId ?? o.operationId));
    const notDeployed = documentedOperations(props.document.document)
      .map((o) => o.operation.operationId)
      .filter((id): id is string => typeof id === 'string' && !deployedIds.has(id));
    for (const id of options.internalOperations ?? []) {
      if (!documentedOperations(props.document.document).some((o) => o.operation.operationId === id)) {
        check.fail('internalOperations', `names '${id}', which is not an operationId of the document`);
      }
    }
    const deployedSecurity = this.deployedSecurity(access, mechanisms, props);
    let sanitized;
    try {
      sanitized = sanitizeDocument(props.document.document, {
        internalOperations: [...new Set([...(options.internalOperations ?? []), ...notDeployed])],
        publishedExtensions: [...DEFAULT_PUBLISHED_EXTENSIONS, ...(options.publishedExtensions ?? [])],
        deployedSecurity,
      });
    } catch (e) {
      throw e instanceof SecureApiConfigError && e.constructPath === '' ? e.inConstruct(props.apiLabel) : e;
    }
    const findings = findSensitiveValues(sanitized.document, {
      allowedValues: options.allowedValues,
      internalHostnames: options.internalHostnames,
    });
    if (findings.length > 0) throw new SecureApiConfigError(props.apiLabel, '', formatFindings(findings));
    this.removedOperations = sanitized.removedOperations;
    if (this.removedOperations.length > 0) {
      Annotations.of(this).addInfo(`${where}: the API documentation leaves out ${this.removedOperations.join(', ')}`);
    }
    if (sanitized.removedInternalElements.length > 0) {
      Annotations.of(this).addInfo(
        `${where}: the API documentation leaves out the internal elements ${sanitized.removedInternalElements.join(', ')}`,
      );
    }

    // 3. Values known only at deploy time (a Cognito domain's token URL) travel through the environment.
    const deployValues: { [placeholder: string]: string } = {};
    this.publicDocument = replaceTokens(sanitized.document, (token) => {
      const placeholder = deployValuePlaceholder(Object.keys(deployValues).length);
      deployValues[placeholder] = token;
      return placeholder;
    }) as JsonObject;

    const publicUrl = options.publicUrl ?? props.publicUrl;
    if (publicUrl !== undefined && !Token.isUnresolved(publicUrl) && !/^https:\/\/[^/?#]+(\/[^?#]*)?$/.test(publicUrl)) {
      check.fail('publicUrl', `must be an https:// URL without query or fragment, got '${publicUrl}'`);
    }
    const environment: { [key: string]: string } = {
      [DOCS_ENV.contentSecurityPolicy]: buildContentSecurityPolicy(connectSources(publicUrl, deployedSecurity)),
    };
    if (publicUrl !== undefined) environment[DOCS_ENV.publicUrl] = publicUrl.replace(/\/+$/, '');
    if (Object.keys(deployValues).length > 0) environment[DOCS_ENV.deployValues] = Stack.of(this).toJsonString(deployValues);

    // 4. The function, with Swagger UI and the document in its asset.
    this.assetDirectory = writeDocsAsset(bundledHandlerDirectory('docs'), docsStaticFiles(this.publicDocument));
    this.handler = new HandlerFunction(this, 'Handler', {
      handlerName: 'docs',
      code: lambda.Code.fromAsset(this.assetDirectory),
      purpose: `serves the API documentation of ${props.apiLabel}`,
      logGroup: props.logGroup,
      environment,
      memorySize: 256,
      reservedConcurrentExecutions: 5,
    });

    // 5. The routes: the page at the docs path, its files and the document one level below.
    const filePath = `${docsPath}/{${DOCS_FILE_PARAMETER}}`;
    const integration = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: lambdaInvocationUri(this.handler),
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 10_000,
    };
    const operation = (operationId: string, parameters: JsonObject[]): JsonObject => ({
      operationId,
      ...(parameters.length > 0 ? { parameters } : {}),
      responses: { '200': { description: 'The documentation' } },
      ...(routeSecurity.length > 0 ? { security: routeSecurity } : {}),
      'x-amazon-apigateway-request-validator': VALIDATOR_PARAMS_ONLY,
      'x-amazon-apigateway-integration': integration,
    });
    this.extraPaths = {
      [docsPath]: { get: operation('secureApiDocsPage', []) },
      [filePath]: {
        get: operation('secureApiDocsFile', [{ name: DOCS_FILE_PARAMETER, in: 'path', required: true, schema: { type: 'string' } }]),
      },
    };
    this.bodyContribution = { extraPaths: this.extraPaths };
    this.routes = docsRoutes(options, props.apiLabel);

    // 6. Optionally, the same files as static files in a private bucket, the document with its server.
    if (options.publish !== undefined) {
      const serverUrl = publicUrl ?? props.stageUrl;
      if (serverUrl === undefined || props.publishLogGroup === undefined) {
        // Invariant (a bug, not configuration): the root passes both whenever docs.publish is set.
        throw new Error(`${where}: docs.publish needs the stage URL and a log group for the publishing function (the root passes them)`);
      }
      const published = new PublishedDocs(this, 'Published', {
        publishing: options.publish,
        assetDirectory: this.assetDirectory,
        docsPath,
        serverUrl: serverUrl.replace(/\/+$/, ''),
        deployValues,
        logGroup: props.publishLogGroup,
        where,
        apiLabel: props.apiLabel,
      });
      this.publishedBucket = published.bucket;
      this.publishedPrefix = published.prefix;
    }
    this.scopes = access.mode === DocsAccessMode.AUTHORIZER ? [...access.scopes].sort() : [];
  }

  private routeSecurity(
    access: DocsAccess,
    mechanisms: Mechanisms,
    path: string | undefined,
    check: PropCheck,
  ): Array<{ [scheme: string]: string[] }> {
    switch (access.mode) {
      case DocsAccessMode.AUTHORIZER:
        if (mechanisms.authorizerSchemeName === undefined) {
          check.fail(
            'access',
            `is DocsAccess.authorizer() (the default), but SecureApi has no 'auth' configured; set auth: Auth.jwt({ issuer, audience }), or choose docs.access: DocsAccess.apiKey() or DocsAccess.unauthenticated()`,
          );
        }
        return [{ [mechanisms.authorizerSchemeName]: [] }];
      case DocsAccessMode.API_KEY:
        if (mechanisms.apiKeySchemeName === undefined) {
          check.fail(
            'access',
            `is DocsAccess.apiKey(), but SecureApi has no API keys configured; configure apiKeys, or choose docs.access: DocsAccess.authorizer()`,
          );
        }
        return [{ [mechanisms.apiKeySchemeName]: [] }];
      default:
        Annotations.of(this).addWarningV2(
          'cdk-secure-api:docs-public',
          `SecureApi '${check.constructPath}': the API documentation at ${path ?? '/docs'} is public (docs.access: DocsAccess.unauthenticated()); anyone can read the sanitized OpenAPI document`,
        );
        return [];
    }
  }

  /** The security as deployed, as clients see it in the documentation. */
  private deployedSecurity(access: DocsAccess, mechanisms: Mechanisms, props: ApiDocsProps): DeployedSecurity {
    const operations: { [operationId: string]: DocsOperationAccess } = {};
    const mechanismSchemes: { [name: string]: JsonObject } = {};
    const swagger2 = typeof props.document.document.swagger === 'string';
    // The document names an enum expansion's routes by its own operationId; they share its security.
    const documentId = new Map(props.operations.map((o) => [o.operationId, o.documentOperationId ?? o.operationId]));
    for (const decision of props.securityDecisions) {
      const required = decision.security[0] ?? {};
      const other =
        decision.mechanism === 'none' || decision.mechanism === 'jwt' || decision.mechanismScheme === undefined
          ? undefined
          : publicMechanismScheme(
              decision.mechanism,
              decision.mechanismScheme,
              props.mechanismSchemes?.[decision.mechanismScheme],
              swagger2,
            );
      if (other !== undefined) mechanismSchemes[other.name] = other.scheme;
      operations[documentId.get(decision.operationId) ?? decision.operationId] = {
        jwt: mechanisms.authorizerSchemeName !== undefined && mechanisms.authorizerSchemeName in required,
        apiKey: mechanisms.apiKeySchemeName !== undefined && mechanisms.apiKeySchemeName in required,
        scopeAlternatives: decision.mechanism === 'jwt' ? decision.access.scopeAlternatives : [],
        ...(other !== undefined ? { mechanismScheme: other.name } : {}),
        ...(decision.access.anonymousAllowed === true ? { anonymous: true } : {}),
      };
    }
    const extraScopes: { [scope: string]: string } = {};
    if (access.mode === DocsAccessMode.AUTHORIZER) for (const scope of access.scopes) extraScopes[scope] = 'Read the API documentation';
    const usesJwt =
      mechanisms.authorizerSchemeName !== undefined &&
      (Object.values(operations).some((o) => o.jwt) || access.mode === DocsAccessMode.AUTHORIZER);
    const usesKey =
      mechanisms.apiKeySchemeName !== undefined &&
      (Object.values(operations).some((o) => o.apiKey) || access.mode === DocsAccessMode.API_KEY);
    const oauth2 = props.options.oauth2;
    return {
      operations,
      ...(Object.keys(mechanismSchemes).length > 0 ? { mechanismSchemes } : {}),
      oauth2: usesJwt
        ? {
            schemeName: 'oauth2',
            tokenUrl: oauth2?.tokenUrl,
            authorizationUrl: oauth2?.authorizationUrl,
            refreshUrl: oauth2?.refreshUrl,
            openIdConnectUrl:
              props.issuer !== undefined ? `${props.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` : undefined,
            scopes: describeScopes(props.document.document, Object.values(operations), extraScopes),
          }
        : undefined,
      apiKey: usesKey ? { schemeName: 'apiKey', headerName: mechanisms.apiKeyHeaderName } : undefined,
    };
  }
}

interface Mechanisms {
  readonly authorizerSchemeName?: string;
  readonly apiKeySchemeName?: string;
  readonly apiKeyHeaderName: string;
}

/** Which body security scheme is the JWT authorizer and which the API key. */
function findMechanisms(schemes: { [name: string]: JsonObject }): Mechanisms {
  const names = Object.keys(schemes).sort();
  const authorizerSchemeName = names.find((n) => schemes[n]['x-amazon-apigateway-authorizer'] !== undefined);
  const apiKeySchemeName = names.find((n) => schemes[n].type === 'apiKey' && schemes[n]['x-amazon-apigateway-authorizer'] === undefined);
  const headerName = apiKeySchemeName !== undefined ? schemes[apiKeySchemeName].name : undefined;
  return { authorizerSchemeName, apiKeySchemeName, apiKeyHeaderName: typeof headerName === 'string' ? headerName : 'x-api-key' };
}

/**
 * The docs routes and the scopes a token needs on them, from the options alone: the root hands them
 * to the authorizer's scope map before the docs are built (the docs need the authorizer's scheme).
 */
export function docsRoutes(options: ApiDocsOptions, apiLabel = ''): DocsRoute[] {
  const access = options.access ?? DocsAccess.authorizer();
  const docsPath = normalizeDocsPath(options.path, new PropCheck(apiLabel, 'docs'));
  const scopeAlternatives = access.mode === DocsAccessMode.AUTHORIZER && access.scopes.length > 0 ? [[...access.scopes].sort()] : [];
  return [
    { operationId: 'secureApiDocsPage', method: 'GET', path: docsPath, scopeAlternatives },
    { operationId: 'secureApiDocsFile', method: 'GET', path: `${docsPath}/{${DOCS_FILE_PARAMETER}}`, scopeAlternatives },
  ];
}

/** The docs path as an API Gateway resource path: `/docs`, `/api/docs` (no trailing slash, no variables). */
function normalizeDocsPath(path: string | undefined, check: PropCheck): string {
  if (path === undefined) return '/docs';
  const normalized = path.replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(normalized)) {
    check.fail('path', `must be a fixed path such as '/docs' (segments of letters, digits, '.', '_' and '-'), got '${path}'`);
  }
  return normalized;
}

/** The docs own their path and everything below it. */
function checkPathIsFree(docsPath: string, operations: ApiOperation[], check: PropCheck): void {
  const taken = operations.filter((o) => o.path === docsPath || o.path.startsWith(`${docsPath}/`));
  if (taken.length > 0) {
    check.fail(
      'path',
      `'${docsPath}' is taken by ${taken.map((o) => `${o.method.toUpperCase()} ${o.path} (${o.operationId})`).join(', ')}; choose another docs.path`,
    );
  }
}

/**
 * Where the page may send requests besides its own origin: the public URL ("Try it out" against a
 * custom domain) and the OAuth 2.0 endpoints (token requests from the page). A CDK token stands for a
 * whole URL, so it is listed whole (CSP sources may be full URLs).
 */
function connectSources(publicUrl: string | undefined, security: DeployedSecurity): string[] {
  const urls = [
    publicUrl,
    security.oauth2?.tokenUrl,
    security.oauth2?.refreshUrl,
    security.oauth2?.tokenUrl === undefined ? security.oauth2?.openIdConnectUrl : undefined,
  ];
  const sources: string[] = [];
  for (const url of urls) {
    if (url === undefined) continue;
    const source = Token.isUnresolved(url) ? url : new URL(url).origin;
    if (!sources.includes(source)) sources.push(source);
  }
  return sources;
}

function replaceTokens(node: unknown, replace: (token: string) => string): unknown {
  if (typeof node === 'string') return Token.isUnresolved(node) ? replace(node) : node;
  if (Array.isArray(node)) return node.map((item) => replaceTokens(item, replace));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replaceTokens(value, replace)]));
  }
  return node;
}
