import { Annotations, Lazy, Names } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AUTHORIZER_METRICS } from '../contracts/authorizer-metrics';
import { ApiAccess } from './access';
import { CloudWatchRoleMode, connectAccountLogging } from './account';
import { Auth, AuthBinding, AuthPlan, BoundAuth, JwtAuthorizer } from './auth';
import { ApiDocs, ApiDocsOptions, DocsAccessMode, docsRoutes, IApiDocs } from './docs';
import { bindIntegrations, BoundIntegrations, grantApiInvoke, OperationIntegration, resolveIntegrations } from './integrations';
import {
  ApiKeyBodyContributions,
  apiKeyBodyContributions,
  ApiKeys,
  ApiKeysOptions,
  IApiKeys,
  assertKeySourceReaches,
  keyOnlyOperations,
  keyOnlyWarning,
  keyRequiredOperations,
} from './keys';
import { ApiLogs, ApiMonitoring, LoggingOptions, MonitoredFunction, MonitoringOptions } from './observability';
import {
  accessGaps,
  AnalyzedApi,
  analyzeDocument,
  BodyContribution,
  buildOperationSecurity,
  callerHeadersOf,
  CorsOptions,
  emitApiGatewayBody,
  foldContributions,
  iamBodyContribution,
  LoadedDocument,
  OpenApi,
  OperationSecurityDecision,
  validateCors,
  withDerivedOperationIds,
} from './openapi';
import { acknowledgeStageFindings, DEFAULT_STAGE_NAME, SecureStageOptions, secureStage } from './stage';
import { ApiTls, AttachedTls, CustomDomainOptions, EdgeFrontOptions, ResourcePolicyOptions, TlsOptions } from './tls';
import { ApiWaf, IApiWaf, WafOptions, wafMode } from './waf';
import { ApiBodyPlacement, BodyPlacement } from './body';
import { reportFindings, warningDetails } from './common/synth-findings';
import { ApiOperation, JsonObject, keyByOperationId, PropCheck } from './model';
import { attachSecurityReport } from './report';
import { inConstruct } from './model/config-error';

