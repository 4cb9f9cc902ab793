import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { Auth, LambdaAuthProps, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { IAM_SCHEME_NAME } from '../../lib/openapi';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { ApiGatewayDouble, DoubleRoute } from '../lambda/authorizer/support/api-gateway-double';
import { API_ARN_PREFIX } from '../lambda/authorizer/support/harness';
import { synthesizedInvocationUriOfArn } from '../support/invocation-uri';

const MIXED_API = join(__dirname, '..', 'fixtures', 'auth', 'mixed-api.yaml');
const PARTNER_ARN = 'arn:aws:lambda:eu-west-1:111111111111:function:partner-authorizer';
const SCHEME = 'SecureApiLambdaPartner';

/** The mixed document with only the partner's operations (and the public one). */
const PARTNER_ONLY = ['listOrders', 'getProfile', 'updateProfile', 'getReport', 'deletePartnerOrder'];

function synth(lambdaProps: Partial<LambdaAuthProps> = {}, props: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Partners', { env: { account: '111111111111', region: 'eu-west-1' } });
  const handler = lambda.Function.fromFunctionArn(stack, 'PartnerAuthorizer', PARTNER_ARN);
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(MIXED_API),
    defaultIntegration: OperationIntegration.mock(),
    excludeOperations: PARTNER_ONLY,
    auth: Auth.schemes({ partner: Auth.lambda({ handler, ...lambdaProps }) }),
    ...props,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

function body(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

function routesOf(template: Template): DoubleRoute[] {
  const imported = body(template);
  const routes: DoubleRoute[] = [];
  for (const [path, item] of Object.entries<any>(imported.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (operation?.responses === undefined) continue;
      const scheme = (operation.security ?? []).flatMap((r: object) => Object.keys(r)).find((n: string) => n === SCHEME);
      routes.push({
        key: `${method.toUpperCase()} ${path}`,
        authorizer:
          scheme === undefined
            ? undefined
            : {
                name: scheme,
                identitySource: imported.components.securitySchemes[scheme]['x-amazon-apigateway-authorizer'].identitySource,
              },
      });
    }
  }
  return routes;
}

describe('Auth.lambda', () => {
  const { stack, api, template } = synth();

  it('declares your function as a REQUEST authorizer whose cache key holds the caller and the operation', () => {
    expect(body(template).components.securitySchemes[SCHEME]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: 'method.request.header.Authorization, context.httpMethod, context.resourcePath',
        authorizerUri: synthesizedInvocationUriOfArn(PARTNER_ARN),
        authorizerResultTtlInSeconds: 300,
      },
    });
    expect(body(template).paths['/partners/orders'].get.security).toEqual([{ [SCHEME]: [] }]);
  });

  it('lets API Gateway invoke it only as an authorizer of this API, from this account', () => {
    const permissions = template.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: PARTNER_ARN } });
    expect(Object.values(permissions)).toHaveLength(1);
    const [permission] = Object.values<any>(permissions);
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceAccount: '111111111111',
    });
    const arn = JSON.stringify(permission.Properties.SourceArn);
    expect(arn).toContain(':execute-api:eu-west-1:111111111111:');
    expect(arn).toMatch(/"\/authorizers\/\*"\]/);
  });

  it('creates no JWT authorizer and leaves SecureApi.auth unset', () => {
    expect(api.auth).toBeUndefined();
    expect(Object.keys(body(template).components.securitySchemes).sort()).toEqual([SCHEME]);
  });

  it('is clean under the five cdk-nag packs, CloudFormation Validate and the Control Tower rules', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('Auth.lambda cache key, against the API Gateway authorizer-cache double', () => {
  /**
   * A partner function as many are written: it checks that the caller may call the operation it is asked
   * about, then allows the whole API, so the answer is only right for that operation.
   */
  const mayCall: { [token: string]: string[] } = { 'reader-token': ['GET /partners/orders'] };
  const partnerFunction = async (event: any): Promise<APIGatewayAuthorizerResult> => {
    const allowed = (mayCall[event.headers.Authorization] ?? []).includes(`${event.httpMethod} ${event.resource}`);
    return {
      principalId: 'partner',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: `${API_ARN_PREFIX}/*` }],
      },
    };
  };

  it('abuse: a policy cached for operation A does not open operation B', async () => {
    const gateway = new ApiGatewayDouble(routesOf(synth().template), partnerFunction);
    expect((await gateway.request('reader-token', 'GET', '/partners/orders')).allowed).toBe(true);
    const b = await gateway.request('reader-token', 'POST', '/partners/orders');
    expect(b).toMatchObject({ allowed: false, invoked: true });
  });

  it('with the operation left out of the cache key, that policy does open B, and the synth warns', async () => {
    const { template, stack } = synth({ cacheKeyIncludesOperation: false });
    expect(body(template).components.securitySchemes[SCHEME]['x-amazon-apigateway-authorizer'].identitySource).toBe(
      'method.request.header.Authorization',
    );
    const gateway = new ApiGatewayDouble(routesOf(template), partnerFunction);
    expect((await gateway.request('reader-token', 'GET', '/partners/orders')).allowed).toBe(true);
    expect(await gateway.request('reader-token', 'POST', '/partners/orders')).toMatchObject({ allowed: true, invoked: false });
    Annotations.fromStack(stack).hasWarning(
      '/Partners/Api',
      Match.stringLikeRegexp(
        "auth cacheKeyIncludesOperation is false, so API Gateway reuses the Lambda authorizer's cached policy for every operation",
      ),
    );
  });

  it('gives no warning when the cache is off', () => {
    const { stack, template } = synth({ cacheKeyIncludesOperation: false, resultCacheTtl: Duration.seconds(0) });
    expect(body(template).components.securitySchemes[SCHEME]['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds).toBe(0);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cacheKeyIncludesOperation'));
  });
});

