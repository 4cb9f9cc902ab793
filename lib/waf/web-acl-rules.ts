// The web ACL's rules as a table: each row is a pure function from the resolved config (and the
// IP sets' ARNs) to zero or more rules, in evaluation order. No constructs here, so every rule is
// tested on its own and the WCU budget is computed from exactly what is deployed.
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { errorBody, HTTP_ERRORS, HttpError, SECURITY_HEADERS } from '../../contracts/http-responses';
import { corsStaticResponseHeaders } from '../openapi';
import { AwsManagedRuleGroup } from './waf-options';
import { ResolvedManagedGroup, ResolvedWafConfig } from './waf-config';

type Rule = CfnWebACL.RuleProperty;
type Statement = CfnWebACL.StatementProperty;

/** ARNs of the IP sets the rules reference (absent when the list is empty). */
export interface IpSetArns {
  readonly blockList: { readonly ipv4?: string; readonly ipv6?: string };
  readonly allowList: { readonly ipv4?: string; readonly ipv6?: string };
  readonly autoBlock?: { readonly ipv4: string; readonly ipv6: string };
}

/** Keys of the custom response bodies. */
export const RESPONSE_BODY_KEYS = { forbidden: 'forbidden', tooLarge: 'request-too-large', tooManyRequests: 'too-many-requests' } as const;

/**
 * The bodies WAF answers with: SecureApi's uniform error body, with the same errors as the gateway's
 * WAF_FILTERED, REQUEST_TOO_LARGE and THROTTLED responses. WAF's bodies are static, so the request
 * id is null; clients find it in the response's `x-amzn-RequestId` header and operators in the logs.
 */
export const CUSTOM_RESPONSE_BODIES: { readonly [key: string]: HttpError } = {
  [RESPONSE_BODY_KEYS.forbidden]: HTTP_ERRORS.forbidden,
  [RESPONSE_BODY_KEYS.tooLarge]: HTTP_ERRORS.requestTooLarge,
  [RESPONSE_BODY_KEYS.tooManyRequests]: HTTP_ERRORS.throttled,
};

/** The web ACL's `CustomResponseBodies`. */
export function customResponseBodies(): { [key: string]: CfnWebACL.CustomResponseBodyProperty } {
  const bodies: { [key: string]: CfnWebACL.CustomResponseBodyProperty } = {};
  for (const [key, error] of Object.entries(CUSTOM_RESPONSE_BODIES))
    bodies[key] = { contentType: 'APPLICATION_JSON', content: errorBody(error, null) };
  return bodies;
}

/**
 * Every custom response carries the same security headers as the gateway responses, and the static
 * CORS headers the API's CORS options allow (one allowed origin), so a browser app can read the error.
 */
function blockWith(
  config: ResolvedWafConfig,
  responseCode: number,
  bodyKey: string,
  extraHeaders: { [name: string]: string } = {},
): CfnWebACL.RuleActionProperty {
  const own = { ...SECURITY_HEADERS, ...extraHeaders };
  const headers = { ...own, ...(config.cors !== undefined ? corsStaticResponseHeaders(config.cors, Object.keys(own)) : {}) };
  return {
    block: {
      customResponse: {
        responseCode,
        customResponseBodyKey: bodyKey,
        responseHeaders: Object.keys(headers)
          .sort()
          .map((name) => ({ name, value: headers[name] })),
      },
    },
  };
}

const forbidden = (config: ResolvedWafConfig): CfnWebACL.RuleActionProperty => blockWith(config, 403, RESPONSE_BODY_KEYS.forbidden);

function visibility(name: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name };
}

/** A rule without its priority (assigned from its place in the table). */
type RuleWithoutPriority = Omit<Rule, 'priority'>;

function rule(name: string, statement: Statement, action: CfnWebACL.RuleActionProperty): RuleWithoutPriority {
  return { name, statement, action, visibilityConfig: visibility(name) };
}

