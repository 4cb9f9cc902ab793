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
import * as path from 'node:path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, Duration, Environment, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Auth, OpenApi, OperationIntegration, SecureApi, VpcLinkTarget } from '../lib';

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
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  // The echo backend: what API Gateway sent, with every value of every header (multi-value headers on), so a
  // client header that survived next to the mapped one would show as a second value.
  const echo = new lambda.Function(stack, 'Echo', {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(
      'exports.handler = async (event) => ({ statusCode: 200, isBase64Encoded: false, multiValueHeaders: { "content-type": ["application/json"] }, body: JSON.stringify({ path: event.path, headers: event.multiValueHeaders }) });',
    ),
    timeout: Duration.seconds(5),
  });
  const linkSecurityGroup = new ec2.SecurityGroup(stack, 'LinkSg', { vpc, allowAllOutbound: true });
  const albSecurityGroup = new ec2.SecurityGroup(stack, 'AlbSg', { vpc, allowAllOutbound: false });
  albSecurityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(80), 'the VPC link V2 and the NLB, inside the VPC only');
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', {
    vpc,
    internetFacing: false,
    vpcSubnets: privateSubnets,
    securityGroup: albSecurityGroup,
  });
  const albListener = alb.addListener('Http', { port: 80, open: false });
  const echoTargets = albListener.addTargets('Echo', { targets: [new targets.LambdaTarget(echo)] });
  echoTargets.setAttribute('lambda.multi_value_headers.enabled', 'true');

  // The legacy path: a REST VPC link (V1) to an internal NLB, which forwards to the ALB.
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false, vpcSubnets: privateSubnets });
  nlb.addListener('Tcp', { port: 80 }).addTargets('Alb', { port: 80, targets: [new targets.AlbListenerTarget(albListener)] });
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
  const probe = new lambda.Function(stack, 'Probe', {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, 'probe')),
    timeout: Duration.minutes(2),
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
