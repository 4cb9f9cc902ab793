import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
    const role = serviceRole(scope, machine, action, [
      new iam.PolicyStatement({ actions: [`states:${action}`], resources: [machine.stateMachineArn] }),
    ]);
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
