import { APIGatewayClient, GetAccountCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { applyAccountRole } from '../../../lambda/api-gateway-account';

const ours = 'arn:aws:iam::111111111111:role/ours';
const theirs = 'arn:aws:iam::111111111111:role/platform-team';

describe('applyAccountRole', () => {
  const apiGateway = mockClient(APIGatewayClient);
  let accountRole: string | undefined;
  beforeEach(() => {
    apiGateway.reset();
    apiGateway.on(GetAccountCommand).callsFake(async () => ({ cloudwatchRoleArn: accountRole }));
    apiGateway.on(UpdateAccountCommand).callsFake(async (input) => {
      accountRole = input.patchOperations[0].value;
      return {};
    });
  });
  const client = () => new APIGatewayClient({ region: 'eu-west-1' });

  it('sets our role when the account has none', async () => {
    accountRole = undefined;
    await expect(applyAccountRole('Create', { RoleArn: ours, Mode: 'create-if-absent' }, client())).resolves.toEqual({
      roleArn: ours,
      changed: true,
    });
    expect(accountRole).toBe(ours);
  });

  it('never clobbers a role another stack set, in create-if-absent mode', async () => {
    accountRole = theirs;
    await expect(applyAccountRole('Update', { RoleArn: ours, Mode: 'create-if-absent' }, client())).resolves.toEqual({
      roleArn: theirs,
      changed: false,
    });
    expect(accountRole).toBe(theirs);
    expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(0);
  });

  it('overwrites in always mode', async () => {
    accountRole = theirs;
    await applyAccountRole('Create', { RoleArn: ours, Mode: 'always' }, client());
    expect(accountRole).toBe(ours);
  });

  it('leaves the account alone on delete', async () => {
    accountRole = ours;
    await expect(applyAccountRole('Delete', { RoleArn: ours, Mode: 'always' }, client())).resolves.toEqual({ roleArn: '', changed: false });
    expect(accountRole).toBe(ours);
    expect(apiGateway.calls()).toHaveLength(0);
  });

  it('rejects malformed properties with a message naming them', async () => {
    await expect(applyAccountRole('Create', { RoleArn: 'role', Mode: 'always' }, client())).rejects.toThrow(
      'RoleArn must be an IAM role ARN, got "role"',
    );
    await expect(applyAccountRole('Create', { RoleArn: ours, Mode: 'sometimes' as never }, client())).rejects.toThrow(
      "Mode must be 'create-if-absent' or 'always'",
    );
  });
});
