// Integration test for private backends behind a VPC link and the caller-identity headers (issue 22), in
// aws-cdk's own style (@aws-cdk/integ-tests-alpha). It deploys an echo backend (a Lambda function behind an internal
// ALB, and an internal NLB in front of that ALB), a SecureApi that reaches it through a VPC link V2 (ALB named by
// integrationTarget) and a REST VPC link V1 (the NLB), and asserts what the backend received.
//
// What only AWS can prove, and this asserts:
// - the import accepts `integrationTarget` in `x-amazon-apigateway-integration` (V2): /orders/{orderId} answers;
// - a client-sent x-secureapi-caller-* header is overwritten by the mapped value, on an operation with a JWT (the
//   token's identity) and on a public one ('-'), and the backend sees one value per header, not the client's too.
// Without an AWS account, test/integ/integ-backends-net.test.ts checks that it synthesizes. Deploy and read the
// results as README "Integration tests on an AWS account" says, with this file as the app.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, Aws, Duration, Environment, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Auth, OpenApi, OperationIntegration, SecureApi, VpcLinkTarget } from '../lib';
import { acknowledge, acknowledgeAssertionHarness, PROBE_NO_VPC_REASON, probeCode, testFunction } from './support';

const FORGED = {
  'x-secureapi-caller-sub': 'admin',
  'x-secureapi-caller-client-id': 'admin-console',
  'x-secureapi-caller-scopes': 'orders:admin',
};

const json = { 'application/json': {} };
const document = {
  openapi: '3.0.3',
  info: { title: 'SecureApi private backends integration test', version: '1' },
  components: {
    securitySchemes: {
      oauth: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'https://example.invalid/oauth2/token', scopes: { 'orders:read': 'read orders' } } },
      },
    },
  },
  paths: {
    '/orders/{orderId}': {
      get: {
        operationId: 'getOrder',
        security: [{ oauth: ['orders:read'] }],
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'what the backend saw', content: json } },
      },
    },
    '/legacy/orders': {
      get: {
        operationId: 'listLegacyOrders',
        security: [{ oauth: ['orders:read'] }],
        responses: { 200: { description: 'seen', content: json } },
      },
    },
    '/health': { get: { operationId: 'health', security: [], responses: { 200: { description: 'seen', content: json } } } },
  },
};

/**
 * The integration test app: the stack under test and its assertions. Deployed to the account and region of the
 * credentials (the CLI's defaults); tests pass a literal environment.
 */
