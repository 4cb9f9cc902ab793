import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AUTHORIZER_ROUTES_FILE } from '../../contracts/authorizer-config';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { JwtAuthorizer } from '../../lib/auth/jwt-authorizer';
import { IAM_SCHEME_NAME } from '../../lib/openapi';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const REPORTS_API = join(__dirname, '..', 'fixtures', 'auth', 'reports-api.yaml');
const ISSUER = 'https://idp.example.com/realms/reports';
const AUDIENCE = 'https://reports.example.com';
const IAM_OPERATIONS = ['createReport', 'deleteReport', 'getReport', 'getReportAudit'];

function synth(props: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Reports', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(REPORTS_API),
    defaultIntegration: OperationIntegration.mock(),
    ...props,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

function body(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

/** Every operation's `security` in the imported body, by operationId. */
function securityByOperation(template: Template): { [operationId: string]: unknown } {
  const out: { [operationId: string]: unknown } = {};
  for (const item of Object.values<any>(body(template).paths))
    for (const operation of Object.values<any>(item))
      if (operation.operationId !== undefined) out[operation.operationId] = operation.security;
  return out;
}

describe('IAM by convention, next to Auth.jwt', () => {
  const { stack, api, template } = synth({ auth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }) });

  it("writes API Gateway's awsSigv4 scheme, and every IAM operation names it alone: AWS_IAM, no authorizer", () => {
    expect(body(template).components.securitySchemes[IAM_SCHEME_NAME]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    });
    const security = securityByOperation(template);
    for (const id of IAM_OPERATIONS) expect(security[id]).toEqual([{ [IAM_SCHEME_NAME]: [] }]);
  });

  it('abuse: an IAM operation does not take a valid JWT (no JWT authorizer on its method, and its route is not in the scope map)', () => {
    const security = securityByOperation(template);
    for (const id of IAM_OPERATIONS) {
      const schemes = (security[id] as Array<{ [scheme: string]: string[] }>).flatMap((r) => Object.keys(r));
      expect(schemes).not.toContain(JwtAuthorizer.SCHEME_NAME);
      expect(schemes).not.toContain(JwtAuthorizer.TOKEN_KEYED_SCHEME_NAME);
    }
    const routes = JSON.parse(readFileSync(join((api.auth!.authorizer as JwtAuthorizer).assetDirectory, AUTHORIZER_ROUTES_FILE), 'utf8'));
    // The handler denies a route it does not know, should it ever be invoked for one.
    expect(Object.keys(routes.routes)).toEqual(['GET /reports']);
  });

  it('abuse: the JWT operation stays on the JWT authorizer, so a SigV4-only caller has no token to show', () => {
    const security = securityByOperation(template) as { [id: string]: Array<{ [scheme: string]: string[] }> };
    expect(Object.keys(security.listReports[0]).filter((s) => s !== 'api_key')).toHaveLength(1);
    expect(Object.keys(security.listReports[0])[0]).toMatch(/^SecureApiJwtAuth/);
    expect(security.listReports[0]).not.toHaveProperty(IAM_SCHEME_NAME);
    expect(security.getHealth).toBeUndefined();
  });

  it('is clean under the five cdk-nag packs, CloudFormation Validate and the Control Tower rules', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('IAM by convention with no auth configured', () => {
  it('needs no configuration; the OAuth operation still needs auth', () => {
    expect(() => synth()).toThrow(
      "operation 'listReports' requires an OAuth 2.0 / OpenID Connect token, but SecureApi has no 'auth' configured",
    );
  });

  it('protects the IAM operations with AWS_IAM and creates no authorizer function', () => {
    const { template, api } = synth({ excludeOperations: ['listReports'] });
    const security = securityByOperation(template);
    for (const id of IAM_OPERATIONS) expect(security[id]).toEqual([{ [IAM_SCHEME_NAME]: [] }]);
    expect(api.auth).toBeUndefined();
    expect(Object.keys(body(template).components.securitySchemes)).toEqual([IAM_SCHEME_NAME]);
  });
});

describe('Auth.schemes and Auth.iam', () => {
  it('maps the OAuth scheme by name; the IAM convention needs no entry', () => {
    const { template } = synth({ auth: Auth.schemes({ oauth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }) }) });
    const security = securityByOperation(template) as { [id: string]: Array<{ [scheme: string]: string[] }> };
    expect(Object.keys(security.listReports[0])[0]).toMatch(/^SecureApiJwtAuth/);
    for (const id of IAM_OPERATIONS) expect(security[id]).toEqual([{ [IAM_SCHEME_NAME]: [] }]);
  });

  it('maps a scheme of another shape to IAM with Auth.iam()', () => {
    const { template, api } = synth({ auth: Auth.schemes({ oauth: Auth.iam() }) });
    expect(securityByOperation(template).listReports).toEqual([{ [IAM_SCHEME_NAME]: [] }]);
    expect(api.auth).toBeUndefined();
  });

  it('as auth itself, Auth.iam() protects operations that declare nothing, and an OAuth scheme is then unmapped', () => {
    expect(() => synth({ auth: Auth.iam() })).toThrow(
      "security scheme 'oauth' (oauth2), required by 'listReports', is mapped to no mechanism: name it in Auth.schemes",
    );
  });

  it('names a map entry the document does not define', () => {
    expect(() => synth({ auth: Auth.schemes({ oauth: Auth.iam(), partner: Auth.iam() }) })).toThrow(
      "SecureApi 'Reports/Api': auth.schemes.partner names a security scheme the document does not define (components.securitySchemes: oauth, sigv4)",
    );
  });

  it('refuses to map the IAM convention to another mechanism', () => {
    expect(() => synth({ auth: Auth.schemes({ sigv4: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }) }) })).toThrow(
      "auth.schemes.sigv4 maps API Gateway's IAM convention (x-amazon-apigateway-authtype: awsSigv4) to jwt",
    );
  });

  it('refuses two JWT authorizers and nested maps', () => {
    const one = Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] });
    const doc = OpenApi.fromObject({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: { operationId: 'a', security: [{ a: [] }], responses: { 200: { description: 'ok' } } } } },
      components: { securitySchemes: { a: { type: 'http', scheme: 'bearer' }, b: { type: 'http', scheme: 'bearer' } } },
    });
    expect(() => synth({ openApi: doc, auth: Auth.schemes({ a: one, b: Auth.jwt({ issuer: ISSUER, audience: ['other'] }) }) })).toThrow(
      'auth.schemes maps schemes to more than one Auth.jwt / Auth.cognito',
    );
    expect(() => synth({ openApi: doc, auth: Auth.schemes({ a: Auth.schemes({}) }) })).toThrow(
      'auth.schemes.a is Auth.schemes(...), which cannot be nested',
    );
    // One Auth.jwt may serve several schemes.
    expect(() => synth({ openApi: doc, auth: Auth.schemes({ a: one, b: one }) })).not.toThrow();
  });

  it('names the defaultScheme it does not map, and uses it for operations that declare nothing', () => {
    const doc = OpenApi.fromObject({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/a': { get: { operationId: 'a', responses: { 200: { description: 'ok' } } } },
        '/b': { get: { operationId: 'b', security: [{ oauth: [] }], responses: { 200: { description: 'ok' } } } },
      },
      components: {
        securitySchemes: {
          oauth: { type: 'http', scheme: 'bearer' },
          sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
        },
      },
    });
    const jwt = Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] });
    expect(() => synth({ openApi: doc, auth: Auth.schemes({ oauth: jwt }, { defaultScheme: 'sigv4' }) })).toThrow(
      "auth.defaultScheme names 'sigv4', which the map does not name (oauth)",
    );
    const { template } = synth({ openApi: doc, auth: Auth.schemes({ oauth: jwt, sigv4: Auth.iam() }, { defaultScheme: 'sigv4' }) });
    expect(securityByOperation(template).a).toEqual([{ [IAM_SCHEME_NAME]: [] }]);
    expect(() => synth({ openApi: doc, auth: Auth.schemes({ oauth: jwt, sigv4: Auth.iam() }) })).toThrow(
      "'a' declares no security requirement, and Auth.schemes names no defaultScheme",
    );
  });

  it('warns about no protection gap when every operation has a mechanism', () => {
    const { stack } = synth({ auth: Auth.schemes({ oauth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }) }) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no authentication|declare no security'));
  });
});

