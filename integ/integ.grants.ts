// Integration test of SecureApi.grantExecute, in aws-cdk's own style (@aws-cdk/integ-tests-alpha, run by
// integ-runner): deploys an API with IAM (SigV4) operations and a probe function whose role is granted one of
// them, then asserts what API Gateway answers. Only AWS can prove these: that the grant's method ARN pattern
// allows the granted operation, that its Deny keeps the deeper IAM route out although the pattern's `*` spans
// `/`, and that an ungranted operation and an unsigned request are refused.
// Without an AWS account, test/integ/integ-grants.test.ts checks that it synthesizes cleanly.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { OpenApi, OperationIntegration, SecureApi } from '../lib';
import { acknowledge, acknowledgeAssertionHarness, PROBE_NO_VPC_REASON, probeCode, testFunction } from './support';

const iam = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
const ok = { 200: { description: 'ok' } };
const reportId = { name: 'reportId', in: 'path', required: true, schema: { type: 'string' } };
const document = {
  openapi: '3.0.3',
  info: { title: 'SecureApi grants integration test', version: '1' },
  components: { securitySchemes: { sigv4: iam } },
  paths: {
    '/health': { get: { operationId: 'getHealth', security: [], responses: ok } },
    '/reports/{reportId}': {
      parameters: [reportId],
      get: { operationId: 'getReport', security: [{ sigv4: [] }], responses: ok },
      delete: { operationId: 'deleteReport', security: [{ sigv4: [] }], responses: ok },
    },
    '/reports/{reportId}/audit': {
      parameters: [reportId],
      get: { operationId: 'getReportAudit', security: [{ sigv4: [] }], responses: ok },
    },
  },
};

/** The stack under test and its assertions. */
export function buildGrantsInteg(app: App): { stack: Stack; integ: IntegTest } {
  const stack = new Stack(app, 'SecureApiGrantsInteg');
  const api = new SecureApi(stack, 'Api', { openApi: OpenApi.fromObject(document), defaultIntegration: OperationIntegration.mock() });
  const probe = testFunction(stack, 'Probe', {
    code: probeCode('grant-probe'),
    timeout: Duration.seconds(30),
    environment: { API_URL: api.stage.urlForPath('/') },
    invokedBy: "The assertion provider's Lambda Invoke call",
    noVpcReason: PROBE_NO_VPC_REASON,
  });
  api.grantExecute(probe, 'getReport');
  acknowledge(
    probe.role!,
    [
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${stack.resolve(stack.getLogicalId(api.api.node.defaultChild as CfnElement))}>/v1/GET/reports/*]`,
    ],
    'The grant of getReport ends in * for its {reportId} path parameter; the Deny next to it keeps the deeper /reports/*/audit route out, which the assertions check.',
  );

  const integ = new IntegTest(app, 'SecureApiGrantsIntegTest', { testCases: [stack] });
  acknowledgeAssertionHarness(integ);
  const call = (payload: object, status: number) =>
    integ.assertions
      .invokeFunction({ functionName: probe.functionName, payload: JSON.stringify(payload) })
      .expect(ExpectedResult.objectLike({ Payload: { status } }));
  call({ path: '/reports/42' }, 200); // the granted operation, signed by the granted role
  call({ method: 'DELETE', path: '/reports/42' }, 403); // an operation it was not granted
  call({ path: '/reports/42/audit' }, 403); // the deeper route GET/reports/* also matches: the grant's Deny
  call({ path: '/reports/42', signed: false }, 403); // no signature: IAM refuses
  call({ path: '/health', signed: false }, 200); // a public operation stays public
  return { stack, integ };
}

if (require.main === module) {
  const app = new App();
  buildGrantsInteg(app);
  app.synth();
}
