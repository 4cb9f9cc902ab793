import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { unscopedCognitoOperations } from '../../lib/auth/cognito-user-pool-auth';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const MIXED_API = join(__dirname, '..', 'fixtures', 'auth', 'mixed-api.yaml');
const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123';
const SCHEME = 'SecureApiCognitoPool';
const NOT_POOL = ['listOrders', 'listPartnerOrders', 'createPartnerOrder', 'deletePartnerOrder', 'getReport'];

function synth(props: Partial<SecureApiProps> = {}, openApi = OpenApi.fromFile(MIXED_API)) {
  const app = new App();
  const stack = new Stack(app, 'Profiles', { env: { account: '111111111111', region: 'eu-west-1' } });
  const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', POOL_ARN);
  const api = new SecureApi(stack, 'Api', {
    openApi,
    defaultIntegration: OperationIntegration.mock(),
    excludeOperations: NOT_POOL,
    auth: Auth.schemes({ pool: Auth.cognitoUserPool(pool) }),
    ...props,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

function body(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

describe('Auth.cognitoUserPool', () => {
  const { stack, api, template } = synth();

  it("declares API Gateway's native COGNITO_USER_POOLS authorizer for the pool", () => {
    expect(body(template).components.securitySchemes[SCHEME]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [POOL_ARN] },
    });
    expect(api.auth).toBeUndefined();
  });

  it("writes each operation's scopes from its security requirement: API Gateway's authorizationScopes", () => {
    expect(body(template).paths['/profile'].get.security).toEqual([{ [SCHEME]: ['profile/read'] }]);
    expect(body(template).paths['/profile'].put.security).toEqual([{ [SCHEME]: [] }]);
  });

  it('warns about the operation with no scope: ID tokens of any app client get in', () => {
    Annotations.fromStack(stack).hasWarning(
      '/Profiles/Api',
      Match.stringLikeRegexp(
        'updateProfile uses the Cognito user pool authorizer with no scope, so API Gateway accepts an ID token as well as an access token, from any app client of the pool',
      ),
    );
    Annotations.fromStack(stack).hasNoWarning('/Profiles/Api', Match.stringLikeRegexp('getProfile uses the Cognito'));
  });

  it('is clean under the five cdk-nag packs, CloudFormation Validate and the Control Tower rules', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('Auth.cognitoUserPool scopes', () => {
  const document = (security: unknown) =>
    OpenApi.fromObject({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/profile': { get: { operationId: 'getProfile', security, responses: { 200: { description: 'ok' } } } } },
      components: {
        securitySchemes: {
          pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools' },
        },
      },
    });

  it('writes alternatives of one scope each as the list API Gateway accepts any one of', () => {
    const { template } = synth({ excludeOperations: [] }, document([{ pool: ['profile/read'] }, { pool: ['profile/admin'] }]));
    expect(body(template).paths['/profile'].get.security).toEqual([{ [SCHEME]: ['profile/admin', 'profile/read'] }]);
  });

  it('abuse: refuses scopes required together, which the native authorizer would accept one at a time', () => {
    expect(() => synth({ excludeOperations: [] }, document([{ pool: ['profile/read', 'profile/admin'] }]))).toThrow(
      "operation 'getProfile' requires the scopes 'profile/admin' AND 'profile/read' together, but API Gateway's Cognito user pool authorizer accepts a token holding any one of an operation's scopes",
    );
  });

  it('rejects a scope that is not a valid OAuth 2.0 scope', () => {
    expect(() => synth({ excludeOperations: [] }, document([{ pool: ['bad"scope'] }]))).toThrow(
      `auth.scopes of the document holds 'bad"scope', which is not a valid OAuth 2.0 scope`,
    );
  });

  it('lists the unscoped operations of one authorizer only', () => {
    expect(
      unscopedCognitoOperations(
        [
          { operationId: 'a', security: [{ P: [] }] },
          { operationId: 'b', security: [{ P: ['s'] }] },
          { operationId: 'c', security: [{ Q: [] }] },
          { operationId: 'd', security: [] },
        ],
        'P',
      ),
    ).toEqual(['a']);
  });
});
