// Unit tests of the pure rule table (lib/waf/web-acl-rules.ts), cdk-nag's way: one describe per rule
// the table can produce, a compliant case (the rule as the secure default or the option configures it)
// and a non-compliant case (the opt-out or input that removes or changes it). The configs come from
// resolveWafConfig, so the defaults tested here are the defaults users get.
import { Duration, Size } from 'aws-cdk-lib';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { ApiOperation, JsonObject } from '../../lib/model';
import { CorsOptions } from '../../lib/openapi';
import { AddressLists, resolveWafConfig, ResolvedWafConfig, WafFront } from '../../lib/waf/waf-config';
import {
  AwsManagedRuleGroup,
  BodyInspectionLimit,
  BotControlInspectionLevel,
  ForwardedIpPosition,
  WafOptions,
  WafRuleAction,
} from '../../lib/waf/waf-options';
import {
  allowListRules,
  autoBlockRules,
  blockListRules,
  bodySizeRules,
  buildWebAclRules,
  customResponseBodies,
  edgeWebAclRules,
  geoRules,
  IpSetArns,
  originRules,
  rateRules,
  WEB_ACL_RULE_TABLE,
  wafDescription,
} from '../../lib/waf/web-acl-rules';
import { apiOperation } from '../support/api-operation';

type Rule = CfnWebACL.RuleProperty;
/** A row's rule, before the table assigns its priority. */
type RowRule = Omit<Rule, 'priority'>;

const operation = (operationId: string, method: ApiOperation['method'], path: string, extensions: JsonObject = {}) =>
  apiOperation(operationId, method, path, { extensions });
const OPERATIONS = [operation('login', 'post', '/login'), operation('getItem', 'get', '/items/{id}')];

