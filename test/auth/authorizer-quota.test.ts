import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Auth, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { authorizerSchemeNames, checkAuthorizerQuota, DEFAULT_AUTHORIZERS_PER_API } from '../../lib/auth/authorizer-quota';
import { PropCheck, SecureApiConfigError } from '../../lib/model/config-error';
import { templateFindings } from '../helpers/template-validation';

const ISSUER = 'https://login.example.com/';

/** A document with `partners` custom schemes p1..pN, one operation each, and optionally one OAuth operation. */
function document(partners: number, withOauth: boolean): object {
  const paths: { [path: string]: object } = {};
  const securitySchemes: { [name: string]: object } = {};
  for (let i = 1; i <= partners; i++) {
    securitySchemes[`p${i}`] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' };
    paths[`/partner${i}`] = {
      get: { operationId: `getPartner${i}`, security: [{ [`p${i}`]: [] }], responses: { '200': { description: 'ok' } } },
    };
  }
  if (withOauth) {
    securitySchemes.oauth = {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'orders:read': 'read' } } },
    };
    paths['/orders'] = {
      get: { operationId: 'listOrders', security: [{ oauth: ['orders:read'] }], responses: { '200': { description: 'ok' } } },
    };
  }
  return { openapi: '3.0.3', info: { title: 'Partners', version: '1' }, paths, components: { securitySchemes } };
}

function synth(options: { partners: number; distinctFunctions?: boolean; withOauth?: boolean; authorizersPerApi?: number }) {
  const app = new App();
  const stack = new Stack(app, 'Quota', { env: { account: '111111111111', region: 'eu-west-1' } });
  const shared = Auth.lambda({
    handler: lambda.Function.fromFunctionArn(stack, 'Shared', 'arn:aws:lambda:eu-west-1:111111111111:function:shared'),
  });
  const schemes: { [name: string]: Auth } = {};
  for (let i = 1; i <= options.partners; i++) {
    schemes[`p${i}`] =
      options.distinctFunctions === false
        ? shared
        : Auth.lambda({
            handler: lambda.Function.fromFunctionArn(stack, `Partner${i}`, `arn:aws:lambda:eu-west-1:111111111111:function:partner${i}`),
          });
  }
  if (options.withOauth === true) schemes.oauth = Auth.jwt({ issuer: ISSUER, audience: ['orders'] });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document(options.partners, options.withOauth === true)),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.schemes(schemes, { authorizersPerApi: options.authorizersPerApi }),
  });
  return { api, template: Template.fromStack(stack) };
}

function authorizersIn(template: Template): string[] {
  const body = Object.values<any>(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  return authorizerSchemeNames(body.components.securitySchemes);
}

function configError(run: () => unknown): SecureApiConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecureApiConfigError) return error;
    throw error;
  }
  throw new Error('expected a SecureApiConfigError');
}

describe('authorizer quota: API Gateway allows 10 authorizers per REST API by default', () => {
  it('synthesizes ten authorizers, the default quota, cleanly', () => {
    const { api, template } = synth({ partners: DEFAULT_AUTHORIZERS_PER_API });
    expect(authorizersIn(template)).toHaveLength(10);
    expect(templateFindings(api)).toEqual([]);
  });

  it('refuses an eleventh authorizer, naming the construct, each authorizer, its schemes and the quota', () => {
    const error = configError(() => synth({ partners: 11 }));
    expect(error.constructPath).toBe('Quota/Api');
    expect(error.propPath).toBe('auth.schemes');
    expect(error.message).toContain('declares 11 API Gateway authorizers');
    for (let i = 1; i <= 11; i++) expect(error.message).toMatch(new RegExp(`SecureApiLambdaP${i} \\(schemes p${i}\\)`));
    expect(error.message).toContain('quota "Authorizers per API"');
    expect(error.message).toContain('authorizersPerApi');
  });

  it('counts the authorizers the JWT authorizer declares besides its own (token-keyed), not the schemes mapped to it', () => {
    // Nine partner authorizers and the JWT authorizer's two (per operation and token-keyed) make eleven.
    const error = configError(() => synth({ partners: 9, withOauth: true }));
    expect(error.message).toContain('declares 11 API Gateway authorizers');
    expect(error.message).toContain('SecureApiJwtAuthorizer (schemes oauth)');
    expect(error.message).toContain('SecureApiJwtAuthByToken (schemes oauth)');
    // Eight fit: the body then holds exactly the ten counted.
    expect(authorizersIn(synth({ partners: 8, withOauth: true }).template)).toEqual([
      'SecureApiJwtAuthByToken',
      'SecureApiJwtAuthorizer',
      ...Array.from({ length: 8 }, (_, i) => `SecureApiLambdaP${i + 1}`).sort(),
    ]);
  });

  it('counts one authorizer for one Auth.lambda mapped to many schemes', () => {
    expect(authorizersIn(synth({ partners: 12, distinctFunctions: false }).template)).toEqual(['SecureApiLambdaP1']);
  });

  it('accepts more with authorizersPerApi, the quota AWS Support raised for this API, and still refuses beyond it', () => {
    expect(authorizersIn(synth({ partners: 11, authorizersPerApi: 12 }).template)).toHaveLength(11);
    expect(configError(() => synth({ partners: 13, authorizersPerApi: 12 })).message).toContain(
      "authorizersPerApi says this API's quota is 12",
    );
  });

  it('refuses an authorizersPerApi that is not a whole number of at least 1', () => {
    for (const bad of [0, 2.5, -1]) {
      expect(configError(() => synth({ partners: 1, authorizersPerApi: bad })).message).toBe(
        `SecureApi 'Quota/Api': auth.authorizersPerApi must be a whole number of at least 1 (the API's raised quota), got ${bad}`,
      );
    }
  });
});

describe('checkAuthorizerQuota', () => {
  const check = new PropCheck('S/Api', 'auth');
  const authorizers = (n: number) => Array.from({ length: n }, (_, i) => ({ bodySchemeName: `A${i}`, documentSchemes: [`s${i}`] }));

  it('passes at the limit and fails one above it', () => {
    expect(() => checkAuthorizerQuota(authorizers(10), undefined, check)).not.toThrow();
    expect(() => checkAuthorizerQuota(authorizers(11), undefined, check)).toThrow(SecureApiConfigError);
    expect(() => checkAuthorizerQuota(authorizers(3), 2, check)).toThrow(/declares 3 API Gateway authorizers/);
  });

  it('names an authorizer no document scheme is mapped to', () => {
    expect(() => checkAuthorizerQuota([{ bodySchemeName: 'X', documentSchemes: [] }], 0.5, check)).toThrow(/authorizersPerApi/);
    expect(() => checkAuthorizerQuota([...authorizers(1), { bodySchemeName: 'X', documentSchemes: [] }], 1, check)).toThrow(
      /X \(no document scheme\)/,
    );
  });
});

describe('authorizerSchemeNames', () => {
  it('lists the schemes that declare an authorizer, not the API key or IAM schemes', () => {
    expect(
      authorizerSchemeNames({
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
        B: { type: 'apiKey', 'x-amazon-apigateway-authorizer': { type: 'request' } },
        A: { type: 'apiKey', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools' } },
      }),
    ).toEqual(['A', 'B']);
  });
});