function ipSetStatement(arns: { ipv4?: string; ipv6?: string }, config: ResolvedWafConfig): Statement | undefined {
  const forwarded = config.forwardedIp;
  const statements: Statement[] = [arns.ipv4, arns.ipv6]
    .filter((arn): arn is string => arn !== undefined)
    .map((arn) => ({
      ipSetReferenceStatement: {
        arn,
        ipSetForwardedIpConfig: forwarded
          ? { headerName: forwarded.headerName, fallbackBehavior: 'NO_MATCH', position: forwarded.position }
          : undefined,
      },
    }));
  if (statements.length === 0) return undefined;
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

/** The CloudFront front's origin check (built by lib/tls, passed in by the root). */
export function originRules(config: ResolvedWafConfig): RuleWithoutPriority[] {
  if (config.originRule === undefined) return [];
  const { priority: _ignored, ...rest } = config.originRule;
  return [rest];
}

export function blockListRules(config: ResolvedWafConfig, arns: IpSetArns): RuleWithoutPriority[] {
  const statement = ipSetStatement(arns.blockList, config);
  return statement ? [rule('BlockListedIps', statement, forbidden(config))] : [];
}

export function autoBlockRules(config: ResolvedWafConfig, arns: IpSetArns): RuleWithoutPriority[] {
  if (arns.autoBlock === undefined) return [];
  return [rule('AutoBlockedIps', ipSetStatement(arns.autoBlock, config)!, forbidden(config))];
}

export function geoRules(config: ResolvedWafConfig): RuleWithoutPriority[] {
  if (config.geo === undefined) return [];
  const match: Statement = {
    geoMatchStatement: {
      countryCodes: config.geo.countries,
      forwardedIpConfig: config.forwardedIp ? { headerName: config.forwardedIp.headerName, fallbackBehavior: 'NO_MATCH' } : undefined,
    },
  };
  return [rule('GeoRestriction', config.geo.mode === 'block' ? match : { notStatement: { statement: match } }, forbidden(config))];
}

function managedGroupRule(group: ResolvedManagedGroup): RuleWithoutPriority {
  const configs: CfnWebACL.ManagedRuleGroupConfigProperty[] = [];
  if (group.botControlLevel) configs.push({ awsManagedRulesBotControlRuleSet: { inspectionLevel: group.botControlLevel } });
  if (group.accountTakeover) {
    configs.push({
      awsManagedRulesAtpRuleSet: {
        loginPath: group.accountTakeover.loginPath,
        requestInspection: {
          payloadType: 'JSON',
          usernameField: { identifier: group.accountTakeover.usernameField },
          passwordField: { identifier: group.accountTakeover.passwordField },
        },
      },
    });
  }
  const name = `AWS-${group.group}`;
  return {
    name,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: group.group,
        ruleActionOverrides:
          group.overrides.length > 0 ? group.overrides.map((o) => ({ name: o.rule, actionToUse: { [o.action]: {} } })) : undefined,
        managedRuleGroupConfigs: configs.length > 0 ? configs : undefined,
      },
    },
    visibilityConfig: visibility(name),
  };
}

const CONTENT_GROUPS = [
  AwsManagedRuleGroup.COMMON_RULE_SET,
  AwsManagedRuleGroup.KNOWN_BAD_INPUTS,
  AwsManagedRuleGroup.SQL_INJECTION,
  AwsManagedRuleGroup.LINUX,
  AwsManagedRuleGroup.UNIX,
  AwsManagedRuleGroup.ADMIN_PROTECTION,
];
const REPUTATION_GROUPS = [AwsManagedRuleGroup.IP_REPUTATION_LIST, AwsManagedRuleGroup.ANONYMOUS_IP_LIST];
const PAID_GROUPS = [AwsManagedRuleGroup.BOT_CONTROL, AwsManagedRuleGroup.ACCOUNT_TAKEOVER_PREVENTION];

