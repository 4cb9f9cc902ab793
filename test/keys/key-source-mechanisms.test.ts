import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiKeySource, Auth, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { SecureApiConfigError } from '../../lib/model/config-error';
import { templateFindings } from '../helpers/template-validation';

// ApiKeySource.authorizer(): API Gateway reads each request's key only from a Lambda authorizer's usageIdentifierKey.
// Operations that require a key under IAM or the native Cognito authorizer never get one.

const ISSUER = 'https://idp.example.com';
type Mechanism = 'oauth' | 'sigv4' | 'pool' | 'partner';

/** One operation per mechanism; `keyed` lists the mechanisms whose operation also requires an API key. */
function document(keyed: Mechanism[]): object {
  const ok = { '200': { description: 'ok' } };
  const op = (operationId: string, scheme: Mechanism) => ({
    get: { operationId, security: [{ [scheme]: [], ...(keyed.includes(scheme) ? { api_key: [] } : {}) }], responses: ok },
  });
  return {
    openapi: '3.0.3',
    info: { title: 'Keys', version: '1' },
    paths: {
      '/orders': op('listOrders', 'oauth'),
      '/reports': op('getReport', 'sigv4'),
      '/profile': op('getProfile', 'pool'),
      '/partners': op('listPartnerOrders', 'partner'),
    },
    components: {
      securitySchemes: {
        oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${ISSUER}/token`, scopes: {} } } },
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
        pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools' },
        partner: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' },
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
    },
  };
}

function synth(keyed: Mechanism[], source: ApiKeySource = ApiKeySource.authorizer()) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document(keyed)),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.schemes({
      oauth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
      pool: Auth.cognitoUserPool(
        cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123'),
      ),
      partner: Auth.lambda({
        handler: lambda.Function.fromFunctionArn(stack, 'Partner', 'arn:aws:lambda:eu-west-1:111111111111:function:partner'),
      }),
    }),
    apiKeys: {
      tiers: [{ name: 'partner', throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: apigw.Period.DAY } }],
      consumers: [{ id: 'partner-a', tier: 'partner', clientId: 'partner-a-app' }],
      source,
    },
  });
  return { stack, api, template: Template.fromStack(stack) };
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

const ownAuthorizerWarnings = (stack: Stack) =>
  Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp('cdk-secure-api:api-key-source-own-authorizer'))
    .map((w) => String(w.entry.data));

describe('ApiKeySource.authorizer() and the mechanism of each keyed operation', () => {
  it('abuse: an IAM operation that requires a key (no authorizer runs, so no key: 403 forever) is a synth error naming it', () => {
    const error = configError(() => synth(['oauth', 'sigv4']));
    expect(error.constructPath).toBe('Test/Api');
    expect(error.propPath).toBe('apiKeys.source');
    expect(error.message).toContain('getReport (IAM) requires an API key and is authorized by IAM or a Cognito user pool');
    expect(error.message).toContain('answer 403 to every request');
    expect(error.message).not.toContain('listOrders');
  });

  it('a Cognito user pool operation that requires a key is a synth error too, and every such operation is named', () => {
    const error = configError(() => synth(['sigv4', 'pool']));
    expect(error.message).toContain('getProfile (Cognito user pool), getReport (IAM) require an API key and are authorized');
  });

  it('with the header source the same operations synthesize, and the template is clean', () => {
    const { api, template } = synth(['oauth', 'sigv4', 'pool'], ApiKeySource.header());
    const imported = Object.values<any>(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(imported['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    expect(imported.paths['/reports'].get.security).toEqual([{ SecureApiIam: [], api_key: [] }]);
    expect(templateFindings(api)).toEqual([]);
  });

  it('keyed operations of the JWT authorizer alone synthesize with the authorizer source, without a warning', () => {
    const { stack } = synth(['oauth']);
    expect(ownAuthorizerWarnings(stack)).toEqual([]);
  });

  it('warns that a keyed operation of your Lambda authorizer gets a key only if your function returns one', () => {
    const { stack } = synth(['oauth', 'partner']);
    const [warning, ...others] = ownAuthorizerWarnings(stack);
    expect(others).toEqual([]);
    expect(warning).toContain(
      "SecureApi 'Test/Api': apiKeys.source is ApiKeySource.authorizer(), and listPartnerOrders requires an API key",
    );
    expect(warning).toContain('unless your function returns a consumer');
  });
});

describe('ApiKeySource.authorizer() and optional authentication', () => {
  // security: [{}, { oauth }] lets a caller without a token through the JWT authorizer as anonymous; its answer has no
  // consumer, so no usageIdentifierKey (test/lambda/authorizer/usage-identifier.test.ts). With requireForAllOperations
  // the operation also requires a key, which such a caller could then never supply.
  function synthOptional(source: ApiKeySource) {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    const ok = { '200': { description: 'ok' } };
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject({
        openapi: '3.0.3',
        info: { title: 'Catalog', version: '1' },
        paths: {
          '/catalog': { get: { operationId: 'browseCatalog', security: [{}, { oauth: [] }], responses: ok } },
          '/orders': { get: { operationId: 'listOrders', security: [{ oauth: [] }], responses: ok } },
        },
        components: {
          securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${ISSUER}/token`, scopes: {} } } } },
        },
      }),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
      apiKeys: {
        tiers: [{ name: 'partner', throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: apigw.Period.DAY } }],
        consumers: [{ id: 'partner-a', tier: 'partner', clientId: 'partner-a-app' }],
        requireForAllOperations: true,
        source,
      },
    });
    return { stack, api, template: Template.fromStack(stack) };
  }

  it('abuse: a keyed operation with optional authentication (every anonymous caller refused with 403) is a synth error naming it', () => {
    const error = configError(() => synthOptional(ApiKeySource.authorizer()));
    expect(error.constructPath).toBe('Test/Api');
    expect(error.propPath).toBe('apiKeys.source');
    expect(error.message).toContain('browseCatalog requires an API key and makes authentication optional');
    expect(error.message).toContain('answer 403 to every anonymous caller');
    expect(error.message).not.toContain('listOrders');
  });

  it('with the header source it synthesizes: an anonymous caller sends its key in x-api-key', () => {
    const { api, template } = synthOptional(ApiKeySource.header());
    const imported = Object.values<any>(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(JSON.stringify(imported.paths['/catalog'].get.security)).toContain('"api_key":[]');
    expect(templateFindings(api)).toEqual([]);
  });
});
