import { Duration, Size } from 'aws-cdk-lib';
import { ApiOperation, JsonObject } from '../../lib/model';
import { resolveWafConfig, uriPathPattern, wafMode } from '../../lib/waf/waf-config';
import { rateRules } from '../../lib/waf/web-acl-rules';
import { AwsManagedRuleGroup, BodyInspectionLimit, WafOptions, WafRuleAction } from '../../lib/waf/waf-options';
import { apiOperation } from '../support/api-operation';

const operation = (operationId: string, method: ApiOperation['method'], path: string, extensions: JsonObject = {}) =>
  apiOperation(operationId, method, path, { extensions });
const operations = [operation('login', 'post', '/login', { 'x-secureapi-rate-limit': 15 }), operation('getItem', 'get', '/items/{id}')];
const resolve = (options: WafOptions, ops: ApiOperation[] = operations) =>
  resolveWafConfig(options, { label: 'S/Api', operations: ops, pathPrefixes: ['v1'] });

describe('resolveWafConfig defaults', () => {
  const config = resolve({});

  it('turns every protection on with its secure default', () => {
    expect(config.managedGroups.map((g) => g.group)).toEqual([
      AwsManagedRuleGroup.COMMON_RULE_SET,
      AwsManagedRuleGroup.KNOWN_BAD_INPUTS,
      AwsManagedRuleGroup.SQL_INJECTION,
      AwsManagedRuleGroup.IP_REPUTATION_LIST,
    ]);
    expect(config.rateLimit).toEqual({ limit: 1000, windowSeconds: 300 });
    expect(config.body).toEqual({ inspectionLimit: 'KB_16', inspectionBytes: 16384, maxBodyBytes: 16384, enforced: true, operations: [] });
    expect(config.logging).toEqual({ enabled: true, logAllRequests: false, redactedHeaders: ['authorization', 'x-api-key', 'cookie'] });
    expect(config.autoBlock).toEqual({
      threshold: 20,
      windowSeconds: 300,
      blockSeconds: 3600,
      neverBlock: [],
      expiryMinutes: 5,
      maxAddresses: 10000,
      ipv6Prefix: 64,
    });
    expect(config.warnings).toEqual([]);
  });

  it('reads a bare number in x-secureapi-rate-limit as the limit over the default window', () => {
    expect(config.operationRateLimits).toEqual([
      { operationId: 'login', method: 'POST', pathPattern: '^(?:/v1)?/login/?$', limit: 15, windowSeconds: 300, source: 'extension' },
    ]);
  });
});

describe('resolveWafConfig address lists', () => {
  it('puts an IPv4-mapped entry, however spelled, into the IPv4 list as the address it is, where WAF matches IPv4 clients', () => {
    const config = resolve({ ipBlockList: ['::ffff:c633:6409', '0:0:0:0:0:FFFF:203.0.113.7', '198.51.100.9', '2001:db8::1'] });
    expect(config.blockList).toEqual({ ipv4: ['198.51.100.9/32', '203.0.113.7/32'], ipv6: ['2001:db8::1/128'] });
  });

  it('finds an address that is both trusted and blocked when the two lists spell it differently', () => {
    expect(() => resolve({ ipAllowList: ['::ffff:c633:6409'], ipBlockList: ['198.51.100.0/24'] })).toThrow(
      "SecureApi 'S/Api': waf.ipAllowList entry '198.51.100.9/32' overlaps ipBlockList entry '198.51.100.0/24'; an address cannot be both trusted and blocked",
    );
  });

  it('hands the ip-blocker a never-block entry written as a hex IPv4-mapped address as the IPv4 address', () => {
    expect(resolve({ autoBlock: { neverBlock: ['::ffff:c633:6409'] } }).autoBlock?.neverBlock).toEqual(['198.51.100.9/32']);
  });
});

describe('uriPathPattern', () => {
  const matches = (pattern: string, uri: string) => new RegExp(pattern).test(uri);

  it('matches the operation with or without the stage prefix, and nothing else', () => {
    const pattern = uriPathPattern('/items/{id}/history', ['v1']);
    for (const uri of ['/v1/items/42/history', '/items/42/history', '/v1/items/a-b.c/history/']) expect(matches(pattern, uri)).toBe(true);
    for (const uri of ['/v1/items/history', '/v1/items/42/history/extra', '/v2/items/42/history', '/v1/items/4/2/history'])
      expect(matches(pattern, uri)).toBe(false);
  });

  it('lets a greedy path variable span segments and escapes literal dots', () => {
    expect(matches(uriPathPattern('/files/{path+}', []), '/files/a/b/c.txt')).toBe(true);
    const dotted = uriPathPattern('/v1.0/status', []);
    expect(matches(dotted, '/v1.0/status')).toBe(true);
    expect(matches(dotted, '/v1x0/status')).toBe(false);
  });
});

