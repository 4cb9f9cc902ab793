import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDemoApp } from '../../bin/demo';
import { createSecureKey } from '../../lib/common/secure-key';

// AWS Control Tower's proactive controls that SecureApi meets by construction (the cfn-guard plugin checks
// them in every templateFindings call; these tests name what each one requires of the template).

const GRANTS_ONLY_FOR_AWS_SERVICES = {
  Sid: 'GrantsOnlyForAwsServices',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

describe('the demo stack', () => {
  const template = Template.fromStack(buildDemoApp(new App(), false));

  it('denies kms:CreateGrant on every KMS key unless an AWS service asks or the grant is for an AWS resource', () => {
    const keys = Object.entries(template.findResources('AWS::KMS::Key'));
    expect(keys.length).toBeGreaterThanOrEqual(5);
    for (const [id, key] of keys)
      expect({ id, statements: key.Properties.KeyPolicy.Statement }).toEqual({
        id,
        statements: expect.arrayContaining([GRANTS_ONLY_FOR_AWS_SERVICES]),
      });
  });

  it('lets API Gateway invoke a function only for this account and this API (SourceAccount and SourceArn)', () => {
    const permissions = Object.entries(template.findResources('AWS::Lambda::Permission')).filter(
      ([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions.length).toBeGreaterThanOrEqual(3);
    for (const [id, permission] of permissions) {
      expect({ id, account: permission.Properties.SourceAccount, hasArn: permission.Properties.SourceArn !== undefined }).toEqual({
        id,
        account: '111111111111',
        hasArn: true,
      });
    }
  });
});

describe('createSecureKey', () => {
  it('turns rotation on and adds the grants statement to the key policy', () => {
    const stack = new Stack(new App(), 'Keys');
    createSecureKey(stack, 'Key', { description: 'test key' });
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(GRANTS_ONLY_FOR_AWS_SERVICES);
  });
});
