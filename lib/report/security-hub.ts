/**
 * AWS Security Hub (CSPM) controls over the resources SecureApi creates, judged on the template.
 * One small pure function per control, in a table, as cdk-nag writes its rules. Definitions from the
 * Security Hub user guide (docs.aws.amazon.com/securityhub/latest/userguide/<service>-controls.html);
 * a control that depends on state a template does not hold says "not judgeable".
 */
import { ApiModel, methodSettings, stageWideSettings } from './api-model';
import { CfnResource, CfnTemplate, isIntrinsic, isObject, propsOf, refersTo, resourcesOfType, show } from './template';
import { ControlResult, ControlStatus, SecurityHubFinding } from './types';

/** What a control needs besides the resource: the whole template (for resources that refer to it). */
export interface ControlContext {
  readonly template: CfnTemplate;
}

export type Verdict = Pick<ControlResult, 'status' | 'evidence'>;

export interface SecurityHubControl {
  readonly id: string;
  readonly title: string;
  /** The CloudFormation types it judges; none means it never applies to a REST API (`not applicable`). */
  readonly resourceTypes: string[];
  readonly check: (logicalId: string, resource: CfnResource, context: ControlContext) => Verdict;
}

const pass = (evidence: string): Verdict => ({ status: 'pass', evidence });
const fail = (evidence: string): Verdict => ({ status: 'fail', evidence });
const unknown = (evidence: string): Verdict => ({ status: 'not judgeable', evidence });

/** APIGateway.1: every stage logs execution at ERROR or INFO. */
export function apiGatewayExecutionLogging(_id: string, stage: CfnResource): Verdict {
  const level = stageWideSettings(stage)?.LoggingLevel;
  if (isIntrinsic(level)) return unknown(`MethodSettings[/*,*].LoggingLevel = ${show(level)}`);
  const off = methodSettings(stage).filter((s) => s.LoggingLevel === 'OFF');
  if ((level === 'ERROR' || level === 'INFO') && off.length === 0) return pass(`MethodSettings[/*,*].LoggingLevel = ${level}`);
  return fail(
    `MethodSettings[/*,*].LoggingLevel = ${show(level)}${off.length > 0 ? `; OFF on ${off.map((s) => `${s.ResourcePath} ${s.HttpMethod}`).join(', ')}` : ''}`,
  );
}

/** APIGateway.2: the stage presents a client certificate to backends. */
export function apiGatewayBackendCertificate(_id: string, stage: CfnResource): Verdict {
  const id = propsOf(stage).ClientCertificateId;
  return id === undefined ? fail('ClientCertificateId (absent)') : pass(`ClientCertificateId = ${show(id)}`);
}

/** APIGateway.3: X-Ray tracing on the stage. */
export function apiGatewayXray(_id: string, stage: CfnResource): Verdict {
  const tracing = propsOf(stage).TracingEnabled;
  if (isIntrinsic(tracing)) return unknown(`TracingEnabled = ${show(tracing)}`);
  return tracing === true ? pass('TracingEnabled = true') : fail(`TracingEnabled = ${show(tracing)}`);
}

/** APIGateway.4: a WAF web ACL is associated with the stage (in this template). */
export function apiGatewayWaf(id: string, _stage: CfnResource, context: ControlContext): Verdict {
  const associations = resourcesOfType(context.template, 'AWS::WAFv2::WebACLAssociation').filter(([, a]) =>
    refersTo(propsOf(a).ResourceArn, id),
  );
  return associations.length > 0
    ? pass(`AWS::WAFv2::WebACLAssociation ${associations.map(([a]) => a).join(', ')} → this stage`)
    : fail('no AWS::WAFv2::WebACLAssociation in the template references this stage');
}

/** APIGateway.5: cached data is encrypted wherever caching is on. */
export function apiGatewayCacheEncrypted(_id: string, stage: CfnResource): Verdict {
  const caching = methodSettings(stage).filter((s) => s.CachingEnabled === true);
  if (caching.length === 0 && propsOf(stage).CacheClusterEnabled !== true)
    return { status: 'not applicable', evidence: 'caching is off (CacheClusterEnabled and MethodSettings[*].CachingEnabled not true)' };
  const plain = caching.filter((s) => s.CacheDataEncrypted !== true);
  return plain.length === 0
    ? pass('MethodSettings[*].CacheDataEncrypted = true where CachingEnabled')
    : fail(`CacheDataEncrypted not true on ${plain.map((s) => `${s.ResourcePath} ${s.HttpMethod}`).join(', ')}`);
}

