import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { checkCapacity, MANAGED_RULE_GROUP_CAPACITY, statementCapacity, webAclCapacity } from '../../lib/waf/capacity';
import { AwsManagedRuleGroup } from '../../lib/waf/waf-options';

const managed = (name: string, vendorName = 'AWS'): CfnWebACL.StatementProperty => ({ managedRuleGroupStatement: { vendorName, name } });
const rule = (name: string, statement: CfnWebACL.StatementProperty): CfnWebACL.RuleProperty => ({
  name,
  priority: 0,
  statement,
  visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name },
});
const ipSet = (arn = 'arn'): CfnWebACL.StatementProperty => ({ ipSetReferenceStatement: { arn } });

describe('statementCapacity', () => {
  it('prices the AWS managed rule groups from the table in REFERENCE.md', () => {
    expect(MANAGED_RULE_GROUP_CAPACITY).toEqual({
      AWSManagedRulesCommonRuleSet: 700,
      AWSManagedRulesKnownBadInputsRuleSet: 200,
      AWSManagedRulesSQLiRuleSet: 200,
      AWSManagedRulesLinuxRuleSet: 200,
      AWSManagedRulesUnixRuleSet: 100,
      AWSManagedRulesAdminProtectionRuleSet: 100,
      AWSManagedRulesAnonymousIpList: 50,
      AWSManagedRulesBotControlRuleSet: 50,
      AWSManagedRulesATPRuleSet: 50,
      AWSManagedRulesAmazonIpReputationList: 25,
    });
    expect(statementCapacity(managed(AwsManagedRuleGroup.COMMON_RULE_SET))).toBe(700);
  });

  it('prices match statements, text transformations and logical statements', () => {
    expect(statementCapacity(ipSet())).toBe(1);
    expect(
      statementCapacity({
        ipSetReferenceStatement: {
          arn: 'a',
          ipSetForwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH', position: 'ANY' },
        },
      }),
    ).toBe(5);
    expect(statementCapacity({ geoMatchStatement: { countryCodes: ['DE'] } })).toBe(1);
    expect(
      statementCapacity({
        sizeConstraintStatement: {
          fieldToMatch: { body: {} },
          comparisonOperator: 'GT',
          size: 1,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      }),
    ).toBe(1);
    const byteMatch = (positionalConstraint: string, types: string[]): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint,
        searchString: 'x',
        textTransformations: types.map((type, priority) => ({ priority, type })),
      },
    });
    expect(statementCapacity(byteMatch('EXACTLY', ['NONE']))).toBe(2);
    expect(statementCapacity(byteMatch('CONTAINS', ['LOWERCASE', 'URL_DECODE']))).toBe(30);
    expect(
      statementCapacity({
        regexMatchStatement: {
          fieldToMatch: { uriPath: {} },
          regexString: '^/a$',
          textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
        },
      }),
    ).toBe(13);
    expect(
      statementCapacity({
        andStatement: { statements: [ipSet(), { notStatement: { statement: ipSet() } }, byteMatch('EXACTLY', ['NONE'])] },
      }),
    ).toBe(4);
  });

  it('prices rate-based rules as 2 plus 30 per custom key plus the scope-down statement', () => {
    expect(statementCapacity({ rateBasedStatement: { limit: 100, aggregateKeyType: 'IP' } })).toBe(2);
    expect(
      statementCapacity({
        rateBasedStatement: {
          limit: 100,
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [{ header: { name: 'x-api-key', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          scopeDownStatement: ipSet(),
        },
      }),
    ).toBe(33);
  });

  it('refuses to guess the capacity of a statement or group it does not know', () => {
    expect(() => statementCapacity(managed('SomeVendorRuleSet', 'Fortinet'))).toThrow(
      "WCU table: unknown capacity of Fortinet's SomeVendorRuleSet",
    );
    expect(() => statementCapacity(managed('AWSManagedRulesWordPressRuleSet'))).toThrow(
      'WCU table: unknown capacity of AWS managed rule group AWSManagedRulesWordPressRuleSet',
    );
    expect(() => statementCapacity({ ruleGroupReferenceStatement: { arn: 'x' } })).toThrow(
      'WCU table: no capacity for ruleGroupReferenceStatement',
    );
  });
});

describe('checkCapacity', () => {
  it('accepts a web ACL within the 1,500 WCU of the base price silently', () => {
    const budget = webAclCapacity([
      rule('Common', managed(AwsManagedRuleGroup.COMMON_RULE_SET)),
      rule('Sqli', managed(AwsManagedRuleGroup.SQL_INJECTION)),
    ]);
    expect(budget.total).toBe(900);
    expect(checkCapacity(budget, 'S/Api')).toBeUndefined();
  });

  it('warns above 1,500 WCU (not at 1,500), showing the total and the largest rules first', () => {
    const atLimit = [
      rule('Common', managed(AwsManagedRuleGroup.COMMON_RULE_SET)),
      rule('Common2', managed(AwsManagedRuleGroup.COMMON_RULE_SET)),
      rule('Admin', managed(AwsManagedRuleGroup.ADMIN_PROTECTION)),
    ];
    expect(webAclCapacity(atLimit).total).toBe(1500);
    expect(checkCapacity(webAclCapacity(atLimit), 'S/Api')).toBeUndefined();
    const over = webAclCapacity([...atLimit, rule('Block', ipSet())]);
    expect(checkCapacity(over, 'S/Api')).toBe(
      "SecureApi 'S/Api': waf: the web ACL needs 1501 WCU, above the 1500 WCU in the base price; WAF charges for every further 500 WCU (Common 700, Common2 700, Admin 100, Block 1)",
    );
  });

  it('fails synth above 5,000 WCU, naming the total and what uses it', () => {
    const atMaximum = [
      ...Array.from({ length: 7 }, (_, i) => rule(`Common${i}`, managed(AwsManagedRuleGroup.COMMON_RULE_SET))),
      rule('Admin', managed(AwsManagedRuleGroup.ADMIN_PROTECTION)),
    ];
    expect(webAclCapacity(atMaximum).total).toBe(5000);
    expect(() => checkCapacity(webAclCapacity(atMaximum), 'S/Api')).not.toThrow();
    expect(() => checkCapacity(webAclCapacity([...atMaximum, rule('Block', ipSet())]), 'S/Api')).toThrow(
      "SecureApi 'S/Api': waf makes a web ACL that needs 5001 WCU, more than WAF's maximum of 5000 (Common0 700, Common1 700, Common2 700, Common3 700, Common4 700, Common5 700, Common6 700, Admin 100, Block 1)",
    );
  });
});