const ORIGIN_RULE: Rule = {
  name: 'RequireCloudFrontOriginHeader',
  priority: 9,
  statement: {
    notStatement: {
      statement: {
        byteMatchStatement: {
          fieldToMatch: { singleHeader: { Name: 'x-origin-verify' } },
          positionalConstraint: 'EXACTLY',
          searchString: 's',
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
    },
  },
  action: { block: {} },
  visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'RequireCloudFrontOriginHeader' },
};
const FRONT: WafFront = { originRule: ORIGIN_RULE, clientIpHeader: 'x-secureapi-client-ip', redactedHeaders: ['x-origin-verify'] };

function resolve(options: WafOptions = {}, extra: { operations?: ApiOperation[]; front?: WafFront } = {}): ResolvedWafConfig {
  return resolveWafConfig(options, {
    label: 'S/Api',
    operations: extra.operations ?? OPERATIONS,
    pathPrefixes: ['v1'],
    front: extra.front,
  });
}

const arn = (name: string) => `arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/${name}/id`;

/** The IP sets' ARNs as the construct (api-waf.ts) passes them: a set per non-empty list and IP version, and the auto-blocker's two sets when it is on. */
function arnsFor(config: ResolvedWafConfig): IpSetArns {
  const sets = (lists: AddressLists, name: string) => ({
    ipv4: lists.ipv4.length > 0 ? arn(`${name}-v4`) : undefined,
    ipv6: lists.ipv6.length > 0 ? arn(`${name}-v6`) : undefined,
  });
  return {
    blockList: sets(config.blockList, 'block'),
    allowList: sets(config.allowList, 'allow'),
    autoBlock: config.autoBlock ? { ipv4: arn('auto-v4'), ipv6: arn('auto-v6') } : undefined,
  };
}

function rulesFor(options: WafOptions = {}, extra: { operations?: ApiOperation[]; front?: WafFront } = {}): Rule[] {
  const config = resolve(options, extra);
  return buildWebAclRules(config, arnsFor(config));
}
/** A rule's statement as the plain object the table builds (never a token). */
const statementOf = (r: RowRule | undefined) => r?.statement as CfnWebACL.StatementProperty;
const rateOf = (r: RowRule) => statementOf(r).rateBasedStatement as CfnWebACL.RateBasedStatementProperty;
const names = (rules: RowRule[]) => rules.map((r) => r.name);
const find = (rules: Rule[], name: string): Rule | undefined => rules.find((r) => r.name === name);

const SECURITY_HEADERS = [
  { name: 'Cache-Control', value: 'no-store' },
  { name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
  { name: 'X-Content-Type-Options', value: 'nosniff' },
  { name: 'X-Frame-Options', value: 'DENY' },
];
const FORBIDDEN = {
  block: { customResponse: { responseCode: 403, customResponseBodyKey: 'forbidden', responseHeaders: SECURITY_HEADERS } },
};
const tooManyRequests = (retryAfter: string) => ({
  block: {
    customResponse: {
      responseCode: 429,
      customResponseBodyKey: 'too-many-requests',
      responseHeaders: [SECURITY_HEADERS[0], { name: 'Retry-After', value: retryAfter }, ...SECURITY_HEADERS.slice(1)],
    },
  },
});
const TOO_LARGE = {
  block: { customResponse: { responseCode: 413, customResponseBodyKey: 'request-too-large', responseHeaders: SECURITY_HEADERS } },
};
const bodyLargerThan = (size: number) => ({
  sizeConstraintStatement: {
    fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
    comparisonOperator: 'GT',
    size,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});
/** The requests of one operation: exact method, URL-decoded path. */
const scope = (method: string, regexString: string) => ({
  andStatement: {
    statements: [
      {
        byteMatchStatement: {
          fieldToMatch: { method: {} },
          positionalConstraint: 'EXACTLY',
          searchString: method,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
      { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString, textTransformations: [{ priority: 0, type: 'URL_DECODE' }] } },
    ],
  },
});
const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
const managed = (group: string, statement: Partial<CfnWebACL.ManagedRuleGroupStatementProperty> = {}) => ({
  name: `AWS-${group}`,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name: group,
      ruleActionOverrides: undefined,
      managedRuleGroupConfigs: undefined,
      ...statement,
    },
  },
  visibilityConfig: visibility(`AWS-${group}`),
});

describe('the rule table', () => {
  it('builds the default web ACL from exactly these rules, with priorities 0..n in table order', () => {
    const rules = rulesFor();
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, 'AutoBlockedIps'],
      [1, 'AWS-AWSManagedRulesCommonRuleSet'],
      [2, 'AWS-AWSManagedRulesKnownBadInputsRuleSet'],
      [3, 'AWS-AWSManagedRulesSQLiRuleSet'],
      [4, 'BodySizeLimit'],
      [5, 'AWS-AWSManagedRulesAmazonIpReputationList'],
      [6, 'RateLimitPerIp'],
    ]);
  });

  it('orders every rule it can produce: origin check, IP and geo blocks, content inspection, body size, allow-list, reputation, rate limits, paid groups', () => {
    expect(WEB_ACL_RULE_TABLE.map((row) => row.id)).toEqual([
      'cloudfront-origin-check',
      'ip-block-list',
      'automatic-block-list',
      'geo-restriction',
      'managed-content-inspection',
      'body-size',
      'ip-allow-list',
      'managed-ip-reputation',
      'rate-limits',
      'managed-bot-and-fraud',
    ]);
    // Without the front (its origin check comes first: see its describe), every other rule appears once.
    const rules = rulesFor(
      {
        maxBodySize: Size.kibibytes(4),
        ipBlockList: ['198.51.100.0/24'],
        ipAllowList: ['203.0.113.7'],
        blockedCountries: ['KP'],
        additionalManagedRuleGroups: [AwsManagedRuleGroup.LINUX],
        anonymousIpList: true,
        clientRateLimit: { limit: 500, headerName: 'X-Client-Id' },
        operationRateLimits: { login: { limit: 20 } },
        botControl: {},
        accountTakeoverPrevention: { loginPath: '/login', usernameField: '/username', passwordField: '/password' },
      },
      { operations: [...OPERATIONS, operation('upload', 'post', '/upload', { 'x-secureapi-max-body-size': 8000 })] },
    );
    expect(names(rules)).toEqual([
      'BlockListedIps',
      'AutoBlockedIps',
      'GeoRestriction',
      'AWS-AWSManagedRulesCommonRuleSet',
      'AWS-AWSManagedRulesKnownBadInputsRuleSet',
      'AWS-AWSManagedRulesSQLiRuleSet',
      'AWS-AWSManagedRulesLinuxRuleSet',
      'BodySizeLimit',
      'BodySizeLimit-upload',
      'AllowListedIps',
      'AWS-AWSManagedRulesAmazonIpReputationList',
      'AWS-AWSManagedRulesAnonymousIpList',
      'RateLimitPerIp',
      'RateLimitPerClient',
      'RateLimit-login',
      'AWS-AWSManagedRulesBotControlRuleSet',
      'AWS-AWSManagedRulesATPRuleSet',
    ]);
    expect(rules.map((r) => r.priority)).toEqual(rules.map((_, i) => i));
  });
});

