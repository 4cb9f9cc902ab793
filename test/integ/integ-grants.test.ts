// The grants integration test app (integ/integ.grants.ts) synthesizes, its probe's role holds exactly the grant
// the assertions rely on, and SecureApi's part of it is clean. Deploying it needs an AWS account.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildGrantsInteg } from '../../integ/integ.grants';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

describe('grants integration test app', () => {
  const app = new App();
  const { stack } = buildGrantsInteg(app);
  const template = Template.fromStack(stack);

  it("gives the probe's role execute-api:Invoke on getReport only, with the Deny of the deeper audit route", () => {
    // The probe's role keeps its permissions in one customer-managed policy (integ/support.ts testFunction).
    const policies = { ...template.findResources('AWS::IAM::Policy'), ...template.findResources('AWS::IAM::ManagedPolicy') };
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const invoke = statements.filter((s) => s.Action === 'execute-api:Invoke');
    expect(invoke.map((s) => [s.Effect, JSON.stringify(s.Resource).match(/\/v1\/[^"]*/)![0]])).toEqual([
      ['Allow', '/v1/GET/reports/*'],
      ['Deny', '/v1/GET/reports/*/audit'],
    ]);
  });

  it('leaves no finding of CloudFormation Validate, the Control Tower rules or cdk-nag in the whole app', () => {
    // A fresh app: the integ-tests assertions add their outputs once per synth. Nothing filtered: the probe, its role
    // and log group, and the assertion stack count as much as the SecureApi.
    const fresh = buildGrantsInteg(new App()).stack;
    expect(templateFindings(fresh)).toEqual([]);
    expect(nagFindings(fresh)).toEqual([]);
  });
});