/** Props of {@link SecureApi}. */
export interface SecureApiProps {
  /** The OpenAPI document (3.0, 3.1 or Swagger 2.0): `OpenApi.fromFile(path)` or `OpenApi.fromObject(doc)`. */
  readonly openApi: OpenApi;
  /**
   * How each operation is served, by operationId or route key (`'GET /pets/{petId}'`, the path as the document writes it).
   * @default - every operation uses `defaultIntegration`
   */
  readonly integrations?: { [operationKey: string]: OperationIntegration };
  /**
   * The integration of operations not named in `integrations`.
   * @default - an operation without an integration is a synth error
   */
  readonly defaultIntegration?: OperationIntegration;
  /**
   * Operations to leave out of the API knowingly, for example paths API Gateway can never serve: operationIds
   * or route keys (`'GET /pets/{petId}'`).
   * @default - none
   */
  readonly excludeOperations?: string[];
  /**
   * On operations that declare a JSON request body, leave out their other media types (form, XML, text),
   * so that a body sent with one of those Content-Types is validated against the JSON model and rejected
   * unless it is valid, instead of reaching the backend unvalidated. Operations with no JSON media type
   * are not affected (their bodies stay unvalidated, with a warning).
   * @default false - such media types are served unvalidated, each with a synth warning naming the operation and media type
   */
  readonly rejectUnvalidatedMediaTypes?: boolean;
  /**
   * The REST API's name.
   * @default - the construct's path-derived unique name
   */
  readonly apiName?: string;
  /**
   * REGIONAL or PRIVATE (EDGE is accepted; prefer the CloudFront front, which you control).
   * @default EndpointType.REGIONAL
   */
  readonly endpointType?: apigw.EndpointType;
  /**
   * The hardened stage: throttling, tracing, execution logging, client certificate, cache.
   * @default - see each field's default
   */
  readonly stage?: SecureStageOptions;
  /**
   * Logs: retention, removal policy, encryption key, bring-your-own groups, extra access-log fields,
   * and the central log pipeline (`pipeline: LogPipeline.s3()`).
   * @default - KMS-encrypted log groups kept for one year and retained on stack deletion; no pipeline
   */
  readonly logging?: LoggingOptions;
  /**
   * Alarms (on rates, notifying a KMS-encrypted SNS topic), their thresholds, and the dashboard.
   * @default - every alarm and the dashboard, with the default thresholds
   */
  readonly monitoring?: MonitoringOptions;
  /**
   * How the account-level CloudWatch Logs role that execution logging needs is handled.
   * @default CloudWatchRoleMode.CREATE_IF_ABSENT
   */
  readonly cloudWatchRole?: CloudWatchRoleMode;
  /**
   * Strict CORS for browser clients.
   * @default - no CORS: browsers may not call the API cross-origin
   */
  readonly cors?: CorsOptions;
  /**
   * OAuth 2.0 / OpenID Connect: a JWT Lambda authorizer that verifies access tokens and enforces the
   * scopes each operation's `security` names. `Auth.jwt({ issuer, audience })` for any OIDC provider,
   * `Auth.cognito()` for a new Cognito user pool as the OAuth 2.0 server.
   * @default - no authorizer: operations that require a token are a synth error, undeclared ones are public
   */
  readonly auth?: Auth;
  /**
   * Usage plans (tiers), consumers with their own API keys generated into Secrets Manager, and key
   * rotation. Operations whose security names an `apiKey` header scheme require a key (or all, with
   * `requireForAllOperations`). API keys identify and meter clients; they are not authentication.
   * @default - no usage plans or API keys
   */
  readonly apiKeys?: ApiKeysOptions;
  /**
   * API documentation served by the API: Swagger UI and the sanitized OpenAPI document at `docs.path`,
   * behind the JWT authorizer with the `docs:read` scope unless configured otherwise.
   * @default - no documentation route
   */
  readonly docs?: ApiDocsOptions;
  /**
   * A custom domain: a DNS-validated ACM certificate, the strongest TLS policy, A and AAAA alias records,
   * optional mutual TLS; or `existingDomain`, a domain made elsewhere that several APIs share, each under its own
   * `basePath`. The default execute-api endpoint is then disabled.
   * @default - only the default execute-api endpoint
   */
  readonly domain?: CustomDomainOptions;
  /**
   * A CloudFront front for `domain`: HTTP→HTTPS redirect, security headers, a secret origin header the
   * web ACL checks so requests cannot bypass it, and access logs.
   * @default - no CloudFront distribution
   */
  readonly edge?: EdgeFrontOptions;
  /**
   * The TLS security policy and endpoint access mode of the API and its custom domain.
   * @default - the strongest policy the endpoint supports, with STRICT access mode
   */
  readonly tls?: TlsOptions;
  /**
   * A resource policy: a source IP allow-list, or the VPC endpoints allowed to call a PRIVATE API.
   * @default - no resource policy (required with allowedVpcEndpoints for PRIVATE endpoints)
   */
  readonly resourcePolicy?: ResourcePolicyOptions;
  /**
   * The REGIONAL WAF web ACL in front of the stage: AWS managed rules, rate limits, IP and geo lists,
   * a body size limit, logging with redaction, and automatic blocking of clients that keep failing
   * authentication or validation. Or your own web ACL (`webAclArn`).
   * @default - on, see `WafOptions`
   */
  readonly waf?: WafOptions;
  /**
   * Where the API Gateway import body goes: inline in the template, or in an S3 asset that the RestApi's
   * `Body` includes with the `AWS::Include` transform (for APIs whose body would not fit in a 1 MB template).
   * @default BodyPlacement.auto() - inline up to 300 KiB, S3 above
   */
  readonly bodyPlacement?: BodyPlacement;
}