export function backendsNetInteg(
  app: App,
  env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
): { stack: Stack; api: SecureApi; integ: IntegTest; assertionStack: Stack } {
  const stack = new Stack(app, 'SecureApiBackendsNetInteg', { env });

  // The private network: isolated subnets only, so nothing in it is reachable from the internet.
  // A literal range, so that the load balancer's ingress rule names it (and checks can read it).
  const vpcCidr = '10.42.0.0/16';
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(vpcCidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  acknowledge(
    vpc,
    ['AwsSolutions-VPC7', 'HIPAA.Security-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'PCI.DSS.321-VPCFlowLogsEnabled'],
    'The isolated VPC carries only the requests of one test run, between the VPC links, the load balancers and the echo function, and the assertions read what the backend received.',
  );
  acknowledge(
    vpc,
    [
      'HIPAA.Security-VPCDefaultSecurityGroupClosed',
      'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      'PCI.DSS.321-VPCDefaultSecurityGroupClosed',
    ],
    "Nothing in the test's VPC uses its default security group: the VPC link and the load balancer have their own.",
  );

  // The echo backend: what API Gateway sent, with every value of every header (multi-value headers on), so a
  // client header that survived next to the mapped one would show as a second value.
  const echo = testFunction(stack, 'Echo', {
    code: lambda.Code.fromInline(
      'exports.handler = async (event) => ({ statusCode: 200, isBase64Encoded: false, multiValueHeaders: { "content-type": ["application/json"] }, body: JSON.stringify({ path: event.path, headers: event.multiValueHeaders }) });',
    ),
    timeout: Duration.seconds(5),
    invokedBy: 'The application load balancer',
    noVpcReason:
      'The echo function only answers the load balancer that invokes it and reaches nothing itself, so a VPC would isolate nothing.',
  });
  const linkSecurityGroup = new ec2.SecurityGroup(stack, 'LinkSg', { vpc, allowAllOutbound: true });
  const albSecurityGroup = new ec2.SecurityGroup(stack, 'AlbSg', { vpc, allowAllOutbound: false });
  albSecurityGroup.addIngressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(80), 'the VPC link V2 and the NLB, inside the VPC only');
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', {
    vpc,
    internetFacing: false,
    vpcSubnets: privateSubnets,
    securityGroup: albSecurityGroup,
    dropInvalidHeaderFields: true,
  });
  const albListener = alb.addListener('Http', { port: 80, open: false });
  const echoTargets = albListener.addTargets('Echo', { targets: [new targets.LambdaTarget(echo)] });
  echoTargets.setAttribute('lambda.multi_value_headers.enabled', 'true');
  // Only a target group of this account and region may invoke the echo function (Control Tower CT.LAMBDA.PR.2). The
  // target group's own ARN would be a dependency cycle: it registers the function only once the permission exists.
  for (const permission of echo.node.children.filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
    const partition = Token.isUnresolved(stack.region) ? Aws.PARTITION : (RegionInfo.get(stack.region).partition ?? Aws.PARTITION);
    permission.sourceArn = `arn:${partition}:elasticloadbalancing:${stack.region}:${stack.account}:targetgroup/*`;
  }
  acknowledge(
    albListener,
    [
      'cdk-validator-cfnguard::alb_http_to_https_redirection_check',
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((p) => [
        `${p}-ALBHttpToHttpsRedirection`,
        `${p}-ELBv2ACMCertificateRequired`,
      ]),
    ],
    'An HTTPS listener needs a certificate for a domain the test does not have; the listener is internal, reachable from inside the VPC only.',
  );
  acknowledge(
    alb,
    ['NIST.800.53.R5-ALBWAFEnabled', 'PCI.DSS.321-ALBWAFEnabled'],
    "The load balancer is internal and reached only through the API's VPC links, behind SecureApi's own web ACL.",
  );

  // The legacy path: a REST VPC link (V1) to an internal NLB, which forwards to the ALB.
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', {
    vpc,
    internetFacing: false,
    vpcSubnets: privateSubnets,
    crossZoneEnabled: true,
  });
  for (const lb of [alb, nlb]) {
    acknowledge(
      lb,
      [
        'cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
        'HIPAA.Security-ELBDeletionProtectionEnabled',
        'NIST.800.53.R5-ELBDeletionProtectionEnabled',
      ],
      'integ-runner destroys the test stack after every run, which deletion protection would make fail.',
    );
    acknowledge(
      lb,
      [
        'cdk-validator-cfnguard::elbv2_logging_enabled_check',
        'AwsSolutions-ELB2',
        'HIPAA.Security-ELBLoggingEnabled',
        'NIST.800.53.R5-ELBLoggingEnabled',
        'PCI.DSS.321-ELBLoggingEnabled',
      ],
      'The internal load balancer carries the test requests of one run only, and the assertions read what the backend received; access logs would record nothing else.',
    );
  }
  const nlbListener = nlb.addListener('Tcp', { port: 80 });
  nlbListener.addTargets('Alb', { port: 80, targets: [new targets.AlbListenerTarget(albListener)] });
  acknowledge(
    nlbListener,
    ['HIPAA.Security-ELBv2ACMCertificateRequired', 'NIST.800.53.R5-ELBv2ACMCertificateRequired', 'PCI.DSS.321-ELBv2ACMCertificateRequired'],
    'A TLS listener needs a certificate for a domain the test does not have; the listener is internal and forwards TCP to the internal ALB.',
  );
  const linkV1 = new apigw.VpcLink(stack, 'LinkV1', { targets: [nlb] });
  const linkV2 = new apigwv2.VpcLink(stack, 'LinkV2', { vpc, subnets: privateSubnets, securityGroups: [linkSecurityGroup] });

  // TLS to the backend needs a certificate for the URL's host name on the load balancer (a domain this test does not
  // have): the test opts out, which leaves the synth warning acknowledged below. Production backends keep https://.
  const plain = { allowPlainHttp: true };
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    auth: Auth.cognito({
      removalPolicy: RemovalPolicy.DESTROY,
      machineClients: [{ clientName: 'integ-probe', scopes: ['orders:read'] }],
    }),
    integrations: {
      getOrder: OperationIntegration.vpcLink(VpcLinkTarget.v2(linkV2, alb), 'http://orders.internal.example.com', plain),
      listLegacyOrders: OperationIntegration.vpcLink(VpcLinkTarget.v1(linkV1), 'http://orders.internal.example.com', plain),
      health: OperationIntegration.vpcLink(VpcLinkTarget.v2(linkV2, alb), 'http://orders.internal.example.com', plain),
    },
    logging: { removalPolicy: RemovalPolicy.DESTROY },
  });
  Annotations.of(api).acknowledgeWarning('cdk-secure-api:auth-mfa-optional', 'machine client only: no user signs in');
  Annotations.of(api).acknowledgeWarning('cdk-secure-api:integration', 'the test backend has no certificate: plain HTTP inside the VPC');

  const oauth = api.auth!.oauthServer!;
  (oauth.userPool.node.defaultChild as cognito.CfnUserPool).deletionProtection = 'INACTIVE';
  // The probe makes the calls that need the machine client's secret, inside the stack (integ/probe/).
  const probe = testFunction(stack, 'Probe', {
    code: probeCode('probe'),
    timeout: Duration.minutes(2),
    invokedBy: "The assertion provider's Lambda Invoke call",
    noVpcReason: PROBE_NO_VPC_REASON,
    environment: {
      USER_POOL_ID: oauth.userPool.userPoolId,
      CLIENT_ID: oauth.machineClients['integ-probe'].userPoolClientId,
      TOKEN_URL: oauth.tokenUrl,
      API_URL: api.stage.urlForPath('/').replace(/\/$/, ''),
    },
  });
  oauth.userPool.grant(probe, 'cognito-idp:DescribeUserPoolClient');

  // The assertions in the same environment, so that they can name the probe function.
  const assertionStack = new Stack(app, 'SecureApiBackendsNetIntegAssertions', { env });
  const integ = new IntegTest(app, 'SecureApiBackendsNetIntegTest', { testCases: [stack], assertionStack, diffAssets: false });
  acknowledgeAssertionHarness(assertionStack);
  const scope = `${oauth.scopePrefix}orders:read`;
  const identity = (request: object) =>
    integ.assertions.invokeFunction({ functionName: probe.functionName, payload: JSON.stringify({ probe: 'identity', ...request }) });

  // No token: the authorizer answers before the VPC link is ever used.
  integ.assertions.httpApiCall(api.stage.urlForPath('/orders/42')).expect(ExpectedResult.objectLike({ status: 401 }));
  // With a token and forged identity headers: the backend behind the VPC link V2 (integrationTarget) sees the token's
  // identity only, one value each, and the path parameter mapped.
  identity({ path: '/orders/42', scope, headers: FORGED }).expect(
    ExpectedResult.objectLike({
      Payload: { status: 200, backendPath: '/orders/42', sub: 'caller', clientId: 'caller', scopes: ['orders:read'], forgedSeen: false },
    }),
  );
  // The same through the REST VPC link (V1) and its NLB.
  identity({ path: '/legacy/orders', scope, headers: FORGED }).expect(
    ExpectedResult.objectLike({ Payload: { status: 200, sub: 'caller', clientId: 'caller', scopes: ['orders:read'], forgedSeen: false } }),
  );
  // A public operation: no token, so every identity header is '-', whatever the client sent.
  identity({ path: '/health', headers: FORGED }).expect(
    ExpectedResult.objectLike({ Payload: { status: 200, sub: ['-'], clientId: ['-'], scopes: ['-'], forgedSeen: false } }),
  );
  return { stack, api, integ, assertionStack };
}

if (require.main === module) backendsNetInteg(new App());
