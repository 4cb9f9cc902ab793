import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledHandlerCode } from './bundled-handler';
import { acknowledgeFindings, controlTowerRule, ruleInPacks } from './acknowledge';
import { LeastPrivilegeRole } from './least-privilege-role';

/** Props of {@link HandlerFunction}. */
export interface HandlerFunctionProps {
  /** The handler folder under `lambda/` (bundled into `assets/lambda/<name>`). */
  readonly handlerName: string;
  /**
   * The code, when it is more than the bundled handler (for example the docs handler with its generated static files).
   * @default - the bundled handler `handlerName` (`assets/lambda/<handlerName>`)
   */
  readonly code?: lambda.Code;
  /** What the function is for, for its description. */
  readonly purpose: string;
  /** The function's own KMS-encrypted log group, from `ApiLogs.functionLogGroup(scope, name)`. */
  readonly logGroup: logs.ILogGroup;
  /**
   * Environment variables (never secrets).
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Timeout.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Reserved concurrency: caps what a flood can cost and protects the account's pool.
   * @default 10
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * True when only synchronous callers (API Gateway, CloudFormation, Secrets Manager) invoke the
   * function, so a dead-letter queue can never receive anything and cdk-nag's DLQ rules are acknowledged.
   * @default true
   */
  readonly invokedSynchronously?: boolean;
  /**
   * Why no dead-letter queue is needed, when `invokedSynchronously` is true and the caller is not a plain
   * synchronous client (for example CloudFormation, which waits for a custom resource's response).
   * @default - the reason for synchronous callers
   */
  readonly noDeadLetterQueueReason?: string;
}

/** The reason a CloudFormation custom-resource handler needs no dead-letter queue. */
export const CUSTOM_RESOURCE_NO_DLQ_REASON =
  'CloudFormation invokes this custom-resource handler and waits for its response; a failure fails the stack operation visibly and is retried by redeploying, so a dead-letter queue would hold events nobody reprocesses.';

/**
 * One of SecureApi's own Lambda functions, hardened the same way everywhere: the current Node.js
 * runtime on ARM, X-Ray tracing, JSON logs into its own KMS-encrypted log group with retention,
 * reserved concurrency, and a prebuilt bundle (no esbuild or Docker at synth).
 */
export class HandlerFunction extends lambda.Function {
  public readonly logGroupForFunction: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = props.logGroup;
    // Our own role with a policy scoped to this log group, instead of the AWSLambdaBasicExecutionRole
    // managed policy (which may write to any log group in the account).
    const role = new LeastPrivilegeRole(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-secure-api: ${props.purpose}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      description: `cdk-secure-api: ${props.purpose}`,
      code: props.code ?? bundledHandlerCode(props.handlerName),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 10,
      environment: props.environment,
    });
    this.logGroupForFunction = logGroup;

    acknowledgeFindings(
      this,
      [...ruleInPacks('LambdaInsideVPC', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']), controlTowerRule('lambda_inside_vpc_check')],
      'The function calls only public AWS APIs and the identity provider over TLS and reaches no private resource, so a VPC would add NAT cost and cold-start latency without isolating anything.',
    );
    acknowledgeXrayWildcard(role);
    if (props.invokedSynchronously ?? true) {
      acknowledgeFindings(
        this,
        [...ruleInPacks('LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'Serverless'])],
        props.noDeadLetterQueueReason ??
          'The function is only invoked synchronously, where the caller receives the error; a dead-letter queue applies to asynchronous invocations only and would never receive a message.',
      );
    }
  }
}

/** X-Ray's write actions cannot be scoped to a resource; acknowledge exactly those wildcard findings. */
export function acknowledgeXrayWildcard(role: iam.IRole): void {
  acknowledgeFindings(
    role,
    ['AwsSolutions-IAM5[Resource::*]'],
    'Only X-Ray tracing uses a wildcard resource here: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
  );
}