describe('a mixed document: JWT, a Lambda authorizer, a Cognito user pool, IAM and API keys in one API', () => {
  const MIXED_API = join(__dirname, '..', 'fixtures', 'auth', 'mixed-api.yaml');
  const app = new App();
  const stack = new Stack(app, 'Mixed', { env: { account: '111111111111', region: 'eu-west-1' } });
  const handler = lambda.Function.fromFunctionArn(stack, 'Partner', 'arn:aws:lambda:eu-west-1:111111111111:function:partner-authorizer');
  const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123');
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(MIXED_API),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.schemes({
      oauth: Auth.jwt({ issuer: ISSUER, audience: [AUDIENCE] }),
      partner: Auth.lambda({ handler }),
      pool: Auth.cognitoUserPool(pool),
    }),
    apiKeys: {
      tiers: [{ name: 'partner', throttle: { rateLimit: 10, burstLimit: 20 } }],
      consumers: [{ id: 'partner-a', tier: 'partner' }],
    },
  });
  const template = Template.fromStack(stack);

  it("gives each operation exactly its document's mechanism (cdk-nag cannot see methods in an imported body)", () => {
    const security = securityByOperation(template) as { [id: string]: Array<{ [scheme: string]: string[] }> };
    const schemes = Object.fromEntries(Object.entries(security).map(([id, s]) => [id, s === undefined ? [] : Object.keys(s[0]).sort()]));
    expect(schemes).toEqual({
      getHealth: [],
      listOrders: [expect.stringMatching(/^SecureApiJwtAuth/)],
      listPartnerOrders: ['SecureApiLambdaPartner'],
      createPartnerOrder: ['SecureApiLambdaPartner'],
      deletePartnerOrder: ['SecureApiLambdaPartner', 'api_key'],
      getProfile: ['SecureApiCognitoPool'],
      updateProfile: ['SecureApiCognitoPool'],
      getReport: [IAM_SCHEME_NAME],
    });
    const declared = body(template).components.securitySchemes;
    expect(declared.SecureApiLambdaPartner['x-amazon-apigateway-authtype']).toBe('custom');
    expect(declared.SecureApiCognitoPool['x-amazon-apigateway-authtype']).toBe('cognito_user_pools');
    expect(declared[IAM_SCHEME_NAME]['x-amazon-apigateway-authtype']).toBe('awsSigv4');
  });

  it('declares five API Gateway authorizers at most, well within the ten an API may have', () => {
    const authorizers = Object.values<any>(body(template).components.securitySchemes).filter(
      (s) => s['x-amazon-apigateway-authorizer'] !== undefined,
    );
    expect(authorizers.length).toBeLessThanOrEqual(5);
  });

  it('is clean under the five cdk-nag packs, CloudFormation Validate and the Control Tower rules', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });
});