/** WAF.10: the web ACL has at least one rule. */
export function wafHasRules(_id: string, acl: CfnResource): Verdict {
  const rules = propsOf(acl).Rules;
  return Array.isArray(rules) && rules.length > 0 ? pass(`Rules: ${rules.length}`) : fail('Rules: none');
}

/** WAF.11: web ACL logging is configured. */
export function wafLogging(id: string, _acl: CfnResource, context: ControlContext): Verdict {
  const configs = resourcesOfType(context.template, 'AWS::WAFv2::LoggingConfiguration').filter(([, c]) =>
    refersTo(propsOf(c).ResourceArn, id),
  );
  return configs.length > 0
    ? pass(`AWS::WAFv2::LoggingConfiguration ${configs.map(([c]) => c).join(', ')}`)
    : fail('no AWS::WAFv2::LoggingConfiguration references this web ACL');
}

/** WAF.12: CloudWatch metrics on for the web ACL's rules. */
export function wafRuleMetrics(_id: string, acl: CfnResource): Verdict {
  const rules = Array.isArray(propsOf(acl).Rules) ? (propsOf(acl).Rules as unknown[]).filter(isObject) : [];
  const off = rules
    .filter((r) => !(isObject(r.VisibilityConfig) && r.VisibilityConfig.CloudWatchMetricsEnabled === true))
    .map((r) => String(r.Name));
  return off.length === 0
    ? pass(`VisibilityConfig.CloudWatchMetricsEnabled = true on ${rules.length} rules`)
    : fail(`CloudWatchMetricsEnabled not true on ${off.join(', ')}`);
}

const distribution = (resource: CfnResource) =>
  isObject(propsOf(resource).DistributionConfig) ? (propsOf(resource).DistributionConfig as { [k: string]: unknown }) : {};
const behaviors = (config: { [k: string]: unknown }) =>
  [config.DefaultCacheBehavior, ...(Array.isArray(config.CacheBehaviors) ? config.CacheBehaviors : [])].filter(isObject);
const customOrigins = (config: { [k: string]: unknown }) =>
  (Array.isArray(config.Origins) ? config.Origins.filter(isObject) : []).map((o) => o.CustomOriginConfig).filter(isObject);

/** CloudFront.3: viewers must use HTTPS (no allow-all viewer protocol policy). */
export function cloudFrontViewerHttps(_id: string, resource: CfnResource): Verdict {
  const policies = behaviors(distribution(resource)).map((b) => b.ViewerProtocolPolicy);
  return policies.some((p) => p === 'allow-all' || p === undefined)
    ? fail(`ViewerProtocolPolicy: ${show(policies)}`)
    : pass(`ViewerProtocolPolicy: ${show(policies)}`);
}

/** CloudFront.5: access logging on. */
export function cloudFrontLogging(id: string, resource: CfnResource, context: ControlContext): Verdict {
  const logging = distribution(resource).Logging;
  if (isObject(logging) && logging.Bucket !== undefined) return pass(`DistributionConfig.Logging.Bucket = ${show(logging.Bucket)}`);
  const sources = resourcesOfType(context.template, 'AWS::Logs::DeliverySource').filter(([, s]) => refersTo(propsOf(s).ResourceArn, id));
  return sources.length > 0
    ? pass(`AWS::Logs::DeliverySource ${sources.map(([s]) => s).join(', ')}`)
    : fail('DistributionConfig.Logging (absent)');
}

/** CloudFront.6: a WAF web ACL on the distribution. */
export function cloudFrontWaf(_id: string, resource: CfnResource): Verdict {
  const acl = distribution(resource).WebACLId;
  return acl === undefined ? fail('DistributionConfig.WebACLId (absent)') : pass(`DistributionConfig.WebACLId = ${show(acl)}`);
}

