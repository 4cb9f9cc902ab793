import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { DOCS_ENV } from '../../contracts/docs';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { ApiDocsOptions, Auth, DocsAccess, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { JwtAuthorizer } from '../../lib/auth/jwt-authorizer';
import { JsonObject } from '../../lib/openapi';
import { SecurityReport } from '../../lib/report';

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

describe('SecureApi with docs behind its JWT authorizer (the default)', () => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const document = openPetStore();
  ((document.paths as JsonObject)['/pets'] as { get: JsonObject }).get.security = [{ oauth: ['pets:read'] }];
  document.components = {
    securitySchemes: {
      oauth: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'https://idp.example.com/token', scopes: { 'pets:read': 'Read pets' } } },
      },
    },
  };
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt({ issuer: 'https://login.example.com/realms/pets', audience: ['https://api.example.com'] }),
    docs: {},
  });
  const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;

  it('protects both docs routes with the authorizer that protects the operations', () => {
    const scheme = Object.keys(body.components.securitySchemes).find(
      (name) => body.components.securitySchemes[name]['x-amazon-apigateway-authorizer'] !== undefined,
    )!;
    expect(body.paths['/pets'].get.security).toEqual([{ [scheme]: [] }]);
    expect(body.paths['/docs'].get.security).toEqual([{ [scheme]: [] }]);
    expect(body.paths['/docs/{file}'].get.security).toEqual([{ [scheme]: [] }]);
  });

  it("requires docs:read on the docs routes in the authorizer's scope map", () => {
    const routes = (api.auth!.authorizer as JwtAuthorizer).scopeMap.routes;
    expect(routes['GET /docs']).toEqual([['docs:read']]);
    expect(routes['GET /docs/{file}']).toEqual([['docs:read']]);
    expect(routes['GET /pets']).toEqual([['pets:read']]);
  });

  it("shows the issuer's OpenID Connect discovery and the scopes in the public document", () => {
    const scheme = ((api.docs!.publicDocument.components as JsonObject).securitySchemes as JsonObject).oauth2;
    expect(scheme).toMatchObject({
      type: 'openIdConnect',
      openIdConnectUrl: 'https://login.example.com/realms/pets/.well-known/openid-configuration',
    });
    expect(((api.docs!.publicDocument.paths as JsonObject)['/pets'] as { get: JsonObject }).get.security).toEqual([
      { oauth2: ['pets:read'] },
    ]);
  });
});

describe('SecureApi with docs', () => {
  const build = (docs: ApiDocsOptions, extra: Partial<SecureApiProps> = {}) => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(openPetStore()),
      defaultIntegration: OperationIntegration.mock(),
      docs,
      ...extra,
    });
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
    expect(() => build({})).toThrow(
      "SecureApi 'Stack/Api': docs.access is DocsAccess.authorizer() (the default), but SecureApi has no 'auth' configured",
    );
  });

  it("documents the custom domain as the API's server", () => {
    const certificate = (stack: Stack) =>
      acm.Certificate.fromCertificateArn(
        stack,
        'Cert',
        'arn:aws:acm:eu-west-1:111111111111:certificate/0f6f3a5e-0000-4000-8000-000000000000',
      );
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

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    const { stack } = build({ access: DocsAccess.unauthenticated() });
    expect(templateFindings(stack)).toEqual([]);
  });

  it('shows the Cognito token endpoint, resolved at deploy time, and lets the page call it', () => {
    const { stack, api } = build({}, { auth: Auth.cognito({ machineClients: [{ clientName: 'docs-reader', scopes: ['docs:read'] }] }) });
    const tokenUrl = (
      (((api.docs!.publicDocument.components as JsonObject).securitySchemes as JsonObject).oauth2 as JsonObject).flows as {
        clientCredentials: { tokenUrl: string };
      }
    ).clientCredentials.tokenUrl;
    expect(tokenUrl).toBe('@@secureapi-deploy-value-0@@');
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.[DOCS_ENV.deployValues] !== undefined,
    )!;
    const variables = fn.Properties.Environment.Variables;
    // The placeholder maps to the user pool domain's token URL, and the CSP names the same URL.
    expect(JSON.stringify(variables[DOCS_ENV.deployValues])).toContain('@@secureapi-deploy-value-0@@');
    expect(JSON.stringify(variables[DOCS_ENV.deployValues])).toMatch(/UserPool.*Domain|Domain.*UserPool/);
    expect(JSON.stringify(variables[DOCS_ENV.contentSecurityPolicy])).toMatch(/connect-src 'self' https:\/\/.*oauth2\/token/);
  });
});

