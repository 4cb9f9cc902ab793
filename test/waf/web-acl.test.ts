import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsManagedRuleGroup, BodyInspectionLimit, BotControlInspectionLevel, WafRuleAction } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { logicalIdOf, onlyResource, rulesByName, synthWaf, wafTestDocument } from './support';

const DEFAULT_GROUPS = [
  AwsManagedRuleGroup.COMMON_RULE_SET,
  AwsManagedRuleGroup.KNOWN_BAD_INPUTS,
  AwsManagedRuleGroup.SQL_INJECTION,
  AwsManagedRuleGroup.IP_REPUTATION_LIST,
];

describe('automatic blocking without an authorizer', () => {
  it('creates no ip-blocker, because nothing else shows probing, and says why', () => {
    const { api, template, stack } = synthWaf({ auth: undefined });
    expect(api.waf.autoBlocker).toBeUndefined();
    expect(rulesByName(template).AutoBlockedIps).toBeUndefined();
    const infos = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data)));
    expect(infos).toContain(
      "SecureApi 'WafTest/Api': waf.autoBlock: no automatic blocking without auth: it counts only the JWT authorizer's rejections of forged or malformed tokens, and a missing credential or an API key failure never shows probing",
    );
  });
});

describe('the default web ACL', () => {
  const { template, api, stack } = synthWaf();
  const rules = rulesByName(template);
  const acl = onlyResource(template, 'AWS::WAFv2::WebACL');

  it('is REGIONAL, allows by default, and has metrics and sampled requests on for itself and every rule', () => {
    expect(acl.Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
    for (const rule of Object.values(rules))
      expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
  });

  it('is associated with the API stage', () => {
    const association = onlyResource(template, 'AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::WAFv2::WebACL'), 'Arn'] });
    const resourceArn = JSON.stringify(stack.resolve(association.Properties.ResourceArn));
    expect(resourceArn).toContain('/restapis/');
    expect(resourceArn).toContain(JSON.stringify(stack.resolve(api.stage.stageName)).replace(/^"|"$/g, ''));
    expect(resourceArn).toContain(logicalIdOf(template, 'AWS::ApiGateway::RestApi'));
  });

  it('uses the four default AWS managed rule groups and none of the optional ones', () => {
    const groups = Object.values(rules)
      .filter((r) => r.Statement.ManagedRuleGroupStatement)
      .map((r) => r.Statement.ManagedRuleGroupStatement.Name);
    expect(groups.sort()).toEqual([...DEFAULT_GROUPS].sort());
    for (const group of DEFAULT_GROUPS) {
      expect(rules[`AWS-${group}`]).toMatchObject({
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } },
      });
    }
  });

  it('blocks bodies above the 16 KB inspection limit itself and lets CommonRuleSet only count its 8 KB limit', () => {
    expect(acl.Properties.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' } } });
    expect(rules.BodySizeLimit.Statement.SizeConstraintStatement).toEqual({
      FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
      ComparisonOperator: 'GT',
      Size: 16384,
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    });
    expect(rules[`AWS-${AwsManagedRuleGroup.COMMON_RULE_SET}`].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    expect(rules.BodySizeLimit.Action.Block.CustomResponse).toMatchObject({
      ResponseCode: 413,
      CustomResponseBodyKey: 'request-too-large',
    });
  });

  it('limits each client IP across the API, 1,000 requests per 5 minutes, answering 429 with Retry-After', () => {
    expect(rules.RateLimitPerIp.Statement.RateBasedStatement).toEqual({ Limit: 1000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    const response = rules.RateLimitPerIp.Action.Block.CustomResponse;
    expect(response).toMatchObject({ ResponseCode: 429, CustomResponseBodyKey: 'too-many-requests' });
    expect(response.ResponseHeaders).toContainEqual({ Name: 'Retry-After', Value: '300' });
  });

  it("adds the document's x-secureapi-rate-limit as a stricter rule scoped to the operation's method and path", () => {
    const rule = rules['RateLimit-issueToken'];
    expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: 20, EvaluationWindowSec: 60, AggregateKeyType: 'IP' });
    const [method, path] = rule.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements;
    expect(method.ByteMatchStatement).toEqual({
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: 'POST',
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    });
    expect(path.RegexMatchStatement).toEqual({
      FieldToMatch: { UriPath: {} },
      RegexString: '^(?:/v1)?/auth/token/?$',
      TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
    });
    expect(rule.Action.Block.CustomResponse.ResponseHeaders).toContainEqual({ Name: 'Retry-After', Value: '60' });
  });

  it('blocks the addresses the ip-blocker maintains, in both IP versions, first of all rules', () => {
    const statements = rules.AutoBlockedIps.Statement.OrStatement.Statements;
    const [v4, v6] = Object.keys(
      template.findResources('AWS::WAFv2::IPSet', { Properties: { Description: Match.stringLikeRegexp('ip-blocker') } }),
    ).sort();
    expect(statements.map((s: any) => s.IPSetReferenceStatement.Arn['Fn::GetAtt'][0]).sort()).toEqual([v4, v6].sort());
    expect(rules.AutoBlockedIps.Priority).toBe(0);
    expect(rules.AutoBlockedIps.Action.Block.CustomResponse).toMatchObject({ ResponseCode: 403, CustomResponseBodyKey: 'forbidden' });
  });

  it('orders the rules: blocks, content inspection, body size, reputation, rate limits', () => {
    const order = Object.values(rules)
      .sort((a, b) => a.Priority - b.Priority)
      .map((r) => r.Name);
    expect(order).toEqual([
      'AutoBlockedIps',
      'AWS-AWSManagedRulesCommonRuleSet',
      'AWS-AWSManagedRulesKnownBadInputsRuleSet',
      'AWS-AWSManagedRulesSQLiRuleSet',
      'BodySizeLimit',
      'AWS-AWSManagedRulesAmazonIpReputationList',
      'RateLimitPerIp',
      'RateLimit-issueToken',
    ]);
  });

  it('fits within the 1,500 WCU of the base price, and says so in its description', () => {
    expect(api.waf.capacity!.total).toBe(700 + 200 + 200 + 25 + 2 + 1 + 2 + (2 + 2 + 3 + 10));
    expect(api.waf.capacity!.total).toBeLessThanOrEqual(1500);
    expect(acl.Properties.Description).toContain(`${api.waf.capacity!.total} WCU`);
  });

  it('answers blocked requests with the uniform JSON error body and the security headers', () => {
    const bodies = acl.Properties.CustomResponseBodies;
    expect(bodies.forbidden.Content).toBe('{"error":{"code":"FORBIDDEN","message":"Forbidden","requestId":null}}');
    expect(bodies['too-many-requests'].Content).toBe('{"error":{"code":"THROTTLED","message":"Too many requests","requestId":null}}');
    expect(bodies['request-too-large'].Content).toBe(
      '{"error":{"code":"REQUEST_TOO_LARGE","message":"The request is too large","requestId":null}}',
    );
    for (const body of Object.values(bodies) as any[]) expect(body.ContentType).toBe('APPLICATION_JSON');
    for (const rule of Object.values(rules).filter((r) => r.Action?.Block?.CustomResponse)) {
      expect(rule.Action.Block.CustomResponse.ResponseHeaders).toEqual(
        expect.arrayContaining([
          { Name: 'Strict-Transport-Security', Value: 'max-age=31536000; includeSubDomains' },
          { Name: 'X-Content-Type-Options', Value: 'nosniff' },
          { Name: 'Cache-Control', Value: 'no-store' },
          { Name: 'X-Frame-Options', Value: 'DENY' },
        ]),
      );
    }
  });

  it('replaces the credential headers in sampled requests too, which the logging redaction does not reach', () => {
    const webAcl = onlyResource(template, 'AWS::WAFv2::WebACL');
    expect(webAcl.Properties.VisibilityConfig.SampledRequestsEnabled).toBe(true);
    expect(webAcl.Properties.DataProtectionConfig).toEqual({
      DataProtections: ['authorization', 'x-api-key', 'cookie'].map((name) => ({
        Field: { FieldType: 'SINGLE_HEADER', FieldKeys: [name] },
        Action: 'SUBSTITUTION',
      })),
    });
  });

  it('logs blocked and counted requests to a KMS-encrypted aws-waf-logs- group with retention, redacting credentials', () => {
    const logging = onlyResource(template, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::WAFv2::WebACL'), 'Arn'] });
    expect(logging.Properties.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'x-api-key' } },
      { SingleHeader: { Name: 'cookie' } },
    ]);
    expect(logging.Properties.LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [
        {
          Behavior: 'KEEP',
          Requirement: 'MEETS_ANY',
          Conditions: [
            { ActionCondition: { Action: 'BLOCK' } },
            { ActionCondition: { Action: 'COUNT' } },
            { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
          ],
        },
      ],
    });
    const destination = JSON.stringify(logging.Properties.LogDestinationConfigs);
    const groupId = destination.match(/"Ref":"([A-Za-z0-9]+)"/)![1];
    const group = template.findResources('AWS::Logs::LogGroup')[groupId];
    expect(group.Properties.LogGroupName).toMatch(/^aws-waf-logs-/);
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(destination).not.toContain(':*');
  });

  it("subscribes the ip-blocker to the authorizer's probe lines only (never the access log) and runs its expiry every 5 minutes", () => {
    const fnId = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('keep probing') } }),
    )[0];
    const filters = Object.values(
      template.findResources('AWS::Logs::SubscriptionFilter', { Properties: { DestinationArn: { 'Fn::GetAtt': [fnId, 'Arn'] } } }),
    );
    expect(filters).toHaveLength(1);
    expect(filters[0].Properties.FilterPattern).toBe('{ $.probe IS TRUE }');
    const authorizerGroup = Object.keys(
      template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('lambda/authorizer') } }),
    );
    expect(filters[0].Properties.LogGroupName).toEqual({ Ref: authorizerGroup[0] });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Input: '{"action":"release-expired"}' })],
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('keep probing'),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          IP_BLOCKER_THRESHOLD: '20',
          IP_BLOCKER_WINDOW_SECONDS: '300',
          IP_BLOCKER_BLOCK_SECONDS: '3600',
          IP_BLOCKER_NEVER_BLOCK: '[]',
          IP_BLOCKER_IPV6_PREFIX: '64',
        }),
      },
    });
  });

  it('alarms on a full block set and on log lines the ip-blocker could not read, notifying the alarm topic', () => {
    for (const metricName of ['BlockListFull', 'MalformedLogEvents']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: 'CdkSecureApi/IpBlocker',
        Dimensions: [{ Name: 'Api', Value: Match.anyValue() }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        AlarmActions: [Match.anyValue()],
      });
    }
  });

  it('lets the ip-blocker update only its two IP sets', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const wafStatements = Object.values(policies)
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('wafv2'));
    expect(wafStatements).toHaveLength(1);
    expect(wafStatements[0].Action).toEqual(['wafv2:GetIPSet', 'wafv2:UpdateIPSet']);
    expect(wafStatements[0].Resource).toHaveLength(2);
  });

  it('is clean for all five cdk-nag packs, including WAFv2LoggingEnabled and APIG3', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('managed rule groups and overrides', () => {
  const { template, api, wafWarnings } = synthWaf({
    waf: {
      anonymousIpList: true,
      botControl: { inspectionLevel: BotControlInspectionLevel.TARGETED },
      accountTakeoverPrevention: { loginPath: '/v1/auth/token', usernameField: '/username', passwordField: '/password' },
      additionalManagedRuleGroups: [AwsManagedRuleGroup.LINUX, AwsManagedRuleGroup.UNIX, AwsManagedRuleGroup.ADMIN_PROTECTION],
      ruleOverrides: [
        { ruleGroup: AwsManagedRuleGroup.COMMON_RULE_SET, rule: 'SizeRestrictions_BODY', action: WafRuleAction.BLOCK },
        { ruleGroup: AwsManagedRuleGroup.COMMON_RULE_SET, rule: 'NoUserAgent_HEADER', action: WafRuleAction.COUNT },
        { ruleGroup: AwsManagedRuleGroup.SQL_INJECTION, rule: 'SQLi_BODY', action: WafRuleAction.COUNT },
      ],
    },
  });
  const rules = rulesByName(template);
  const group = (name: AwsManagedRuleGroup) => rules[`AWS-${name}`].Statement.ManagedRuleGroupStatement;

  it('adds each optional group', () => {
    for (const name of [
      AwsManagedRuleGroup.ANONYMOUS_IP_LIST,
      AwsManagedRuleGroup.BOT_CONTROL,
      AwsManagedRuleGroup.ACCOUNT_TAKEOVER_PREVENTION,
      AwsManagedRuleGroup.LINUX,
      AwsManagedRuleGroup.UNIX,
      AwsManagedRuleGroup.ADMIN_PROTECTION,
    ]) {
      expect(group(name)).toMatchObject({ VendorName: 'AWS', Name: name });
    }
    expect(group(AwsManagedRuleGroup.BOT_CONTROL).ManagedRuleGroupConfigs).toEqual([
      { AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'TARGETED' } },
    ]);
    expect(group(AwsManagedRuleGroup.ACCOUNT_TAKEOVER_PREVENTION).ManagedRuleGroupConfigs).toEqual([
      {
        AWSManagedRulesATPRuleSet: {
          LoginPath: '/v1/auth/token',
          RequestInspection: {
            PayloadType: 'JSON',
            UsernameField: { Identifier: '/username' },
            PasswordField: { Identifier: '/password' },
          },
        },
      },
    ]);
  });

  it("applies the user's rule action overrides, which take precedence over the automatic SizeRestrictions_BODY count", () => {
    expect(group(AwsManagedRuleGroup.COMMON_RULE_SET).RuleActionOverrides).toEqual([
      { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Block: {} } },
    ]);
    expect(group(AwsManagedRuleGroup.SQL_INJECTION).RuleActionOverrides).toEqual([{ Name: 'SQLi_BODY', ActionToUse: { Count: {} } }]);
    expect(group(AwsManagedRuleGroup.KNOWN_BAD_INPUTS).RuleActionOverrides).toBeUndefined();
  });

  it('warns for each rule switched to count', () => {
    expect(wafWarnings.some((w) => w.includes('AWSManagedRulesSQLiRuleSet rule SQLi_BODY only counts'))).toBe(true);
    expect(wafWarnings.some((w) => w.includes('NoUserAgent_HEADER only counts'))).toBe(true);
  });

  it('puts the paid bot and fraud groups last and still fits under 5,000 WCU, warning above 1,500 with the total', () => {
    const last = Object.values(rules)
      .sort((a, b) => a.Priority - b.Priority)
      .slice(-2)
      .map((r) => r.Name);
    expect(last).toEqual(['AWS-AWSManagedRulesBotControlRuleSet', 'AWS-AWSManagedRulesATPRuleSet']);
    const total = api.waf.capacity!.total;
    // The default ACL (1,147 with the document's scoped rate rule) plus Linux, Unix, AdminProtection, AnonymousIpList, Bot Control, ATP.
    expect(total).toBe(1147 + 200 + 100 + 100 + 50 + 50 + 50);
    expect(wafWarnings.find((w) => w.includes('WCU'))).toContain(`the web ACL needs ${total} WCU, above the 1500 WCU in the base price`);
  });
});