/** CloudFront.7: a custom certificate, not the default *.cloudfront.net one. */
export function cloudFrontCustomCertificate(_id: string, resource: CfnResource): Verdict {
  const cert = distribution(resource).ViewerCertificate;
  const custom = isObject(cert) && (cert.AcmCertificateArn !== undefined || cert.IamCertificateId !== undefined);
  return custom ? pass('ViewerCertificate.AcmCertificateArn set') : fail(`ViewerCertificate = ${show(cert)}`);
}

/** CloudFront.8: SNI for HTTPS with a custom certificate. */
export function cloudFrontSni(_id: string, resource: CfnResource): Verdict {
  const cert = distribution(resource).ViewerCertificate;
  if (!isObject(cert) || (cert.AcmCertificateArn === undefined && cert.IamCertificateId === undefined))
    return { status: 'not applicable', evidence: 'no custom certificate' };
  return cert.SslSupportMethod === 'sni-only'
    ? pass('ViewerCertificate.SslSupportMethod = sni-only')
    : fail(`ViewerCertificate.SslSupportMethod = ${show(cert.SslSupportMethod)}`);
}

/** CloudFront.9: traffic to custom origins is encrypted. */
export function cloudFrontOriginHttps(_id: string, resource: CfnResource): Verdict {
  const config = distribution(resource);
  const origins = customOrigins(config);
  if (origins.length === 0) return { status: 'not applicable', evidence: 'no custom origin' };
  const viewerHttp = behaviors(config).some((b) => b.ViewerProtocolPolicy === 'allow-all');
  const weak = origins.filter((o) => o.OriginProtocolPolicy === 'http-only' || (o.OriginProtocolPolicy === 'match-viewer' && viewerHttp));
  return weak.length === 0
    ? pass(`OriginProtocolPolicy: ${show(origins.map((o) => o.OriginProtocolPolicy))}`)
    : fail(`OriginProtocolPolicy: ${show(origins.map((o) => o.OriginProtocolPolicy))}`);
}

/** CloudFront.10: no SSLv3 between edge locations and custom origins. */
export function cloudFrontOriginProtocols(_id: string, resource: CfnResource): Verdict {
  const origins = customOrigins(distribution(resource));
  if (origins.length === 0) return { status: 'not applicable', evidence: 'no custom origin' };
  const protocols = origins.map((o) => o.OriginSSLProtocols ?? ['TLSv1.2']);
  return JSON.stringify(protocols).includes('SSLv3')
    ? fail(`OriginSSLProtocols: ${show(protocols)}`)
    : pass(`OriginSSLProtocols: ${show(protocols)}`);
}

/** Cognito.1: threat protection in full-function (ENFORCED) mode. */
export function cognitoThreatProtection(_id: string, pool: CfnResource): Verdict {
  const addOns = propsOf(pool).UserPoolAddOns;
  const mode = isObject(addOns) ? addOns.AdvancedSecurityMode : undefined;
  return mode === 'ENFORCED'
    ? pass('UserPoolAddOns.AdvancedSecurityMode = ENFORCED')
    : fail(`UserPoolAddOns.AdvancedSecurityMode = ${show(mode)}`);
}

/** KMS.4: automatic rotation of symmetric customer managed keys. */
export function kmsRotation(_id: string, key: CfnResource): Verdict {
  const props = propsOf(key);
  if (props.KeySpec !== undefined && props.KeySpec !== 'SYMMETRIC_DEFAULT')
    return { status: 'not applicable', evidence: `KeySpec = ${show(props.KeySpec)}` };
  if (isIntrinsic(props.EnableKeyRotation)) return unknown(`EnableKeyRotation = ${show(props.EnableKeyRotation)}`);
  return props.EnableKeyRotation === true ? pass('EnableKeyRotation = true') : fail(`EnableKeyRotation = ${show(props.EnableKeyRotation)}`);
}

/** Lambda.1: the function's resource policy does not allow public invocation. */
export function lambdaNoPublicAccess(id: string, _fn: CfnResource, context: ControlContext): Verdict {
  const permissions = resourcesOfType(context.template, 'AWS::Lambda::Permission').filter(([, p]) => refersTo(propsOf(p).FunctionName, id));
  const open = permissions.filter(([, p]) => {
    const props = propsOf(p);
    return (props.Principal === '*' || props.Principal === undefined) && props.SourceArn === undefined && props.SourceAccount === undefined;
  });
  if (open.length > 0)
    return fail(`AWS::Lambda::Permission ${open.map(([p]) => p).join(', ')}: Principal '*' without SourceArn or SourceAccount`);
  return pass(
    permissions.length === 0
      ? 'no resource-based permission'
      : `${permissions.length} permission(s), each scoped to a service principal or source`,
  );
}