/**
 * An API Gateway REST API built from an OpenAPI document and locked down by default:
 * request validation from the document's schemas, a hardened stage, uniform error responses.
 * Each security concern (auth, API keys, WAF, TLS, observability, docs) is one part wired in here.
 */
export class SecureApi extends Construct {
  /** The REST API. */
  public readonly api: apigw.IRestApi;
  /** The deployed stage. */
  public readonly stage: apigw.Stage;
  /** The log groups and their key. */
  public readonly logs: ApiLogs;
  /** The metric filters, alarms, alarm topic and dashboard. */
  public readonly monitoring: ApiMonitoring;
  /** The API documentation route and its function, when `docs` is set. */
  public readonly docs?: IApiDocs;
  /** The JWT authorizer (and the Cognito user pool with `Auth.cognito`), when `auth` uses `Auth.jwt` or `Auth.cognito`. */
  public readonly auth?: AuthBinding;
  /** The usage plans and consumers' keys, when `apiKeys` is set. */
  public readonly apiKeys?: IApiKeys;
  /** The custom domain or CloudFront front, and the URL clients call, when `domain` is set. */
  public readonly https: AttachedTls;
  /** The web ACL in front of the stage and automatic blocking. */
  public readonly waf: IApiWaf;
  /** IAM grants and the resource policy. */
  private readonly access: ApiAccess;

