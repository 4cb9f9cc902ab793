import { Annotations, Lazy, Names } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { AUTHORIZER_METRICS } from '../contracts/authorizer-metrics';
import { ApiGatewayAccountLogging, CloudWatchRoleMode } from './account';
import { Auth, AuthBinding, BoundAuth, JwtAuthorizer } from './auth';
import { acknowledgeFindings, ruleInPacks } from './common';
import { addCorsPreflight, CorsOptions, validateCors } from './cors';
import { ApiDocs, ApiDocsOptions, docsRoutes, IApiDocs } from './docs';
import { OperationIntegration, resolveIntegrations } from './integrations';
import { apiKeyBodyContributions, ApiKeys, ApiKeysOptions, IApiKeys, keyOnlyOperations } from './keys';
import { ApiLogs, ApiMonitoring, LoggingOptions, MonitoredFunction, MonitoringOptions } from './observability';
import { accessGaps, analyzeDocument, buildOperationSecurity, emitApiGatewayBody, JsonObject, OpenApi, PipelineWarning } from './openapi';
import { buildGatewayResponses, ResponseHeaderContributions } from './responses';
import { DEFAULT_STAGE_NAME, hardenStage, SecureStageOptions } from './stage';
import { ApiTls, AttachedTls, CustomDomainOptions, EdgeFrontOptions, originVerificationRule, ResourcePolicyOptions, TlsOptions } from './tls';
import { ApiWaf, IApiWaf, WafOptions } from './waf';
import { ApiBodyPlacement, BodyPlacement } from './body';
import { attachSecurityReport } from './report';

/** Props of {@link SecureApi}. */
export interface SecureApiProps {
  /** The OpenAPI document (3.0, 3.1 or Swagger 2.0): `OpenApi.fromFile(path)` or `OpenApi.fromObject(doc)`. */
  readonly openApi: OpenApi;
  /**
   * How each operation is served, by operationId.
   * @default - every operation uses `defaultIntegration`
   */
  readonly integrations?: { [operationId: string]: OperationIntegration };
  /**
   * The integration of operations not named in `integrations`.
   * @default - an operation without an integration is a synth error
   */
  readonly defaultIntegration?: OperationIntegration;
  /**
   * operationIds to leave out of the API knowingly, for example paths API Gateway can never serve.
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
   * optional mutual TLS; the default execute-api endpoint is then disabled.
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
  /** The JWT authorizer (and the Cognito user pool with `Auth.cognito`), when `auth` is set. */
  public readonly auth?: AuthBinding;
  /** The usage plans and consumers' keys, when `apiKeys` is set. */
  public readonly apiKeys?: IApiKeys;
  /** The custom domain or CloudFront front, and the URL clients call, when `domain` is set. */
  public readonly https: AttachedTls;
  /** The web ACL in front of the stage and automatic blocking. */
  public readonly waf: IApiWaf;

