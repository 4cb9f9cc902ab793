import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { rulesByName, wafTestDocument } from './support';

/** A stack in `region` with the hosted zone of the front's domain. */
function edgeStack(region: string): { stack: Stack; hostedZone: route53.IHostedZone } {
  const stack = new Stack(new App(), 'Edge', { env: { account: '111122223333', region } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
  });
  return { stack, hostedZone };
}

describe('the web ACL behind the CloudFront front', () => {
  const { stack, hostedZone } = edgeStack('us-east-1');
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(wafTestDocument()),
    defaultIntegration: OperationIntegration.mock(),
    domain: { name: 'api.example.com', hostedZone },
    edge: {},
    waf: { ipBlockList: ['203.0.113.7'], anonymousIpList: true },
  });
  const template = Template.fromStack(stack);
  const rules = rulesByName(template);
  const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];

  it("first rejects requests without the front's secret origin header, compared with a dynamic reference", () => {
    const first = Object.values(rules).find((r) => r.Priority === 0);
    expect(first.Name).toBe('RequireCloudFrontOriginHeader');
    expect(first.Statement.NotStatement.Statement.ByteMatchStatement).toMatchObject({
      FieldToMatch: { SingleHeader: { Name: 'x-secureapi-origin-verify' } },
      PositionalConstraint: 'EXACTLY',
      SearchString: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
    });
    expect(api.waf.capacity!.rules.find((r) => r.name === 'RequireCloudFrontOriginHeader')!.capacity).toBe(2);
  });

  it("takes the client address from the front's client-IP header in rate and IP-set rules", () => {
    expect(rules.RateLimitPerIp.Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'FORWARDED_IP',
      ForwardedIPConfig: { HeaderName: 'x-secureapi-client-ip', FallbackBehavior: 'MATCH' },
    });
    expect(rules.BlockListedIps.Statement.IPSetReferenceStatement.IPSetForwardedIPConfig).toEqual({
      HeaderName: 'x-secureapi-client-ip',
      FallbackBehavior: 'NO_MATCH',
      Position: 'FIRST',
    });
  });

  it('inspects the viewer with the IP reputation and anonymous-IP rules in a CLOUDFRONT-scope web ACL attached to the distribution', () => {
    const edge = rulesByName(template, 'CLOUDFRONT');
    expect(Object.keys(edge).sort()).toEqual(['AWS-AWSManagedRulesAmazonIpReputationList', 'AWS-AWSManagedRulesAnonymousIpList']);
    // In the regional web ACL they would see only CloudFront's addresses.
    expect(Object.keys(rules).filter((name) => name.includes('IpReputation') || name.includes('AnonymousIp'))).toEqual([]);
    const edgeAclId = Object.keys(template.findResources('AWS::WAFv2::WebACL', { Properties: { Scope: 'CLOUDFRONT' } }))[0];
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as any;
    expect(distribution.Properties.DistributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [edgeAclId, 'Arn'] });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', { ResourceArn: { 'Fn::GetAtt': [edgeAclId, 'Arn'] } });
  });

  it('answers AwsSolutions-CFR2 with that web ACL, not with an acknowledgment', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => JSON.stringify(m.data)),
      );
    expect(acknowledged.filter((a) => a.includes('CFR2'))).toEqual([]);
    expect(nagFindings(stack).filter((f) => f.includes('CFR2'))).toEqual([]);
  });

  it('requires edge.webAclArn when the stack is not in us-east-1, where no CLOUDFRONT-scope web ACL can be made', () => {
    const { stack: other, hostedZone: zone } = edgeStack('eu-west-1');
    expect(
      () =>
        new SecureApi(other, 'Api', {
          openApi: OpenApi.fromObject(wafTestDocument()),
          defaultIntegration: OperationIntegration.mock(),
          domain: {
            name: 'api.example.com',
            hostedZone: zone,
            certificate: acm.Certificate.fromCertificateArn(other, 'Cert', 'arn:aws:acm:us-east-1:111122223333:certificate/abc'),
          },
          edge: {},
        }),
    ).toThrow("SecureApi 'Edge/Api': edge.webAclArn is required when the stack is not in us-east-1 (it is in eu-west-1)");
  });

  it('redacts the secret origin header in the WAF log', () => {
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'x-secureapi-origin-verify' } }]),
    });
  });

  it("turns automatic blocking off with a warning, because the access log has only CloudFront's address", () => {
    expect(api.waf.autoBlocker).toBeUndefined();
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    Annotations.fromStack(stack).hasWarning(
      '/Edge/Api/Waf',
      Match.stringLikeRegexp(
        "waf.autoBlock is off because of the CloudFront front \\(edge\\): the access log has only the proxy's address",
      ),
    );
  });

  it('rejects a forwarded-IP option of its own', () => {
    const { stack: other, hostedZone: zone } = edgeStack('us-east-1');
    expect(
      () =>
        new SecureApi(other, 'Api', {
          openApi: OpenApi.fromObject(wafTestDocument()),
          defaultIntegration: OperationIntegration.mock(),
          domain: { name: 'api.example.com', hostedZone: zone },
          edge: {},
          waf: { forwardedIp: { headerName: 'X-Forwarded-For' } },
        }),
    ).toThrow(
      "SecureApi 'Edge/Api': waf.forwardedIp cannot be set with the CloudFront front (edge): the front puts the viewer's address into its own header, which the web ACL uses",
    );
  });
});