  constructor(scope: Construct, id: string, props: SecureApiProps) {
    super(scope, id);
    const apiName = props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128 });
    const label = this.node.path;

    // 1. Resolve: the document (pure passes in lib/openapi, their errors naming this construct), every operation's integration, the logs.
    const loaded = inConstruct(label, () => props.openApi.load());
    const analyzed = inConstruct(label, () =>
      analyzeDocument(loaded, {
        excludeOperations: props.excludeOperations,
        rejectUnvalidatedMediaTypes: props.rejectUnvalidatedMediaTypes,
        constructPath: label,
      }),
    );
    // Every operation-keyed prop accepts an operationId or a route key ('GET /pets/{petId}'): one resolver re-keys them all.
    props = withOperationIdKeys(props, analyzed.operations, label);
    const integrations = resolveIntegrations(analyzed.operations, props.integrations ?? {}, props.defaultIntegration, label);
    this.logs = new ApiLogs(this, 'Logs', { ...props.logging, label });

    // 2. Security: which mechanism protects each operation.
    const authPlan = props.auth === undefined ? undefined : inConstruct(label, () => props.auth!.plan(analyzed.securitySchemes, label));
    const { keyBody, security } = this.protectOperations(props, analyzed, label, authPlan);
    // The document's findings: one annotation per kind, every operation's detail in the cloud assembly.
    const findings = reportFindings(this, [...analyzed.warnings, ...security.warnings]);

    // 3. The concerns that contribute to the body: auth, TLS, docs (keys contributed above).
    // The concrete constructs, for the internal wiring; the public properties expose their interfaces.
    const { auth, authorizerLogGroup } = this.bindAuth(props, { authPlan, analyzed, decisions: security.decisions, label, apiName });
    // The public property exposes SecureApi's own JWT authorizer only (IAM, Lambda and Cognito pool mechanisms have none).
    this.auth =
      auth?.authorizer !== undefined ? { authorizer: auth.authorizer, oauthServer: auth.oauthServer, tokenUrl: auth.tokenUrl } : undefined;
    this.warnAboutAccess(props, security.decisions, label, authPlan?.jwtAuthorizer === true);
    const endpointType = props.endpointType ?? apigw.EndpointType.REGIONAL;
    const tls = this.createTls(props, endpointType, label);
    const stageName = props.stage?.stageName ?? DEFAULT_STAGE_NAME;
    this.access = new ApiAccess({ label, stageName, operations: analyzed.operations, callerRestrictions: tls.plan.api.callerRestrictions });
    // The front's origin-verify secret is kept from every backend API Gateway can keep it from; the others are named.
    const bound = this.bindBackends(analyzed.operations, integrations, security.decisions, tls.withheldHeaders, label);
    const docs = this.createDocs(props.docs, { loaded, analyzed, security, keyBody, auth, publicUrl: tls.publicUrl });
    this.docs = docs;

    // 4. The hardened stage (its response cache keys on the headers that carry each operation's credentials),
    // then the body API Gateway imports, every contribution folded in: one resource, whatever the number of operations.
    const contributions = [
      keyBody?.body,
      auth?.authorizer?.bodyContribution,
      ...(auth?.bodyContributions ?? []),
      iamBodyContribution(security.decisions),
      docsContribution(docs, auth),
      tls.bodyContribution,
      this.access.bodyContribution,
    ];
    const stage = secureStage(this, {
      label,
      options: props.stage,
      operations: analyzed.operations,
      accessLogDestination: this.logs.accessLogDestination(),
      accessLogFormat: this.logs.accessLogFormat(),
      callerHeaders: callerHeadersOf(security.decisions, foldContributions(contributions).securitySchemes),
    });
    for (const warning of props.cors !== undefined ? validateCors(props.cors, label) : [])
      Annotations.of(this).addWarningV2(`cdk-secure-api:${warning.id}`, warning.message);
    const body = inConstruct(label, () =>
      emitApiGatewayBody(analyzed, {
        title: apiName,
        integrations: bound.integrations,
        // Operations the authorizer cache proof accepts use the token-keyed authorizer (lib/auth/cache-proof.ts).
        operationSecurity: Object.fromEntries(
          security.decisions.map((d) => [d.operationId, auth?.authorizer?.operationSecurity(d.operationId, d.security) ?? d.security]),
        ),
        contributions: [...contributions, stage.bodyContribution],
        cors: props.cors,
      }),
    );
    // Who may invoke which route depends on every route of the final body, SecureApi's own included.
    this.access.readBody(body);

    // 5. The API on that stage; the body inline, or in S3 through AWS::Include when it is large.
    const { api, placedBody } = this.createRestApi(body, {
      apiName,
      endpointType,
      deployOptions: stage.stageOptions,
      placement: props.bodyPlacement,
      label,
    });
    tls.applyTo(api);
    this.access.applyTo(api, placedBody.decision.location !== 'inline');
    this.api = api;
    auth?.authorizer?.grantInvoke(api);
    auth?.grantInvoke?.(api);
    this.stage = api.deploymentStage;
    this.logs.addExecutionLogGroup(api, this.stage);
    this.https = tls.attach(api, this.stage);
    acknowledgeStageFindings(api, this.stage, props.stage);
    connectAccountLogging(this, this.stage, (scope, name) => this.logs.functionLogGroup(scope, name), props.cloudWatchRole);
    grantApiInvoke(this, api, [...bound.invokedFunctions, ...(docs !== undefined ? [docs.handler] : [])]);

    // 6. The concerns that need the stage: API keys and usage plans, then the web ACL in front of it.
    const apiKeys = this.createApiKeys(props, { label, api, operations: analyzed.operations, decisions: security.decisions, auth });
    this.apiKeys = apiKeys;
    this.waf = this.createWaf(props, {
      label,
      apiName,
      operations: analyzed.operations,
      authorizerLogGroup,
      tls,
      stageName: stage.stageOptions.stageName!,
      signatureLogGroup: security.decisions.some((d) => d.mechanism === 'iam') ? this.logs.accessLogGroup : undefined,
    });

    // The front's origin secret rotates at the distribution and at the web ACL's origin rule.
    const originSecretRotation =
      this.waf.webAcl && tls.rotateOriginSecret({ webAclArn: this.waf.webAcl.attrArn, referencedArns: this.waf.referencedArns });

    // 7. Observability, once everything is wired: metric filters, rate alarms on SecureApi's own functions, the dashboard, log shipping.
    this.monitoring = this.createMonitoring(props, {
      apiName,
      api,
      stageName: stage.stageOptions.stageName!,
      auth,
      docs,
      apiKeys,
      originSecretRotation,
    });
    this.logs.shipLogs(this.waf.logGroup);

    // 8. The security report, written at synth from the final template (lib/report).
    attachSecurityReport(this, warningDetails(findings));
  }

  /** The configured mechanisms, bound to this API, and the JWT authorizer's log group when there is one. */
  private bindAuth(
    props: SecureApiProps,
    wiring: { authPlan?: AuthPlan; analyzed: AnalyzedApi; decisions: OperationSecurityDecision[]; label: string; apiName: string },
  ): { auth?: BoundAuth; authorizerLogGroup?: logs.ILogGroup } {
    const { label, analyzed } = wiring;
    const authorizerLogGroup = wiring.authPlan?.jwtAuthorizer ? this.logs.functionLogGroup(this, 'authorizer') : undefined;
    const auth: BoundAuth | undefined = props.auth?.bind(this, 'Auth', {
      label,
      apiName: wiring.apiName,
      operations: analyzed.operations,
      securityDecisions: wiring.decisions,
      securitySchemes: analyzed.securitySchemes,
      stageName: props.stage?.stageName ?? DEFAULT_STAGE_NAME,
      extraRoutes: props.docs !== undefined ? docsRoutes(props.docs, label) : [],
      logGroup: authorizerLogGroup!, // set whenever the plan has the JWT authorizer, the only user
      functionLogGroups: this.logs,
    });
    return { auth, authorizerLogGroup };
  }

  /** HTTPS: the endpoint, the custom domain or CloudFront front, mutual TLS and the network restrictions. */
  private createTls(props: SecureApiProps, endpointType: apigw.EndpointType, label: string): ApiTls {
    return new ApiTls(this, 'Https', {
      label,
      endpointType,
      domain: props.domain,
      edge: props.edge,
      tls: props.tls,
      resourcePolicy: props.resourcePolicy,
      // The WAF concern must carry tls.wafFront (its rule rejects requests that bypass the front).
      waf: wafMode(props.waf),
      functionLogGroup: (scope, name) => this.logs.functionLogGroup(scope, name),
    });
  }

  /** The API on the stage; the body inline, or in S3 through AWS::Include when it is large. */
  private createRestApi(
    body: JsonObject,
    wiring: {
      apiName: string;
      endpointType: apigw.EndpointType;
      deployOptions: apigw.StageOptions;
      placement?: BodyPlacement;
      label: string;
    },
  ): { api: apigw.SpecRestApi; placedBody: ApiBodyPlacement } {
    const placedBody = new ApiBodyPlacement(this, 'Body', {
      body,
      placement: wiring.placement ?? BodyPlacement.auto(),
      label: wiring.label,
    });
    const api = new apigw.SpecRestApi(this, 'Api', {
      restApiName: wiring.apiName,
      apiDefinition: placedBody.apiDefinition,
      endpointTypes: [wiring.endpointType],
      failOnWarnings: true,
      cloudWatchRole: false,
      deployOptions: wiring.deployOptions,
    });
    // SpecRestApi does not hash the body into the deployment: do it, so every change is deployed.
    api.latestDeployment?.addToLogicalId(placedBody.resolvedBody);
    return { api, placedBody };
  }

  /** The web ACL in front of the stage; behind the CloudFront front, the viewer-facing rules sit in a CLOUDFRONT-scope web ACL too. */
  private createWaf(
    props: SecureApiProps,
    wiring: {
      label: string;
      apiName: string;
      operations: ApiOperation[];
      authorizerLogGroup?: logs.ILogGroup;
      tls: ApiTls;
      stageName: string;
      signatureLogGroup?: logs.ILogGroup;
    },
  ): ApiWaf {
    const { tls } = wiring;
    const waf = new ApiWaf(this, 'Waf', {
      options: props.waf,
      label: wiring.label,
      apiName: wiring.apiName,
      stage: this.stage,
      operations: wiring.operations,
      authorizerLogGroup: wiring.authorizerLogGroup,
      signatureLogGroup: wiring.signatureLogGroup,
      cors: props.cors,
      logGroups: this.logs,
      pathPrefixes: [wiring.stageName, ...(props.domain?.basePath ? [props.domain.basePath] : [])],
      front: tls.wafFront && { ...tls.wafFront, createEdgeWebAcl: props.edge?.webAclArn === undefined },
      removalPolicy: this.logs.removalPolicy,
    });
    if (waf.edgeWebAcl !== undefined) this.https.front?.distribution.attachWebAclId(waf.edgeWebAcl.attrArn);
    return waf;
  }

  /** Key-only and unprotected operations: a synth error where no key can reach them, a warning where nothing else protects them. */
  private warnAboutAccess(props: SecureApiProps, decisions: OperationSecurityDecision[], label: string, jwtAuthorizer: boolean): void {
    const keyOnly = keyOnlyOperations(decisions);
    if (props.apiKeys !== undefined) {
      const keySourceWarnings = assertKeySourceReaches(
        props.apiKeys,
        [...keyOnly, ...(props.docs?.access?.mode === DocsAccessMode.API_KEY ? ['the docs route (docs.access: DocsAccess.apiKey())'] : [])],
        label,
        decisions,
      );
      for (const warning of keySourceWarnings) Annotations.of(this).addWarningV2('cdk-secure-api:api-key-source-own-authorizer', warning);
    }
    const keyOnlyMessage = keyOnlyWarning(keyOnly, jwtAuthorizer, label);
    if (keyOnlyMessage !== undefined) Annotations.of(this).addWarningV2('cdk-secure-api:api-key-only', keyOnlyMessage);
    for (const gap of accessGaps(decisions, label)) Annotations.of(this).addWarningV2(gap.id, gap.message);
  }

  /**
   * Grants `execute-api:Invoke` on exactly these operations (operationIds or route keys such as
   * `'GET /reports/{id}'`), each authorized by IAM, and on nothing else: a path parameter is `*` in the
   * method ARN, and IAM's `*` also spans `/`, so the grant also denies every other IAM route its patterns
   * would match (`GET/reports/*` would also match `GET /reports/{id}/audit`). A principal of another account
   * is also allowed exactly those operations in the API's resource policy.
   */
  public grantExecute(grantee: iam.IGrantable, ...operationIds: string[]): iam.Grant {
    return this.access.grantExecute(grantee, operationIds);
  }

  /**
   * Every operation's integration; HTTP backends also get the caller's identity headers (from the JWT authorizer
   * on the operations it protects). Settings an integration could not check are synth warnings.
   */
  private bindBackends(
    operations: ApiOperation[],
    integrations: Map<string, OperationIntegration>,
    decisions: OperationSecurityDecision[],
    withheldHeaders: readonly string[],
    label: string,
  ): BoundIntegrations {
    // The front's origin-verify secret is kept from every backend API Gateway can keep it from; the others are named.
    const bound = inConstruct(label, () =>
      bindIntegrations(operations, integrations, this, { headers: withheldHeaders, label }, jwtOperations(decisions)),
    );
    if (bound.withheldHeadersWarning)
      Annotations.of(this).addWarningV2('cdk-secure-api:origin-secret-to-backend', bound.withheldHeadersWarning);
    for (const warning of bound.warnings)
      Annotations.of(this).addWarningV2('cdk-secure-api:integration', `SecureApi '${label}': ${warning}`);
    return bound;
  }

  /** Which mechanism protects each operation, from the document and the configured auth and API keys. */
  private protectOperations(props: SecureApiProps, analyzed: AnalyzedApi, label: string, authPlan: AuthPlan | undefined) {
    const keyBody =
      props.apiKeys === undefined
        ? undefined
        : apiKeyBodyContributions(props.apiKeys, analyzed.securitySchemes, authPlan?.jwtAuthorizer === true, label);
    for (const warning of keyBody?.warnings ?? []) Annotations.of(this).addWarningV2('cdk-secure-api:api-key-header', warning);
    const security = inConstruct(label, () =>
      buildOperationSecurity(
        analyzed.operations,
        analyzed.securitySchemes,
        {
          ...authPlan?.mechanisms,
          apiKeySchemeName: keyBody?.apiKeySchemeName,
          apiKeyForAllOperations: keyBody?.apiKeyForAllOperations,
        },
        analyzed.source,
      ),
    );
    return { keyBody, security };
  }

  /** API keys and usage plans; with ApiKeySource.authorizer(), the authorizer returns each consumer's key. */
  private createApiKeys(
    props: SecureApiProps,
    wiring: { label: string; api: apigw.IRestApi; operations: ApiOperation[]; decisions: OperationSecurityDecision[]; auth?: BoundAuth },
  ): ApiKeys | undefined {
    if (props.apiKeys === undefined) return undefined;
    const apiKeys = new ApiKeys(this, 'ApiKeys', {
      options: props.apiKeys,
      label: wiring.label,
      restApi: wiring.api,
      stage: this.stage,
      operations: wiring.operations,
      keyRequiredOperationIds: keyRequiredOperations(wiring.decisions),
      logGroups: this.logs,
      trustedIssuers: wiring.auth?.authorizer?.issuers,
    });
    // ApiKeySource.authorizer(): the authorizer returns each consumer's key as usageIdentifierKey.
    if (wiring.auth?.authorizer !== undefined) apiKeys.bindAuthorizer(wiring.auth.authorizer.function);
    return apiKeys;
  }

  private createDocs(
    options: ApiDocsOptions | undefined,
    wiring: {
      loaded: LoadedDocument;
      analyzed: AnalyzedApi;
      security: { decisions: OperationSecurityDecision[] };
      keyBody?: ApiKeyBodyContributions;
      auth?: BoundAuth;
      publicUrl?: string;
    },
  ): ApiDocs | undefined {
    if (options === undefined) return undefined;
    const { auth, keyBody } = wiring;
    return new ApiDocs(this, 'Docs', {
      // With Auth.cognito, the docs show the user pool's token endpoint unless told otherwise.
      options: options.oauth2 === undefined && auth?.tokenUrl !== undefined ? { ...options, oauth2: { tokenUrl: auth.tokenUrl } } : options,
      issuer: auth?.authorizer?.issuers[0],
      apiLabel: this.node.path,
      document: withDerivedOperationIds(wiring.loaded, wiring.analyzed.operations),
      operations: wiring.analyzed.operations,
      securityDecisions: wiring.security.decisions,
      // The schemes the document's operations are decided with (the token-keyed authorizer is the same mechanism).
      securitySchemes: foldContributions([
        keyBody?.body,
        auth?.authorizer === undefined ? undefined : { securitySchemes: { [JwtAuthorizer.SCHEME_NAME]: auth.authorizer.securityScheme } },
      ]).securitySchemes,
      mechanismSchemes: foldContributions([...(auth?.bodyContributions ?? []), iamBodyContribution(wiring.security.decisions)])
        .securitySchemes,
      logGroup: this.logs.functionLogGroup(this, 'docs'),
      publicUrl: wiring.publicUrl,
      // docs.publish: the stage exists only later; the published document's server when there is no domain.
      stageUrl: Lazy.string({ produce: () => this.stage.urlForPath('/') }),
      publishLogGroup: options.publish !== undefined ? this.logs.functionLogGroup(this, 'docs-publish') : undefined,
    });
  }

  /** Metric filters, rate alarms on the API and on SecureApi's own functions, the dashboard. */
  private createMonitoring(
    props: SecureApiProps,
    wiring: {
      apiName: string;
      api: apigw.IRestApi;
      stageName: string;
      auth?: BoundAuth;
      docs?: ApiDocs;
      apiKeys?: ApiKeys;
      originSecretRotation?: lambda.IFunction;
    },
  ): ApiMonitoring {
    const { auth, docs, apiKeys, originSecretRotation } = wiring;
    const functions: MonitoredFunction[] = [
      ...(auth?.authorizer !== undefined ? [{ label: 'Authorizer', function: auth.authorizer.function }] : []),
      ...(docs !== undefined ? [{ label: 'Docs', function: docs.handler }] : []),
      ...Object.entries(apiKeys?.consumers ?? {}).map(([consumerId, consumer]) => ({
        label: `KeyRotation-${consumerId}`,
        function: consumer.rotationFunction,
      })),
      ...(this.waf.autoBlocker !== undefined ? [{ label: 'IpBlocker', function: this.waf.autoBlocker.function }] : []),
      ...(originSecretRotation !== undefined ? [{ label: 'OriginSecretRotation', function: originSecretRotation }] : []),
    ];
    return new ApiMonitoring(this, 'Monitoring', {
      label: this.node.path,
      apiName: wiring.apiName,
      restApiId: wiring.api.restApiId,
      stageName: wiring.stageName,
      accessLogGroup: this.logs.accessLogGroup,
      options: props.monitoring,
      functions,
      removalPolicy: this.logs.removalPolicy,
      webAclMetricName: this.waf.metricName,
      wafLogGroup: this.waf.logGroup,
      authorizerMetricNamespace: auth?.authorizer !== undefined ? AUTHORIZER_METRICS.defaultNamespace : undefined,
      metricAlarms: this.waf.autoBlocker?.alarms,
    });
  }
}

