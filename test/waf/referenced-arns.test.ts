import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { referencedResourceArns } from '../../lib/waf/referenced-arns';

const visibility = { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'm' };

describe('referencedResourceArns', () => {
  it('lists the IP sets, regex pattern sets and rule groups the rules reference, however deeply, each once', () => {
    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: 'Block',
        priority: 0,
        action: { block: {} },
        visibilityConfig: visibility,
        statement: { ipSetReferenceStatement: { arn: 'ipset-a' } },
      },
      {
        name: 'Nested',
        priority: 1,
        action: { block: {} },
        visibilityConfig: visibility,
        statement: {
          andStatement: {
            statements: [
              { notStatement: { statement: { ipSetReferenceStatement: { arn: 'ipset-b' } } } },
              { regexPatternSetReferenceStatement: { arn: 'regex-a', fieldToMatch: { uriPath: {} }, textTransformations: [] } },
              { ipSetReferenceStatement: { arn: 'ipset-a' } },
            ],
          },
        },
      },
      {
        name: 'Group',
        priority: 2,
        overrideAction: { none: {} },
        visibilityConfig: visibility,
        statement: { ruleGroupReferenceStatement: { arn: 'group-a' } },
      },
    ];
    expect(referencedResourceArns(rules)).toEqual(['ipset-a', 'ipset-b', 'regex-a', 'group-a']);
  });

  it('lists nothing for managed rule groups and plain statements, which name no resource of the account', () => {
    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: 'Common',
        priority: 0,
        overrideAction: { none: {} },
        visibilityConfig: visibility,
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
      },
      {
        name: 'Rate',
        priority: 1,
        action: { block: {} },
        visibilityConfig: visibility,
        statement: { rateBasedStatement: { limit: 100, aggregateKeyType: 'IP' } },
      },
    ];
    expect(referencedResourceArns(rules)).toEqual([]);
  });
});
