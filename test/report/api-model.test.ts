import { mechanismOf } from '../../lib/report/api-model';

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
