// The package's public API, exported by name: what users compose a SecureApi from, and the types of
// its public properties. The jsii build (`npm run build:jsii`) checks that this surface can be published for Python,
// Java and .NET with jsii. Pipeline passes, helpers, constants and tables are internal: they stay
// importable by deep path (`lib/openapi/analyze`...) for tests and benchmarks, not from the package.

// The construct and the document it is built from
export { SecureApi, type SecureApiProps } from './secure-api';
export { OpenApi } from './openapi';
export {
  type HttpOperationIntegrationOptions,
  type IntegrationTimeoutOptions,
  type LambdaOperationIntegrationOptions,
  type MockOperationIntegrationOptions,
  OperationIntegration,
} from './integrations/operation-integration';
export { type EventBridgeOperationIntegrationOptions } from './integrations/event-bridge-integration';
export { SqsMessageGroup, type SqsOperationIntegrationOptions } from './integrations/sqs-integration';
export { type StepFunctionsOperationIntegrationOptions } from './integrations/step-functions-integration';
export { type VpcLinkOperationIntegrationOptions } from './integrations/operation-integration';
export { VpcLinkTarget } from './integrations/vpc-link-target';
export { type AutoBodyPlacementOptions, BodyPlacement } from './body/body-placement';

// Stage, CORS, the account-level logging role
export { type SecureStageOptions, type StageCacheOptions, type ThrottleSettings, type ThrottlingOptions } from './stage/stage-hardening';
export { type OperationCacheOptions } from './stage/response-cache';
export { type CorsOptions } from './openapi';
export { ApiGatewayAccountLogging, type ApiGatewayAccountLoggingProps, CloudWatchRoleMode } from './account/api-gateway-account-logging';

// Logs, log shipping, alarms and the dashboard
export { ApiLogs, type ApiLogsProps, type FunctionLogging, type LoggingOptions } from './observability/api-logs';
export {
  type CrossAccountPipelineOptions,
  type HttpEndpointPipelineOptions,
  type ILogGroupFactory,
  type LogArchiveOptions,
  LogPipeline,
  type LogPipelineBindOptions,
  type LogPipelineResources,
  type LogPipelineSource,
  type OpenSearchPipelineOptions,
} from './observability/log-pipeline';
export {
  ApiMonitoring,
  type ApiMonitoringProps,
  type MetricAlarmRequest,
  type MonitoredFunction,
  type MonitoringOptions,
} from './observability/api-monitoring';
export { type AlarmThresholds } from './observability/alarm-thresholds';

// OAuth 2.0 / OpenID Connect
export { Auth, type AuthBinding, type CognitoAuthProps, type SchemesAuthOptions } from './auth/auth';
export {
  type AuthorizerOptions,
  type JwksCacheOptions,
  AuthorizerCacheKey,
  JwtAlgorithm,
  type JwtAuthProps,
  type JwtIssuer,
} from './auth/auth-options';
export {
  type CognitoMachineClientOptions,
  CognitoOAuthServer,
  type CognitoOAuthServerProps,
  type CognitoServerOptions,
  type CognitoUserClientOptions,
  type CognitoUserGroupOptions,
  type IFunctionLogGroupFactory,
} from './auth/cognito-server';
export { type IJwtAuthorizer } from './auth/jwt-authorizer';
export { type LambdaAuthProps } from './auth/lambda-auth';
export { type CognitoUserPoolAuthOptions } from './auth/cognito-user-pool-auth';

// API keys and usage plans
export {
  type ApiConsumer,
  ApiKeySource,
  type ApiKeysOptions,
  type AuthorizerKeySourceOptions,
  type KeyRotationOptions,
  type UsageQuota,
  type UsageThrottle,
  type UsageTier,
} from './keys/api-keys-options';
export { type IApiKeys } from './keys/api-keys';
export { type IConsumerApiKey } from './keys/consumer-api-key';

// Documentation
export {
  type ApiDocsOptions,
  DocsAccess,
  DocsAccessMode,
  type DocsAuthorizerAccessOptions,
  type DocsOAuth2Endpoints,
  type IApiDocs,
} from './docs/api-docs';
export { DocsPublishing, type DocsPublishingOptions } from './docs/docs-publishing';

// HTTPS: TLS policy, custom domain, mutual TLS, CloudFront front, resource policy
export { type CustomDomainOptions, type EdgeFrontOptions, type ResourcePolicyOptions, type TlsOptions } from './tls/tls-options';
export { MutualTls, type MutualTlsBucketOptions, type MutualTlsFileOptions } from './tls/mutual-tls';
export { type AttachedTls } from './tls/api-tls';
export { type IApiCustomDomain } from './tls/custom-domain';
export { type IEdgeFront } from './tls/edge-front';

// WAF
export {
  type AccountTakeoverPreventionOptions,
  type AutoBlockOptions,
  AwsManagedRuleGroup,
  BodyInspectionLimit,
  BotControlInspectionLevel,
  type BotControlOptions,
  type ClientRateLimit,
  type ForwardedIpOptions,
  ForwardedIpPosition,
  type ManagedRuleOverride,
  type WafLoggingOptions,
  type WafOptions,
  type WafRateLimit,
  WafRuleAction,
} from './waf/waf-options';
export { type IApiWaf } from './waf/api-waf';
export { type IIpAutoBlocker, type BlockerAlarm } from './waf/auto-blocker';
export { type CapacityBudget, type RuleCapacity } from './waf/capacity';

// A building block for your own backends: grants land in a customer-managed policy
export { LeastPrivilegeRole } from './common/least-privilege-role';