describe('resolveWafConfig rejects bad input, naming the prop', () => {
  const cases: Array<[string, WafOptions, string, ApiOperation[]?]> = [
    [
      'a rate limit below 10',
      { rateLimit: { limit: 5 } },
      "SecureApi 'S/Api': waf.rateLimit.limit must be an integer from 10 to 2,000,000,000, got 5",
    ],
    [
      'an evaluation window WAF does not offer',
      { rateLimit: { limit: 100, evaluationWindow: Duration.seconds(90) } },
      "SecureApi 'S/Api': waf.rateLimit.evaluationWindow must be 60, 120, 300 or 600 seconds, got 90",
    ],
    [
      'an x-secureapi-rate-limit below 10',
      {},
      "SecureApi 'S/Api': openApi operation 'login'.x-secureapi-rate-limit.limit must be an integer from 10 to 2,000,000,000, got 5",
      [operation('login', 'post', '/login', { 'x-secureapi-rate-limit': 5 })],
    ],
    [
      'a malformed x-secureapi-rate-limit',
      {},
      "SecureApi 'S/Api': openApi operation 'login'.x-secureapi-rate-limit has unknown field(s) burst; expected { limit, windowSeconds }",
      [operation('login', 'post', '/login', { 'x-secureapi-rate-limit': { limit: 10, burst: 5 } })],
    ],
    [
      'an x-secureapi-rate-limit window WAF does not offer',
      {},
      "SecureApi 'S/Api': openApi operation 'login'.x-secureapi-rate-limit.windowSeconds must be 60, 120, 300 or 600 seconds, got 30",
      [operation('login', 'post', '/login', { 'x-secureapi-rate-limit': { limit: 10, windowSeconds: 30 } })],
    ],
    [
      'an x-secureapi-max-body-size that is not a byte count',
      {},
      "SecureApi 'S/Api': openApi operation 'upload'.x-secureapi-max-body-size must be a whole number of bytes from 1 to API Gateway's payload limit of 10485760, got \"1MB\"",
      [operation('upload', 'put', '/upload', { 'x-secureapi-max-body-size': '1MB' })],
    ],
    [
      'a rate limit for an unknown operation',
      { operationRateLimits: { nope: { limit: 10 }, alsoNope: { limit: 10 } } },
      "SecureApi 'S/Api': waf.operationRateLimits names unknown operation(s) alsoNope, nope",
    ],
    [
      'an invalid CIDR',
      { ipBlockList: ['10.0.0.0/33'] },
      "SecureApi 'S/Api': waf.ipBlockList holds '10.0.0.0/33', which is not an IPv4 or IPv6 address or CIDR (WAF does not accept /0)",
    ],
    [
      'overlapping allow and block lists',
      { ipAllowList: ['10.1.2.3'], ipBlockList: ['10.0.0.0/8'] },
      "SecureApi 'S/Api': waf.ipAllowList entry '10.1.2.3/32' overlaps ipBlockList entry '10.0.0.0/8'; an address cannot be both trusted and blocked",
    ],
    [
      'both geo lists',
      { allowedCountries: ['DE'], blockedCountries: ['KP'] },
      "SecureApi 'S/Api': waf.allowedCountries and waf.blockedCountries cannot both be set: allowing some countries already blocks every other",
    ],
    [
      'a country name instead of a code',
      { blockedCountries: ['Germany'] },
      "SecureApi 'S/Api': waf.blockedCountries holds 'Germany', which is not an ISO 3166-1 alpha-2 country code (e.g. 'DE')",
    ],
    [
      'a body larger than API Gateway accepts',
      { maxBodySize: Size.mebibytes(11) },
      "SecureApi 'S/Api': waf.maxBodySize must be from 1 byte to API Gateway's payload limit of 10 MB (10485760 bytes), got 11534336",
    ],
    [
      'an override of a group the ACL does not use',
      { ruleOverrides: [{ ruleGroup: AwsManagedRuleGroup.BOT_CONTROL, rule: 'CategoryHttpLibrary', action: WafRuleAction.COUNT }] },
      "SecureApi 'S/Api': waf.ruleOverrides[0] overrides a rule of AWSManagedRulesBotControlRuleSet, which the web ACL does not use",
    ],
    [
      'an additional group that has its own option',
      { additionalManagedRuleGroups: [AwsManagedRuleGroup.BOT_CONTROL] },
      "SecureApi 'S/Api': waf.additionalManagedRuleGroups holds AWSManagedRulesBotControlRuleSet; only LINUX, UNIX and ADMIN_PROTECTION are added this way (the others have their own options)",
    ],
    [
      'an auto-block threshold of 0',
      { autoBlock: { threshold: 0 } },
      "SecureApi 'S/Api': waf.autoBlock.threshold must be a whole number of failures of at least 1, got 0",
    ],
    [
      'too many blocked addresses',
      { autoBlock: { maxBlockedAddresses: 20000 } },
      "SecureApi 'S/Api': waf.autoBlock.maxBlockedAddresses must be from 1 to 10000, got 20000",
    ],
    [
      'auto-blocking behind a forwarded IP',
      { forwardedIp: {}, autoBlock: { enabled: true } },
      "SecureApi 'S/Api': waf.autoBlock.enabled cannot be combined with waf.forwardedIp: the access log has only the proxy's address, so automatic blocking would block the proxy",
    ],
  ];

  // Every row gets its operations explicitly: a shorter row would make jest pass its `done` callback instead.
  it.each(
    cases.map(([name, options, message, ops]) => [name, options, message, ops ?? [operation('getItem', 'get', '/items/{id}')]] as const),
  )('rejects %s', (_name, options, message, ops) => {
    expect(() => resolve(options, [...ops])).toThrow(message);
  });

  it('rejects a scoped rule whose path pattern exceeds what WAF accepts', () => {
    const long = `/${'segment'.repeat(80)}`;
    expect(() => resolve({ operationRateLimits: { deep: { limit: 10 } } }, [operation('deep', 'get', long)])).toThrow(
      `SecureApi 'S/Api': waf.operationRateLimits.deep cannot scope a rule to operation 'deep': the pattern for its path ${long} has 573 characters, more than WAF's 512`,
    );
  });

  it('rejects more than 10 rate-based rules', () => {
    const many = Array.from({ length: 9 }, (_, i) => operation(`op${i}`, 'post', `/op${i}`, { 'x-secureapi-rate-limit': 10 }));
    expect(() => resolve({ clientRateLimit: { headerName: 'x-api-key', limit: 100 } }, many)).toThrow(
      "SecureApi 'S/Api': waf.operationRateLimits asks for 11 rate-based rules with rateLimit and clientRateLimit; WAF allows 10 per web ACL",
    );
  });
});

