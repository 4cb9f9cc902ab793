import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { templateFindings } from '../helpers/template-validation';
import { forgeDocument } from './fixtures';

function build(document: Record<string, any>, props: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Forge', { env: { account: '111111111111', region: 'eu-west-1' } });
  new SecureApi(stack, 'Api', { openApi: OpenApi.fromObject(document), defaultIntegration: OperationIntegration.mock(), ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

function bodyOf(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

describe('a document where some operations have no operationId', () => {
  it('synthesizes as it is, with derived operationIds in the body and one info listing them', () => {
    const { stack, template } = build(forgeDocument());
    const body = bodyOf(template);
    expect(body.paths['/repos/{owner}/{repo}'].get.operationId).toBe('getReposOwnerRepo');
    expect(body.paths['/repos/{owner}/{repo}'].delete.operationId).toBe('repoDelete');
    expect(body.paths['/repos/{owner}/{repo}/issues'].post.operationId).toBe('postReposOwnerRepoIssues');
    expect(body.paths['/user/login'].post.operationId).toBe('postUserLogin');
    const infos = Annotations.fromStack(stack).findInfo('/Forge/Api', Match.stringLikeRegexp('derived-operation-id'));
    expect(infos).toHaveLength(1);
    expect(String(infos[0].entry.data)).toMatch(
      /^4 finding\(s\) of kind 'derived-operation-id' on 4 operation\(s\) \('getReposOwnerRepo', 'getReposOwnerRepoIssues', 'postReposOwnerRepoIssues', 'postUserLogin'\); the first: GET \/repos\/\{owner\}\/\{repo\} has no operationId in the document/,
    );
  });

  it('accepts route keys in integrations, excludeOperations, stage.throttling.operations and waf.operationRateLimits', () => {
    const { template } = build(forgeDocument(), {
      integrations: { 'POST /user/login': OperationIntegration.http('https://login.example.com/login') },
      excludeOperations: ['DELETE /repos/{owner}/{repo}'],
      stage: { throttling: { operations: { 'post /repos/{owner}/{repo}/issues': { rateLimit: 5, burstLimit: 10 } } } },
      waf: { operationRateLimits: { 'POST /user/login': { limit: 100 } } },
    });
    const body = bodyOf(template);
    expect(body.paths['/user/login'].post['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: 'https://login.example.com/login/user/login',
    });
    expect(body.paths['/repos/{owner}/{repo}'].delete).toBeUndefined();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/~1repos~1{owner}~1{repo}~1issues',
          HttpMethod: 'POST',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      ]),
    });
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(acl.Rules.map((r: any) => r.Name)).toContain('RateLimit-postUserLogin');
  });

  it('names an unknown route key in a synth error', () => {
    expect(() =>
      build(forgeDocument(), { stage: { throttling: { operations: { 'GET /repos/{owner}/{name}': { rateLimit: 1, burstLimit: 1 } } } } }),
    ).toThrow(
      "SecureApi 'Forge/Api': stage.throttling.operations names operation(s) the document does not define: 'GET /repos/{owner}/{name}' (use an operationId, or a route key such as 'GET /repos/{owner}/{repo}' with the path as the document writes it)",
    );
  });

  it('keeps duplicate operationIds an error naming both routes', () => {
    const document = forgeDocument();
    document.paths['/user/login'].post.operationId = 'repoDelete';
    expect(() => build(document)).toThrow(
      "(inline document)#/paths: duplicate operationIds (each must be unique):\n  'repoDelete': DELETE /repos/{owner}/{repo}, POST /user/login",
    );
  });

  it('documents an operation without operationId with the access it really has (not as public)', () => {
    const document = forgeDocument();
    document.components = {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'repo:read': 'read' } } },
        },
      },
    };
    document.paths['/repos/{owner}/{repo}'].get.security = [{ oauth: ['repo:read'] }];
    const app = new App();
    const stack = new Stack(app, 'Forge', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(document),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }),
      docs: {},
    });
    const documented = api.docs!.publicDocument.paths['/repos/{owner}/{repo}'].get;
    expect(documented.operationId).toBe('getReposOwnerRepo');
    expect(documented.security).toEqual([{ [Object.keys(api.docs!.publicDocument.components.securitySchemes)[0]]: ['repo:read'] }]);
  });
});

describe('a document whose paths carry an enum-valued version segment (v{version})', () => {
  const versioned = (): Record<string, any> => ({
    openapi: '3.0.3',
    info: { title: 'Areas', version: '1' },
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'areas:read': 'read' } } },
        },
      },
    },
    paths: {
      '/v{version}/areas': {
        get: {
          operationId: 'listAreas',
          security: [{ oauth: ['areas:read'] }],
          parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer', enum: [1, 2] } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  });

  it('serves /v1/areas and /v2/areas, each with the integration named by the document operationId and the original path for an HTTP backend', () => {
    const { template, stack } = build(versioned(), {
      auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }),
      integrations: { listAreas: OperationIntegration.http('https://areas.example.com') },
      stage: { throttling: { operations: { listAreas: { rateLimit: 5, burstLimit: 10 } } } },
    });
    const body = bodyOf(template);
    expect(Object.keys(body.paths).filter((p) => p.includes('areas'))).toEqual(['/v1/areas', '/v2/areas']);
    expect(body.paths['/v1/areas'].get['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: 'https://areas.example.com/v1/areas',
    });
    expect(body.paths['/v2/areas'].get['x-amazon-apigateway-integration'].uri).toBe('https://areas.example.com/v2/areas');
    expect(body.paths['/v1/areas'].get.parameters ?? []).not.toContainEqual(expect.objectContaining({ name: 'version' }));
    for (const path of ['/~1v1~1areas', '/~1v2~1areas'])
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: path, HttpMethod: 'GET', ThrottlingRateLimit: 5 })]),
      });
    expect(Annotations.fromStack(stack).findInfo('/Forge/Api', Match.stringLikeRegexp('enum-expansion'))).toHaveLength(1);
    expect(templateFindings(stack)).toEqual([]);
  });

  it('documents the one document operation with the access its routes really have', () => {
    const app = new App();
    const stack = new Stack(app, 'Forge', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(versioned()),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }),
      docs: {},
    });
    const documented = api.docs!.publicDocument.paths['/v{version}/areas'].get;
    expect(documented.operationId).toBe('listAreas');
    expect(documented.security).toEqual([{ [Object.keys(api.docs!.publicDocument.components.securitySchemes)[0]]: ['areas:read'] }]);
  });
});
