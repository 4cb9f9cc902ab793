// The integ app of the AWS service integrations (integ/integ.service-integrations.ts) synthesizes cleanly, with one
// assertion per case. Deploying it needs an AWS account (README: "Integration tests on an AWS account").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { app, stack } from '../../integ/integ.service-integrations';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

describe('service integrations integ app', () => {
  // One synth (templateFindings runs it with the validation plugins), then the templates it wrote.
  const findings = templateFindings(stack);
  const template = (prefix: string) => {
    const file = fs.readdirSync(app.outdir).find((f) => f.startsWith(prefix) && f.endsWith('.template.json'))!;
    return JSON.parse(fs.readFileSync(path.join(app.outdir, file), 'utf8')) as { Resources: Record<string, { Type: string }> };
  };

  it('finds nothing in cdk-nag, CloudFormation Validate and the Control Tower rules, in the whole app', () => {
    // Nothing filtered: the queues and the assertion stack (integ-tests-alpha's harness) count as much as the API.
    expect(nagFindings(stack)).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('sends to SQS, reads the message back, expects 415 for text/plain, and runs TestInvokeMethod (plain, and with an allowed and a crafted Origin)', () => {
    const calls = Object.values(template('SecureApiServiceIntegTestDefaultTestDeployAssert').Resources)
      .map((r) => r.Type)
      .filter((t) => t.startsWith('Custom::DeployAssert@'))
      .sort();
    expect(calls).toEqual([
      'Custom::DeployAssert@HttpCall',
      'Custom::DeployAssert@HttpCall',
      'Custom::DeployAssert@SdkCallAPIGatewaytestInvokeMethod',
      'Custom::DeployAssert@SdkCallAPIGatewaytestInvokeMethod',
      'Custom::DeployAssert@SdkCallAPIGatewaytestInvokeMethod',
      'Custom::DeployAssert@SdkCallSQSreceiveMessage',
    ]);
    const types = Object.values(template('SecureApiServiceInteg.').Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::ApiGateway::RestApi', 'AWS::SQS::Queue', 'AWS::IAM::ManagedPolicy']));
  });
});
