import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildDemoApp } from '../../bin/demo';
import { Auth, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { createSecureKey } from '../../lib/common/secure-key';
import { templateFindings } from '../helpers/template-validation';

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

describe('an environment-agnostic stack (no account at synth)', () => {
  const oauth = {
    type: 'oauth2',
    flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'orders:read': 'read' } } },
  };
  const document = {
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    components: { securitySchemes: { oauth, partner: { type: 'apiKey', in: 'header', name: 'x-partner' } } },
    paths: {
      '/orders': {
        get: { operationId: 'listOrders', security: [{ oauth: ['orders:read'] }], responses: { '200': { description: 'ok' } } },
      },
      '/partner': { get: { operationId: 'partnerOrders', security: [{ partner: [] }], responses: { '200': { description: 'ok' } } } },
    },
  };
  const app = new App();
  const stack = new Stack(app, 'Agnostic');
  // Functions of this stack's (unknown) account: API Gateway's permissions to invoke them are created here.
  const fn = (id: string) =>
    lambda.Function.fromFunctionAttributes(stack, id, {
      functionArn: stack.formatArn({ service: 'lambda', resource: 'function', resourceName: id, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      sameEnvironment: true,
    });
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.lambda(fn('backend')),
    auth: Auth.schemes({
      oauth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }),
      partner: Auth.lambda({ handler: fn('partner-authorizer') }),
    }),
  });
  const findings = templateFindings(stack);
  const permissions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Permission')).filter(
    (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
  );

  it("still names this account and this API on every invoke permission, as CloudFormation's account and ARN", () => {
    // The integration, the JWT authorizer and the Lambda authorizer: one permission each.
    expect(permissions).toHaveLength(3);
    for (const permission of permissions) {
      expect(permission.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(':execute-api:');
    }
  });

  it('gives no Control Tower finding: CT.LAMBDA.PR.2 is acknowledged only because the offline rule cannot read those', () => {
    expect(findings).toEqual([]);
  });
});