describe('rate limits, IP and geo lists', () => {
  const { template, stack } = synthWaf({
    stage: { stageName: 'live' },
    waf: {
      rateLimit: { limit: 300, evaluationWindow: Duration.minutes(1) },
      clientRateLimit: { headerName: 'X-Api-Key', limit: 500, evaluationWindow: Duration.minutes(10) },
      operationRateLimits: { issueToken: { limit: 10, evaluationWindow: Duration.minutes(2) }, replaceOrder: { limit: 50 } },
      ipAllowList: ['198.51.100.0/24', '2001:db8:aaaa::/48'],
      ipBlockList: ['203.0.113.7', '2001:db8:bad::1/128', '192.0.2.0/24'],
      blockedCountries: ['KP', 'IR'],
    },
  });
  const rules = rulesByName(template);
  const ipSet = (arn: any) => template.findResources('AWS::WAFv2::IPSet')[arn['Fn::GetAtt'][0]].Properties;

  it('uses the configured per-IP limit and window', () => {
    expect(rules.RateLimitPerIp.Statement.RateBasedStatement).toEqual({ Limit: 300, EvaluationWindowSec: 60, AggregateKeyType: 'IP' });
  });

  it('keys the per-client limit on the header through custom aggregation keys', () => {
    expect(rules.RateLimitPerClient.Statement.RateBasedStatement).toEqual({
      Limit: 500,
      EvaluationWindowSec: 600,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'x-api-key', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
    });
    expect(rules.RateLimitPerClient.Action.Block.CustomResponse.ResponseHeaders).toContainEqual({ Name: 'Retry-After', Value: '600' });
  });

  it('lets props override the extension and add limits to other operations', () => {
    expect(rules['RateLimit-issueToken'].Statement.RateBasedStatement).toMatchObject({ Limit: 10, EvaluationWindowSec: 120 });
    const replace = rules['RateLimit-replaceOrder'].Statement.RateBasedStatement;
    expect(replace).toMatchObject({ Limit: 50, EvaluationWindowSec: 300 });
    const [method, path] = replace.ScopeDownStatement.AndStatement.Statements;
    expect(method.ByteMatchStatement.SearchString).toBe('PUT');
    // The stage name is the path prefix WAF sees on the default endpoint.
    expect(path.RegexMatchStatement.RegexString).toBe('^(?:/live)?/orders/[^/]+/?$');
  });

  it('puts IPv4 and IPv6 entries of each list into their own IP set', () => {
    const [blockV4, blockV6] = rules.BlockListedIps.Statement.OrStatement.Statements.map((s: any) => ipSet(s.IPSetReferenceStatement.Arn));
    expect(blockV4).toMatchObject({ Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.7/32', '192.0.2.0/24'] });
    expect(blockV6).toMatchObject({ Scope: 'REGIONAL', IPAddressVersion: 'IPV6', Addresses: ['2001:db8:bad::1/128'] });
    const [allowV4, allowV6] = rules.AllowListedIps.Statement.OrStatement.Statements.map((s: any) => ipSet(s.IPSetReferenceStatement.Arn));
    expect(allowV4.Addresses).toEqual(['198.51.100.0/24']);
    expect(allowV6.Addresses).toEqual(['2001:db8:aaaa::/48']);
    expect(rules.BlockListedIps.Action.Block.CustomResponse.ResponseCode).toBe(403);
    expect(rules.AllowListedIps.Action).toEqual({ Allow: {} });
  });

  it('evaluates the allow-list after content inspection and before reputation lists and rate limits', () => {
    const priority = (name: string) => rules[name].Priority;
    expect(priority('AllowListedIps')).toBeGreaterThan(priority('AWS-AWSManagedRulesSQLiRuleSet'));
    expect(priority('AllowListedIps')).toBeGreaterThan(priority('BodySizeLimit'));
    expect(priority('AllowListedIps')).toBeLessThan(priority('AWS-AWSManagedRulesAmazonIpReputationList'));
    expect(priority('AllowListedIps')).toBeLessThan(priority('RateLimitPerIp'));
    expect(priority('BlockListedIps')).toBe(0);
  });

  it('never lets the ip-blocker block allow-listed addresses', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IP_BLOCKER_NEVER_BLOCK: JSON.stringify(['198.51.100.0/24', '2001:db8:aaaa::/48']) }) },
    });
  });

  it('blocks the listed countries', () => {
    expect(rules.GeoRestriction.Statement).toEqual({ GeoMatchStatement: { CountryCodes: ['IR', 'KP'] } });
    expect(rules.GeoRestriction.Action.Block.CustomResponse.ResponseCode).toBe(403);
  });

  it('is clean for all five cdk-nag packs with lists and extra rate rules', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('geo allow-list and body limits', () => {
  const { template, wafWarnings } = synthWaf({
    waf: { allowedCountries: ['DE', 'FR'], bodyInspectionLimit: BodyInspectionLimit.KB_64, maxBodySize: Size.kibibytes(8) },
  });
  const rules = rulesByName(template);

  it('blocks every country not allowed', () => {
    expect(rules.GeoRestriction.Statement).toEqual({ NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ['DE', 'FR'] } } } });
  });

  it('configures the body inspection limit and keeps CommonRuleSet blocking when the limit is 8 KB', () => {
    expect(onlyResource(template, 'AWS::WAFv2::WebACL').Properties.AssociationConfig).toEqual({
      RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } },
    });
    expect(rules.BodySizeLimit.Statement.SizeConstraintStatement.Size).toBe(8192);
    expect(rules['AWS-AWSManagedRulesCommonRuleSet'].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
    expect(wafWarnings.filter((w) => w.includes('body'))).toEqual([]);
  });
});