/** The docs route's body contribution; its security follows the authorizer's scheme map when auth is set. */
function docsContribution(docs: ApiDocs | undefined, auth: BoundAuth | undefined): BodyContribution | undefined {
  if (docs === undefined || auth?.authorizer === undefined) return docs?.bodyContribution;
  return { ...docs.bodyContribution, extraPaths: auth.authorizer.pathsSecurity({ ...docs.bodyContribution.extraPaths }) };
}

/** The operations the JWT authorizer protects: their HTTP backends receive the caller's identity headers. */
function jwtOperations(decisions: OperationSecurityDecision[]): Set<string> {
  return new Set(decisions.filter((d) => d.mechanism === 'jwt').map((d) => d.operationId));
}

/**
 * The props with every operation-keyed map re-keyed by operationId: `integrations`,
 * `stage.throttling.operations`, `waf.operationRateLimits`, `apiKeys.tiers[].operationThrottles`
 * (`excludeOperations` is resolved by the analysis). An unknown key is a synth error naming it.
 */
function withOperationIdKeys(props: SecureApiProps, operations: ApiOperation[], label: string): SecureApiProps {
  const check = new PropCheck(label);
  const throttling = props.stage?.throttling;
  return {
    ...props,
    integrations: keyByOperationId(props.integrations, operations, check, 'integrations'),
    stage:
      throttling?.operations === undefined
        ? props.stage
        : {
            ...props.stage,
            throttling: {
              ...throttling,
              operations: keyByOperationId(throttling.operations, operations, check, 'stage.throttling.operations'),
            },
          },
    waf:
      props.waf?.operationRateLimits === undefined
        ? props.waf
        : {
            ...props.waf,
            operationRateLimits: keyByOperationId(props.waf.operationRateLimits, operations, check, 'waf.operationRateLimits'),
          },
    apiKeys:
      props.apiKeys === undefined
        ? undefined
        : {
            ...props.apiKeys,
            tiers: props.apiKeys.tiers?.map((tier, i) =>
              tier.operationThrottles === undefined
                ? tier
                : {
                    ...tier,
                    operationThrottles: keyByOperationId(
                      tier.operationThrottles,
                      operations,
                      check,
                      `apiKeys.tiers[${i}].operationThrottles`,
                    ),
                  },
            ),
          },
  };
}
