// The private-backends integration test app (integ/integ.backends-net.ts) synthesizes: the SecureApi reaches the
// echo backend through a VPC link V2 (integrationTarget) and a V1 link, maps the identity headers, and the assertion
// stack has one assertion per case. Deploying it needs an AWS account (README: "Integration tests on an AWS account").
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { backendsNetInteg } from '../../integ/integ.backends-net';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const ENV = { account: '111111111111', region: 'eu-west-1' };

describe('private backends integration test app', () => {
  const app = new App();
  const { stack, assertionStack } = backendsNetInteg(app, ENV);
  const template = Template.fromStack(stack);
  const body = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  const integration = (path: string) => body.paths[path].get['x-amazon-apigateway-integration'];

  it('reaches the echo backend through a VPC link V2 with integrationTarget, and through a V1 link', () => {
    expect(integration('/orders/{orderId}')).toMatchObject({
      type: 'http_proxy',
      connectionType: 'VPC_LINK',
      connectionId: { Ref: expect.stringMatching(/^LinkV2/) },
      integrationTarget: { Ref: expect.stringMatching(/^Alb/) },
    });
    expect(integration('/legacy/orders')).toMatchObject({
      connectionType: 'VPC_LINK',
      connectionId: { Ref: expect.stringMatching(/^LinkV1/) },
    });
    expect(integration('/legacy/orders').integrationTarget).toBeUndefined();
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  });

  it('maps the identity headers from the authorizer, and "-" on the public operation', () => {
    expect(integration('/orders/{orderId}').requestParameters['integration.request.header.x-secureapi-caller-sub']).toBe(
      'context.authorizer.callerSub',
    );
    expect(integration('/health').requestParameters['integration.request.header.x-secureapi-caller-sub']).toBe("'-'");
  });

  it('asserts the 401 and the three identity cases', () => {
    const calls = Object.values(
      Template.fromStack(assertionStack).toJSON().Resources as Record<string, { Type: string; Properties: any }>,
    ).filter((r) => r.Type === 'Custom::DeployAssert@HttpCall' || r.Type === 'Custom::DeployAssert@SdkCallLambdainvoke');
    expect(calls.map((c) => c.Type).sort()).toEqual([
      'Custom::DeployAssert@HttpCall',
      ...Array(3).fill('Custom::DeployAssert@SdkCallLambdainvoke'),
    ]);
    const payloads = calls
      .filter((c) => c.Type.endsWith('Lambdainvoke'))
      .map((c) => JSON.parse(JSON.stringify(c.Properties.parameters.Payload)));
    expect(payloads.join(' ')).toContain('x-secureapi-caller-sub');
    expect(calls.every((c) => typeof c.Properties.expected === 'string')).toBe(true);
  });

  it('gives no CloudFormation Validate, Control Tower or cdk-nag finding in the whole app', () => {
    // A fresh app: integ-tests-alpha adds its assertion results during synth, once. Nothing filtered: the VPC, the load
    // balancers, the echo function, the probe and the assertion stack count as much as the SecureApi.
    const fresh = backendsNetInteg(new App(), ENV);
    expect(templateFindings(fresh.stack)).toEqual([]);
    expect(nagFindings(fresh.stack)).toEqual([]);
  });

  it("lets only this account's target groups invoke the echo function", () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'elasticloadbalancing.amazonaws.com',
    );
    expect(permissions.map((p) => p.Properties.SourceArn)).toEqual(['arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/*']);
  });
});