describe('bodies larger than WAF can inspect', () => {
  const document = wafTestDocument() as any;
  document.paths['/files/{path+}'].put = {
    operationId: 'uploadFile',
    'x-secureapi-max-body-size': 1048576,
    parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
    responses: { '200': { description: 'ok' } },
  };
  const { template, wafWarnings } = synthWaf({}, document);

  it('keeps the size rule for every other operation, exempts only the declaring one by method and path, and warns for that operation', () => {
    const rule = rulesByName(template).BodySizeLimit;
    const [size, others] = rule.Statement.AndStatement.Statements;
    expect(size.SizeConstraintStatement).toMatchObject({
      Size: 16384,
      ComparisonOperator: 'GT',
      FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
    });
    const [method, path] = others.NotStatement.Statement.AndStatement.Statements;
    expect(method.ByteMatchStatement.SearchString).toBe('PUT');
    expect(path.RegexMatchStatement.RegexString).toBe('^(?:/v1)?/files/.+/?$');
    expect(wafWarnings.find((w) => w.includes("operation 'uploadFile'"))).toContain(
      'for this operation WAF does not inspect body bytes beyond the first 16384',
    );
  });
});

describe('forwarded IP', () => {
  const { template, api, wafWarnings } = synthWaf({ waf: { forwardedIp: {}, ipBlockList: ['203.0.113.7'], blockedCountries: ['KP'] } });
  const rules = rulesByName(template);

  it('takes client addresses from X-Forwarded-For in rate, IP-set and geo rules', () => {
    expect(rules.RateLimitPerIp.Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'FORWARDED_IP',
      ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' },
    });
    expect(rules.BlockListedIps.Statement.IPSetReferenceStatement.IPSetForwardedIPConfig).toEqual({
      HeaderName: 'X-Forwarded-For',
      FallbackBehavior: 'NO_MATCH',
      Position: 'LAST',
    });
    expect(rules.GeoRestriction.Statement.GeoMatchStatement.ForwardedIPConfig).toEqual({
      HeaderName: 'X-Forwarded-For',
      FallbackBehavior: 'NO_MATCH',
    });
  });

  it('turns automatic blocking off, with warnings, because the access log only has the CDN address', () => {
    expect(api.waf.autoBlocker).toBeUndefined();
    expect(rules.AutoBlockedIps).toBeUndefined();
    expect(wafWarnings.some((w) => w.includes('waf.autoBlock is off because of waf.forwardedIp'))).toBe(true);
    expect(wafWarnings.some((w) => w.includes('which a client can forge'))).toBe(true);
  });
});