describe("SecureApi docs show each operation's mechanism", () => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const handler = lambda.Function.fromFunctionArn(stack, 'Partner', 'arn:aws:lambda:eu-west-1:111111111111:function:partner-authorizer');
  const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123');
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(path.join(__dirname, '..', 'fixtures', 'auth', 'mixed-api.yaml')),
    defaultIntegration: OperationIntegration.mock(),
    excludeOperations: ['deletePartnerOrder'],
    auth: Auth.schemes({
      oauth: Auth.jwt({ issuer: 'https://login.example.com/realms/orders', audience: ['https://api.example.com'] }),
      partner: Auth.lambda({ handler }),
      pool: Auth.cognitoUserPool(pool),
    }),
    docs: {},
  });
  const publicDocument = api.docs!.publicDocument;
  const security = (path: string, method: string) => ((publicDocument.paths as any)[path][method] as JsonObject).security;

  it('names IAM, the Lambda authorizer, the Cognito user pool and OAuth 2.0 per operation', () => {
    expect(security('/reports/{reportId}', 'get')).toEqual([{ awsSigV4: [] }]);
    expect(security('/partners/orders', 'get')).toEqual([{ lambdaAuthorizerPartner: [] }]);
    expect(security('/profile', 'get')).toEqual([{ cognitoUserPoolPool: [] }]);
    expect(security('/orders', 'get')).toEqual([{ oauth2: ['orders:read'] }]);
    expect(security('/health', 'get')).toEqual([]);
  });

  it('describes each mechanism to clients, and hides how the gateway implements it', () => {
    const schemes = (publicDocument.components as any).securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['awsSigV4', 'cognitoUserPoolPool', 'lambdaAuthorizerPartner', 'oauth2']);
    expect(schemes.awsSigV4.description).toContain('AWS Signature Version 4');
    expect(schemes.cognitoUserPoolPool).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(JSON.stringify(publicDocument)).not.toContain('x-amazon-apigateway');
    expect(JSON.stringify(publicDocument)).not.toContain('partner-authorizer');
  });
});

describe('SecureApi docs name every operation as the API and the security report do (issue 16)', () => {
  // Operations without an operationId (or with an empty one) behind path item $refs: analysis derives
  // their ids, and the documentation must show the same ids, under the same paths.
  const ok = { '200': { description: 'OK' } };
  const document = {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1.0.0' },
    paths: {
      '/animals': { get: { responses: ok }, post: { operationId: '', responses: ok } },
      '/pets': { $ref: '#/paths/~1animals' },
      '/owners': { $ref: '#/x-path-items/Owners' },
      '/health': { get: { operationId: '', responses: ok } },
    },
    'x-path-items': { Owners: { get: { responses: ok } } },
  };
  const outdir = mkdtempSync(path.join(tmpdir(), 'secure-api-docs-ids-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    // getOwners is derived, behind a path item $ref: the docs must know it to leave it out.
    docs: { access: DocsAccess.unauthenticated(), internalOperations: ['getOwners'] },
  });
  app.synth();
  const body = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  const report: SecurityReport = JSON.parse(readFileSync(path.join(outdir, `${stack.artifactId}.Api.secure-api-report.json`), 'utf8'));
  const routes = (paths: JsonObject) =>
    Object.entries(paths).flatMap(([p, item]) =>
      Object.entries(item as JsonObject)
        .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method))
        .map(([method, operation]) => `${method.toUpperCase()} ${p} ${String((operation as JsonObject).operationId)}`),
    );
  const isDocsRoute = (route: string) => route.includes('secureApiDocs');

  it("documents each operation under its own path with the operationId of the API's import body", () => {
    const documented = routes(api.docs!.publicDocument.paths as JsonObject).sort();
    expect(documented).toEqual([
      'GET /animals getAnimals',
      'GET /health getHealth',
      'GET /pets getPets',
      'POST /animals postAnimals',
      'POST /pets postPets',
    ]);
    expect(documented).toEqual(
      routes(body.paths)
        .filter((r) => !isDocsRoute(r) && r !== 'GET /owners getOwners')
        .sort(),
    );
  });

  it('names in the documentation the same operations the security report names', () => {
    const reported = report.attackSurface.publicOperations
      .map((o) => `${o.method} ${o.path} ${o.operationId}`)
      .filter((r) => !isDocsRoute(r));
    expect(reported.sort()).toEqual([...routes(api.docs!.publicDocument.paths as JsonObject), 'GET /owners getOwners'].sort());
  });

  it('leaves out an internal operation named by its derived id behind a path item $ref', () => {
    expect(api.docs!.removedOperations).toEqual(['GET /owners (getOwners)']);
    expect((api.docs!.publicDocument.paths as JsonObject)['/owners']).toBeUndefined();
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});