function managedGroupsAmong(config: ResolvedWafConfig, which: AwsManagedRuleGroup[]): RuleWithoutPriority[] {
  return config.managedGroups.filter((g) => which.includes(g.group)).map(managedGroupRule);
}

/** The requests of one operation: its method and its path (URL-decoded, so percent-encoding does not slip past). */
function operationScope(method: string, pathPattern: string): Statement {
  return {
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
        {
          regexMatchStatement: {
            fieldToMatch: { uriPath: {} },
            regexString: pathPattern,
            textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
          },
        },
      ],
    },
  };
}

function bodyLargerThan(bytes: number): Statement {
  return {
    sizeConstraintStatement: {
      // A body beyond the inspection limit is larger than the limit too: it matches.
      fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
      comparisonOperator: 'GT',
      size: bytes,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
}

/**
 * The API's body size limit for every operation, except the operations that declared a larger one
 * (each excluded by its method and path, and limited by its own rule when WAF can measure it).
 */
export function bodySizeRules(config: ResolvedWafConfig): RuleWithoutPriority[] {
  if (!config.body.enforced) return [];
  const exempt = config.body.operations.map((op) => operationScope(op.method, op.pathPattern));
  const others: Statement | undefined =
    exempt.length === 0
      ? undefined
      : { notStatement: { statement: exempt.length === 1 ? exempt[0] : { orStatement: { statements: exempt } } } };
  const rules = [
    rule(
      'BodySizeLimit',
      others === undefined
        ? bodyLargerThan(config.body.maxBodyBytes)
        : { andStatement: { statements: [bodyLargerThan(config.body.maxBodyBytes), others] } },
      blockWith(config, 413, RESPONSE_BODY_KEYS.tooLarge),
    ),
  ];
  const used = new Set(rules.map((r) => r.name));
  for (const op of config.body.operations.filter((o) => o.enforced)) {
    let name = `BodySizeLimit-${op.operationId.replace(/[^\w-]/g, '_')}`.slice(0, 128);
    for (let n = 2; used.has(name); n++) name = `${name.slice(0, 120)}-${n}`;
    used.add(name);
    rules.push(
      rule(
        name,
        { andStatement: { statements: [bodyLargerThan(op.maxBodyBytes), operationScope(op.method, op.pathPattern)] } },
        blockWith(config, 413, RESPONSE_BODY_KEYS.tooLarge),
      ),
    );
  }
  return rules;
}

export function allowListRules(config: ResolvedWafConfig, arns: IpSetArns): RuleWithoutPriority[] {
  const statement = ipSetStatement(arns.allowList, config);
  return statement ? [rule('AllowListedIps', statement, { allow: {} })] : [];
}

function rateAction(config: ResolvedWafConfig, windowSeconds: number): CfnWebACL.RuleActionProperty {
  return blockWith(config, 429, RESPONSE_BODY_KEYS.tooManyRequests, { 'Retry-After': String(windowSeconds) });
}

function ipAggregation(config: ResolvedWafConfig): Pick<CfnWebACL.RateBasedStatementProperty, 'aggregateKeyType' | 'forwardedIpConfig'> {
  return config.forwardedIp
    ? { aggregateKeyType: 'FORWARDED_IP', forwardedIpConfig: { headerName: config.forwardedIp.headerName, fallbackBehavior: 'MATCH' } }
    : { aggregateKeyType: 'IP' };
}

/** A rule name from an operationId: WAF allows letters, digits, `_` and `-`. */
function operationRuleName(operationId: string): string {
  return `RateLimit-${operationId.replace(/[^\w-]/g, '_')}`.slice(0, 128);
}

export function rateRules(config: ResolvedWafConfig): RuleWithoutPriority[] {
  const rules: RuleWithoutPriority[] = [
    rule(
      'RateLimitPerIp',
      {
        rateBasedStatement: {
          limit: config.rateLimit.limit,
          evaluationWindowSec: config.rateLimit.windowSeconds,
          ...ipAggregation(config),
        },
      },
      rateAction(config, config.rateLimit.windowSeconds),
    ),
  ];
  if (config.clientRateLimit) {
    const { limit, windowSeconds, headerName } = config.clientRateLimit;
    rules.push(
      rule(
        'RateLimitPerClient',
        {
          rateBasedStatement: {
            limit,
            evaluationWindowSec: windowSeconds,
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [{ header: { name: headerName, textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          },
        },
        rateAction(config, windowSeconds),
      ),
    );
  }
  const used = new Set(rules.map((r) => r.name));
  for (const op of config.operationRateLimits) {
    // operationIds that differ only in characters WAF does not allow must still get distinct rule names.
    let name = operationRuleName(op.operationId);
    for (let n = 2; used.has(name); n++) name = `${operationRuleName(op.operationId).slice(0, 120)}-${n}`;
    used.add(name);
    rules.push(
      rule(
        name,
        {
          rateBasedStatement: {
            limit: op.limit,
            evaluationWindowSec: op.windowSeconds,
            ...ipAggregation(config),
            scopeDownStatement: operationScope(op.method, op.pathPattern),
          },
        },
        rateAction(config, op.windowSeconds),
      ),
    );
  }
  return rules;
}

/**
 * The rule table, in evaluation order. The front's origin check (when there is one) and cheap IP
 * and geo blocks come first; then the content
 * inspection every request gets, trusted or not; then the allow-list, which exempts trusted
 * addresses from everything below it: reputation lists, rate limits and the paid bot rules last.
 */
export const WEB_ACL_RULE_TABLE: ReadonlyArray<{
  readonly id: string;
  readonly build: (config: ResolvedWafConfig, arns: IpSetArns) => RuleWithoutPriority[];
}> = [
  { id: 'cloudfront-origin-check', build: originRules },
  { id: 'ip-block-list', build: blockListRules },
  { id: 'automatic-block-list', build: autoBlockRules },
  { id: 'geo-restriction', build: geoRules },
  { id: 'managed-content-inspection', build: (config) => managedGroupsAmong(config, CONTENT_GROUPS) },
  { id: 'body-size', build: bodySizeRules },
  { id: 'ip-allow-list', build: allowListRules },
  // Behind the CloudFront front these see CloudFront's addresses, not the viewer's: they go into the
  // CLOUDFRONT-scope web ACL instead (edgeWebAclRules).
  {
    id: 'managed-ip-reputation',
    build: (config) => (config.originRule !== undefined ? [] : managedGroupsAmong(config, REPUTATION_GROUPS)),
  },
  { id: 'rate-limits', build: rateRules },
  { id: 'managed-bot-and-fraud', build: (config) => managedGroupsAmong(config, PAID_GROUPS) },
];

/**
 * The rules of the CLOUDFRONT-scope web ACL in front of the distribution: the IP reputation lists,
 * which match the address of the connection, and only CloudFront sees the viewer's connection
 * (AWS WAF developer guide, "IP reputation rule groups": they inspect the request's origin IP).
 */
export function edgeWebAclRules(config: ResolvedWafConfig): Rule[] {
  return managedGroupsAmong(config, REPUTATION_GROUPS).map((r, priority) => ({ ...r, priority }));
}

/** Every rule of the web ACL, with priorities in table order. */
export function buildWebAclRules(config: ResolvedWafConfig, arns: IpSetArns): Rule[] {
  return WEB_ACL_RULE_TABLE.flatMap((row) => row.build(config, arns)).map((r, priority) => ({ ...r, priority }));
}

/** WAF descriptions allow letters, digits, whitespace and `+ = : # @ / \ - , .` only, at most 256 characters. */
export function wafDescription(text: string): string {
  return text
    .replace(/[^a-zA-Z0-9+=:#@/\\\-,.\s]/g, '-')
    .replace(/^[+\s]+/, '')
    .slice(0, 256)
    .trimEnd();
}
