// Integration test, in aws-cdk's own style (@aws-cdk/integ-tests-alpha, run by integ-runner): deploys a
// SecureApi with a Cognito OAuth server and an API key consumer, then asserts over HTTP what a client sees.
// Without an AWS account, test/integ/integ-app.test.ts checks that it synthesizes; README: "Integration tests
// on an AWS account" says how to deploy it, what it costs, and why there are no integ-runner snapshots yet.
//
// Requests that need a secret (the machine client's secret, the consumer's API key) are made by a probe
// function inside the stack (integ/probe/), which returns status codes and bodies only: no secret reaches the
// assertion provider's event, its logs, the template or the snapshot.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, Aws, CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Auth, OpenApi, OperationIntegration, SecureApi } from '../lib';
import { acknowledge, acknowledgeAssertionHarness, PROBE_NO_VPC_REASON, probeCode, testFunction } from './support';

const json = { 'application/json': {} };
const document = {
  openapi: '3.0.3',
  info: { title: 'SecureApi integration test', version: '1' },
  components: {
    securitySchemes: {
      oauth: {
        type: 'oauth2',
        flows: {
          clientCredentials: {
            tokenUrl: 'https://example.invalid/oauth2/token',
            scopes: { 'pets:read': 'read pets', 'pets:write': 'add pets' },
          },
        },
      },
      partnerKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      // API Gateway's IAM convention: operations naming it are AWS_IAM (issue 21).
      sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'awsSigv4' },
    },
    schemas: {
      NewPet: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string', minLength: 1, maxLength: 50 } },
      },
    },
  },
  paths: {
    '/pets': {
      get: { operationId: 'listPets', security: [{ oauth: ['pets:read'] }], responses: { 200: { description: 'pets', content: json } } },
      post: {
        operationId: 'createPet',
        security: [{ oauth: ['pets:write'] }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
        responses: { 201: { description: 'created', content: json } },
      },
    },
    '/partner/pets': {
      get: {
        operationId: 'listPartnerPets',
        security: [{ oauth: ['pets:read'], partnerKey: [] }],
        responses: { 200: { description: 'pets', content: json } },
      },
    },
    '/reports/{reportId}': {
      get: {
        operationId: 'getReport',
        security: [{ sigv4: [] }],
        parameters: [{ name: 'reportId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'the report', content: json } },
      },
    },
    '/burst': {
      get: { operationId: 'burst', security: [{ oauth: ['pets:read'] }], responses: { 200: { description: 'ok', content: json } } },
    },
  },
};

/** The stack under test and its assertions. */
export function buildSecureApiInteg(app: App): { stack: Stack; api: SecureApi; integ: IntegTest } {
  const stack = new Stack(app, 'SecureApiInteg');

  const backend = testFunction(stack, 'Backend', {
    code: lambda.Code.fromInline(
      'exports.handler = async () => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: "[]" });',
    ),
    timeout: Duration.seconds(5),
    invokedBy: 'API Gateway',
    noVpcReason: 'The stand-in backend answers a constant and reaches nothing, so a VPC would isolate nothing.',
  });

  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.lambda(backend),
    auth: Auth.cognito({
      removalPolicy: RemovalPolicy.DESTROY,
      machineClients: [{ clientName: 'integ-probe', scopes: ['pets:read', 'pets:write'] }],
    }),
    apiKeys: {
      tiers: [{ name: 'partner', throttle: { rateLimit: 10, burstLimit: 20 } }],
      consumers: [
        {
          id: 'partner-a',
          tier: 'partner',
          rotation: { period: Duration.days(30), gracePeriod: Duration.days(1), deleteAfter: Duration.days(1) },
        },
      ],
    },
    stage: {
      // A tight limit on one operation, so a burst of requests meets a 429 without touching the others.
      throttling: { operations: { burst: { rateLimit: 1, burstLimit: 1 } } },
      // The response cache on listPets only (keyed on the caller's Authorization header): the smallest cluster.
      cache: { operations: { burst: { enabled: false }, listPartnerPets: { enabled: false } } },
    },
    logging: { removalPolicy: RemovalPolicy.DESTROY },
  });
  Annotations.of(api).acknowledgeWarning('cdk-secure-api:auth-mfa-optional', 'machine client only: no user signs in');

  const oauth = api.auth!.oauthServer!;
  // SecureApi turns on the user pool's deletion protection; this test stack is destroyed after every run.
  (oauth.userPool.node.defaultChild as cognito.CfnUserPool).deletionProtection = 'INACTIVE';
  const url = (p: string) => api.stage.urlForPath(p);
  const probe = testFunction(stack, 'Probe', {
    code: probeCode('probe'),
    timeout: Duration.minutes(10),
    invokedBy: "The assertion provider's Lambda Invoke call",
    noVpcReason: PROBE_NO_VPC_REASON,
    environment: {
      USER_POOL_ID: oauth.userPool.userPoolId,
      CLIENT_ID: oauth.machineClients['integ-probe'].userPoolClientId,
      TOKEN_URL: oauth.tokenUrl,
      API_URL: api.stage.urlForPath('/').replace(/\/$/, ''),
      KEY_SECRET_ARN: api.apiKeys!.secretOf('partner-a').secretArn,
    },
  });
  oauth.userPool.grant(probe, 'cognito-idp:DescribeUserPoolClient');
  api.apiKeys!.grantRead('partner-a', probe);
  probe.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret'],
      resources: [api.apiKeys!.secretOf('partner-a').secretArn],
    }),
  );

  // IAM: the probe's role may invoke exactly the IAM operation (callers-grant's grantExecute does this for users).
  probe.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['execute-api:Invoke'],
      resources: [api.api.arnForExecuteApi('GET', '/reports/*', api.stage.stageName)],
    }),
  );
  const logicalId = (c: IConstruct) => stack.resolve(stack.getLogicalId(c.node.defaultChild as CfnElement));
  acknowledge(
    probe.role!,
    [
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalId(api.api)}>/<${logicalId(api.stage)}>/GET/reports/*]`,
    ],
    'The * stands for the {reportId} path parameter of the one IAM operation, getReport.',
  );

  const integ = new IntegTest(app, 'SecureApiIntegTest', { testCases: [stack], regions: ['eu-west-1'], diffAssets: false });
  acknowledgeAssertionHarness(integ);
  const scope = (s: string) => `${oauth.scopePrefix}${s}`;
  const invoke = (payload: object) =>
    integ.assertions.invokeFunction({ functionName: probe.functionName, payload: JSON.stringify(payload) });

  // Who may call: no token, a forged token, a token without the operation's scope, a valid token.
  integ.assertions.httpApiCall(url('/pets')).expect(ExpectedResult.objectLike({ status: 401 }));
  const forged = ['eyJhbGciOiJSUzI1NiIsImtpZCI6ImZvcmdlZCJ9', 'eyJzdWIiOiJhdHRhY2tlciIsInNjb3BlIjoicGV0czpyZWFkIn0', 'c2lnbmF0dXJl'].join(
    '.',
  );
  integ.assertions
    .httpApiCall(url('/pets'), { headers: { Authorization: `Bearer ${forged}` } })
    .expect(ExpectedResult.objectLike({ status: 401 }));
  invoke({
    probe: 'request',
    request: { method: 'POST', path: '/pets', scope: scope('pets:read'), contentType: 'application/json', body: '{"name":"Rex"}' },
  }).expect(ExpectedResult.objectLike({ Payload: { status: 403 } }));
  invoke({ probe: 'request', request: { path: '/pets', scope: scope('pets:read') } }).expect(
    ExpectedResult.objectLike({ Payload: { status: 200, body: '[]' } }),
  );

  // What may be sent: an invalid body, and an invalid body under a Content-Type the document does not declare.
  invoke({
    probe: 'request',
    request: {
      method: 'POST',
      path: '/pets',
      scope: scope('pets:write'),
      contentType: 'application/json',
      body: '{"name":"","admin":true}',
    },
  }).expect(
    ExpectedResult.objectLike({
      Payload: {
        status: 400,
        body: Match.stringLikeRegexp(
          '^\\{"error":\\{"code":"INVALID_BODY","message":"The request body is invalid","requestId":"[^"]+"\\}\\}$',
        ),
      },
    }),
  );
  invoke({
    probe: 'request',
    request: { method: 'POST', path: '/pets', scope: scope('pets:write'), contentType: 'text/plain', body: 'name=Rex; DROP TABLE pets' },
  }).expect(ExpectedResult.objectLike({ Payload: { status: 400 } }));

  // WAF, before any authorizer: SQL injection in the query, and a body above the 16 KB inspection limit.
  integ.assertions
    .httpApiCall(`${url('/pets')}?name=${encodeURIComponent("x' OR '1'='1' --")}`)
    .expect(ExpectedResult.objectLike({ status: 403 }));
  integ.assertions
    .httpApiCall(url('/pets'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(17 * 1024) }),
    })
    .expect(ExpectedResult.objectLike({ status: 413 }));

  // The stage's throttle: a burst over the operation's limit meets 429.
  invoke({ probe: 'burst', path: '/burst', scope: scope('pets:read'), count: 30 }).expect(
    ExpectedResult.objectLike({ Payload: { sawThrottle: true, sawSuccess: true } }),
  );

  // API keys: after a rotation, the superseded key keeps working through the grace period, and so does the new one.
  invoke({ probe: 'rotation', path: '/partner/pets', scope: scope('pets:read') }).expect(
    ExpectedResult.objectLike({ Payload: { rotated: true, oldKey: 200, newKey: 200 } }),
  );

  // The documentation route needs a token like every other route.
  integ.assertions.httpApiCall(url('/docs')).expect(ExpectedResult.objectLike({ status: 401 }));

  // IAM (issue 21): a SigV4-signed call from a role allowed execute-api:Invoke gets through; an unsigned call and a
  // valid OAuth token get 403 (API Gateway: MISSING_AUTHENTICATION_TOKEN, and a Bearer header is no SigV4 signature).
  invoke({ probe: 'sigv4', path: '/reports/r-1' }).expect(ExpectedResult.objectLike({ Payload: { status: 200 } }));
  integ.assertions.httpApiCall(url('/reports/r-1')).expect(ExpectedResult.objectLike({ status: 403 }));
  invoke({ probe: 'request', request: { path: '/reports/r-1', scope: scope('pets:read') } }).expect(
    ExpectedResult.objectLike({ Payload: { status: 403 } }),
  );
  // The response cache, as API Gateway imported it (issue 19 #1). A cache key must be a declared method request
  // parameter, and OpenAPI 3 says tools ignore a header parameter named Authorization: the cached operation's
  // integration must still list method.request.header.Authorization after import, or two callers would share an entry.
  // GetResources with embed=methods returns each resource's Method resources as GetMethod does (the resource id of an
  // imported path is not known at synth).
  const readApi = (call: ReturnType<typeof integ.assertions.awsApiCall>) => {
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['apigateway:GET'],
      Resource: [`arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${api.api.restApiId}/*`],
    });
    return call;
  };
  readApi(
    integ.assertions.awsApiCall('APIGateway', 'getResources', { restApiId: api.api.restApiId, embed: ['methods'], limit: 500 }),
  ).expect(
    ExpectedResult.objectLike({
      items: Match.arrayWith([
        Match.objectLike({
          path: '/pets',
          resourceMethods: Match.objectLike({
            GET: Match.objectLike({
              requestParameters: Match.objectLike({ 'method.request.header.Authorization': false }),
              methodIntegration: Match.objectLike({ cacheKeyParameters: ['method.request.header.Authorization'] }),
            }),
          }),
        }),
      ]),
    }),
  );
  // Invalidation with Cache-Control: max-age=0 needs authorization, and an unauthorized one is ignored. CloudFormation
  // cannot set either; SecureApi relies on the service default (AWS CLI reference, update-stage and get-stage examples).
  readApi(integ.assertions.awsApiCall('APIGateway', 'getStage', { restApiId: api.api.restApiId, stageName: api.stage.stageName })).expect(
    ExpectedResult.objectLike({
      methodSettings: Match.objectLike({
        '~1pets/GET': Match.objectLike({
          cachingEnabled: true,
          cacheDataEncrypted: true,
          requireAuthorizationForCacheControl: true,
          unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
        }),
      }),
    }),
  );
  return { stack, api, integ };
}

// integ-runner (and test/integ/integ-app.test.ts) run this file; the CLI's CDK_OUTDIR makes the app synthesize on exit.
if (require.main === module) buildSecureApiInteg(new App());