describe('Auth.lambda props', () => {
  it('keeps your identity sources and adds the operation once', () => {
    const { template } = synth({ identitySources: ['method.request.header.X-Partner-Key', 'context.httpMethod'] });
    const scheme = body(template).components.securitySchemes[SCHEME];
    expect(scheme['x-amazon-apigateway-authorizer'].identitySource).toBe(
      'method.request.header.X-Partner-Key, context.httpMethod, context.resourcePath',
    );
    expect(scheme.name).toBe('X-Partner-Key');
  });

  it.each([
    [
      { identitySources: ['header.Authorization'] },
      "auth.identitySources[0] must be method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<variable>, got 'header.Authorization'",
    ],
    [{ identitySources: ['context.httpMethod'] }, 'auth.identitySources must name at least one source of the caller'],
    [{ identitySources: ['stageVariables.a', 'stageVariables.a'] }, 'auth.identitySources must not repeat a source'],
    [{ resultCacheTtl: Duration.hours(2) }, 'auth.resultCacheTtl must be whole seconds from 0 to 3600, got 7200'],
  ])('rejects %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('as auth itself, serves the custom schemes and operations that declare nothing; other schemes are unmapped', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const handler = lambda.Function.fromFunctionArn(stack, 'Fn', PARTNER_ARN);
    expect(
      () =>
        new SecureApi(stack, 'Api', {
          openApi: OpenApi.fromFile(MIXED_API),
          defaultIntegration: OperationIntegration.mock(),
          excludeOperations: ['deletePartnerOrder'],
          auth: Auth.lambda({ handler }),
        }),
    ).toThrow("security scheme 'oauth' (oauth2), required by 'listOrders', is mapped to no mechanism");
    const ok = new SecureApi(stack, 'Api2', {
      openApi: OpenApi.fromFile(MIXED_API),
      defaultIntegration: OperationIntegration.mock(),
      excludeOperations: ['listOrders', 'getProfile', 'updateProfile', 'deletePartnerOrder'],
      auth: Auth.lambda({ handler }),
    });
    const imported = body(Template.fromStack(stack));
    expect(ok.auth).toBeUndefined();
    expect(imported.paths['/partners/orders'].get.security).toEqual([{ SecureApiLambdaAuthorizer: [] }]);
    expect(imported.paths['/reports/{reportId}'].get.security).toEqual([{ [IAM_SCHEME_NAME]: [] }]);
  });
});