describe('RequireCloudFrontOriginHeader (cloudfront-origin-check)', () => {
  it('is the first rule, as lib/tls built it, when the CloudFront front forwards to the API', () => {
    const rules = rulesFor({}, { front: FRONT });
    const { priority: _priority, ...withoutPriority } = ORIGIN_RULE;
    expect(rules[0]).toEqual({ ...withoutPriority, priority: 0 });
  });

  it("gets its priority from its place in the table, not from the front's rule", () => {
    expect(originRules(resolve({}, { front: FRONT }))[0]).not.toHaveProperty('priority');
  });

  it('is absent without a front', () => {
    expect(originRules(resolve())).toEqual([]);
    expect(find(rulesFor(), 'RequireCloudFrontOriginHeader')).toBeUndefined();
  });
});

describe('BlockListedIps (ip-block-list)', () => {
  it('blocks both IP versions of ipBlockList with 403 and the uniform error body, before every other rule', () => {
    const rules = rulesFor({ ipBlockList: ['198.51.100.0/24', '2001:db8::/32'] });
    expect(rules[0]).toEqual({
      name: 'BlockListedIps',
      priority: 0,
      statement: {
        orStatement: {
          statements: [
            { ipSetReferenceStatement: { arn: arn('block-v4'), ipSetForwardedIpConfig: undefined } },
            { ipSetReferenceStatement: { arn: arn('block-v6'), ipSetForwardedIpConfig: undefined } },
          ],
        },
      },
      action: FORBIDDEN,
      visibilityConfig: visibility('BlockListedIps'),
    });
  });

  it('references a single IP set directly when the list holds one IP version', () => {
    const config = resolve({ ipBlockList: ['198.51.100.7'] });
    expect(blockListRules(config, arnsFor(config))[0].statement).toEqual({
      ipSetReferenceStatement: { arn: arn('block-v4'), ipSetForwardedIpConfig: undefined },
    });
  });

  it('matches the forwarded address, never blocking when the header is missing, with forwardedIp', () => {
    const config = resolve({ ipBlockList: ['198.51.100.7'], forwardedIp: { position: ForwardedIpPosition.FIRST } });
    expect(blockListRules(config, arnsFor(config))[0].statement).toEqual({
      ipSetReferenceStatement: {
        arn: arn('block-v4'),
        ipSetForwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'NO_MATCH', position: 'FIRST' },
      },
    });
  });

  it('is absent when ipBlockList is empty', () => {
    const config = resolve({ ipBlockList: [] });
    expect(blockListRules(config, arnsFor(config))).toEqual([]);
    expect(find(rulesFor(), 'BlockListedIps')).toBeUndefined();
  });
});

describe('AutoBlockedIps (automatic-block-list)', () => {
  it("is on by default: blocks the ip-blocker's IPv4 and IPv6 sets with 403, first of the default rules", () => {
    expect(rulesFor()[0]).toEqual({
      name: 'AutoBlockedIps',
      priority: 0,
      statement: {
        orStatement: {
          statements: [
            { ipSetReferenceStatement: { arn: arn('auto-v4'), ipSetForwardedIpConfig: undefined } },
            { ipSetReferenceStatement: { arn: arn('auto-v6'), ipSetForwardedIpConfig: undefined } },
          ],
        },
      },
      action: FORBIDDEN,
      visibilityConfig: visibility('AutoBlockedIps'),
    });
  });

  it('comes after the static block-list', () => {
    expect(names(rulesFor({ ipBlockList: ['198.51.100.7'] })).slice(0, 2)).toEqual(['BlockListedIps', 'AutoBlockedIps']);
  });

  it('is absent when autoBlock.enabled is false', () => {
    const config = resolve({ autoBlock: { enabled: false } });
    expect(autoBlockRules(config, arnsFor(config))).toEqual([]);
    expect(find(rulesFor({ autoBlock: { enabled: false } }), 'AutoBlockedIps')).toBeUndefined();
  });

  it('is absent behind forwardedIp or the CloudFront front, where the access log has only the proxy address', () => {
    expect(find(rulesFor({ forwardedIp: {} }), 'AutoBlockedIps')).toBeUndefined();
    expect(find(rulesFor({}, { front: FRONT }), 'AutoBlockedIps')).toBeUndefined();
  });
});

describe('GeoRestriction (geo-restriction)', () => {
  it('blocks exactly the blockedCountries with 403', () => {
    expect(geoRules(resolve({ blockedCountries: ['RU', 'KP'] }))).toEqual([
      {
        name: 'GeoRestriction',
        statement: { geoMatchStatement: { countryCodes: ['KP', 'RU'], forwardedIpConfig: undefined } },
        action: FORBIDDEN,
        visibilityConfig: visibility('GeoRestriction'),
      },
    ]);
  });

  it('blocks every country but the allowedCountries, through a not statement', () => {
    expect(geoRules(resolve({ allowedCountries: ['DE', 'AT'] }))[0].statement).toEqual({
      notStatement: { statement: { geoMatchStatement: { countryCodes: ['AT', 'DE'], forwardedIpConfig: undefined } } },
    });
  });

  it("takes the country from the front's client-address header, not matching when it is missing", () => {
    expect(geoRules(resolve({ blockedCountries: ['KP'] }, { front: FRONT }))[0].statement).toEqual({
      geoMatchStatement: { countryCodes: ['KP'], forwardedIpConfig: { headerName: 'x-secureapi-client-ip', fallbackBehavior: 'NO_MATCH' } },
    });
  });

  it('is absent when no country list is set (every country allowed)', () => {
    expect(geoRules(resolve())).toEqual([]);
  });
});

