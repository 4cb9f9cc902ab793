import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AUTHORIZER_ENV, AuthorizerConfig, AuthorizerRoutes } from '../../contracts/authorizer-config';
import { AUTHORIZER_METRICS_ENV } from '../../contracts/authorizer-metrics';
import { bundledHandlerDirectory } from '../common/bundled-handler';
import { acknowledgeDeployTimeSourceAccount, HandlerFunction, lambdaInvocationUri } from '../common';
import { BodyContribution, JsonObject } from '../openapi';
import { writeAuthorizerAsset } from './authorizer-asset';
import { SecureApiConfigError } from '../model/config-error';

/**
 * The identity sources of the REQUEST authorizer, which are also API Gateway's cache key: the token,
 * and the operation (method and resource path). A cached answer is therefore only ever reused for the
 * same token on the same operation, and the policy can be exact for that operation.
 */
export const AUTHORIZER_IDENTITY_SOURCE = 'method.request.header.Authorization, context.httpMethod, context.resourcePath';

/**
 * The identity source of the token-keyed authorizer: the token alone. Its answer is one policy deciding
 * every operation it serves (see lib/auth/cache-proof.ts), so API Gateway reuses it across them.
 */
export const TOKEN_KEYED_IDENTITY_SOURCE = 'method.request.header.Authorization';

/** Props of {@link JwtAuthorizer}. */
export interface JwtAuthorizerProps {
  /** The SecureApi's construct path, for descriptions. */
  readonly label: string;
  /** The REST API's name: the `Api` dimension of the rejection metric and the realm of `WWW-Authenticate`. */
  readonly apiName: string;
  /** The handler's runtime configuration; issuers and client ids may be deploy-time values. */
  readonly config: AuthorizerConfig;
  /** The scope each operation needs, computed at synth from the document. */
  readonly scopeMap: AuthorizerRoutes;
  /** How long API Gateway caches an answer (0: no cache). */
  readonly resultCacheTtlSeconds: number;
  /**
   * The operations the token-keyed authorizer serves (their routes are `scopeMap.tokenKeyed`).
   * @default - none: every operation uses the per-operation key
   */
  readonly tokenKeyedOperationIds?: string[];
  /**
   * The operations with optional authentication (their routes are `scopeMap.anonymous`), served by the
   * authorizer without identity source or cache.
   * @default - none
   */
  readonly anonymousOperationIds?: string[];

  /** The function's own KMS-encrypted log group. */
  readonly logGroup: logs.ILogGroup;
  /**
   * Reserved concurrency.
   * @default 100
   */
  readonly reservedConcurrency?: number;
  /**
   * Memory in MB.
   * @default 512
   */
  readonly memorySize?: number;
}

/** The JWT authorizer of a SecureApi, as `SecureApi.auth.authorizer` exposes it. */
export interface IJwtAuthorizer extends IConstruct {
  /** The authorizer function. */
  readonly function: lambda.Function;
  /** The trusted issuers (may hold deploy-time values). */
  readonly issuers: string[];
}

/**
 * The JWT REQUEST authorizer of one API: a function running the bundled handler with the scope map
 * packaged next to it, the `x-amazon-apigateway-authorizer` security scheme for the imported body,
 * the `WWW-Authenticate` header for 401 responses, and the invoke permission for the API.
 */
export class JwtAuthorizer extends Construct implements IJwtAuthorizer {
  /** Name of the security scheme in the imported body: the authorizer whose cache key is the token, method and resource path. */
  public static readonly SCHEME_NAME = 'SecureApiJwtAuthorizer';
  /**
   * Name of the token-keyed authorizer's security scheme (same function, cache key the token alone). It
   * sorts before {@link SCHEME_NAME}, so the body's first authorizer scheme is the one most operations use.
   */
  public static readonly TOKEN_KEYED_SCHEME_NAME = 'SecureApiJwtAuthByToken';
  /**
   * Name of the security scheme of operations with optional authentication: the same function, with no
   * identity source and no cache. API Gateway answers 401 without calling a REQUEST authorizer whose identity
   * source is missing from the request; without identity source it calls it for every request (which the
   * developer guide allows only with caching off), and a cache keyed by nothing would mix callers.
   */
  public static readonly OPTIONAL_SCHEME_NAME = 'SecureApiJwtAuthOptional';

  /** The authorizer function. */
  public readonly function: lambda.Function;
  /** The security scheme to write into `components.securitySchemes` of the imported body. */
  public readonly securityScheme: JsonObject;
  /** The token-keyed authorizer's security scheme, when some operation uses it. */
  public readonly tokenKeyedSecurityScheme?: JsonObject;
  /** The operations the token-keyed authorizer serves. */
  public readonly tokenKeyedOperationIds: ReadonlySet<string>;
  /** The security scheme of operations with optional authentication, when there are any. */
  public readonly optionalSecurityScheme?: JsonObject;
  /** The operations with optional authentication. */
  public readonly anonymousOperationIds: ReadonlySet<string>;

  /** Headers to add to gateway responses, by response type. */
  public readonly gatewayResponseHeaders: { [responseType: string]: { [header: string]: string } };
  /** What the authorizer adds to the imported body: its security scheme and the 401's `WWW-Authenticate` header. */
  public readonly bodyContribution: BodyContribution;
  /** The scope map packaged with the function. */
  public readonly scopeMap: AuthorizerRoutes;
  /** The trusted issuers (may hold deploy-time values). */
  public readonly issuers: string[];
  /** The folder of the function's asset: the bundled handler and `routes.json`. */
  public readonly assetDirectory: string;

