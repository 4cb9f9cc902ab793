import { awsServiceOf, integrationTargetKind, mechanismOf } from '../../lib/report/api-model';

describe('mechanismOf', () => {
  const schemes = {
    SecureApiIam: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
    SecureApiJwtAuthorizer: {
      type: 'apiKey',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type: 'request' },
    },
    SecureApiJwtAuthByToken: {
      type: 'apiKey',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type: 'request' },
    },
    SecureApiLambdaPartner: {
      type: 'apiKey',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type: 'request' },
    },
    SecureApiCognitoPool: {
      type: 'apiKey',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools' },
    },
    api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
  };

  it.each([
    [[{ SecureApiIam: [], api_key: [] }], 'iam'],
    [[{ SecureApiJwtAuthorizer: [] }], 'jwt'],
    [[{ SecureApiJwtAuthByToken: [] }], 'jwt'],
    [[{ SecureApiLambdaPartner: [] }], 'lambda'],
    [[{ SecureApiCognitoPool: ['profile/read'] }], 'cognitoUserPool'],
    [[{ api_key: [] }], 'none'],
    [[], 'none'],
  ])('reads %j as %s (the report names it, since cdk-nag cannot see imported methods)', (security, mechanism) => {
    expect(mechanismOf(security, schemes)).toBe(mechanism);
  });
});

describe('awsServiceOf', () => {
  const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

  it('names the service and action of an aws integration URI, from the literal parts of an Fn::Join', () => {
    expect(awsServiceOf(join('arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':events:action/PutEvents'))).toBe(
      'EventBridge PutEvents',
    );
    expect(awsServiceOf('arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution')).toBe('Step Functions StartSyncExecution');
    expect(awsServiceOf(join('arn:aws:apigateway:eu-west-1:sqs:path/', { Ref: 'AWS::AccountId' }, '/orders'))).toBe('SQS SendMessage');
  });

  it('never returns the resource or account, and falls back for a URI it cannot read', () => {
    expect(awsServiceOf('arn:aws:apigateway:eu-west-1:sqs:path/111111111111/orders')).not.toMatch(/111111111111|orders/);
    expect(awsServiceOf({ 'Fn::GetAtt': ['X', 'Arn'] })).toBe('an AWS service');
  });
});

describe('integrationTargetKind', () => {
  const cases: Array<[{ integrationUri?: string; integrationConnection?: string }, string]> = [
    [
      { integrationUri: 'https://orders.internal.example.com/orders/{id}', integrationConnection: 'VPC_LINK' },
      'https backend over a VPC link',
    ],
    [{ integrationUri: 'https://backend.example.com/pets' }, 'https backend'],
    [{ integrationUri: 'http://10.0.0.12:8080/x' }, 'http backend'],
    [{ integrationUri: 'https://{host}.example.com/x' }, 'https backend (host from a request value)'],
    [{}, '(intrinsic)'],
  ];
  it.each(cases)('shows %j as %s, never the host or the path', (operation, kind) => {
    expect(integrationTargetKind(operation)).toBe(kind);
    expect(integrationTargetKind(operation)).not.toMatch(/example\.com|10\.0\.0\.12|orders|pets/);
  });
});