describe('AWS managed content inspection (managed-content-inspection)', () => {
  const contentRow = WEB_ACL_RULE_TABLE.find((row) => row.id === 'managed-content-inspection')!;
  const content = (options: WafOptions = {}) => {
    const config = resolve(options);
    return contentRow.build(config, arnsFor(config));
  };

  it("uses CommonRuleSet, KnownBadInputs and SQLi by default with the groups' own actions, CommonRuleSet's 8 KB body rule only counting for the 16 KB limit", () => {
    expect(content()).toEqual([
      managed('AWSManagedRulesCommonRuleSet', { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }),
      managed('AWSManagedRulesKnownBadInputsRuleSet'),
      managed('AWSManagedRulesSQLiRuleSet'),
    ]);
  });

  it("keeps CommonRuleSet's body size rule blocking when bodies are limited to 8 KB", () => {
    expect(content({ maxBodySize: Size.kibibytes(8) })[0]).toEqual(managed('AWSManagedRulesCommonRuleSet'));
  });

  it('adds the additionalManagedRuleGroups after the default three, in a fixed order', () => {
    expect(
      names(
        content({
          additionalManagedRuleGroups: [AwsManagedRuleGroup.ADMIN_PROTECTION, AwsManagedRuleGroup.UNIX, AwsManagedRuleGroup.LINUX],
        }),
      ),
    ).toEqual([
      'AWS-AWSManagedRulesCommonRuleSet',
      'AWS-AWSManagedRulesKnownBadInputsRuleSet',
      'AWS-AWSManagedRulesSQLiRuleSet',
      'AWS-AWSManagedRulesLinuxRuleSet',
      'AWS-AWSManagedRulesUnixRuleSet',
      'AWS-AWSManagedRulesAdminProtectionRuleSet',
    ]);
  });

  it('switches the rules named in ruleOverrides to their action, sorted by rule name', () => {
    const rules = content({
      ruleOverrides: [
        { ruleGroup: AwsManagedRuleGroup.SQL_INJECTION, rule: 'SQLi_QUERYARGUMENTS', action: WafRuleAction.COUNT },
        { ruleGroup: AwsManagedRuleGroup.SQL_INJECTION, rule: 'SQLi_BODY', action: WafRuleAction.CHALLENGE },
        { ruleGroup: AwsManagedRuleGroup.COMMON_RULE_SET, rule: 'SizeRestrictions_BODY', action: WafRuleAction.BLOCK },
      ],
    });
    expect(rules[0]).toEqual(
      managed('AWSManagedRulesCommonRuleSet', { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { block: {} } }] }),
    );
    expect(rules[2]).toEqual(
      managed('AWSManagedRulesSQLiRuleSet', {
        ruleActionOverrides: [
          { name: 'SQLi_BODY', actionToUse: { challenge: {} } },
          { name: 'SQLi_QUERYARGUMENTS', actionToUse: { count: {} } },
        ],
      }),
    );
  });
});