describe('resolveWafConfig warnings', () => {
  it('warns when a redacted credential header is left out of the log redaction', () => {
    expect(resolve({ logging: { redactedHeaders: ['authorization'] } }).warnings).toEqual([
      "SecureApi 'S/Api': waf.logging.redactedHeaders leaves out 'x-api-key': its values (credentials) are written to the WAF log",
      "SecureApi 'S/Api': waf.logging.redactedHeaders leaves out 'cookie': its values (credentials) are written to the WAF log",
    ]);
  });

  it("warns that cors.allowOrigins '*' lets any page make its visitors send made-up tokens, which automatic blocking counts", () => {
    expect(resolveWafConfig({}, { label: 'S/Api', operations, pathPrefixes: ['v1'], cors: { allowOrigins: ['*'] } }).warnings).toEqual([
      "SecureApi 'S/Api': waf.autoBlock with cors.allowOrigins '*': any web page can make its visitors' browsers send made-up tokens to the API, and automatic blocking then blocks the visitors' addresses; list the allowed origins explicitly, or turn automatic blocking off",
    ]);
    expect(
      resolveWafConfig(
        { autoBlock: { enabled: false } },
        { label: 'S/Api', operations, pathPrefixes: ['v1'], cors: { allowOrigins: ['*'] } },
      ).warnings,
    ).not.toContainEqual(expect.stringContaining("cors.allowOrigins '*'"));
  });

  it('rejects an IPv6 aggregation prefix outside 1..128', () => {
    expect(() => resolve({ autoBlock: { ipv6AggregationPrefix: 0 } })).toThrow(
      "SecureApi 'S/Api': waf.autoBlock.ipv6AggregationPrefix must be a prefix length from 1 to 128, got 0",
    );
    expect(resolve({ autoBlock: { ipv6AggregationPrefix: 56 } }).autoBlock?.ipv6Prefix).toBe(56);
  });

  it('keeps the 8 KB CommonRuleSet limit when our own limit is not larger', () => {
    const config = resolve({ maxBodySize: Size.kibibytes(4), bodyInspectionLimit: BodyInspectionLimit.KB_32 });
    expect(config.managedGroups[0].overrides).toEqual([]);
    expect(config.body).toMatchObject({ maxBodyBytes: 4096, inspectionBytes: 32768, enforced: true });
  });
});

describe('rate rule names', () => {
  it('stay distinct for operationIds that differ only in characters WAF does not allow in names', () => {
    const config = resolve({}, [
      operation('get.item', 'get', '/a', { 'x-secureapi-rate-limit': 10 }),
      operation('get:item', 'get', '/b', { 'x-secureapi-rate-limit': 10 }),
      operation('get_item', 'get', '/c', { 'x-secureapi-rate-limit': 10 }),
    ]);
    expect(rateRules(config).map((r) => r.name)).toEqual([
      'RateLimitPerIp',
      'RateLimit-get_item',
      'RateLimit-get_item-2',
      'RateLimit-get_item-3',
    ]);
  });
});

describe('wafMode', () => {
  it('is managed by default, imported with webAclArn, off only when enabled is false', () => {
    expect(wafMode(undefined)).toBe('managed');
    expect(wafMode({})).toBe('managed');
    expect(wafMode({ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mine/abc' })).toBe('imported');
    expect(wafMode({ enabled: false, webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mine/abc' })).toBe('off');
  });
});
