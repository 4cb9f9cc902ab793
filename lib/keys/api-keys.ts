import { Annotations, Names, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { USAGE_IDENTIFIER_ENV, UsageIdentifierMapping } from '../../contracts/api-keys';
import { acknowledgeFindings, controlTowerRule, createSecureKey, ruleInPacks } from '../common';
import { ApiOperation } from '../model';
import { ApiKeysOptions, UsageThrottle } from './api-keys-options';
import { ConsumerApiKey, IConsumerApiKey } from './consumer-api-key';
import { consumerIdentity, methodThrottleKey, resolveRotation, validateApiKeysOptions } from './validate';
import { PropCheck, SecureApiConfigError } from '../model/config-error';

/** Props of {@link ApiKeys}: the options plus what the root shares with this concern. */
export interface ApiKeysProps {
  readonly options: ApiKeysOptions;
  /** The SecureApi's path, for messages. */
  readonly label: string;
  readonly restApi: apigw.IRestApi;
  readonly stage: apigw.Stage;
  /** Every operation of the API. */
  readonly operations: ApiOperation[];
  /** operationIds whose methods require an API key (from `buildOperationSecurity`). */
  readonly keyRequiredOperationIds: string[];
  /** Creates each rotation function's own log group (the root passes its `ApiLogs`). */
  readonly logGroups: IFunctionLogGroups;
  /**
   * The JWT authorizer's trusted issuers (may hold deploy-time values), for `ApiKeySource.authorizer()`:
   * each consumer is identified by one of them and its client id.
   * @default - none: no authorizer
   */
  readonly trustedIssuers?: string[];
}

/** Something that creates a function's own log group, as `ApiLogs` does. */
export interface IFunctionLogGroups {
  /** A new log group for the function `name`, created in `scope`. */
  functionLogGroup(scope: Construct, name: string): logs.ILogGroup;
}

/** The usage plans and consumers' API keys of a SecureApi, as `SecureApi.apiKeys` exposes them. */
export interface IApiKeys extends IConstruct {
  /** The usage plan of each tier, by tier name. */
  readonly usagePlans: { [tier: string]: apigw.CfnUsagePlan };
  /** Each consumer's key, by consumer id. */
  readonly consumers: { [consumerId: string]: IConsumerApiKey };
  /** The key that encrypts the consumers' secrets. */
  readonly encryptionKey: kms.IKey;
  /** Failed asynchronous invocations of the rotation functions (sweep, cleanup). */
  readonly deadLetterQueue: sqs.Queue;

  /** The secret a consumer reads its key from. */
  secretOf(consumerId: string): secretsmanager.ISecret;

  /** Lets `grantee` read one consumer's key (GetSecretValue on that consumer's secret, and decrypt through Secrets Manager). */
  grantRead(consumerId: string, grantee: iam.IGrantable): iam.Grant;
}

/**
 * Usage plans (one per tier) on the API's stage, and one {@link ConsumerApiKey} per consumer,
 * attached to its tier's plan by its rotation function.
 */
export class ApiKeys extends Construct implements IApiKeys {
  /** The usage plan of each tier, by tier name. */
  public readonly usagePlans: { [tier: string]: apigw.CfnUsagePlan } = {};
  /** Each consumer's key, by consumer id. */
  public readonly consumers: { [consumerId: string]: ConsumerApiKey } = {};
  /** The key that encrypts the consumers' secrets. */
  public readonly encryptionKey: kms.IKey;
  /** Failed asynchronous invocations of the rotation functions (sweep, cleanup). */
  public readonly deadLetterQueue: sqs.Queue;
  private readonly options: ApiKeysOptions;
  private readonly label: string;
  private readonly trustedIssuers: string[];

  constructor(scope: Construct, id: string, props: ApiKeysProps) {
    super(scope, id);
    const { options, label } = props;
    this.options = options;
    this.label = label;
    this.trustedIssuers = props.trustedIssuers ?? [];
    for (const warning of validateApiKeysOptions(options, props.operations, label, this.trustedIssuers))
      Annotations.of(this).addWarningV2('cdk-secure-api:api-keys', warning);
    for (const warning of keyCoverageWarnings(options, props.keyRequiredOperationIds, label))
      Annotations.of(this).addWarningV2('cdk-secure-api:api-keys-coverage', warning);

    this.encryptionKey =
      options.encryptionKey ??
      createSecureKey(this, 'SecretsKey', {
        description: `Encrypts the API key secrets of ${label} (cdk-secure-api)`,
        enableKeyRotation: true,
      });

    this.deadLetterQueue = new sqs.Queue(this, 'RotationDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeFindings(
      this.deadLetterQueue,
      ['AwsSolutions-SQS3', ...ruleInPacks('SQSRedrivePolicy', ['Serverless']), controlTowerRule('sqs_dlq_check')],
      'This queue is itself the dead-letter queue of the key-rotation functions and their schedules; a dead-letter queue of a dead-letter queue would only move the same messages again.',
    );

    const byId = new Map(props.operations.map((op) => [op.operationId, op]));
    for (const tier of options.tiers) {
      const methodThrottles: { [key: string]: apigw.CfnUsagePlan.ThrottleSettingsProperty } = {};
      for (const [operationId, throttle] of Object.entries(tier.operationThrottles ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        methodThrottles[methodThrottleKey(byId.get(operationId)!)] = throttleSettings(throttle);
      }
      const plan = new apigw.CfnUsagePlan(this, `Tier-${tier.name}`, {
        usagePlanName: `${Names.uniqueResourceName(this, { maxLength: 64, separator: '-' })}-${tier.name}`,
        description: tier.description ?? `Tier '${tier.name}' of ${label} (cdk-secure-api)`,
        apiStages: [
          {
            apiId: props.restApi.restApiId,
            stage: props.stage.stageName,
            throttle: Object.keys(methodThrottles).length > 0 ? methodThrottles : undefined,
          },
        ],
        throttle: throttleSettings(tier.throttle),
        quota:
          tier.quota === undefined ? undefined : { limit: tier.quota.limit, period: tier.quota.period, offset: tier.quota.offset ?? 0 },
      });
      plan.node.addDependency(props.stage);
      this.usagePlans[tier.name] = plan;
    }

    for (const consumer of options.consumers) {
      this.consumers[consumer.id] = new ConsumerApiKey(this, `Consumer-${consumer.id}`, {
        consumer,
        rotation: resolveRotation(consumer, options, label),
        usagePlan: this.usagePlans[consumer.tier],
        encryptionKey: this.encryptionKey,
        deadLetterQueue: this.deadLetterQueue,
        logGroup: props.logGroups.functionLogGroup(this, `key-rotation-${consumer.id}`),
      });
    }
  }

  /** The secret a consumer reads its key from. */
  public secretOf(consumerId: string): secretsmanager.ISecret {
    const consumer = this.consumers[consumerId];
    if (consumer === undefined)
      throw new SecureApiConfigError(
        this.label,
        'apiKeys',
        `has no consumer '${consumerId}' (declared: ${Object.keys(this.consumers).join(', ')})`,
      );
    return consumer.secret;
  }

  /** Lets `grantee` read one consumer's key (GetSecretValue on that consumer's secret, and decrypt through Secrets Manager). */
  public grantRead(consumerId: string, grantee: iam.IGrantable): iam.Grant {
    return this.secretOf(consumerId).grantRead(grantee);
  }

  /**
   * The seam for `ApiKeySource.authorizer()`: the claim and each consumer's secret by issuer AND claim
   * value (validated in the constructor). `undefined` when keys come from the header.
   */
  public usageIdentifierMapping(): UsageIdentifierMapping | undefined {
    const source = this.options.source;
    if (source?.type !== 'AUTHORIZER') return undefined;
    const check = new PropCheck(this.label, 'apiKeys');
    const consumers = this.options.consumers.map((consumer, i) => {
      const { issuer, clientId } = consumerIdentity(consumer, this.trustedIssuers, `consumers[${i}]`, check);
      return { issuer, claimValue: clientId, secretArn: this.consumers[consumer.id].secret.secretArn };
    });
    return { claim: source.claim!, consumers };
  }

  /**
   * Wires the JWT authorizer for `ApiKeySource.authorizer()`: puts the mapping into its environment
   * ({@link USAGE_IDENTIFIER_ENV}) and lets it read the consumers' secrets, so it can return the
   * consumer's current key as `usageIdentifierKey`. Does nothing with the header source.
   */
  public bindAuthorizer(authorizer: lambda.Function): void {
    const mapping = this.usageIdentifierMapping();
    if (mapping === undefined) return;
    authorizer.addEnvironment(USAGE_IDENTIFIER_ENV, Stack.of(this).toJsonString(mapping));
    for (const consumer of Object.values(this.consumers)) consumer.secret.grantRead(authorizer);
  }
}

function throttleSettings(throttle: UsageThrottle): apigw.CfnUsagePlan.ThrottleSettingsProperty {
  return { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit };
}

/** Warnings about keys that protect or meter nothing: usage plans count only methods that require a key. */
export function keyCoverageWarnings(options: ApiKeysOptions, keyRequiredOperationIds: string[], label: string): string[] {
  const required = new Set(keyRequiredOperationIds);
  const warnings: string[] = [];
  if (required.size === 0) {
    warnings.push(
      `SecureApi '${label}': apiKeys is configured but no operation requires an API key, so usage plans throttle and meter nothing; declare an apiKey header scheme in the document's security, or set apiKeys.requireForAllOperations`,
    );
  }
  options.tiers.forEach((tier, i) => {
    for (const operationId of Object.keys(tier.operationThrottles ?? {}).sort()) {
      if (required.size > 0 && !required.has(operationId)) {
        warnings.push(
          `SecureApi '${label}': apiKeys.tiers[${i}].operationThrottles.${operationId} has no effect: the operation does not require an API key, and usage plans apply only to methods that do`,
        );
      }
    }
  });
  return warnings;
}
