// Integration test of the AWS service integrations (lib/integrations/service-integration.ts), in aws-cdk's own style
// (@aws-cdk/integ-tests-alpha, run by integ-runner): sends a hostile body through the API to SQS and reads it back,
// checks that an unmapped Content-Type gets 415, and runs API Gateway's own template engine with TestInvokeMethod,
// whose log shows the transformed request, also for the CORS origin check of the answer. Without an AWS account, test/integ/integ-service-integrations.test.ts
// checks that it synthesizes cleanly.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { OpenApi, OperationIntegration, SecureApi } from '../lib';
import { acknowledge, acknowledgeAssertionHarness } from './support';

export const app = new App();
export const stack = new Stack(app, 'SecureApiServiceInteg');

const deadLetters = new sqs.Queue(stack, 'DeadLetters', {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  removalPolicy: RemovalPolicy.DESTROY,
});
acknowledge(
  deadLetters,
  ['Serverless-SQSRedrivePolicy'],
  'This is the dead-letter queue at the end of the redrive chain; a queue behind it would only move the same messages again.',
);
const queue = new sqs.Queue(stack, 'Orders', {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  retentionPeriod: Duration.hours(1),
  removalPolicy: RemovalPolicy.DESTROY,
});

// The operation sits on the root path, so TestInvokeMethod can name its resource (the root resource id).
const document = {
  openapi: '3.0.3',
  info: { title: 'SecureApi service integration test', version: '1' },
  paths: {
    '/': {
      post: {
        operationId: 'createOrder',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['note'],
                additionalProperties: false,
                properties: { note: { type: 'string', maxLength: 512 } },
              },
            },
          },
        },
        responses: { '202': { description: 'accepted' } },
      },
    },
  },
};

export const api = new SecureApi(stack, 'Api', {
  openApi: OpenApi.fromObject(document),
  integrations: { createOrder: OperationIntegration.sqs(queue) },
  logging: { removalPolicy: RemovalPolicy.DESTROY },
  // Several origins: the answer's template checks the request Origin against the list (lib/openapi/cors-preflight.ts).
  cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'] },
});

export const integ = new IntegTest(app, 'SecureApiServiceIntegTest', { testCases: [stack], regions: ['eu-west-1'], diffAssets: false });
acknowledgeAssertionHarness(integ);

// A body crafted to break out of the form template: quotes, backslashes, `&`/`=`, VTL directives and references, unicode.
const hostile = JSON.stringify({ note: `it's "x"\\ &MessageAttribute.1.Name=caller.sub #set($a = 1) $util.urlEncode('b') "}] é 😀\nend` });

integ.assertions
  .httpApiCall(api.stage.urlForPath('/'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: hostile })
  .expect(ExpectedResult.objectLike({ status: 202 }))
  .next(
    integ.assertions
      .awsApiCall('SQS', 'receiveMessage', { QueueUrl: queue.queueUrl, WaitTimeSeconds: 20, MessageAttributeNames: ['All'] })
      // The body arrives as sent (as data), and no attribute came from it (the operation has no JWT: none at all).
      .expect(ExpectedResult.objectLike({ Messages: [Match.objectLike({ Body: hostile })] }))
      .waitForAssertions({ totalTimeout: Duration.minutes(2) }),
  );

// passthroughBehavior: never: a Content-Type without a template is refused before SQS.
integ.assertions
  .httpApiCall(api.stage.urlForPath('/'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: hostile })
  .expect(ExpectedResult.objectLike({ status: 415 }));

// API Gateway's own Velocity renders the template: the answer is the mapped 202, with the message id only and the security headers.
integ.assertions
  .awsApiCall('APIGateway', 'testInvokeMethod', {
    restApiId: api.api.restApiId,
    resourceId: api.api.restApiRootResourceId,
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: hostile,
  })
  .expect(
    ExpectedResult.objectLike({
      status: 202,
      body: Match.stringLikeRegexp('^\\{"messageId":"[0-9a-f-]{36}"\\}$'),
      // The mapped answer carries the security headers of the gateway responses (declared on the method response).
      headers: Match.objectLike({
        'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'X-Frame-Options': 'DENY',
      }),
    }),
  );

// CORS on the answer (API Gateway writes it, not a backend): API Gateway's Velocity sets Access-Control-Allow-Origin
// through $context.responseOverride for an Origin on the list. A crafted Origin does not break the template: the answer
// is still the mapped 202 with the message id only (that it gets no Access-Control-Allow-Origin is checked in
// test/openapi/cors-preflight.test.ts; integ-tests-alpha's Match cannot assert an absent header).
const invokeFrom = (origin: string) =>
  integ.assertions.awsApiCall('APIGateway', 'testInvokeMethod', {
    restApiId: api.api.restApiId,
    resourceId: api.api.restApiRootResourceId,
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ note: 'cors' }),
  });
invokeFrom('https://admin.example.com').expect(
  ExpectedResult.objectLike({
    status: 202,
    headers: Match.objectLike({ Vary: 'Origin', 'Access-Control-Allow-Origin': 'https://admin.example.com' }),
  }),
);
invokeFrom('https://admin.example.com" || "a" == "a"#set($x = 1) $context.requestId').expect(
  ExpectedResult.objectLike({
    status: 202,
    body: Match.stringLikeRegexp('^\\{"messageId":"[0-9a-f-]{36}"\\}$'),
    headers: Match.objectLike({ Vary: 'Origin' }),
  }),
);
