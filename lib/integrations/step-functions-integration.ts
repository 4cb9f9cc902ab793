import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ApiOperation } from '../model';
import { SecureApiConfigError } from '../model/config-error';
import { startExecutionResponseTemplate, startExecutionTemplate, startSyncExecutionResponseTemplate } from './mapping-templates';
import type { OperationIntegrationConfig } from './operation-integration';
import { sendsValidatedBody, serviceIntegration, serviceRole } from './service-integration';

const FACTORY = 'OperationIntegration.stepFunctions';

/** Options for {@link OperationIntegration.stepFunctions}. */
export interface StepFunctionsOperationIntegrationOptions {
  /**
   * Answer with the execution's output (`StartSyncExecution`, EXPRESS state machines only), or start it and
   * answer with its id (`StartExecution`).
   * @default - synchronous for an EXPRESS state machine, asynchronous for a STANDARD one
   */
  readonly synchronous?: boolean;
  /**
   * The state machine's type, for an imported state machine (SecureApi reads it from a `StateMachine`).
   * @default - the type of a `StateMachine`; STANDARD for an imported one
   */
  readonly stateMachineType?: sfn.StateMachineType;
  /**
   * How long API Gateway waits for Step Functions (50 ms to 29 s): a synchronous execution must end within it.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
  /**
   * The customer managed KMS key an imported state machine is encrypted with: the integration role gets
   * `kms:GenerateDataKey` and `kms:Decrypt` on it for this state machine's executions only. For a `StateMachine`,
   * SecureApi reads the key from its `encryptionConfiguration` (setting this too is a synth error).
   * @default - the key of a `StateMachine` with `CustomerManagedEncryptionConfiguration`; none for an imported one (AWS owned key)
   */
  readonly encryptionKey?: kms.IKey;
}

/** `StartExecution` / `StartSyncExecution` of one state machine; see OperationIntegration.stepFunctions. */
export class StepFunctionsStartExecutionBinding {
  private readonly synchronous: boolean;

  constructor(
    private readonly stateMachine: sfn.IStateMachine,
    private readonly options: StepFunctionsOperationIntegrationOptions,
  ) {
    const known = stateMachine instanceof sfn.StateMachine ? stateMachine.stateMachineType : undefined;
    if (known !== undefined && options.stateMachineType !== undefined && known !== options.stateMachineType) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${FACTORY} stateMachineType ${options.stateMachineType} contradicts state machine '${stateMachine.node.path}', which is ${known}`,
      );
    }
    if (stateMachine instanceof sfn.StateMachine && options.encryptionKey !== undefined) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${FACTORY} encryptionKey is for an imported state machine; SecureApi reads the key of state machine '${stateMachine.node.path}' from its encryptionConfiguration`,
      );
    }
    const type = known ?? options.stateMachineType ?? sfn.StateMachineType.STANDARD;
    this.synchronous = options.synchronous ?? type === sfn.StateMachineType.EXPRESS;
    if (this.synchronous && type !== sfn.StateMachineType.EXPRESS) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `${FACTORY} state machine '${stateMachine.node.path}' is STANDARD and cannot answer synchronously ` +
          '(StartSyncExecution serves EXPRESS state machines only): drop synchronous, or use an EXPRESS state machine',
      );
    }
  }

  public bind(operation: ApiOperation, scope: Construct): OperationIntegrationConfig {
    const hasBody = sendsValidatedBody(operation, FACTORY, false);
    const machine = this.stateMachine;
    const action = this.synchronous ? 'StartSyncExecution' : 'StartExecution';
    const statements = [new iam.PolicyStatement({ actions: [`states:${action}`], resources: [machine.stateMachineArn] })];
    const keyArn = stateMachineKeyArn(machine) ?? this.options.encryptionKey?.keyArn;
    if (keyArn !== undefined) {
      // A customer managed key: the execution's input is encrypted with a data key of it (and a synchronous output
      // decrypted), under the encryption context of this state machine only, so the grant opens no other data of the key.
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [keyArn],
          conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': machine.stateMachineArn } },
        }),
      );
    }
    const role = serviceRole(scope, machine, action, statements);
    return {
      integration: serviceIntegration({
        operation,
        factory: FACTORY,
        service: 'states',
        target: `action/${action}`,
        region: machine.env.region,
        role,
        requestTemplate: startExecutionTemplate(machine.stateMachineArn, hasBody),
        requestHeaders: {},
        defaultSuccessStatus: this.synchronous ? '200' : '202',
        successTemplate: this.synchronous ? startSyncExecutionResponseTemplate() : startExecutionResponseTemplate(),
        timeout: this.options.timeout,
      }),
    };
  }
}

/**
 * The customer managed key of a `StateMachine` built in this app, from its `encryptionConfiguration` (the L2 does not
 * expose the key); undefined for an AWS owned key or an imported state machine.
 */
export function stateMachineKeyArn(machine: sfn.IStateMachine): string | undefined {
  if (!(machine instanceof sfn.StateMachine)) return undefined;
  const config = (machine.node.defaultChild as sfn.CfnStateMachine).encryptionConfiguration;
  if (config === undefined || Token.isUnresolved(config)) return undefined;
  const { type, kmsKeyId } = config as sfn.CfnStateMachine.EncryptionConfigurationProperty;
  return type === 'CUSTOMER_MANAGED_KMS_KEY' ? kmsKeyId : undefined;
}