describe('logging options', () => {
  const { template } = synthWaf({
    waf: { logging: { logAllRequests: true, redactedHeaders: ['Authorization', 'X-Api-Key', 'Cookie', 'X-Client-Secret'] } },
  });

  it('logs every request without a filter, and redacts the extra header too', () => {
    const logging = onlyResource(template, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.Properties.LoggingFilter).toBeUndefined();
    expect(logging.Properties.RedactedFields).toContainEqual({ SingleHeader: { Name: 'x-client-secret' } });
    expect(onlyResource(template, 'AWS::WAFv2::WebACL').Properties.DataProtectionConfig.DataProtections).toContainEqual({
      Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['x-client-secret'] },
      Action: 'SUBSTITUTION',
    });
  });
});

describe('turning protections off', () => {
  it('warns when WAF is turned off and creates no web ACL', () => {
    const { template, wafWarnings } = synthWaf({ waf: { enabled: false } });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    expect(wafWarnings.some((w) => w.includes('waf.enabled is false: the stage has no web application firewall'))).toBe(true);
  });

  it('warns when logging or automatic blocking is turned off', () => {
    const { template, wafWarnings } = synthWaf({ waf: { logging: { enabled: false }, autoBlock: { enabled: false } } });
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(wafWarnings.some((w) => w.includes('waf.logging.enabled is false'))).toBe(true);
    expect(wafWarnings.some((w) => w.includes('waf.autoBlock.enabled is false'))).toBe(true);
  });
});