  constructor(scope: Construct, id: string, props: SecureApiProps) {
    super(scope, id);
    const apiName = props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128 });
    const label = this.node.path;

    // 1. The document: load, validate, analyze (pure passes in lib/openapi).
    const loaded = props.openApi.load();
    const analyzed = analyzeDocument(loaded, { excludeOperations: props.excludeOperations, rejectUnvalidatedMediaTypes: props.rejectUnvalidatedMediaTypes });
    this.reportWarnings(analyzed.warnings);

    // 2. Integrations: every operation must have one.
    const integrations = resolveIntegrations(analyzed.operations, props.integrations ?? {}, props.defaultIntegration, label);

    // 3. Logs (the stage is never unlogged).
    this.logs = new ApiLogs(this, 'Logs', { ...props.logging, label });
    // SecureApi's own Lambda functions, each alarmed on its error and throttle rates.
    const monitoredFunctions: MonitoredFunction[] = [];

    // 4. Security: which mechanism protects each operation.
    const securitySchemes: { [name: string]: JsonObject } = {};
    const responseHeaders: ResponseHeaderContributions = {};
    const keyBody = props.apiKeys === undefined ? undefined : apiKeyBodyContributions(props.apiKeys, analyzed.securitySchemes, props.auth !== undefined, label);
    if (keyBody !== undefined) {
      Object.assign(securitySchemes, keyBody.securitySchemes);
      for (const warning of keyBody.warnings) Annotations.of(this).addWarningV2('cdk-secure-api:api-key-header', warning);
    }
    const security = buildOperationSecurity(
      analyzed.operations,
      analyzed.securitySchemes,
      { authorizerSchemeName: props.auth?.schemeName, apiKeySchemeName: keyBody?.apiKeySchemeName, apiKeyForAllOperations: keyBody?.apiKeyForAllOperations },
      analyzed.source,
    );
    this.reportWarnings(security.warnings);
    // The concrete constructs, for the internal wiring; the public properties expose their interfaces.
    let auth: BoundAuth | undefined;
    if (props.auth !== undefined) {
      // The authorizer, with the scope map of the document's operations and the docs routes.
      auth = props.auth.bind(this, 'Auth', {
        label,
        apiName,
        operations: analyzed.operations,
        securityDecisions: security.decisions,
        securitySchemes: analyzed.securitySchemes,
        stageName: props.stage?.stageName ?? DEFAULT_STAGE_NAME,
        extraRoutes: props.docs !== undefined ? docsRoutes(props.docs, label) : [],
        logGroup: this.logs.functionLogGroup(this, 'authorizer'),
      });
      this.auth = auth;
      securitySchemes[JwtAuthorizer.SCHEME_NAME] = auth.authorizer.securityScheme;
      for (const [type, headers] of Object.entries(auth.authorizer.gatewayResponseHeaders)) responseHeaders[type] = { ...responseHeaders[type], ...headers };
      monitoredFunctions.push({ label: 'Authorizer', function: auth.authorizer.function });
    }
    const keyOnly = keyOnlyOperations(security.decisions);
    if (keyOnly.length > 0) {
      Annotations.of(this).addWarningV2('cdk-secure-api:api-key-only', `SecureApi '${label}': ${keyOnly.join(', ')} ${keyOnly.length === 1 ? 'is' : 'are'} protected by an API key alone; API keys identify and meter clients but do not authenticate them. Require a JWT as well (auth).`);
    }
    for (const gap of accessGaps(security.decisions, label)) Annotations.of(this).addWarningV2(gap.id, gap.message);

    // 5. The body API Gateway imports: one resource, whatever the number of operations.
    const boundIntegrations: { [operationId: string]: JsonObject } = {};
    const invokedFunctions = new Map<string, lambda.IFunction>();
    for (const operation of analyzed.operations) {
      const config = integrations.get(operation.operationId)!.bind(operation);
      boundIntegrations[operation.operationId] = config.integration;
      if (config.invokedFunction) invokedFunctions.set(Names.nodeUniqueId(config.invokedFunction.node), config.invokedFunction);
    }
    const endpointType = props.endpointType ?? apigw.EndpointType.REGIONAL;
    const tls = new ApiTls(this, 'Https', {
      label,
      endpointType,
      domain: props.domain,
      edge: props.edge,
      tls: props.tls,
      resourcePolicy: props.resourcePolicy,
      // The WAF concern must carry tls.originVerification (its rule rejects requests that bypass the front).
      waf: props.waf?.enabled === false ? 'off' : props.waf?.webAclArn !== undefined ? 'imported' : 'managed',
      functionLogGroup: (scope, name) => this.logs.functionLogGroup(scope, name),
    });
    const domainPlan = tls.plan.domain;
    let docs: ApiDocs | undefined;
    if (props.docs !== undefined) {
      docs = new ApiDocs(this, 'Docs', {
        // With Auth.cognito, the docs show the user pool's token endpoint unless told otherwise.
        options: props.docs.oauth2 === undefined && this.auth?.tokenUrl !== undefined ? { ...props.docs, oauth2: { tokenUrl: this.auth.tokenUrl } } : props.docs,
        issuer: this.auth?.authorizer.issuers[0],
        apiLabel: label,
        document: loaded,
        operations: analyzed.operations,
        securityDecisions: security.decisions,
        securitySchemes,
        logGroup: this.logs.functionLogGroup(this, 'docs'),
        // The URL clients call when a custom domain or the CloudFront front serves the API (as ApiTls.attach reports it).
        publicUrl: domainPlan === undefined ? undefined : domainPlan.servedBy === 'CLOUDFRONT' ? `https://${domainPlan.name}` : `https://${domainPlan.name}/${domainPlan.basePath ?? ''}`,
        // docs.publish: the stage exists only later; the published document's server when there is no domain.
        stageUrl: Lazy.string({ produce: () => this.stage.urlForPath('/') }),
        publishLogGroup: props.docs.publish !== undefined ? this.logs.functionLogGroup(this, 'docs-publish') : undefined,
      });
      this.docs = docs;
      invokedFunctions.set(Names.nodeUniqueId(docs.handler.node), docs.handler);
      monitoredFunctions.push({ label: 'Docs', function: docs.handler });
    }
    let body = emitApiGatewayBody(analyzed, {
      title: apiName,
      integrations: boundIntegrations,
      // Operations the authorizer cache proof accepts use the token-keyed authorizer (lib/auth/cache-proof.ts).
      operationSecurity: Object.fromEntries(security.decisions.map((d) => [d.operationId, auth?.authorizer.operationSecurity(d.operationId, d.security) ?? d.security])),
      securitySchemes: auth === undefined ? securitySchemes : auth.authorizer.bodySchemes(securitySchemes),
      gatewayResponses: buildGatewayResponses(responseHeaders),
      extraPaths: docs === undefined || auth === undefined ? docs?.extraPaths : auth.authorizer.pathsSecurity(docs.extraPaths),
      rootExtensions: {
        // For OpenAPI 3.0, API Gateway reads the endpoint configuration from a Server object's extensions.
        ...(Object.keys(tls.endpointConfiguration).length > 0
          ? { servers: [{ url: '/', 'x-amazon-apigateway-endpoint-configuration': tls.endpointConfiguration }] }
          : {}),
        ...tls.rootExtensions,
        ...keyBody?.rootExtensions,
      },
    });
    if (props.cors !== undefined) {
      for (const warning of validateCors(props.cors, label)) Annotations.of(this).addWarningV2('cdk-secure-api:cors', warning);
      body = addCorsPreflight(body, props.cors);
    }

    // 6. The API and its hardened stage.
    const clientCertificate =
      props.stage?.clientCertificate === false
        ? undefined
        : new apigw.CfnClientCertificate(this, 'BackendClientCertificate', { description: `Presented by ${label} to its HTTP backends` });
    const stage = hardenStage({
      apiName: label,
      options: props.stage ?? {},
      operations: analyzed.operations,
      accessLogDestination: this.logs.accessLogDestination(),
      accessLogFormat: this.logs.accessLogFormat(),
      clientCertificateId: clientCertificate?.attrClientCertificateId,
    });
    for (const message of stage.weakened) Annotations.of(this).addWarningV2('cdk-secure-api:weakened', `SecureApi '${label}': ${message}`);

    // Inline, or in S3 through AWS::Include when the body is large (lib/body).
    const placedBody = new ApiBodyPlacement(this, 'Body', { body, placement: props.bodyPlacement ?? BodyPlacement.auto(), label });
    const api = new apigw.SpecRestApi(this, 'Api', {
      restApiName: apiName,
      apiDefinition: placedBody.apiDefinition,
      endpointTypes: [endpointType],
      failOnWarnings: true,
      cloudWatchRole: false,
      deployOptions: stage.stageOptions,
    });
    // SpecRestApi does not hash the body into the deployment: do it, so every change is deployed.
    api.latestDeployment?.addToLogicalId(placedBody.resolvedBody);
    tls.applyTo(api);
    // SpecRestApi always outputs the execute-api URL; with that endpoint disabled it would advertise a dead URL.
    if (tls.endpointConfiguration.disableExecuteApiEndpoint === true) api.node.tryRemoveChild('Endpoint');
    this.api = api;
    auth?.authorizer.grantInvoke(api);
    this.stage = api.deploymentStage;
    this.logs.addExecutionLogGroup(api, this.stage);
    this.https = tls.attach(api, this.stage);
    acknowledgeFindings(
      api,
      ['AwsSolutions-APIG2'],
      'Request validators are declared inside the imported OpenAPI body (x-amazon-apigateway-request-validators, one on every operation), which cdk-nag cannot see (cdklabs/cdk-nag#1075); SecureApi tests assert every operation has one.',
    );
    if (props.stage?.cache === undefined) {
      acknowledgeFindings(
        this.stage,
        ruleInPacks('APIGWCacheEnabledAndEncrypted', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
        "Response caching is off by default because a shared cache can serve one caller's authorized response to another; when it is turned on (stage.cache), SecureApi always encrypts it.",
      );
    }

    const accountMode = props.cloudWatchRole ?? CloudWatchRoleMode.CREATE_IF_ABSENT;
    const account = new ApiGatewayAccountLogging(this, 'AccountLogging', {
      mode: accountMode,
      handlerLogGroup: accountMode === CloudWatchRoleMode.NONE ? undefined : this.logs.functionLogGroup(this, 'api-gateway-account'),
    });
    if (account.dependable) this.stage.node.addDependency(account.dependable);

    // 7. Post-wiring: one invoke permission per function, scoped to this API.
    for (const [uniqueId, fn] of [...invokedFunctions.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      fn.addPermission(`InvokeBy${Names.nodeUniqueId(this.node)}${uniqueId.slice(-8)}`, {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: api.arnForExecuteApi('*', '/*', '*'),
      });
    }

    if (props.apiKeys !== undefined) {
      const apiKeys = new ApiKeys(this, 'ApiKeys', {
        options: props.apiKeys,
        label,
        restApi: api,
        stage: this.stage,
        operations: analyzed.operations,
        keyRequiredOperationIds: security.decisions.filter((d) => d.security.some((r) => keyBody!.apiKeySchemeName in r)).map((d) => d.operationId),
        logGroups: this.logs,
        trustedIssuers: auth?.authorizer.issuers,
      });
      this.apiKeys = apiKeys;
      // ApiKeySource.authorizer(): the authorizer returns each consumer's key as usageIdentifierKey.
      if (auth !== undefined) apiKeys.bindAuthorizer(auth.authorizer.function);
      for (const [consumerId, consumer] of Object.entries(apiKeys.consumers)) {
        monitoredFunctions.push({ label: `KeyRotation-${consumerId}`, function: consumer.rotationFunction });
      }
    }

    // The web ACL, after the stage it protects; behind the CloudFront front it checks the front's origin header.
    const stageName = stage.stageOptions.stageName!;
    this.waf = new ApiWaf(this, 'Waf', {
      options: props.waf,
      label,
      apiName,
      stage: this.stage,
      operations: analyzed.operations,
      accessLogGroup: this.logs.accessLogGroup,
      logGroups: this.logs,
      pathPrefixes: [stageName, ...(props.domain?.basePath ? [props.domain.basePath] : [])],
      front: tls.originVerification && {
        originRule: originVerificationRule(tls.originVerification, 0, 'RequireCloudFrontOriginHeader'),
        clientIpHeader: tls.originVerification.clientIpHeader,
        redactedHeaders: tls.originVerification.redactedHeaders,
      },
      removalPolicy: this.logs.removalPolicy,
    });
    if (this.waf.autoBlocker) monitoredFunctions.push({ label: 'IpBlocker', function: this.waf.autoBlocker.function });

    // 8. Monitoring (metric filters, rate alarms, dashboard) and the central log pipeline, once everything is wired.
    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      label,
      apiName,
      restApiId: api.restApiId,
      stageName: stage.stageOptions.stageName!,
      accessLogGroup: this.logs.accessLogGroup,
      options: props.monitoring,
      functions: monitoredFunctions,
      removalPolicy: this.logs.removalPolicy,
      webAclMetricName: (this.waf.webAcl?.visibilityConfig as wafv2.CfnWebACL.VisibilityConfigProperty | undefined)?.metricName,
      wafLogGroup: this.waf.logGroup,
      authorizerMetricNamespace: this.auth !== undefined ? AUTHORIZER_METRICS.defaultNamespace : undefined,
    });
    this.logs.shipLogs(this.waf.logGroup);

    // 9. The security report, written at synth from the final template (lib/report).
    attachSecurityReport(this);
  }

  private reportWarnings(warnings: PipelineWarning[]): void {
    for (const warning of warnings) {
      const id = `cdk-secure-api:${(warning.keyword ?? 'openapi').replace(/[^A-Za-z0-9:_-]/g, '_')}`;
      Annotations.of(this).addWarningV2(id, warning.message);
    }
  }
}
