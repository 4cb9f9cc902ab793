import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Auth, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { JwtAuthorizer } from '../../lib/auth';
import { templateFindings } from '../helpers/template-validation';

describe('optional authentication (issue 15): the second authorizer', () => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'Catalog', version: '1' },
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'catalog:read': 'read' } } },
        },
      },
    },
    paths: {
      '/catalog': {
        get: { operationId: 'browseCatalog', security: [{}, { oauth: ['catalog:read'] }], responses: { '200': { description: 'ok' } } },
      },
      '/orders': {
        get: { operationId: 'listOrders', security: [{ oauth: ['catalog:read'] }], responses: { '200': { description: 'ok' } } },
      },
    },
  };
  const app = new App();
  const stack = new Stack(app, 'Optional', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }),
    docs: {},
  });
  const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;

  it('serves the optional operation with an authorizer on the same function, without identity source and without cache', () => {
    const optional = body.components.securitySchemes[JwtAuthorizer.OPTIONAL_SCHEME_NAME];
    const usual =
      body.components.securitySchemes[JwtAuthorizer.SCHEME_NAME] ?? body.components.securitySchemes[JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME];
    expect(optional['x-amazon-apigateway-authorizer']).toEqual({
      type: 'request',
      authorizerUri: usual['x-amazon-apigateway-authorizer'].authorizerUri,
      authorizerResultTtlInSeconds: 0,
    });
    expect(body.paths['/catalog'].get.security).toEqual([{ [JwtAuthorizer.OPTIONAL_SCHEME_NAME]: [] }]);
  });

  it('keeps every other operation on the cached authorizers keyed by the token', () => {
    const [requirement] = body.paths['/orders'].get.security;
    expect(Object.keys(requirement)).not.toContain(JwtAuthorizer.OPTIONAL_SCHEME_NAME);
    const scheme = body.components.securitySchemes[Object.keys(requirement)[0]];
    expect(scheme['x-amazon-apigateway-authorizer'].identitySource).toContain('method.request.header.Authorization');
    expect(scheme['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds).toBe(300);
  });

  it('documents the operation as optional: anonymous first, then the token with its scopes', () => {
    const documented = api.docs!.publicDocument.paths['/catalog'].get;
    expect(documented.security).toEqual([{}, { [Object.keys(api.docs!.publicDocument.components.securitySchemes)[0]]: ['catalog:read'] }]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});