  constructor(scope: Construct, id: string, props: JwtAuthorizerProps) {
    super(scope, id);
    this.scopeMap = props.scopeMap;
    this.issuers = props.config.issuers.map((i) => i.issuer);
    const configJson = Stack.of(this).toJsonString(props.config);
    if (!Token.isUnresolved(configJson) && configJson.length > 3072) {
      throw new SecureApiConfigError(
        props.label,
        'auth',
        `gives an authorizer configuration of ${configJson.length} characters, over the 3072 that fit Lambda's 4 KB environment next to the other variables; trust fewer issuers, audiences or clients`,
      );
    }

    this.assetDirectory = writeAuthorizerAsset(bundledHandlerDirectory('authorizer'), props.scopeMap);
    this.function = new HandlerFunction(this, 'Function', {
      handlerName: 'authorizer',
      code: lambda.Code.fromAsset(this.assetDirectory),
      purpose: `verifies the JWT access tokens and OAuth 2.0 scopes of ${props.label}`,
      logGroup: props.logGroup,
      environment: {
        [AUTHORIZER_ENV.config]: configJson,
        [AUTHORIZER_METRICS_ENV.apiName]: props.apiName,
      },
      // Discovery and the key set are fetched with bounded timeouts (two exchanges at most on a cold start).
      timeout: Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 100,
    });

    const scheme = (identitySource: string): JsonObject => ({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource,
        authorizerUri: lambdaInvocationUri(this.function),
        authorizerResultTtlInSeconds: props.resultCacheTtlSeconds,
      },
    });
    this.securityScheme = scheme(AUTHORIZER_IDENTITY_SOURCE);
    this.tokenKeyedOperationIds = new Set(props.tokenKeyedOperationIds ?? []);
    if (this.tokenKeyedOperationIds.size > 0) this.tokenKeyedSecurityScheme = scheme(TOKEN_KEYED_IDENTITY_SOURCE);
    this.anonymousOperationIds = new Set(props.anonymousOperationIds ?? []);
    if (this.anonymousOperationIds.size > 0) {
      const optional = scheme('');
      const { identitySource: _none, ...authorizer } = optional['x-amazon-apigateway-authorizer'] as JsonObject;
      this.optionalSecurityScheme = { ...optional, 'x-amazon-apigateway-authorizer': { ...authorizer, authorizerResultTtlInSeconds: 0 } };
    }
    const realm = Token.isUnresolved(props.apiName) ? 'api' : props.apiName.replace(/[^A-Za-z0-9 ._-]/g, '_');
    this.gatewayResponseHeaders = { UNAUTHORIZED: { 'WWW-Authenticate': `Bearer realm="${realm}"` } };
    this.bodyContribution = {
      securitySchemes: this.bodySchemes({ [JwtAuthorizer.SCHEME_NAME]: this.securityScheme }),
      responseHeaders: this.gatewayResponseHeaders,
    };
  }

  /**
   * The `security` to write on an operation of the imported body: the token-keyed authorizer's scheme in
   * place of the per-operation one for the operations it serves.
   */
  public operationSecurity(
    operationId: string,
    security: Array<{ [schemeName: string]: string[] }>,
  ): Array<{ [schemeName: string]: string[] }> {
    const replacement = this.anonymousOperationIds.has(operationId)
      ? JwtAuthorizer.OPTIONAL_SCHEME_NAME
      : this.tokenKeyedOperationIds.has(operationId)
        ? JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME
        : undefined;
    if (replacement === undefined) return security;
    return security.map((requirement) =>
      Object.fromEntries(
        Object.entries(requirement).map(([name, scopes]) => [name === JwtAuthorizer.SCHEME_NAME ? replacement : name, scopes]),
      ),
    );
  }

  /** The security schemes to write into the imported body: `schemes` (which hold the per-operation one) and the token-keyed one when an operation uses it. */
  public bodySchemes(schemes: { [name: string]: JsonObject }): { [name: string]: JsonObject } {
    return {
      ...(this.tokenKeyedSecurityScheme === undefined ? {} : { [JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME]: this.tokenKeyedSecurityScheme }),
      ...(this.optionalSecurityScheme === undefined ? {} : { [JwtAuthorizer.OPTIONAL_SCHEME_NAME]: this.optionalSecurityScheme }),
      ...schemes,
    };
  }

  /** Path items (the library's own routes, such as the docs) with {@link operationSecurity} applied to each operation. */
  public pathsSecurity(paths: { [path: string]: JsonObject }): { [path: string]: JsonObject } {
    const out: { [path: string]: JsonObject } = {};
    for (const [path, item] of Object.entries(paths)) {
      out[path] = Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          const op = operation as { operationId?: unknown; security?: Array<{ [schemeName: string]: string[] }> };
          return [
            method,
            typeof op === 'object' && op !== null && typeof op.operationId === 'string' && Array.isArray(op.security)
              ? { ...op, security: this.operationSecurity(op.operationId, op.security) }
              : operation,
          ];
        }),
      );
    }
    return out;
  }

  /** Lets API Gateway invoke the authorizer for `api`'s authorizers (one permission per API). */
  public grantInvoke(api: apigw.IRestApi): void {
    const id = `InvokeBy${api.node.addr.slice(-8)}`;
    this.function.addPermission(id, {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: Stack.of(api).formatArn({ service: 'execute-api', resource: api.restApiId, resourceName: 'authorizers/*' }),
      // With the ARN, also the account (AWS Control Tower CT.LAMBDA.PR.2): only this account's API may invoke.
      sourceAccount: Stack.of(api).account,
    });
    acknowledgeDeployTimeSourceAccount(this.function.node.findChild(id));
  }
}
