// domain.existingDomain: several SecureApis under one custom domain made elsewhere. SecureApi maps its stage
// under basePath (an ApiMapping for several segments) and creates no domain, certificate or DNS records.
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CustomDomainOptions, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Orders', version: '1' },
  paths: { '/orders': { get: { operationId: 'listOrders', security: [], responses: { '200': { description: 'ok' } } } } },
};

function stackWithSharedDomain() {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const sharedDomain = apigw.DomainName.fromDomainNameAttributes(stack, 'Shared', {
    domainName: 'api.example.com',
    domainNameAliasHostedZoneId: 'Z2FDTNDATAQYW2',
    domainNameAliasTarget: 'd-abc123.execute-api.eu-west-1.amazonaws.com',
  });
  return { app, stack, sharedDomain };
}

function addApi(stack: Stack, id: string, domain: CustomDomainOptions): SecureApi {
  return new SecureApi(stack, id, { openApi: OpenApi.fromObject(DOCUMENT), defaultIntegration: OperationIntegration.mock(), domain });
}

describe('two SecureApis on one shared domain, under different base paths', () => {
  const { stack, sharedDomain } = stackWithSharedDomain();
  const orders = addApi(stack, 'Orders', { existingDomain: sharedDomain, basePath: 'orders/v2' });
  addApi(stack, 'Billing', { existingDomain: sharedDomain, basePath: 'billing' });
  const template = Template.fromStack(stack);

  it('maps orders/v2 with an ApiMapping and billing with a base path mapping, each to its own stage', () => {
    const stages = Object.keys(template.findResources('AWS::ApiGateway::Stage'));
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      DomainName: 'api.example.com',
      ApiId: { Ref: Match.stringLikeRegexp('^OrdersApi') },
      Stage: { Ref: stages.find((s) => s.startsWith('Orders')) },
      ApiMappingKey: 'orders/v2',
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: 'api.example.com',
      RestApiId: { Ref: Match.stringLikeRegexp('^BillingApi') },
      Stage: { Ref: stages.find((s) => s.startsWith('Billing')) },
      BasePath: 'billing',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
  });

  it('creates no domain, certificate or DNS records', () => {
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('takes the name from the domain and keeps the execute-api endpoint disabled', () => {
    expect(orders.https.url).toBe('https://api.example.com/orders/v2');
    for (const api of Object.values(template.findResources('AWS::ApiGateway::RestApi')))
      expect(api.Properties.DisableExecuteApiEndpoint).toBe(true);
  });

  it('warns, once per API, that the TLS policy of a domain SecureApi did not make was not checked', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cannot check the TLS policy'));
    expect(warnings.map((w) => w.id).sort()).toEqual(['/Test/Billing', '/Test/Orders']);
  });

  it('is clean for the five cdk-nag packs, CloudFormation Validate and the Control Tower rules', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('a shared domain whose policy the user states', () => {
  it('leaves no warning for a TLS 1.3 policy', () => {
    const { stack, sharedDomain } = stackWithSharedDomain();
    addApi(stack, 'Orders', {
      existingDomain: sharedDomain,
      existingDomainSecurityPolicy: apigw.SecurityPolicy.TLS13_1_3_2025_09,
      basePath: 'orders/v2',
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('TLS policy'))).toEqual([]);
  });

  it('refuses several segments on a TLS_1_0 domain, which API Gateway cannot map', () => {
    const { stack, sharedDomain } = stackWithSharedDomain();
    expect(() =>
      addApi(stack, 'Orders', {
        existingDomain: sharedDomain,
        existingDomainSecurityPolicy: apigw.SecurityPolicy.TLS_1_0,
        basePath: 'a/b',
      }),
    ).toThrow("SecureApi 'Test/Orders': domain.basePath 'a/b' has several segments");
  });
});

describe('bad shared-domain configuration is a synth error naming the prop', () => {
  it('refuses the same base path twice on one domain', () => {
    const { stack, sharedDomain } = stackWithSharedDomain();
    addApi(stack, 'Orders', { existingDomain: sharedDomain, basePath: 'orders' });
    expect(() => addApi(stack, 'Other', { existingDomain: sharedDomain, basePath: 'orders' })).toThrow(
      "SecureApi 'Test/Other': domain.basePath 'orders' is already mapped on this existingDomain by SecureApi 'Test/Orders'",
    );
  });

  it('refuses a base path with empty segments', () => {
    const { stack, sharedDomain } = stackWithSharedDomain();
    expect(() => addApi(stack, 'Orders', { existingDomain: sharedDomain, basePath: 'orders//v2' })).toThrow(
      "SecureApi 'Test/Orders': domain.basePath 'orders//v2' has an empty segment",
    );
  });

  it('refuses existingDomain with a certificate or a hosted zone', () => {
    const { stack, sharedDomain } = stackWithSharedDomain();
    const certificate = acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000001',
    );
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.com',
    });
    expect(() => addApi(stack, 'A', { existingDomain: sharedDomain, certificate })).toThrow(
      "SecureApi 'Test/A': domain.certificate cannot be combined with existingDomain: SecureApi creates no domain, certificate or DNS records",
    );
    expect(() => addApi(stack, 'B', { existingDomain: sharedDomain, hostedZone })).toThrow(
      "SecureApi 'Test/B': domain.hostedZone cannot be combined with existingDomain",
    );
  });
});

describe('a multi-segment base path on a domain SecureApi makes', () => {
  it('maps the stage with an ApiMapping on the regional TLS 1.3 domain', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.com',
    });
    addApi(stack, 'Orders', { name: 'api.example.com', hostedZone, basePath: 'orders/v2' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      DomainName: { Ref: Match.stringLikeRegexp('OrdersHttpsDomain') },
      ApiMappingKey: 'orders/v2',
    });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    expect(templateFindings(stack)).toEqual([]);
  });
});
