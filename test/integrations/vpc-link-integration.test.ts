// OperationIntegration.vpcLink: an HTTP proxy through a VPC link (V2 with integrationTarget, or V1), with the
// same path, timeout and TLS handling as http(); and the caller-identity headers every HTTP backend receives.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps, VpcLinkTarget } from '../../lib';
import { callerIdentityParameters, withCallerIdentity } from '../../lib/integrations';
import { templateFindings } from '../helpers/template-validation';
import { apiOperation } from '../support/api-operation';

const ISSUER = 'https://login.example.com/';
const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Orders', version: '1' },
  components: {
    securitySchemes: {
      oauth: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'orders:read': 'read' } } },
      },
    },
  },
  paths: {
    '/orders/{orderId}': {
      get: {
        operationId: 'getOrder',
        security: [{ oauth: ['orders:read'] }],
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/health': { get: { operationId: 'health', security: [], responses: { '200': { description: 'ok' } } } },
  },
};

const op = (operationId: string, path = '/orders/{orderId}') =>
  apiOperation(operationId, 'get', path, {
    parameters: path.includes('{orderId}') ? [{ name: 'orderId', in: 'path', required: true }] : [],
  });

/** A VPC with an internal NLB and ALB, a VPC link V2 and a REST VPC link (V1) to the NLB. */
function network(stack: Stack, internetFacing = false) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false });
  const vpcSubnets = { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_ISOLATED };
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing, vpcSubnets });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing, vpcSubnets });
  const linkV2 = new apigwv2.VpcLink(stack, 'LinkV2', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const linkV1 = new apigw.VpcLink(stack, 'LinkV1', { targets: [nlb] });
  return { vpc, nlb, alb, linkV2, linkV1 };
}

function synth(integrations: (stack: Stack) => SecureApiProps['integrations'], extra: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(DOCUMENT),
    auth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
    integrations: integrations(stack),
    defaultIntegration: OperationIntegration.mock(),
    ...extra,
  });
  const template = Template.fromStack(stack);
  const body = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  return { app, stack, template, body, integration: (path: string) => body.paths[path].get['x-amazon-apigateway-integration'] };
}

describe('OperationIntegration.vpcLink with a VPC link V2 and an internal ALB', () => {
  let net: ReturnType<typeof network>;
  const { stack, template, integration } = synth((s) => {
    net = network(s);
    return {
      getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v2(net.linkV2, net.alb), 'https://orders.internal.example.com/api', {
        timeout: Duration.seconds(10),
      }),
    };
  });

  it('is an HTTP proxy over the VPC link to the load balancer, with the path, its parameters and the timeout of http()', () => {
    expect(stack.resolve(integration('/orders/{orderId}'))).toEqual({
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: 'https://orders.internal.example.com/api/orders/{orderId}',
      connectionType: 'VPC_LINK',
      connectionId: { Ref: stack.getLogicalId(net.linkV2.node.defaultChild as apigwv2.CfnVpcLink) },
      integrationTarget: { Ref: stack.getLogicalId(net.alb.node.defaultChild as elbv2.CfnLoadBalancer) },
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 10000,
      requestParameters: {
        'integration.request.path.orderId': 'method.request.path.orderId',
        'integration.request.header.x-secureapi-caller-sub': 'context.authorizer.callerSub',
        'integration.request.header.x-secureapi-caller-client-id': 'context.authorizer.callerClientId',
        'integration.request.header.x-secureapi-caller-scopes': 'context.authorizer.callerScopes',
      },
    });
  });

  it('leaves the load balancer internal: the VPC link is the only way in (abuse case: reaching the backend around the API)', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application', Scheme: 'internal' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('integration'))).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules for the SecureApi', () => {
    // Only SecureApi's resources: the VPC and load balancers are the test's stand-ins for the user's network.
    expect(templateFindings(stack).filter((f) => f.includes('/Api/'))).toEqual([]);
  });
});

describe('OperationIntegration.vpcLink with a REST VPC link (V1)', () => {
  it('writes the link id and no integrationTarget (the link names its NLB)', () => {
    let net!: ReturnType<typeof network>;
    const { stack, integration } = synth((s) => {
      net = network(s);
      return { getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v1(net.linkV1), 'https://orders.internal.example.com') };
    });
    const written = stack.resolve(integration('/orders/{orderId}'));
    expect(written).toMatchObject({
      type: 'http_proxy',
      connectionType: 'VPC_LINK',
      connectionId: { Ref: stack.getLogicalId(net.linkV1.node.defaultChild as apigw.CfnVpcLink) },
      uri: 'https://orders.internal.example.com/orders/{orderId}',
    });
    expect(written.integrationTarget).toBeUndefined();
  });

  it('refuses a VPC link with no target', () => {
    expect(() =>
      synth((s) => ({
        getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v1(new apigw.VpcLink(s, 'Empty')), 'https://orders.internal.example.com'),
      })),
    ).toThrow(
      "SecureApi 'Test/Api': integrations OperationIntegration.vpcLink for 'getOrder' names a VPC link with no target: give the apigw.VpcLink its network load balancers (targets, or addTargets) before passing it",
    );
  });

  it('refuses an internet-facing NLB behind the link (abuse case: a second way in that skips the authorizer and WAF)', () => {
    expect(() =>
      synth((s) => {
        const net = network(s, true);
        return { getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v1(net.linkV1), 'https://orders.internal.example.com') };
      }),
    ).toThrow(
      /targets the load balancer Test\/Nlb, which is internet-facing: clients could reach the backend without the API's authorizer/,
    );
  });

  it('warns that an imported link cannot be checked', () => {
    const { stack } = synth((s) => ({
      getOrder: OperationIntegration.vpcLink(
        VpcLinkTarget.v1(apigw.VpcLink.fromVpcLinkId(s, 'Imported', 'abc123')),
        'https://orders.internal.example.com',
      ),
    }));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('VPC link is imported'));
    expect(warnings).toHaveLength(1);
  });
});

