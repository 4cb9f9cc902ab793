import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { DOCS_ENV } from '../../contracts/docs';
import { nagFindings } from '../helpers/nag';
import { ApiDocsOptions, DocsAccess, JsonObject, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';

function openPetStore(): JsonObject {
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1.0.0' },
    paths: {
      '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'OK' } } } },
      '/admin/reindex': { post: { operationId: 'reindex', 'x-internal': true, responses: { '202': { description: 'Started' } } } },
    },
  };
}

describe('SecureApi with docs', () => {
  const build = (docs: ApiDocsOptions, extra: Partial<SecureApiProps> = {}) => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new SecureApi(stack, 'Api', { openApi: OpenApi.fromObject(openPetStore()), defaultIntegration: OperationIntegration.mock(), docs, ...extra });
    return { stack, api };
  };

  it('adds the docs routes to the imported body and lets API Gateway invoke the docs function', () => {
    const { stack, api } = build({ access: DocsAccess.unauthenticated() });
    const template = Template.fromStack(stack);
    const body = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/docs', '/docs/{file}', '/pets', '/admin/reindex']));
    expect(body.paths['/docs'].get.operationId).toBe('secureApiDocsPage');
    const functionId = stack.getLogicalId(api.docs!.handler.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Api/Docs', Match.stringLikeRegexp('the API documentation at /docs is public'));
  });

  it('refuses docs behind an authorizer that SecureApi does not have', () => {
    expect(() => build({})).toThrow("SecureApi 'Stack/Api': docs.access is DocsAccess.authorizer() (the default), but SecureApi has no 'auth' configured");
  });

  it("documents the custom domain as the API's server", () => {
    const certificate = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/0f6f3a5e-0000-4000-8000-000000000000');
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(openPetStore()),
      defaultIntegration: OperationIntegration.mock(),
      docs: { access: DocsAccess.unauthenticated() },
      domain: { name: 'pets.example.com', basePath: 'v1', certificate: certificate(stack) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [DOCS_ENV.publicUrl]: 'https://pets.example.com/v1' }) },
    });
  });

  it('adds no unacknowledged cdk-nag finding in any of the five packs', () => {
    const { stack } = build({ access: DocsAccess.unauthenticated() });
    expect(nagFindings(stack)).toEqual([]);
  });
});