describe('BodySizeLimit (body-size)', () => {
  it('blocks bodies above the 16 KB inspection limit by default with 413, oversize bodies matching', () => {
    expect(bodySizeRules(resolve())).toEqual([
      {
        name: 'BodySizeLimit',
        statement: {
          sizeConstraintStatement: {
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: 16384,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        action: {
          block: { customResponse: { responseCode: 413, customResponseBodyKey: 'request-too-large', responseHeaders: SECURITY_HEADERS } },
        },
        visibilityConfig: visibility('BodySizeLimit'),
      },
    ]);
  });

  it('uses maxBodySize, or the larger inspection limit, for every operation', () => {
    expect(statementOf(bodySizeRules(resolve({ maxBodySize: Size.kibibytes(4) }))[0])).toEqual(bodyLargerThan(4096));
    expect(statementOf(bodySizeRules(resolve({ bodyInspectionLimit: BodyInspectionLimit.KB_32 }))[0])).toEqual(bodyLargerThan(32768));
  });

  it('exempts only the method and path of an operation that declares a larger x-secureapi-max-body-size', () => {
    const ops = [operation('upload', 'post', '/upload', { 'x-secureapi-max-body-size': 6000 }), operation('getItem', 'get', '/items/{id}')];
    expect(bodySizeRules(resolve({ maxBodySize: Size.kibibytes(4) }, { operations: ops }))[0]).toEqual({
      name: 'BodySizeLimit',
      statement: {
        andStatement: { statements: [bodyLargerThan(4096), { notStatement: { statement: scope('POST', '^(?:/v1)?/upload/?$') } }] },
      },
      action: TOO_LARGE,
      visibilityConfig: visibility('BodySizeLimit'),
    });
  });

  it('does not exempt an operation whose declared limit is not larger than the API limit', () => {
    const ops = [operation('note', 'post', '/note', { 'x-secureapi-max-body-size': 1000 })];
    expect(bodySizeRules(resolve({ maxBodySize: Size.kibibytes(4) }, { operations: ops }))).toEqual([
      { name: 'BodySizeLimit', statement: bodyLargerThan(4096), action: TOO_LARGE, visibilityConfig: visibility('BodySizeLimit') },
    ]);
  });

  it('is absent when maxBodySize is larger than WAF inspects', () => {
    expect(bodySizeRules(resolve({ maxBodySize: Size.kibibytes(17) }))).toEqual([]);
    expect(find(rulesFor({ maxBodySize: Size.kibibytes(17) }), 'BodySizeLimit')).toBeUndefined();
  });

  it('stays for every other operation when one operation declares more than WAF inspects', () => {
    const ops = [
      operation('upload', 'post', '/upload', { 'x-secureapi-max-body-size': 70000 }),
      operation('getItem', 'get', '/items/{id}'),
    ];
    const rules = bodySizeRules(resolve({}, { operations: ops }));
    expect(names(rules)).toEqual(['BodySizeLimit']);
    expect(statementOf(rules[0])).toEqual({
      andStatement: { statements: [bodyLargerThan(16384), { notStatement: { statement: scope('POST', '^(?:/v1)?/upload/?$') } }] },
    });
  });
});

describe('BodySizeLimit-<operationId> (body-size)', () => {
  const ops = [
    operation('upload', 'post', '/upload', { 'x-secureapi-max-body-size': 6000 }),
    operation('note', 'put', '/notes/{id}', { 'x-secureapi-max-body-size': 5000 }),
  ];

  it("limits an operation's declared larger body to its own limit, scoped to its method and URL-decoded path, after BodySizeLimit", () => {
    const rules = bodySizeRules(resolve({ maxBodySize: Size.kibibytes(4) }, { operations: ops }));
    expect(names(rules)).toEqual(['BodySizeLimit', 'BodySizeLimit-note', 'BodySizeLimit-upload']);
    expect(statementOf(rules[0])).toEqual({
      andStatement: {
        statements: [
          bodyLargerThan(4096),
          {
            notStatement: {
              statement: { orStatement: { statements: [scope('PUT', '^(?:/v1)?/notes/[^/]+/?$'), scope('POST', '^(?:/v1)?/upload/?$')] } },
            },
          },
        ],
      },
    });
    expect(rules[2]).toEqual({
      name: 'BodySizeLimit-upload',
      statement: { andStatement: { statements: [bodyLargerThan(6000), scope('POST', '^(?:/v1)?/upload/?$')] } },
      action: TOO_LARGE,
      visibilityConfig: visibility('BodySizeLimit-upload'),
    });
  });

  it('is absent when the declared limit is larger than WAF inspects (WAF cannot measure it)', () => {
    const big = [operation('upload', 'post', '/upload', { 'x-secureapi-max-body-size': 70000 })];
    expect(find(rulesFor({ bodyInspectionLimit: BodyInspectionLimit.KB_64 }, { operations: big }), 'BodySizeLimit-upload')).toBeUndefined();
  });

  it('is absent when the API-wide limit is not enforced either', () => {
    expect(names(bodySizeRules(resolve({ maxBodySize: Size.kibibytes(17) }, { operations: ops })))).toEqual([]);
  });
});

describe('AllowListedIps (ip-allow-list)', () => {
  it('allows both IP versions of ipAllowList after content inspection and body size, before reputation lists and rate limits', () => {
    const rules = rulesFor({ ipAllowList: ['203.0.113.0/24', '2001:db8::1'] });
    expect(names(rules)).toEqual([
      'AutoBlockedIps',
      'AWS-AWSManagedRulesCommonRuleSet',
      'AWS-AWSManagedRulesKnownBadInputsRuleSet',
      'AWS-AWSManagedRulesSQLiRuleSet',
      'BodySizeLimit',
      'AllowListedIps',
      'AWS-AWSManagedRulesAmazonIpReputationList',
      'RateLimitPerIp',
    ]);
    expect(find(rules, 'AllowListedIps')).toEqual({
      name: 'AllowListedIps',
      priority: 5,
      statement: {
        orStatement: {
          statements: [
            { ipSetReferenceStatement: { arn: arn('allow-v4'), ipSetForwardedIpConfig: undefined } },
            { ipSetReferenceStatement: { arn: arn('allow-v6'), ipSetForwardedIpConfig: undefined } },
          ],
        },
      },
      action: { allow: {} },
      visibilityConfig: visibility('AllowListedIps'),
    });
  });

  it('is absent when ipAllowList is empty', () => {
    const config = resolve();
    expect(allowListRules(config, arnsFor(config))).toEqual([]);
  });
});

describe('AWS managed IP reputation (managed-ip-reputation)', () => {
  const reputationRow = WEB_ACL_RULE_TABLE.find((row) => row.id === 'managed-ip-reputation')!;
  const reputation = (options: WafOptions = {}) => {
    const config = resolve(options);
    return reputationRow.build(config, arnsFor(config));
  };

  it("uses AmazonIpReputationList by default, with the group's own actions", () => {
    expect(reputation()).toEqual([managed('AWSManagedRulesAmazonIpReputationList')]);
  });

  it('moves to the CLOUDFRONT-scope web ACL behind the CloudFront front, which alone sees the viewer address', () => {
    const config = resolve({ anonymousIpList: true }, { front: FRONT });
    expect(reputationRow.build(config, arnsFor(config))).toEqual([]);
    expect(edgeWebAclRules(config)).toEqual([
      { ...managed('AWSManagedRulesAmazonIpReputationList'), priority: 0 },
      { ...managed('AWSManagedRulesAnonymousIpList'), priority: 1 },
    ]);
  });

  it('adds AnonymousIpList only when anonymousIpList is true', () => {
    expect(names(reputation({ anonymousIpList: true }))).toEqual([
      'AWS-AWSManagedRulesAmazonIpReputationList',
      'AWS-AWSManagedRulesAnonymousIpList',
    ]);
    expect(names(reputation({ anonymousIpList: false }))).toEqual(['AWS-AWSManagedRulesAmazonIpReputationList']);
  });
});

describe('RateLimitPerIp (rate-limits)', () => {
  it('limits each client IP to 1,000 requests per 5 minutes by default, answering 429 with Retry-After: 300', () => {
    expect(rateRules(resolve())).toEqual([
      {
        name: 'RateLimitPerIp',
        statement: { rateBasedStatement: { limit: 1000, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
        action: tooManyRequests('300'),
        visibilityConfig: visibility('RateLimitPerIp'),
      },
    ]);
  });

  it('uses the configured rateLimit and window', () => {
    const [perIp] = rateRules(resolve({ rateLimit: { limit: 200, evaluationWindow: Duration.minutes(1) } }));
    expect(perIp.statement).toEqual({ rateBasedStatement: { limit: 200, evaluationWindowSec: 60, aggregateKeyType: 'IP' } });
    expect(perIp.action).toEqual(tooManyRequests('60'));
  });

  it('counts requests by the forwarded address with forwardedIp, counting requests without the header as one client', () => {
    expect(rateRules(resolve({ forwardedIp: {} }))[0].statement).toEqual({
      rateBasedStatement: {
        limit: 1000,
        evaluationWindowSec: 300,
        aggregateKeyType: 'FORWARDED_IP',
        forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' },
      },
    });
  });
});

describe('RateLimitPerClient (rate-limits)', () => {
  it('keys a second limit on the clientRateLimit header, lower-cased, through custom aggregation keys', () => {
    const rules = rateRules(
      resolve({ clientRateLimit: { limit: 500, headerName: 'X-Client-Id', evaluationWindow: Duration.minutes(10) } }),
    );
    expect(rules[1]).toEqual({
      name: 'RateLimitPerClient',
      statement: {
        rateBasedStatement: {
          limit: 500,
          evaluationWindowSec: 600,
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [{ header: { name: 'x-client-id', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
        },
      },
      action: tooManyRequests('600'),
      visibilityConfig: visibility('RateLimitPerClient'),
    });
  });

  it('is absent without clientRateLimit', () => {
    expect(names(rateRules(resolve()))).toEqual(['RateLimitPerIp']);
  });
});

describe('RateLimit-<operationId> (rate-limits)', () => {
  const ops = [
    operation('login', 'post', '/login', { 'x-secureapi-rate-limit': { limit: 20, windowSeconds: 60 } }),
    operation('getItem', 'get', '/items/{id}'),
  ];

  it('limits an operation with x-secureapi-rate-limit per IP, scoped to its method and URL-decoded path', () => {
    expect(rateRules(resolve({}, { operations: ops }))[1]).toEqual({
      name: 'RateLimit-login',
      statement: {
        rateBasedStatement: {
          limit: 20,
          evaluationWindowSec: 60,
          aggregateKeyType: 'IP',
          scopeDownStatement: {
            andStatement: {
              statements: [
                {
                  byteMatchStatement: {
                    fieldToMatch: { method: {} },
                    positionalConstraint: 'EXACTLY',
                    searchString: 'POST',
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
                {
                  regexMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    regexString: '^(?:/v1)?/login/?$',
                    textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
                  },
                },
              ],
            },
          },
        },
      },
      action: tooManyRequests('60'),
      visibilityConfig: visibility('RateLimit-login'),
    });
  });

  it('lets operationRateLimits override the extension and limit other operations, in operationId order', () => {
    const rules = rateRules(resolve({ operationRateLimits: { login: { limit: 10 }, getItem: { limit: 100 } } }, { operations: ops }));
    expect(rules.map((r) => [r.name, rateOf(r).limit, rateOf(r).evaluationWindowSec])).toEqual([
      ['RateLimitPerIp', 1000, 300],
      ['RateLimit-getItem', 100, 300],
      ['RateLimit-login', 10, 300],
    ]);
  });

  it('replaces characters WAF does not allow in rule names', () => {
    const config = resolve({}, { operations: [operation('items.list', 'get', '/items', { 'x-secureapi-rate-limit': 50 })] });
    expect(names(rateRules(config))).toEqual(['RateLimitPerIp', 'RateLimit-items_list']);
  });

  it('is absent for operations without a limit in the document or the props', () => {
    expect(names(rateRules(resolve()))).toEqual(['RateLimitPerIp']);
  });
});

describe('AWS managed bot and fraud groups (managed-bot-and-fraud)', () => {
  it('adds Bot Control at the COMMON level when botControl is set, after the rate limits', () => {
    const rules = rulesFor({ botControl: {} });
    expect(rules[rules.length - 1]).toEqual({
      ...managed('AWSManagedRulesBotControlRuleSet', {
        managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'COMMON' } }],
      }),
      priority: 7,
    });
    expect(rules[rules.length - 2].name).toBe('RateLimitPerIp');
  });

  it('uses the TARGETED level when asked', () => {
    const rules = rulesFor({ botControl: { inspectionLevel: BotControlInspectionLevel.TARGETED } });
    expect(
      (
        statementOf(find(rules, 'AWS-AWSManagedRulesBotControlRuleSet'))
          .managedRuleGroupStatement as CfnWebACL.ManagedRuleGroupStatementProperty
      ).managedRuleGroupConfigs,
    ).toEqual([{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'TARGETED' } }]);
  });

  it('adds account takeover prevention on the login path with the JSON username and password fields', () => {
    const rules = rulesFor({
      accountTakeoverPrevention: { loginPath: '/login', usernameField: '/user/name', passwordField: '/user/password' },
    });
    expect(find(rules, 'AWS-AWSManagedRulesATPRuleSet')).toEqual({
      ...managed('AWSManagedRulesATPRuleSet', {
        managedRuleGroupConfigs: [
          {
            awsManagedRulesAtpRuleSet: {
              loginPath: '/login',
              requestInspection: {
                payloadType: 'JSON',
                usernameField: { identifier: '/user/name' },
                passwordField: { identifier: '/user/password' },
              },
            },
          },
        ],
      }),
      priority: 7,
    });
  });

  it('is absent by default (both groups have extra fees)', () => {
    const row = WEB_ACL_RULE_TABLE.find((r) => r.id === 'managed-bot-and-fraud')!;
    const config = resolve();
    expect(row.build(config, arnsFor(config))).toEqual([]);
  });
});

describe('customResponseBodies', () => {
  it('holds the uniform JSON error body for 403, 413 and 429, with a null request id', () => {
    expect(customResponseBodies()).toEqual({
      forbidden: { contentType: 'APPLICATION_JSON', content: '{"error":{"code":"FORBIDDEN","message":"Forbidden","requestId":null}}' },
      'request-too-large': {
        contentType: 'APPLICATION_JSON',
        content: '{"error":{"code":"REQUEST_TOO_LARGE","message":"The request is too large","requestId":null}}',
      },
      'too-many-requests': {
        contentType: 'APPLICATION_JSON',
        content: '{"error":{"code":"THROTTLED","message":"Too many requests","requestId":null}}',
      },
    });
  });

  it('has a body for every custom response key a rule uses', () => {
    const keys = rulesFor({ clientRateLimit: { limit: 500, headerName: 'X-Client-Id' }, ipBlockList: ['198.51.100.7'] })
      .map((r) => (r.action as CfnWebACL.RuleActionProperty | undefined)?.block)
      .map((block) => (block as CfnWebACL.BlockActionProperty | undefined)?.customResponse)
      .filter((c): c is CfnWebACL.CustomResponseProperty => c !== undefined)
      .map((c) => c.customResponseBodyKey);
    expect(new Set(keys)).toEqual(new Set(['forbidden', 'request-too-large', 'too-many-requests']));
    for (const key of keys) expect(customResponseBodies()).toHaveProperty([key!]);
  });
});

describe('wafDescription', () => {
  it('keeps the characters WAF allows and replaces the others with a hyphen', () => {
    expect(wafDescription("cdk-secure-api web ACL of SecureApi 'Stack/Api', 700 WCU")).toBe(
      'cdk-secure-api web ACL of SecureApi -Stack/Api-, 700 WCU',
    );
  });

  it('drops a leading + or whitespace and cuts at 256 characters', () => {
    expect(wafDescription(' +abc')).toBe('abc');
    expect(wafDescription('x'.repeat(300))).toHaveLength(256);
  });
});

describe("the custom responses' CORS headers (issue 19 #8)", () => {
  const withCors = (cors: CorsOptions) =>
    resolveWafConfig({ ipBlockList: ['192.0.2.0/24'] }, { label: 'S/Api', operations: OPERATIONS, pathPrefixes: ['v1'], cors });
  /** Every custom response of the web ACL, by rule name, as name/value header lists. */
  const headersByRule = (config: ResolvedWafConfig) =>
    Object.fromEntries(
      buildWebAclRules(config, arnsFor(config))
        .filter((r) => (r.action as CfnWebACL.RuleActionProperty | undefined)?.block !== undefined)
        .map((r) => [
          r.name,
          (
            ((r.action as CfnWebACL.RuleActionProperty).block as CfnWebACL.BlockActionProperty)
              .customResponse as CfnWebACL.CustomResponseProperty
          ).responseHeaders as CfnWebACL.CustomHTTPHeaderProperty[],
        ]),
    );

  it('sends the one allowed origin statically on every 403, 413 and 429, with Vary: Origin and credentials when allowed', () => {
    const byRule = headersByRule(withCors({ allowOrigins: ['https://app.example.com'], allowCredentials: true }));
    expect(Object.keys(byRule)).toEqual(['BlockListedIps', 'AutoBlockedIps', 'BodySizeLimit', 'RateLimitPerIp']);
    for (const name of ['BlockListedIps', 'AutoBlockedIps', 'BodySizeLimit']) {
      expect(byRule[name]).toEqual([
        { name: 'Access-Control-Allow-Credentials', value: 'true' },
        { name: 'Access-Control-Allow-Origin', value: 'https://app.example.com' },
        ...SECURITY_HEADERS.slice(0, 2),
        { name: 'Vary', value: 'Origin' },
        ...SECURITY_HEADERS.slice(2),
      ]);
    }
  });

  it("exposes the 429's Retry-After to the page, so a browser app can back off", () => {
    expect(headersByRule(withCors({ allowOrigins: ['https://app.example.com'] })).RateLimitPerIp).toEqual([
      { name: 'Access-Control-Allow-Origin', value: 'https://app.example.com' },
      { name: 'Access-Control-Expose-Headers', value: 'Retry-After' },
      SECURITY_HEADERS[0],
      { name: 'Retry-After', value: '300' },
      SECURITY_HEADERS[1],
      { name: 'Vary', value: 'Origin' },
      ...SECURITY_HEADERS.slice(2),
    ]);
  });

  it("never writes '*' nor any origin with several allowed origins, with or without credentials: WAF cannot echo the caller's origin", () => {
    for (const allowCredentials of [false, true]) {
      const byRule = headersByRule(withCors({ allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowCredentials }));
      for (const headers of Object.values(byRule)) {
        expect(headers.filter((h) => h.name.toLowerCase().startsWith('access-control-') || h.name === 'Vary')).toEqual([]);
      }
    }
  });

  it("writes '*' only when the allow-list is '*' (which validateCors refuses with credentials)", () => {
    const byRule = headersByRule(withCors({ allowOrigins: ['*'] }));
    expect(byRule.BodySizeLimit).toContainEqual({ name: 'Access-Control-Allow-Origin', value: '*' });
    expect(byRule.BodySizeLimit).not.toContainEqual({ name: 'Access-Control-Allow-Credentials', value: 'true' });
  });

  it('adds no CORS header without cors', () => {
    expect(headersByRule(resolve({ ipBlockList: ['192.0.2.0/24'] })).BlockListedIps).toEqual(SECURITY_HEADERS);
  });
});