/**
 * Runtimes Lambda supports and has not deprecated (late 2026, Lambda developer guide "Lambda runtimes"). A runtime
 * matching the deprecated pattern fails; any other is not judgeable here rather than guessed.
 */
const SUPPORTED_RUNTIMES = new Set([
  'nodejs24.x',
  'nodejs22.x',
  'python3.14',
  'python3.13',
  'python3.12',
  'python3.11',
  'java25',
  'java21',
  'java17',
  'dotnet10',
  'dotnet8',
  'ruby3.4',
  'provided.al2023',
]);
const DEPRECATED_RUNTIMES =
  /^(nodejs(\d|1\d|20)\.x|nodejs$|python2|python3\.[0-9]$|python3\.10|java8$|ruby2|ruby3\.[23]|dotnetcore|dotnet6|go1\.x|provided$)/;

/** Lambda.2: a supported runtime. */
export function lambdaSupportedRuntime(_id: string, fn: CfnResource): Verdict {
  const runtime = propsOf(fn).Runtime;
  if (runtime === undefined) return { status: 'not applicable', evidence: 'container image (no Runtime)' };
  if (typeof runtime === 'string' && SUPPORTED_RUNTIMES.has(runtime)) return pass(`Runtime = ${runtime}`);
  if (typeof runtime === 'string' && DEPRECATED_RUNTIMES.test(runtime)) return fail(`Runtime = ${runtime} (deprecated)`);
  return unknown(`Runtime = ${show(runtime)}`);
}

/** Lambda.3: the function runs in a VPC. */
export function lambdaInVpc(_id: string, fn: CfnResource): Verdict {
  const vpc = propsOf(fn).VpcConfig;
  return isObject(vpc) && Array.isArray(vpc.SubnetIds) && vpc.SubnetIds.length > 0
    ? pass('VpcConfig.SubnetIds set')
    : fail(
        'VpcConfig (absent): SecureApi functions call only AWS APIs and the IdP, so a VPC isolates nothing; acknowledged like cdk-nag LambdaInsideVPC',
      );
}

/** Lambda.7: X-Ray active tracing. */
export function lambdaTracing(_id: string, fn: CfnResource): Verdict {
  const config = propsOf(fn).TracingConfig;
  const mode = isObject(config) ? config.Mode : undefined;
  return mode === 'Active' ? pass('TracingConfig.Mode = Active') : fail(`TracingConfig.Mode = ${show(mode)}`);
}

/** S3.5: the bucket policy denies requests without TLS. */
export function s3RequireTls(id: string, _bucket: CfnResource, context: ControlContext): Verdict {
  const policies = resourcesOfType(context.template, 'AWS::S3::BucketPolicy').filter(([, p]) => refersTo(propsOf(p).Bucket, id));
  const denies = policies.some(([, p]) => JSON.stringify(propsOf(p).PolicyDocument).includes('"aws:SecureTransport":"false"'));
  return denies
    ? pass('bucket policy denies aws:SecureTransport false')
    : fail('no bucket policy statement denies aws:SecureTransport false');
}

/** S3.8: bucket-level Block Public Access, all four settings. */
export function s3BlockPublicAccess(_id: string, bucket: CfnResource): Verdict {
  const block = propsOf(bucket).PublicAccessBlockConfiguration;
  const all =
    isObject(block) &&
    ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => block[k] === true);
  return all ? pass('PublicAccessBlockConfiguration: all four true') : fail(`PublicAccessBlockConfiguration = ${show(block)}`);
}

/** S3.9: server access logging. */
export function s3AccessLogging(_id: string, bucket: CfnResource): Verdict {
  const logging = propsOf(bucket).LoggingConfiguration;
  return isObject(logging)
    ? pass(`LoggingConfiguration.DestinationBucketName = ${show(logging.DestinationBucketName)}`)
    : fail('LoggingConfiguration (absent)');
}

