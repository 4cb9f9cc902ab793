import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CloudWatchRoleMode, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../lib';

/** A small document with `count` operations on distinct paths, plus a JSON body on the first. */
function documentWith(count: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    paths[`/items${i}/{id}`] = {
      get: {
        operationId: `getItem${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
      },
    };
  }
  paths['/orders'] = {
    post: {
      operationId: 'createOrder',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', required: ['sku'], additionalProperties: false, properties: { sku: { type: 'string' } } },
          },
        },
      },
      responses: { '201': { description: 'created' } },
    },
  };
  return { openapi: '3.0.3', info: { title: 'Items', version: '1' }, paths };
}

function synth(props: Partial<SecureApiProps> = {}, count = 3) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = new lambda.Function(stack, 'Backend', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
  });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(documentWith(count)),
    defaultIntegration: OperationIntegration.lambda(fn),
    ...props,
  });
  return { stack, api, fn, template: Template.fromStack(stack) };
}

function body(template: Template): any {
  const apis = template.findResources('AWS::ApiGateway::RestApi');
  return Object.values(apis)[0].Properties.Body;
}

describe('SecureApi defaults', () => {
  const { template, stack } = synth();
  const imported = body(template);

  it('imports the whole API as one RestApi body, failing on import warnings, REGIONAL', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::ApiGateway::Method', 0);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      FailOnWarnings: true,
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    expect(imported['x-amazon-apigateway-endpoint-configuration']).toBeUndefined();
    expect(imported.servers).toBeUndefined();
    expect(Object.keys(imported.paths).sort()).toEqual(['/items0/{id}', '/items1/{id}', '/items2/{id}', '/orders']);
  });

  it('validates every operation: body and parameters with a body, parameters otherwise', () => {
    expect(imported.paths['/orders'].post['x-amazon-apigateway-request-validator']).toBeDefined();
    const validators = imported['x-amazon-apigateway-request-validators'];
    const orderValidator = validators[imported.paths['/orders'].post['x-amazon-apigateway-request-validator']];
    expect(orderValidator).toEqual({ validateRequestBody: true, validateRequestParameters: true });
    const getValidator = validators[imported.paths['/items0/{id}'].get['x-amazon-apigateway-request-validator']];
    expect(getValidator).toEqual({ validateRequestBody: false, validateRequestParameters: true });
  });

  it('hardens the gateway responses in the body', () => {
    const responses = imported['x-amazon-apigateway-gateway-responses'];
    expect(responses.WAF_FILTERED.responseParameters['gatewayresponse.header.Strict-Transport-Security']).toBe(
      "'max-age=31536000; includeSubDomains'",
    );
    expect(JSON.parse(responses.DEFAULT_5XX.responseTemplates['application/json'])).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: '$context.requestId' },
    });
  });

  it('deploys a hardened stage: throttled, traced, ERROR logs without data trace, JSON access log, client certificate', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      ClientCertificateId: Match.anyValue(),
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('^\\{.*"requestId":"\\$context.requestId"') },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
          MetricsEnabled: true,
        }),
      ]),
    });
    template.resourceCountIs('AWS::ApiGateway::ClientCertificate', 1);
  });

  it('writes the access log into a KMS-encrypted log group with one year retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toBeDefined();
      expect(group.Properties.RetentionInDays).toBeDefined();
    }
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('grants API Gateway one invoke permission per function, scoped to this API', () => {
    const permissions = template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } });
    expect(Object.keys(permissions)).toHaveLength(1);
    const sourceArn = JSON.stringify(stack.resolve(Object.values(permissions)[0].Properties.SourceArn));
    expect(sourceArn).toContain('execute-api');
  });

  it('sets the account CloudWatch role only if absent, through a custom resource, and retains the role', () => {
    template.hasResourceProperties('Custom::ApiGatewayAccountCloudWatchRole', { Mode: 'create-if-absent' });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        }),
      },
    });
  });

  it('warns that the API has no authentication when none is configured', () => {
    Annotations.fromStack(stack).hasWarning('/Test/Api', Match.stringLikeRegexp('has no authentication'));
  });
});

describe('SecureApi scale', () => {
  it('keeps the number of CloudFormation resources constant in the number of operations', () => {
    const count = (n: number) => Object.keys(synth({}, n).template.toJSON().Resources).length;
    expect(count(5)).toBe(count(60));
  });

  it('redeploys when the body changes: the deployment logical id follows the body', () => {
    const deploymentId = (n: number) => Object.keys(synth({}, n).template.findResources('AWS::ApiGateway::Deployment'))[0];
    expect(deploymentId(2)).not.toBe(deploymentId(3));
    expect(deploymentId(2)).toBe(deploymentId(2));
  });
});

describe('SecureApi opt-outs', () => {
  it('leaves a warning for each protection turned off', () => {
    const { stack, template } = synth({
      stage: { dataTrace: true, tracing: false, executionLogLevel: apigw.MethodLoggingLevel.OFF, clientCertificate: false },
    });
    const warnings = Annotations.fromStack(stack)
      .findWarning('/Test/Api', Match.stringLikeRegexp('.*'))
      .map((w) => String(w.entry.data));
    expect(warnings.some((w) => w.includes('data trace is on'))).toBe(true);
    expect(warnings.some((w) => w.includes('X-Ray tracing is off'))).toBe(true);
    expect(warnings.some((w) => w.includes('execution logging is off'))).toBe(true);
    expect(warnings.some((w) => w.includes('no client certificate'))).toBe(true);
    template.resourceCountIs('AWS::ApiGateway::ClientCertificate', 0);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: false,
      MethodSettings: Match.arrayWith([Match.objectLike({ DataTraceEnabled: true, LoggingLevel: 'OFF' })]),
    });
  });

  it('encrypts the cache when it is turned on', () => {
    const { template } = synth({ stage: { cache: {} } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      MethodSettings: Match.arrayWith([Match.objectLike({ CachingEnabled: true, CacheDataEncrypted: true })]),
    });
  });

  it('leaves the account setting alone with CloudWatchRoleMode.NONE', () => {
    const { template } = synth({ cloudWatchRole: CloudWatchRoleMode.NONE });
    template.resourceCountIs('Custom::ApiGatewayAccountCloudWatchRole', 0);
  });

  it('adds strict CORS preflights when asked', () => {
    const { template } = synth({ cors: { allowOrigins: ['https://app.example.com'] } });
    const preflight = body(template).paths['/orders'].options['x-amazon-apigateway-integration'];
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(
      "'https://app.example.com'",
    );
    // A Lambda proxy's backend writes its own answer, CORS headers included: SecureApi leaves the integration alone.
    const proxied = body(template).paths['/orders'].post['x-amazon-apigateway-integration'];
    expect(proxied.type).toBe('aws_proxy');
    expect(JSON.stringify(proxied)).not.toContain('Access-Control');
  });

  it('puts the allowed origin on the gateway error responses, so a browser app can read its 401', () => {
    const { template } = synth({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true } });
    const unauthorized = body(template)['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED.responseParameters;
    expect(unauthorized['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'https://app.example.com'");
    expect(unauthorized['gatewayresponse.header.Access-Control-Allow-Credentials']).toBe("'true'");
    expect(unauthorized['gatewayresponse.header.Vary']).toBe("'Origin'");
  });

  it('accepts a credentialed loopback origin only with the opt-in, and warns under its own id', () => {
    const { stack } = synth({
      cors: { allowOrigins: ['http://localhost:3000'], allowCredentials: true, allowLoopbackOriginsWithCredentials: true },
    });
    const warnings = Annotations.fromStack(stack)
      .findWarning('/Test/Api', Match.stringLikeRegexp('.*'))
      .map((w) => String(w.entry.data));
    expect(warnings.filter((w) => w.includes("'http://localhost:3000' is a loopback origin allowed with credentials"))).toEqual([
      expect.stringContaining('[ack: cdk-secure-api:cors-loopback-credentials]'),
    ]);
  });

  it('declares the method response a mock integration answers with, even when the document does not', () => {
    const { template } = synth({ integrations: { createOrder: OperationIntegration.mock() } });
    const createOrder = body(template).paths['/orders'].post;
    expect(Object.keys(createOrder.responses).sort()).toEqual(['200', '201']);
    expect(createOrder['x-amazon-apigateway-integration'].type).toBe('mock');
  });

  it('serves PRIVATE endpoints when asked', () => {
    const { template } = synth({
      endpointType: apigw.EndpointType.PRIVATE,
      resourcePolicy: { allowedVpcEndpoints: ['vpce-0123456789abcdef0'] },
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['PRIVATE'] } });
  });
});

describe('SecureApi bad props', () => {
  it('names every operation without an integration', () => {
    expect(() => synth({ defaultIntegration: undefined, integrations: {} }, 1)).toThrow(
      "SecureApi 'Test/Api': integrations miss 2 operation(s): getItem0 (GET /items0/{id}), createOrder (POST /orders). Add them to 'integrations', set 'defaultIntegration', or list them in 'excludeOperations'",
    );
  });
  it('rejects an integration for an unknown operationId', () => {
    expect(() => synth({ integrations: { nope: OperationIntegration.mock() } })).toThrow(
      "SecureApi 'Test/Api': integrations names operation(s) the document does not define: 'nope'",
    );
  });
  it('rejects out-of-range throttling', () => {
    expect(() => synth({ stage: { throttling: { rateLimit: 0 } } })).toThrow(
      "SecureApi 'Test/Api': stage.throttling.rateLimit must be a number greater than 0",
    );
  });
  it('rejects a credentialed loopback origin without the opt-in, naming the construct and the origin', () => {
    expect(() => synth({ cors: { allowOrigins: ['https://app.example.com', 'http://127.0.0.1:8080'], allowCredentials: true } })).toThrow(
      "SecureApi 'Test/Api': cors.allowOrigins 'http://127.0.0.1:8080' is a loopback origin allowed with allowCredentials: true",
    );
  });
  it('rejects conflicting CORS props', () => {
    expect(() => synth({ cors: { allowOrigins: ['*'], allowCredentials: true } })).toThrow(
      "allowOrigins '*' cannot be combined with allowCredentials: true",
    );
  });
});