describe('bring your own web ACL', () => {
  const arn = 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/corporate/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
  const { template, stack } = synthWaf({ waf: { webAclArn: arn } });

  it('associates the given web ACL with the stage and creates no other WAF resource', () => {
    expect(onlyResource(template, 'AWS::WAFv2::WebACLAssociation').Properties.WebACLArn).toBe(arn);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::IPSet', 0);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
  });

  it('satisfies APIG3 (a web ACL on the stage)', () => {
    expect(nagFindings(stack).filter((f) => f.includes('APIG3') || f.includes('APIGWAssociatedWithWAF'))).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });

  it('rejects options that shape the web ACL SecureApi would have created', () => {
    expect(() => synthWaf({ waf: { webAclArn: arn, rateLimit: { limit: 100 }, anonymousIpList: true } })).toThrow(
      "SecureApi 'WafTest/Api': waf.webAclArn brings your own web ACL, so waf.anonymousIpList, waf.rateLimit cannot apply; configure them in that web ACL",
    );
  });

  it('rejects an ARN that is not a REGIONAL web ACL', () => {
    expect(() => synthWaf({ waf: { webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/cf/abc' } })).toThrow(
      "SecureApi 'WafTest/Api': waf.webAclArn must be the ARN of a REGIONAL WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/cf/abc'",
    );
  });
});

describe("CORS on the web ACL's own answers (issue 19 #8)", () => {
  const infosOf = (stack: Stack) =>
    stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data)));

  it('gives every 403, 413 and 429 custom response the one allowed origin, Vary: Origin and, on 429, an exposed Retry-After', () => {
    const { template, stack } = synthWaf({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true } });
    const responses = Object.values(rulesByName(template))
      .map((r) => r.Action?.Block?.CustomResponse)
      .filter((r) => r !== undefined);
    expect(responses.map((r) => r.ResponseCode).sort()).toEqual([403, 413, 429, 429]);
    for (const response of responses) {
      expect(response.ResponseHeaders).toEqual(
        expect.arrayContaining([
          { Name: 'Access-Control-Allow-Origin', Value: 'https://app.example.com' },
          { Name: 'Access-Control-Allow-Credentials', Value: 'true' },
          { Name: 'Vary', Value: 'Origin' },
        ]),
      );
    }
    for (const response of responses.filter((r) => r.ResponseCode === 429))
      expect(response.ResponseHeaders).toContainEqual({ Name: 'Access-Control-Expose-Headers', Value: 'Retry-After' });
    expect(templateFindings(stack)).toEqual([]);
  });

  it('gives no CORS header, and a synth info saying why, with several allowed origins', () => {
    const { template, stack } = synthWaf({ cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } });
    for (const rule of Object.values(rulesByName(template)).filter((r) => r.Action?.Block?.CustomResponse)) {
      const names = rule.Action.Block.CustomResponse.ResponseHeaders.map((h: { Name: string }) => h.Name);
      expect(names.filter((n: string) => /^(access-control-|vary$)/i.test(n))).toEqual([]);
    }
    expect(infosOf(stack)).toContainEqual(
      expect.stringMatching(
        /^SecureApi 'WafTest\/Api': cors allows 2 origins: the web ACL's own answers .* carry no Access-Control-Allow-Origin/,
      ),
    );
  });
});