/** SecretsManager.1: the secret is rotated automatically (a rotation schedule with a rotation function refers to it). */
export function secretRotation(id: string, _secret: CfnResource, context: ControlContext): Verdict {
  const schedules = resourcesOfType(context.template, 'AWS::SecretsManager::RotationSchedule').filter(([, s]) => {
    const props = propsOf(s);
    return refersTo(props.SecretId, id) && (props.RotationLambdaARN !== undefined || props.HostedRotationLambda !== undefined);
  });
  if (schedules.length === 0) return fail('AWS::SecretsManager::RotationSchedule (none refers to this secret)');
  return pass(
    schedules
      .map(([sid, s]) => `AWS::SecretsManager::RotationSchedule ${sid}: RotationRules = ${show(propsOf(s).RotationRules)}`)
      .join('; '),
  );
}

/** SNS.1: the topic is encrypted with KMS. */
export function snsEncrypted(_id: string, topic: CfnResource): Verdict {
  const key = propsOf(topic).KmsMasterKeyId;
  return key === undefined ? fail('KmsMasterKeyId (absent)') : pass(`KmsMasterKeyId = ${show(key)}`);
}

/** CloudWatch.16: log groups keep events at least a year (never expiring counts as compliant). */
export function logRetention(_id: string, group: CfnResource): Verdict {
  const days = propsOf(group).RetentionInDays;
  if (days === undefined) return pass('RetentionInDays (absent): never expire');
  if (typeof days !== 'number') return unknown(`RetentionInDays = ${show(days)}`);
  return days >= 365 ? pass(`RetentionInDays = ${days}`) : fail(`RetentionInDays = ${days} (< 365)`);
}

