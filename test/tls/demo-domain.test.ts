// The demo's opt-in custom domain and CloudFront front: synthesized from context alone, with no lookups, and
// clean for the five cdk-nag packs.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDemoApp } from '../../bin/demo';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const DOMAIN_CONTEXT = { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };

function demo(context: Record<string, string>) {
  const app = new App({ context });
  const stack = buildDemoApp(app, false);
  const assembly = app.synth();
  return { stack, template: Template.fromStack(stack), missing: assembly.manifest.missing ?? [] };
}

describe('demo with -c domainName -c hostedZoneId -c hostedZoneName', () => {
  const { stack, template, missing } = demo(DOMAIN_CONTEXT);

  it('adds the regional custom domain without any context lookup', () => {
    expect(missing).toEqual([]);
    expect(stack.region).toBe('eu-west-1');
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
  });

  it('is clean for the five cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('demo with -c edge=true as well', () => {
  const { stack, template, missing } = demo({ ...DOMAIN_CONTEXT, edge: 'true' });

  it('puts the CloudFront front before the API, in us-east-1 where its certificate must be', () => {
    expect(missing).toEqual([]);
    expect(stack.region).toBe('us-east-1');
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    const first = [...acl.Rules].sort((a: any, b: any) => a.Priority - b.Priority)[0];
    expect(first.Name).toBe('RequireCloudFrontOriginHeader');
    expect(JSON.stringify(first.Statement)).toContain('{{resolve:secretsmanager:');
  });

  it('is clean for the five cdk-nag packs, CloudFront rules included', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('demo context mistakes', () => {
  it('names the missing context values', () => {
    expect(() => demo({ domainName: 'api.example.com' })).toThrow('demo: -c domainName needs -c hostedZoneId and -c hostedZoneName');
    expect(() => demo({ edge: 'true' })).toThrow('demo: -c edge=true needs -c domainName, -c hostedZoneId and -c hostedZoneName');
  });
});
