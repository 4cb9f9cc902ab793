import { APIGatewayClient, GetAccountCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { API_GATEWAY_ACCOUNT_PHYSICAL_ID, ApiGatewayAccountResourceProperties } from '../../contracts/api-gateway-account';
import { sendCloudFormationResponse } from '../shared/cloudformation-response';

const client = new APIGatewayClient({});

/** The outcome the handler reports to CloudFormation. */
export interface AccountRoleOutcome {
  /** The role the account uses after this run. */
  readonly roleArn: string;
  /** Whether this run changed the account setting. */
  readonly changed: boolean;
}

/**
 * Points API Gateway's account-level CloudWatch Logs role at ours, without clobbering a role that
 * another stack set (aws-cdk#7140): in `create-if-absent` mode an existing role is left alone.
 * On delete nothing is changed, because other APIs in the account may rely on the setting.
 */
export async function applyAccountRole(
  requestType: CloudFormationCustomResourceEvent['RequestType'],
  properties: ApiGatewayAccountResourceProperties,
  apiGateway: Pick<APIGatewayClient, 'send'> = client,
): Promise<AccountRoleOutcome> {
  if (requestType === 'Delete') return { roleArn: '', changed: false };
  if (typeof properties.RoleArn !== 'string' || !properties.RoleArn.startsWith('arn:')) {
    throw new Error(`RoleArn must be an IAM role ARN, got ${JSON.stringify(properties.RoleArn)}`);
  }
  if (properties.Mode !== 'create-if-absent' && properties.Mode !== 'always') {
    throw new Error(`Mode must be 'create-if-absent' or 'always', got ${JSON.stringify(properties.Mode)}`);
  }
  const account = await apiGateway.send(new GetAccountCommand({}));
  const current = account.cloudwatchRoleArn ?? '';
  if (current === properties.RoleArn || (current !== '' && properties.Mode === 'create-if-absent')) {
    return { roleArn: current, changed: false };
  }
  await apiGateway.send(
    new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: properties.RoleArn }] }),
  );
  return { roleArn: properties.RoleArn, changed: true };
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  try {
    const outcome = await applyAccountRole(event.RequestType, event.ResourceProperties as unknown as ApiGatewayAccountResourceProperties);
    console.log(JSON.stringify({ level: 'INFO', message: 'account CloudWatch role', requestType: event.RequestType, ...outcome }));
    await sendCloudFormationResponse(event, {
      status: 'SUCCESS',
      reason: 'OK',
      physicalResourceId: API_GATEWAY_ACCOUNT_PHYSICAL_ID,
      data: { RoleArn: outcome.roleArn, Changed: String(outcome.changed) },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ level: 'ERROR', message: 'account CloudWatch role failed', requestType: event.RequestType, reason }));
    await sendCloudFormationResponse(event, { status: 'FAILED', reason, physicalResourceId: API_GATEWAY_ACCOUNT_PHYSICAL_ID });
  }
}
