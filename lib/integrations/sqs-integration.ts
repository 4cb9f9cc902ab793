import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ApiOperation } from '../model';
import { SecureApiConfigError } from '../model/config-error';
import { sqsResponseTemplate, sqsSendMessageTemplate, SqsMessageGroupRule } from './mapping-templates';
import type { OperationIntegrationConfig } from './operation-integration';
import { sendsValidatedBody, serviceIntegration, serviceRole } from './service-integration';

const FACTORY = 'OperationIntegration.sqs';

/**
 * The message group of messages sent to a FIFO queue: `SqsMessageGroup.fixed('orders')` (one ordered stream)
 * or `SqsMessageGroup.perCaller()` (one ordered stream per caller, by the token's `sub`).
 */
export class SqsMessageGroup {
  /** Every message in one group: strict order, one consumer at a time. */
  public static fixed(groupId: string): SqsMessageGroup {
    if (Token.isUnresolved(groupId) || !/^[A-Za-z0-9_.:-]{1,128}$/.test(groupId)) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `SqsMessageGroup.fixed group id must be 1 to 128 letters, digits and _ . : -, got '${groupId}'`,
      );
    }
    return new SqsMessageGroup({ fixed: groupId });
  }

  /**
   * One group per caller: the JWT's `sub` from the authorizer's context. A request without a token (an
   * operation the authorizer does not protect) has no group, so SQS refuses it and the client gets a 502.
   */
  public static perCaller(): SqsMessageGroup {
    return new SqsMessageGroup({ perCaller: true });
  }

  private constructor(
    /** @internal */
    public readonly _rule: SqsMessageGroupRule,
  ) {}
}

/** Options for {@link OperationIntegration.sqs}. */
export interface SqsOperationIntegrationOptions {
  /**
   * How messages to a FIFO queue are grouped. Required for a FIFO queue (each message is also deduplicated
   * by API Gateway's request id); not allowed for a standard queue.
   * @default - none (a FIFO queue without it is a synth error)
   */
  readonly messageGroup?: SqsMessageGroup;
  /**
   * How long API Gateway waits for SQS (50 ms to 29 s).
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/** `SendMessage` of the validated body to one queue; see OperationIntegration.sqs. */
export class SqsSendMessageBinding {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly options: SqsOperationIntegrationOptions,
  ) {
    if (queue.fifo && options.messageGroup === undefined) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${FACTORY} queue '${queue.node.path}' is FIFO: set messageGroup (SqsMessageGroup.fixed(id) or SqsMessageGroup.perCaller())`,
      );
    }
    if (!queue.fifo && options.messageGroup !== undefined) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${FACTORY} queue '${queue.node.path}' is not FIFO: messageGroup applies to FIFO queues only`,
      );
    }
  }

  public bind(operation: ApiOperation, scope: Construct): OperationIntegrationConfig {
    sendsValidatedBody(operation, FACTORY, true);
    const queue = this.queue;
    const statements = [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] })];
    // SSE-KMS: SendMessage needs a data key from the queue's key, and that key only.
    if (queue.encryptionMasterKey !== undefined) {
      statements.push(
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [queue.encryptionMasterKey.keyArn] }),
      );
    }
    const role = serviceRole(scope, queue, 'SendMessage', statements);
    return {
      integration: serviceIntegration({
        operation,
        factory: FACTORY,
        service: 'sqs',
        target: `path/${queue.env.account}/${queue.queueName}`,
        region: queue.env.region,
        role,
        requestTemplate: sqsSendMessageTemplate(this.options.messageGroup?._rule),
        requestHeaders: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        defaultSuccessStatus: '202',
        successTemplate: sqsResponseTemplate(),
        timeout: this.options.timeout,
      }),
    };
  }
}