/** The controls, in Security Hub's order. */
export const SECURITY_HUB_CONTROLS: SecurityHubControl[] = [
  {
    id: 'APIGateway.1',
    title: 'API Gateway REST and WebSocket API execution logging should be enabled',
    resourceTypes: ['AWS::ApiGateway::Stage'],
    check: apiGatewayExecutionLogging,
  },
  {
    id: 'APIGateway.2',
    title: 'API Gateway REST API stages should be configured to use SSL certificates for backend authentication',
    resourceTypes: ['AWS::ApiGateway::Stage'],
    check: apiGatewayBackendCertificate,
  },
  {
    id: 'APIGateway.3',
    title: 'API Gateway REST API stages should have AWS X-Ray tracing enabled',
    resourceTypes: ['AWS::ApiGateway::Stage'],
    check: apiGatewayXray,
  },
  {
    id: 'APIGateway.4',
    title: 'API Gateway should be associated with a WAF Web ACL',
    resourceTypes: ['AWS::ApiGateway::Stage'],
    check: apiGatewayWaf,
  },
  {
    id: 'APIGateway.5',
    title: 'API Gateway REST API cache data should be encrypted at rest',
    resourceTypes: ['AWS::ApiGateway::Stage'],
    check: apiGatewayCacheEncrypted,
  },
  // APIGateway.8 and .9 judge HTTP and WebSocket APIs (ApiGatewayV2); SecureApi creates none, so they report not applicable.
  {
    id: 'APIGateway.8',
    title: 'API Gateway routes should specify an authorization type (HTTP and WebSocket APIs only)',
    resourceTypes: ['AWS::ApiGatewayV2::Route'],
    check: () => unknown(''),
  },
  {
    id: 'APIGateway.9',
    title: 'Access logging should be configured for API Gateway V2 Stages (HTTP and WebSocket APIs only)',
    resourceTypes: ['AWS::ApiGatewayV2::Stage'],
    check: () => unknown(''),
  },
  {
    id: 'WAF.10',
    title: 'AWS WAF web ACLs should have at least one rule or rule group',
    resourceTypes: ['AWS::WAFv2::WebACL'],
    check: wafHasRules,
  },
  { id: 'WAF.11', title: 'AWS WAF web ACL logging should be enabled', resourceTypes: ['AWS::WAFv2::WebACL'], check: wafLogging },
  {
    id: 'WAF.12',
    title: 'AWS WAF rules should have CloudWatch metrics enabled',
    resourceTypes: ['AWS::WAFv2::WebACL'],
    check: wafRuleMetrics,
  },
  {
    id: 'CloudFront.3',
    title: 'CloudFront distributions should require encryption in transit',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontViewerHttps,
  },
  {
    id: 'CloudFront.5',
    title: 'CloudFront distributions should have logging enabled',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontLogging,
  },
  {
    id: 'CloudFront.6',
    title: 'CloudFront distributions should have WAF enabled',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontWaf,
  },
  {
    id: 'CloudFront.7',
    title: 'CloudFront distributions should use custom SSL/TLS certificates',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontCustomCertificate,
  },
  {
    id: 'CloudFront.8',
    title: 'CloudFront distributions should use SNI to serve HTTPS requests',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontSni,
  },
  {
    id: 'CloudFront.9',
    title: 'CloudFront distributions should encrypt traffic to custom origins',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontOriginHttps,
  },
  {
    id: 'CloudFront.10',
    title: 'CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    check: cloudFrontOriginProtocols,
  },
  {
    id: 'Cognito.1',
    title: 'Cognito user pools should have threat protection activated with full function enforcement mode for standard authentication',
    resourceTypes: ['AWS::Cognito::UserPool'],
    check: cognitoThreatProtection,
  },
  { id: 'KMS.4', title: 'AWS KMS key rotation should be enabled', resourceTypes: ['AWS::KMS::Key'], check: kmsRotation },
  {
    id: 'Lambda.1',
    title: 'Lambda function policies should prohibit public access',
    resourceTypes: ['AWS::Lambda::Function'],
    check: lambdaNoPublicAccess,
  },
  {
    id: 'Lambda.2',
    title: 'Lambda functions should use supported runtimes',
    resourceTypes: ['AWS::Lambda::Function'],
    check: lambdaSupportedRuntime,
  },
  { id: 'Lambda.3', title: 'Lambda functions should be in a VPC', resourceTypes: ['AWS::Lambda::Function'], check: lambdaInVpc },
  {
    id: 'Lambda.7',
    title: 'Lambda functions should have AWS X-Ray active tracing enabled',
    resourceTypes: ['AWS::Lambda::Function'],
    check: lambdaTracing,
  },
  {
    id: 'S3.5',
    title: 'S3 general purpose buckets should require requests to use SSL',
    resourceTypes: ['AWS::S3::Bucket'],
    check: s3RequireTls,
  },
  {
    id: 'S3.8',
    title: 'S3 general purpose buckets should block public access',
    resourceTypes: ['AWS::S3::Bucket'],
    check: s3BlockPublicAccess,
  },
  {
    id: 'S3.9',
    title: 'S3 general purpose buckets should have server access logging enabled',
    resourceTypes: ['AWS::S3::Bucket'],
    check: s3AccessLogging,
  },
  {
    id: 'SecretsManager.1',
    title: 'Secrets Manager secrets should have automatic rotation enabled',
    resourceTypes: ['AWS::SecretsManager::Secret'],
    check: secretRotation,
  },
  { id: 'SNS.1', title: 'SNS topics should be encrypted at-rest using AWS KMS', resourceTypes: ['AWS::SNS::Topic'], check: snsEncrypted },
  {
    id: 'CloudWatch.16',
    title: 'CloudWatch log groups should be retained for a specified time period',
    resourceTypes: ['AWS::Logs::LogGroup'],
    check: logRetention,
  },
];

/** Rolls the per-resource verdicts up: fail wins, then not judgeable, then pass; no resource: not applicable. */
export function rollUp(results: ControlResult[]): ControlStatus {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'not judgeable')) return 'not judgeable';
  if (results.some((r) => r.status === 'pass')) return 'pass';
  return 'not applicable';
}

/** Evaluates every control over the resources the SecureApi owns. */
export function evaluateSecurityHub(model: ApiModel, controls: SecurityHubControl[] = SECURITY_HUB_CONTROLS): SecurityHubFinding[] {
  const context: ControlContext = { template: model.template };
  return controls.map((control) => {
    const resources: ControlResult[] = [];
    for (const type of control.resourceTypes) {
      for (const [id, resource] of resourcesOfType(model.template, type).filter(([rid]) => model.owned.has(rid))) {
        resources.push({ resource: id, resourceType: type, ...control.check(id, resource, context) });
      }
    }
    return { id: control.id, title: control.title, status: rollUp(resources), resources };
  });
}
