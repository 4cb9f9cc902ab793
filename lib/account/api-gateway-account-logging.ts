import { Aws, CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct, IDependable } from 'constructs';
import { ApiGatewayAccountResourceProperties } from '../../contracts/api-gateway-account';
import { acknowledgeFindings, CUSTOM_RESOURCE_NO_DLQ_REASON, HandlerFunction, LeastPrivilegeRole } from '../common';

/** How SecureApi handles API Gateway's account-level CloudWatch Logs role, which execution and access logging need. */
export enum CloudWatchRoleMode {
  /** Create a role and set it on the account only if the account has none, so a role another stack set is never clobbered. */
  CREATE_IF_ABSENT = 'create-if-absent',
  /** Create a role and always set it on the account (the behaviour of aws-cdk-lib's `cloudWatchRole: true`). */
  ALWAYS = 'always',
  /** Leave the account setting to someone else (shared accounts where a platform team manages it). */
  NONE = 'none',
}

export interface ApiGatewayAccountLoggingProps {
  readonly mode: CloudWatchRoleMode;
  /** The custom resource handler's log group (`ApiLogs.functionLogGroup`). */
  readonly handlerLogGroup?: logs.ILogGroup;
}

/**
 * Makes sure API Gateway can write execution and access logs in this account and region,
 * without overwriting a role that another stack configured (aws-cdk#7140). The role is retained
 * on stack deletion, because the account setting outlives any one API.
 */
export class ApiGatewayAccountLogging extends Construct {
  /** What the stage must wait for, when the account is configured here. */
  public readonly dependable?: IDependable;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountLoggingProps) {
    super(scope, id);
    if (props.mode === CloudWatchRoleMode.NONE) return;
    // Invariant (a bug, not configuration): the root passes a log group unless the mode is NONE.
    if (props.handlerLogGroup === undefined) throw new Error('ApiGatewayAccountLogging: handlerLogGroup is required unless mode is NONE');

    const role = new LeastPrivilegeRole(this, 'CloudWatchLogsRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write execution and access logs to CloudWatch Logs in this account and region',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
          'logs:PutLogEvents',
          'logs:GetLogEvents',
          'logs:FilterLogEvents',
        ],
        resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`],
      }),
    );
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledgeFindings(
      role,
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]'],
      "API Gateway uses this one account-wide role for the execution and access logs of every API in the region, whose log-group names are not known in advance; it is limited to this account's and region's log groups.",
    );

    const handler = new HandlerFunction(this, 'Handler', {
      handlerName: 'api-gateway-account',
      purpose: 'sets the API Gateway account CloudWatch Logs role when none is set',
      logGroup: props.handlerLogGroup!,
      reservedConcurrentExecutions: 1,
      noDeadLetterQueueReason: CUSTOM_RESOURCE_NO_DLQ_REASON,
    });
    const accountArn = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/account`;
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['apigateway:GET', 'apigateway:PATCH'], resources: [accountArn] }));
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }));

    const properties: ApiGatewayAccountResourceProperties = {
      RoleArn: role.roleArn,
      Mode: props.mode === CloudWatchRoleMode.ALWAYS ? 'always' : 'create-if-absent',
    };
    const resource = new CustomResource(this, 'Setting', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::ApiGatewayAccountCloudWatchRole',
      properties: { ...properties },
    });
    this.dependable = resource;
  }
}

/**
 * The account-level logging role that `stage`'s execution logging needs, handled as `mode` says;
 * the stage waits for it. Returns the construct (made even with NONE, so the construct tree is the same).
 */
export function connectAccountLogging(
  scope: Construct,
  stage: IConstruct,
  handlerLogGroup: (scope: Construct, name: string) => logs.ILogGroup,
  mode: CloudWatchRoleMode = CloudWatchRoleMode.CREATE_IF_ABSENT,
): ApiGatewayAccountLogging {
  const account = new ApiGatewayAccountLogging(scope, 'AccountLogging', {
    mode,
    handlerLogGroup: mode === CloudWatchRoleMode.NONE ? undefined : handlerLogGroup(scope, 'api-gateway-account'),
  });
  if (account.dependable) stage.node.addDependency(account.dependable);
  return account;
}
