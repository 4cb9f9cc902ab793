#!/usr/bin/env node
// The SecureApi demo: one stack composing SecureApi from demo/petstore.yaml with a Lambda backend.
// It imports only what the package exports, like any user's app.
import * as path from 'node:path';
import { App, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { ApiKeysOptions, Auth, LeastPrivilegeRole, LogPipeline, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../lib';

/**
 * A customer managed key for the demo's own resources: rotated yearly, and only AWS services may create grants on
 * it (AWS Control Tower CT.KMS.PR.3), as on SecureApi's own keys.
 */
function demoKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  return key;
}

/** The pet store's backend: a tiny in-memory handler, hardened like any production function. */
function createBackend(scope: Construct): lambda.Function {
  const key = demoKey(scope, 'BackendLogKey');
  key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Stack.of(scope).region}.amazonaws.com`));
  const logGroup = new logs.LogGroup(scope, 'BackendLogs', {
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new LeastPrivilegeRole(scope, 'BackendRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const backend = new lambda.Function(scope, 'Backend', {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(
      [
        'exports.handler = async (event) => {',
        '  const body = event.httpMethod === "POST" ? { id: "p-1", ...JSON.parse(event.body || "{}") } : { ok: true, route: event.resource };',
        '  return { statusCode: event.httpMethod === "POST" ? 201 : 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };',
        '};',
      ].join('\n'),
    ),
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    tracing: lambda.Tracing.ACTIVE,
    timeout: Duration.seconds(5),
    memorySize: 256,
    reservedConcurrentExecutions: 20,
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only X-Ray tracing uses a wildcard: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
  });
  for (const id of [
    'NIST.800.53.R5-LambdaInsideVPC',
    'HIPAA.Security-LambdaInsideVPC',
    'PCI.DSS.321-LambdaInsideVPC',
    'cdk-validator-cfnguard::lambda_inside_vpc_check',
  ]) {
    Validations.of(backend).acknowledge({
      id,
      reason: 'The demo backend keeps its data in memory and reaches no private resource, so a VPC would isolate nothing.',
    });
  }
  for (const id of ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ', 'PCI.DSS.321-LambdaDLQ', 'Serverless-LambdaDLQ']) {
    Validations.of(backend).acknowledge({
      id,
      reason:
        'API Gateway invokes the backend synchronously and receives its errors; a dead-letter queue applies to asynchronous invocations only.',
    });
  }
  return backend;
}

/**
 * Adoption requests go straight to a queue the shelter staff work from (OperationIntegration.sqs): encrypted with a
 * customer managed key, TLS only, failed messages kept in a dead-letter queue.
 */
function createAdoptionQueue(scope: Construct): sqs.Queue {
  const key = demoKey(scope, 'AdoptionQueueKey');
  const deadLetters = new sqs.Queue(scope, 'AdoptionDeadLetters', {
    encryptionMasterKey: key,
    enforceSSL: true,
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(deadLetters).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: 'This is the dead-letter queue at the end of the redrive chain; a queue behind it would only move the same messages again.',
  });
  return new sqs.Queue(scope, 'AdoptionRequests', {
    encryptionMasterKey: key,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/**
 * Two tiers and two consumers. Each consumer's key is generated into Secrets Manager and rotated every
 * 90 days (the partner's every 30); the partner's account reads its key through a role of its own.
 */
function demoApiKeys(scope: Construct): ApiKeysOptions {
  const partnerKeyReader = new LeastPrivilegeRole(scope, 'PartnerKeyReader', {
    assumedBy: new iam.AccountPrincipal('222222222222'),
    description: 'Assumed by partner-a to read its API key from Secrets Manager',
  });
  return {
    requireForAllOperations: true,
    tiers: [
      { name: 'free', throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 10_000, period: apigw.Period.MONTH } },
      {
        name: 'partner',
        throttle: { rateLimit: 50, burstLimit: 100 },
        quota: { limit: 1_000_000, period: apigw.Period.MONTH },
        operationThrottles: { createPet: { rateLimit: 10, burstLimit: 20 } },
      },
    ],
    consumers: [
      {
        id: 'partner-a',
        tier: 'partner',
        readers: [partnerKeyReader],
        rotation: { period: Duration.days(30), gracePeriod: Duration.days(3) },
      },
      { id: 'hobbyist', tier: 'free' },
    ],
  };
}

export class PetStoreStack extends Stack {
  public readonly api: SecureApi;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const backend = createBackend(this);
    // `-c logPipeline=s3` ships the access (and WAF) logs through Amazon Data Firehose into an S3 archive.
    const logPipeline: unknown = this.node.tryGetContext('logPipeline');
    if (logPipeline !== undefined && logPipeline !== 's3') throw new Error(`demo: context logPipeline must be 's3', got '${logPipeline}'`);
    this.api = new SecureApi(this, 'PetStoreApi', {
      openApi: OpenApi.fromFile(path.join(__dirname, '..', 'demo', 'petstore.yaml')),
      defaultIntegration: OperationIntegration.lambda(backend),
      integrations: {
        getHealth: OperationIntegration.mock(),
        requestAdoption: OperationIntegration.sqs(createAdoptionQueue(this)),
      },
      // OAuth 2.0 access tokens from the organization's OpenID provider (a placeholder issuer): the JWT
      // authorizer verifies them through the issuer's discovery document and enforces the document's scopes.
      auth: Auth.jwt({ issuer: 'https://login.example.com/realms/petstore', audience: ['https://api.example.com/v1'] }),
      // Swagger UI and the public version of petstore.yaml at /docs, behind the same authorizer (scope
      // docs:read). deletePet is marked x-internal there: the API serves it, the documentation leaves it out.
      docs: { path: '/docs' },
      ...demoDomain(this),
      logging: logPipeline === 's3' ? { pipeline: LogPipeline.s3() } : undefined,
      apiKeys: demoApiKeys(this),
    });
  }
}

/**
 * The opt-in custom domain: `-c domainName=api.example.com -c hostedZoneId=Z0123456789ABCDEFGHIJ
 * -c hostedZoneName=example.com`, plus `-c edge=true` for the CloudFront front. The zone is built from its
 * attributes, so synth needs no lookup; without these context values there is no domain.
 */
function demoDomain(scope: Construct): Pick<SecureApiProps, 'domain' | 'edge'> {
  const name: unknown = scope.node.tryGetContext('domainName');
  const edge = String(scope.node.tryGetContext('edge') ?? 'false') === 'true';
  if (name === undefined) {
    if (edge) throw new Error('demo: -c edge=true needs -c domainName, -c hostedZoneId and -c hostedZoneName');
    return {};
  }
  const hostedZoneId: unknown = scope.node.tryGetContext('hostedZoneId');
  const zoneName: unknown = scope.node.tryGetContext('hostedZoneName');
  if (typeof hostedZoneId !== 'string' || typeof zoneName !== 'string')
    throw new Error('demo: -c domainName needs -c hostedZoneId and -c hostedZoneName');
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(scope, 'HostedZone', { hostedZoneId, zoneName });
  return { domain: { name: String(name), hostedZone }, edge: edge ? {} : undefined };
}

/**
 * Builds the demo app; `nag` adds the five cdk-nag packs and AWS Control Tower's proactive controls
 * (cfn-guard, bundled and offline) as validation plugins.
 */
export function buildDemoApp(app: App, nag = true): PetStoreStack {
  if (nag) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new NIST80053R5Checks(app),
      new HIPAASecurityChecks(app),
      new PCIDSS321Checks(app),
      new ServerlessChecks(app),
      new CfnGuardValidator({ controlTowerRulesEnabled: true }),
    );
  }
  // A fixed account and region: synth needs no credentials and no lookups, and output is deterministic.
  // With the CloudFront front (-c edge=true) the stack goes to us-east-1, the only region CloudFront takes certificates from.
  const region = String(app.node.tryGetContext('edge') ?? 'false') === 'true' ? 'us-east-1' : 'eu-west-1';
  return new PetStoreStack(app, 'SecureApiDemo', { env: { account: '111111111111', region } });
}

if (require.main === module) {
  buildDemoApp(new App());
}