describe('OperationIntegration.vpcLink input checks', () => {
  it('refuses an internet-facing ALB behind a VPC link V2', () => {
    expect(() =>
      synth((s) => {
        const net = network(s, true);
        return { getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v2(net.linkV2, net.alb), 'https://orders.internal.example.com') };
      }),
    ).toThrow(/targets the load balancer Test\/Alb, which is internet-facing/);
  });

  it('warns that an imported load balancer cannot be checked to be internal', () => {
    const { stack } = synth((s) => {
      const link = apigwv2.VpcLink.fromVpcLinkAttributes(s, 'Link', {
        vpcLinkId: 'abc123',
        vpc: ec2.Vpc.fromVpcAttributes(s, 'ImportedVpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] }),
      });
      const alb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(s, 'ImportedAlb', {
        loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/orders/0123456789abcdef',
        securityGroupId: 'sg-1',
      });
      return { getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v2(link, alb), 'https://orders.internal.example.com') };
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cannot check that it is internal'))).toHaveLength(1);
  });

  it('refuses plain http unless allowPlainHttp, which leaves a warning', () => {
    const stack = new Stack(new App(), 'S');
    const link = apigwv2.VpcLink.fromVpcLinkAttributes(stack, 'Link', {
      vpcLinkId: 'abc123',
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] }),
    });
    const nlb = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Nlb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/orders/0123456789abcdef',
    });
    expect(() => OperationIntegration.vpcLink(VpcLinkTarget.v2(link, nlb), 'http://orders.internal')).toThrow(
      "SecureApi: integrations OperationIntegration.vpcLink URL 'http://orders.internal' must use https:// (backends are reached over TLS only)",
    );
    const config = OperationIntegration.vpcLink(VpcLinkTarget.v2(link, nlb), 'http://orders.internal', { allowPlainHttp: true }).bind(
      op('getOrder'),
    );
    expect(config.integration.uri).toBe('http://orders.internal/orders/{orderId}');
    expect(config.warnings).toContain(
      "OperationIntegration.vpcLink for 'getOrder': allowPlainHttp sends requests to http://orders.internal unencrypted across the VPC link",
    );
  });

  it('refuses a timeout outside API Gateway limits, naming vpcLink', () => {
    const stack = new Stack(new App(), 'S');
    const link = apigw.VpcLink.fromVpcLinkId(stack, 'Link', 'abc123');
    expect(() =>
      OperationIntegration.vpcLink(VpcLinkTarget.v1(link), 'https://orders.internal', { timeout: Duration.seconds(40) }).bind(
        op('getOrder'),
      ),
    ).toThrow("OperationIntegration.vpcLink for 'getOrder' timeout must be between 50 ms and 29 s");
  });
});

describe('caller identity headers for HTTP backends', () => {
  it('maps sub, client id and scopes from the authorizer context on operations with a JWT', () => {
    expect(callerIdentityParameters(true)).toEqual({
      'integration.request.header.x-secureapi-caller-sub': 'context.authorizer.callerSub',
      'integration.request.header.x-secureapi-caller-client-id': 'context.authorizer.callerClientId',
      'integration.request.header.x-secureapi-caller-scopes': 'context.authorizer.callerScopes',
    });
  });

  it("maps the static value '-' on operations without a JWT, so a client cannot claim an identity there either", () => {
    expect(callerIdentityParameters(false)).toEqual({
      'integration.request.header.x-secureapi-caller-sub': "'-'",
      'integration.request.header.x-secureapi-caller-client-id': "'-'",
      'integration.request.header.x-secureapi-caller-scopes': "'-'",
    });
  });

  it('leaves Lambda, mock and other integrations alone', () => {
    const mock = { type: 'mock', passthroughBehavior: 'never' };
    expect(withCallerIdentity(mock, true)).toBe(mock);
  });

  it('overwrites a client-sent identity header on every HTTP operation of an API (abuse case: a forged caller header)', () => {
    // Every identity header the backend can receive is mapped by API Gateway; none is passed through from the client.
    const { body } = synth(() => ({
      getOrder: OperationIntegration.http('https://backend.example.com'),
      health: OperationIntegration.http('https://backend.example.com'),
    }));
    const mapped = (path: string) => body.paths[path].get['x-amazon-apigateway-integration'].requestParameters;
    expect(mapped('/orders/{orderId}')['integration.request.header.x-secureapi-caller-sub']).toBe('context.authorizer.callerSub');
    expect(mapped('/health')['integration.request.header.x-secureapi-caller-sub']).toBe("'-'");
    for (const path of ['/orders/{orderId}', '/health']) {
      const headers = Object.keys(mapped(path)).filter((k) => k.startsWith('integration.request.header.'));
      expect(headers.sort()).toEqual([
        'integration.request.header.x-secureapi-caller-client-id',
        'integration.request.header.x-secureapi-caller-scopes',
        'integration.request.header.x-secureapi-caller-sub',
      ]);
    }
  });

  it('refuses an integration that maps an identity header itself (invariant)', () => {
    expect(() =>
      withCallerIdentity(
        { type: 'http_proxy', requestParameters: { 'integration.request.header.X-SecureApi-Caller-Sub': 'method.request.header.x' } },
        true,
      ),
    ).toThrow('maps integration.request.header.X-SecureApi-Caller-Sub itself');
  });
});
