// The user's WafOptions and the document's extensions, checked and resolved into one plain config.
// Every secure default of the web ACL lives here, once. Pure: no constructs are created.
import { BlockList } from 'node:net';
import { Duration, Token } from 'aws-cdk-lib';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Cidr, parseCidr } from '../../contracts/cidr';
import { WAF_IP_SET_LIMIT } from '../../contracts/ip-blocker';
import { ApiOperation } from '../model';
import { CorsOptions } from '../openapi';
import {
  AwsManagedRuleGroup,
  BodyInspectionLimit,
  BotControlInspectionLevel,
  ForwardedIpPosition,
  WafOptions,
  WafRateLimit,
  WafRuleAction,
} from './waf-options';
import { PropCheck } from '../model/config-error';

/** The OpenAPI extension that sets a stricter rate limit on one operation. */
export const RATE_LIMIT_EXTENSION = 'x-secureapi-rate-limit';
/** The OpenAPI extension that declares the largest body one operation accepts, in bytes. */
export const MAX_BODY_SIZE_EXTENSION = 'x-secureapi-max-body-size';

/** API Gateway's REST payload limit. */
export const API_GATEWAY_PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
/** What CommonRuleSet's SizeRestrictions_BODY blocks above. */
export const COMMON_RULE_SET_BODY_LIMIT_BYTES = 8 * 1024;
/** WAF's longest regex match pattern. */
const MAX_REGEX_LENGTH = 512;
/** WAF allows this many rate-based rules per web ACL. */
export const MAX_RATE_RULES = 10;

const EVALUATION_WINDOWS = [60, 120, 300, 600];
const DEFAULT_RATE_LIMIT = 1000;
const DEFAULT_WINDOW_SECONDS = 300;
const DEFAULT_REDACTED_HEADERS = ['authorization', 'x-api-key', 'cookie'];
const INSPECTION_BYTES: { [limit in BodyInspectionLimit]: number } = {
  [BodyInspectionLimit.KB_16]: 16 * 1024,
  [BodyInspectionLimit.KB_32]: 32 * 1024,
  [BodyInspectionLimit.KB_48]: 48 * 1024,
  [BodyInspectionLimit.KB_64]: 64 * 1024,
};
const ADDITIONAL_GROUPS = [AwsManagedRuleGroup.LINUX, AwsManagedRuleGroup.UNIX, AwsManagedRuleGroup.ADMIN_PROTECTION];

/** A managed rule group as the web ACL uses it. */
export interface ResolvedManagedGroup {
  readonly group: AwsManagedRuleGroup;
  readonly overrides: ReadonlyArray<{ readonly rule: string; readonly action: WafRuleAction }>;
  /** Bot Control inspection level, or ATP login settings. */
  readonly botControlLevel?: BotControlInspectionLevel;
  readonly accountTakeover?: { readonly loginPath: string; readonly usernameField: string; readonly passwordField: string };
}

export interface ResolvedRateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** A stricter limit on one operation, matched by method and path. */
export interface OperationRateRule extends ResolvedRateLimit {
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** A regular expression for the request URI path as WAF sees it (with the stage or base path in front). */
  readonly pathPattern: string;
  /** Where the limit came from, for messages. */
  readonly source: 'props' | 'extension';
}

/** A larger body limit declared by one operation (`x-secureapi-max-body-size`), matched by method and path. */
export interface OperationBodyLimit {
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** A regular expression for the request URI path as WAF sees it. */
  readonly pathPattern: string;
  readonly maxBodyBytes: number;
  /** Whether WAF can enforce it (within the inspection limit); above it the operation has no WAF size limit. */
  readonly enforced: boolean;
}

export interface AddressLists {
  readonly ipv4: string[];
  readonly ipv6: string[];
}

/** Automatic blocking, resolved. */
export interface AutoBlockSettings {
  /** Failures within the window that block an address. */
  readonly threshold: number;
  readonly windowSeconds: number;
  readonly blockSeconds: number;
  /** Allow-list plus `neverBlock`, as canonical CIDRs. */
  readonly neverBlock: string[];
  readonly expiryMinutes: number;
  readonly maxAddresses: number;
  /** IPv6 clients are counted and blocked by this prefix length. */
  readonly ipv6Prefix: number;
}

/** Everything the web ACL is built from. */
export interface ResolvedWafConfig {
  /** The front's origin check, evaluated before every other rule. */
  readonly originRule?: CfnWebACL.RuleProperty;
  readonly managedGroups: readonly ResolvedManagedGroup[];
  readonly rateLimit: ResolvedRateLimit;
  readonly clientRateLimit?: ResolvedRateLimit & { readonly headerName: string };
  readonly operationRateLimits: readonly OperationRateRule[];
  readonly forwardedIp?: { readonly headerName: string; readonly position: ForwardedIpPosition };
  readonly allowList: AddressLists;
  readonly blockList: AddressLists;
  readonly geo?: { readonly mode: 'allow-only' | 'block'; readonly countries: string[] };
  readonly body: {
    readonly inspectionLimit: BodyInspectionLimit;
    readonly inspectionBytes: number;
    /** The limit of every operation that did not declare its own. */
    readonly maxBodyBytes: number;
    /** Whether WAF can enforce `maxBodyBytes` (it is within what WAF inspects). */
    readonly enforced: boolean;
    /** Operations that declared a larger limit: only they are exempt from `maxBodyBytes`, by method and path. */
    readonly operations: readonly OperationBodyLimit[];
  };
  readonly logging: { readonly enabled: boolean; readonly logAllRequests: boolean; readonly redactedHeaders: string[] };
  readonly autoBlock?: AutoBlockSettings;
  /** The API's CORS options, for the custom responses' static CORS headers. */
  readonly cors?: CorsOptions;
  /** Synth warnings: protections weakened or limits WAF cannot enforce. */
  readonly warnings: string[];
}

/** What the resolver needs besides the options. */
export interface WafConfigContext {
  /** `SecureApi '<path>'`-style label for messages. */
  readonly label: string;
  readonly operations: readonly ApiOperation[];
  /** Path segments in front of the API's paths as WAF sees them (the stage name; a base path). */
  readonly pathPrefixes: readonly string[];
  /** Set when a CloudFront front (lib/tls) forwards to the API. */
  readonly front?: WafFront;
  /**
   * The API's CORS options: the web ACL's custom responses carry the static CORS headers they allow, and
   * `*` (any page can make browsers send tokens) weakens automatic blocking.
   */
  readonly cors?: CorsOptions;
}

/**
 * What the CloudFront front (lib/tls) asks of the web ACL, passed in by the root: a first rule that
 * rejects requests bypassing the front, the header where the front puts the viewer's address, and
 * the headers that carry the front's secret.
 */
export interface WafFront {
  /** Rejects requests without the front's secret origin header; the web ACL evaluates it first. */
  readonly originRule: CfnWebACL.RuleProperty;
  /** The header the front sets to the viewer's address (clients cannot set it through the front). */
  readonly clientIpHeader: string;
  /** Headers the WAF log must redact. */
  readonly redactedHeaders: string[];
  /**
   * Whether SecureApi must create the CLOUDFRONT-scope web ACL that holds the viewer-facing rules
   * (false when the user attaches one with `edge.webAclArn`).
   * @default false
   */
  readonly createEdgeWebAcl?: boolean;
}

/** What the WAF concern does with these options: create our web ACL, associate the user's, or nothing. */
export function wafMode(options: WafOptions | undefined): 'managed' | 'imported' | 'off' {
  if (options?.enabled === false) return 'off';
  return options?.webAclArn !== undefined ? 'imported' : 'managed';
}

/** Checks the options and resolves every default. Throws, naming the prop, for bad input. */
export function resolveWafConfig(options: WafOptions, context: WafConfigContext): ResolvedWafConfig {
  const { label } = context;
  const check = new PropCheck(label, 'waf');
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(`SecureApi '${label}': ${message}`);

  // Addresses.
  const allowCidrs = parseAddressList(options.ipAllowList ?? [], 'ipAllowList', check);
  const blockCidrs = parseAddressList(options.ipBlockList ?? [], 'ipBlockList', check);
  for (const allowed of allowCidrs) {
    for (const blocked of blockCidrs) {
      if (overlaps(allowed, blocked))
        check.fail(
          'ipAllowList',
          `entry '${allowed.key}' overlaps ipBlockList entry '${blocked.key}'; an address cannot be both trusted and blocked`,
        );
    }
  }

  // Geo.
  if (options.allowedCountries !== undefined && options.blockedCountries !== undefined) {
    check.fail('allowedCountries', 'and waf.blockedCountries cannot both be set: allowing some countries already blocks every other');
  }
  const geoProp = options.allowedCountries !== undefined ? 'allowedCountries' : 'blockedCountries';
  const countries = options.allowedCountries ?? options.blockedCountries;
  if (countries !== undefined) {
    if (countries.length === 0) check.fail(geoProp, 'must list at least one country');
    for (const code of countries) {
      if (!/^[A-Z]{2}$/.test(code)) check.fail(geoProp, `holds '${code}', which is not an ISO 3166-1 alpha-2 country code (e.g. 'DE')`);
    }
  }

  // Rate limits.
  const rateLimit = resolveRateLimit(options.rateLimit, 'rateLimit', check) ?? {
    limit: DEFAULT_RATE_LIMIT,
    windowSeconds: DEFAULT_WINDOW_SECONDS,
  };
  let clientRateLimit: ResolvedWafConfig['clientRateLimit'];
  if (options.clientRateLimit !== undefined) {
    const name = options.clientRateLimit.headerName;
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(name ?? ''))
      check.fail('clientRateLimit.headerName', `must be an HTTP header name, got '${name}'`);
    clientRateLimit = { ...resolveRateLimit(options.clientRateLimit, 'clientRateLimit', check)!, headerName: name.toLowerCase() };
  }
  const operationRateLimits = resolveOperationRateLimits(options, context, check);
  const rateRules = 1 + (clientRateLimit ? 1 : 0) + operationRateLimits.length;
  if (rateRules > MAX_RATE_RULES) {
    check.fail(
      'operationRateLimits',
      `asks for ${rateRules} rate-based rules with rateLimit${clientRateLimit ? ' and clientRateLimit' : ''}; WAF allows ${MAX_RATE_RULES} per web ACL`,
    );
  }

  // Forwarded IP.
  let forwardedIp: ResolvedWafConfig['forwardedIp'];
  if (context.front !== undefined) {
    if (options.forwardedIp !== undefined)
      check.fail(
        'forwardedIp',
        "cannot be set with the CloudFront front (edge): the front puts the viewer's address into its own header, which the web ACL uses",
      );
    // The front's function overwrites this header on every request, and requests that bypass the
    // front are blocked by the origin rule, so it cannot be forged.
    forwardedIp = { headerName: context.front.clientIpHeader, position: ForwardedIpPosition.FIRST };
  } else if (options.forwardedIp !== undefined) {
    const headerName = options.forwardedIp.headerName ?? 'X-Forwarded-For';
    if (!/^[A-Za-z0-9-]{1,255}$/.test(headerName)) check.fail('forwardedIp.headerName', `must be an HTTP header name, got '${headerName}'`);
    forwardedIp = { headerName, position: options.forwardedIp.position ?? ForwardedIpPosition.LAST };
    warn(
      `waf.forwardedIp: WAF takes client addresses from the ${headerName} header, which a client can forge unless the CDN in front overwrites it; make the API reachable only through the CDN. The IP reputation and anonymous-IP lists still see the CDN's address.`,
    );
  }

  // Managed rule groups.
  const body = resolveBody(options, context, check, warn);
  const managedGroups = resolveManagedGroups(
    options,
    Math.max(body.maxBodyBytes, ...body.operations.map((o) => o.maxBodyBytes)),
    check,
    warn,
  );

  // Logging.
  const redactedHeaders = [
    ...(options.logging?.redactedHeaders ?? DEFAULT_REDACTED_HEADERS),
    ...(context.front?.redactedHeaders ?? []),
  ].map((h) => h.toLowerCase());
  for (const header of redactedHeaders) {
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(header))
      check.fail('logging.redactedHeaders', `holds '${header}', which is not an HTTP header name`);
  }
  const logging = {
    enabled: options.logging?.enabled ?? true,
    logAllRequests: options.logging?.logAllRequests ?? false,
    redactedHeaders: [...new Set(redactedHeaders)],
  };
  if (!logging.enabled)
    warn('waf.logging.enabled is false: WAF decisions are not logged, so blocked attacks leave no trace for investigation');
  for (const header of DEFAULT_REDACTED_HEADERS) {
    if (logging.enabled && !logging.redactedHeaders.includes(header))
      warn(`waf.logging.redactedHeaders leaves out '${header}': its values (credentials) are written to the WAF log`);
  }

  // Automatic blocking.
  const autoBlock = resolveAutoBlock(
    options,
    allowCidrs,
    context.front !== undefined ? 'the CloudFront front (edge)' : forwardedIp !== undefined ? 'waf.forwardedIp' : undefined,
    check,
    warn,
  );
  if (autoBlock !== undefined && context.cors?.allowOrigins.includes('*') === true) {
    warn(
      "waf.autoBlock with cors.allowOrigins '*': any web page can make its visitors' browsers send made-up tokens to the API, and automatic blocking then blocks the visitors' addresses; list the allowed origins explicitly, or turn automatic blocking off",
    );
  }

  return {
    originRule: context.front?.originRule,
    managedGroups,
    rateLimit,
    clientRateLimit,
    operationRateLimits,
    forwardedIp,
    allowList: byVersion(allowCidrs),
    blockList: byVersion(blockCidrs),
    geo:
      countries !== undefined
        ? { mode: options.allowedCountries !== undefined ? 'allow-only' : 'block', countries: [...new Set(countries)].sort() }
        : undefined,
    body,
    logging,
    autoBlock,
    cors: context.cors,
    warnings,
  };
}

function parseAddressList(entries: string[], prop: string, check: PropCheck): Cidr[] {
  const cidrs: Cidr[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr === undefined) check.fail(prop, `holds '${entry}', which is not an IPv4 or IPv6 address or CIDR (WAF does not accept /0)`);
    if (!seen.has(cidr!.key)) cidrs.push(cidr!);
    seen.add(cidr!.key);
  }
  for (const version of ['IPV4', 'IPV6'] as const) {
    const count = cidrs.filter((c) => c.version === version).length;
    if (count > WAF_IP_SET_LIMIT) check.fail(prop, `holds ${count} ${version} entries; a WAF IP set holds at most ${WAF_IP_SET_LIMIT}`);
  }
  return cidrs;
}

/** Two CIDRs overlap exactly when the narrower one's first address lies in the wider one (node:net does the bit math). */
function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  const [wide, narrow] = a.prefix <= b.prefix ? [a, b] : [b, a];
  const type = wide.version === 'IPV4' ? 'ipv4' : 'ipv6';
  const range = new BlockList();
  range.addSubnet(wide.address, wide.prefix, type);
  return range.check(narrow.address, type);
}

function byVersion(cidrs: Cidr[]): AddressLists {
  return {
    ipv4: cidrs.filter((c) => c.version === 'IPV4').map((c) => c.key),
    ipv6: cidrs.filter((c) => c.version === 'IPV6').map((c) => c.key),
  };
}

function resolveRateLimit(
  limit: WafRateLimit | undefined,
  prop: string,
  check: PropCheck,
  windowProp = `${prop}.evaluationWindow`,
): ResolvedRateLimit | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit.limit) || limit.limit < 10 || limit.limit > 2_000_000_000)
    check.fail(`${prop}.limit`, `must be an integer from 10 to 2,000,000,000, got ${limit.limit}`);
  const windowSeconds = limit.evaluationWindow === undefined ? DEFAULT_WINDOW_SECONDS : windowOf(limit.evaluationWindow, windowProp, check);
  return { limit: limit.limit, windowSeconds };
}

function windowOf(duration: Duration, prop: string, check: PropCheck): number {
  if (Token.isUnresolved(duration.toSeconds({ integral: false }))) check.fail(prop, 'must be a concrete duration');
  const seconds = duration.toSeconds({ integral: false });
  if (!EVALUATION_WINDOWS.includes(seconds)) check.fail(prop, `must be 60, 120, 300 or 600 seconds, got ${seconds}`);
  return seconds;
}

/** The check of an operation's extensions: a failure names the document's operation and extension, not a waf prop. */
function operationCheck(label: string, operation: ApiOperation): PropCheck {
  return new PropCheck(label, `openApi operation '${operation.operationId}'`);
}

/** The `x-secureapi-rate-limit` of an operation: a number (the limit) or `{ limit, windowSeconds }`. */
function extensionRateLimit(operation: ApiOperation, check: PropCheck): WafRateLimit | undefined {
  const value = operation.extensions[RATE_LIMIT_EXTENSION];
  if (value === undefined) return undefined;
  const where = RATE_LIMIT_EXTENSION;
  if (typeof value === 'number') return { limit: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { limit, windowSeconds, ...rest } = value as { [key: string]: unknown };
    if (Object.keys(rest).length > 0)
      check.fail(where, `has unknown field(s) ${Object.keys(rest).join(', ')}; expected { limit, windowSeconds }`);
    if (typeof limit !== 'number') check.fail(where, 'needs a numeric limit');
    if (windowSeconds !== undefined && typeof windowSeconds !== 'number') check.fail(where, 'windowSeconds must be a number');
    return {
      limit: limit as number,
      evaluationWindow: windowSeconds === undefined ? undefined : Duration.seconds(windowSeconds as number),
    };
  }
  return check.fail(where, `must be a number or { limit, windowSeconds }, got ${JSON.stringify(value)}`);
}

function resolveOperationRateLimits(options: WafOptions, context: WafConfigContext, check: PropCheck): OperationRateRule[] {
  const byId = new Map(context.operations.map((op) => [op.operationId, op]));
  const unknown = Object.keys(options.operationRateLimits ?? {}).filter((id) => !byId.has(id));
  if (unknown.length > 0) check.fail('operationRateLimits', `names unknown operation(s) ${unknown.sort().join(', ')}`);
  const rules: OperationRateRule[] = [];
  for (const operation of [...context.operations].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    const fromProps = options.operationRateLimits?.[operation.operationId];
    const documentCheck = operationCheck(context.label, operation);
    const limit = fromProps ?? extensionRateLimit(operation, documentCheck);
    if (limit === undefined) continue;
    const resolved = fromProps
      ? resolveRateLimit(limit, `operationRateLimits.${operation.operationId}`, check)!
      : resolveRateLimit(limit, RATE_LIMIT_EXTENSION, documentCheck, `${RATE_LIMIT_EXTENSION}.windowSeconds`)!;
    const pathPattern = uriPathPattern(operation.path, context.pathPrefixes);
    if (pathPattern.length > MAX_REGEX_LENGTH) {
      check.fail(
        fromProps ? `operationRateLimits.${operation.operationId}` : 'operationRateLimits',
        `cannot scope a rule to operation '${operation.operationId}': the pattern for its path ${operation.path} has ${pathPattern.length} characters, more than WAF's ${MAX_REGEX_LENGTH}`,
      );
    }
    rules.push({
      ...resolved,
      operationId: operation.operationId,
      method: operation.method.toUpperCase(),
      pathPattern,
      source: fromProps ? 'props' : 'extension',
    });
  }
  return rules;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regular expression matching the URI paths WAF sees for an API Gateway path: `{id}` matches one
 * segment, `{proxy+}` one or more, and the stage name (or a base path) may come first.
 */
export function uriPathPattern(path: string, prefixes: readonly string[]): string {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((segment) => {
      if (/^\{[^}]+\+\}$/.test(segment)) return '.+';
      if (/^\{[^}]+\}$/.test(segment)) return '[^/]+';
      return escapeRegex(segment);
    });
  const concrete = prefixes
    .filter((p) => !Token.isUnresolved(p))
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '');
  const anyPrefix = prefixes.some((p) => Token.isUnresolved(p));
  const alternatives = [...new Set(concrete.map((p) => `/${p.split('/').map(escapeRegex).join('/')}`))];
  if (anyPrefix) alternatives.push('/[^/]+');
  const prefix = alternatives.length > 0 ? `(?:${alternatives.join('|')})?` : '';
  return `^${prefix}/${segments.join('/')}${segments.length > 0 ? '/?' : ''}$`;
}

function resolveBody(
  options: WafOptions,
  context: WafConfigContext,
  check: PropCheck,
  warn: (m: string) => void,
): ResolvedWafConfig['body'] {
  const inspectionLimit = options.bodyInspectionLimit ?? BodyInspectionLimit.KB_16;
  const inspectionBytes = INSPECTION_BYTES[inspectionLimit];
  if (inspectionBytes === undefined) check.fail('bodyInspectionLimit', `must be KB_16, KB_32, KB_48 or KB_64, got ${inspectionLimit}`);
  let maxBodyBytes = inspectionBytes;
  if (options.maxBodySize !== undefined) {
    const bytes = options.maxBodySize.toBytes();
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > API_GATEWAY_PAYLOAD_LIMIT_BYTES)
      check.fail(
        'maxBodySize',
        `must be from 1 byte to API Gateway's payload limit of 10 MB (${API_GATEWAY_PAYLOAD_LIMIT_BYTES} bytes), got ${bytes}`,
      );
    maxBodyBytes = bytes;
  }
  const enforced = maxBodyBytes <= inspectionBytes;
  if (!enforced) {
    warn(
      `waf: bodies up to ${maxBodyBytes} bytes are allowed on every operation (waf.maxBodySize), more than the ${inspectionBytes}-byte body inspection limit (waf.bodyInspectionLimit): WAF inspects only the first ${inspectionBytes} bytes of larger bodies and cannot enforce their size; API Gateway's ${API_GATEWAY_PAYLOAD_LIMIT_BYTES}-byte payload limit applies`,
    );
  }
  // A larger limit on one operation applies to that operation's method and path only: every other
  // operation keeps the API's limit (issue 13 #4).
  const operations: OperationBodyLimit[] = [];
  for (const operation of [...context.operations].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    const declared = operation.extensions[MAX_BODY_SIZE_EXTENSION];
    if (declared === undefined) continue;
    const operationFailure = (prop: string, problem: string): never => operationCheck(context.label, operation).fail(prop, problem);
    if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1 || declared > API_GATEWAY_PAYLOAD_LIMIT_BYTES) {
      operationFailure(
        MAX_BODY_SIZE_EXTENSION,
        `must be a whole number of bytes from 1 to API Gateway's payload limit of ${API_GATEWAY_PAYLOAD_LIMIT_BYTES}, got ${JSON.stringify(declared)}`,
      );
    }
    const bytes = declared as number;
    if (!enforced || bytes <= maxBodyBytes) continue;
    const pathPattern = uriPathPattern(operation.path, context.pathPrefixes);
    if (pathPattern.length > MAX_REGEX_LENGTH) {
      operationFailure(
        MAX_BODY_SIZE_EXTENSION,
        `cannot be scoped to the operation: the pattern for its path ${operation.path} has ${pathPattern.length} characters, more than WAF's ${MAX_REGEX_LENGTH}`,
      );
    }
    const withinInspection = bytes <= inspectionBytes;
    operations.push({
      operationId: operation.operationId,
      method: operation.method.toUpperCase(),
      pathPattern,
      maxBodyBytes: bytes,
      enforced: withinInspection,
    });
    if (!withinInspection) {
      warn(
        `waf: operation '${operation.operationId}' (${operation.method.toUpperCase()} ${operation.path}) accepts bodies up to ${bytes} bytes (${MAX_BODY_SIZE_EXTENSION}), more than the ${inspectionBytes}-byte body inspection limit (waf.bodyInspectionLimit): for this operation WAF does not inspect body bytes beyond the first ${inspectionBytes} and cannot enforce the size; every other operation keeps the ${maxBodyBytes}-byte limit`,
      );
    }
  }
  return { inspectionLimit, inspectionBytes, maxBodyBytes, enforced, operations };
}

function resolveManagedGroups(
  options: WafOptions,
  maxBodyBytes: number,
  check: PropCheck,
  warn: (m: string) => void,
): ResolvedManagedGroup[] {
  const additional = options.additionalManagedRuleGroups ?? [];
  for (const group of additional) {
    if (!ADDITIONAL_GROUPS.includes(group))
      check.fail(
        'additionalManagedRuleGroups',
        `holds ${group}; only LINUX, UNIX and ADMIN_PROTECTION are added this way (the others have their own options)`,
      );
  }
  const groups: AwsManagedRuleGroup[] = [
    AwsManagedRuleGroup.COMMON_RULE_SET,
    AwsManagedRuleGroup.KNOWN_BAD_INPUTS,
    AwsManagedRuleGroup.SQL_INJECTION,
    ...ADDITIONAL_GROUPS.filter((g) => additional.includes(g)),
    AwsManagedRuleGroup.IP_REPUTATION_LIST,
    ...(options.anonymousIpList ? [AwsManagedRuleGroup.ANONYMOUS_IP_LIST] : []),
    ...(options.botControl ? [AwsManagedRuleGroup.BOT_CONTROL] : []),
    ...(options.accountTakeoverPrevention ? [AwsManagedRuleGroup.ACCOUNT_TAKEOVER_PREVENTION] : []),
  ];
  const overrides = new Map<AwsManagedRuleGroup, Map<string, WafRuleAction>>();
  for (const [i, override] of (options.ruleOverrides ?? []).entries()) {
    if (!groups.includes(override.ruleGroup))
      check.fail(`ruleOverrides[${i}]`, `overrides a rule of ${override.ruleGroup}, which the web ACL does not use`);
    if (!/^[\w-]{1,128}$/.test(override.rule ?? ''))
      check.fail(`ruleOverrides[${i}].rule`, `must be a rule name such as SizeRestrictions_BODY, got '${override.rule}'`);
    if (!Object.values(WafRuleAction).includes(override.action))
      check.fail(`ruleOverrides[${i}].action`, `must be a WafRuleAction, got '${override.action}'`);
    const forGroup = overrides.get(override.ruleGroup) ?? new Map<string, WafRuleAction>();
    if (forGroup.has(override.rule)) check.fail(`ruleOverrides[${i}]`, `overrides ${override.ruleGroup} ${override.rule} a second time`);
    forGroup.set(override.rule, override.action);
    overrides.set(override.ruleGroup, forGroup);
  }
  // Our own body size rule replaces CommonRuleSet's fixed 8 KB limit when more is allowed.
  const common = overrides.get(AwsManagedRuleGroup.COMMON_RULE_SET) ?? new Map<string, WafRuleAction>();
  if (maxBodyBytes > COMMON_RULE_SET_BODY_LIMIT_BYTES && !common.has('SizeRestrictions_BODY')) {
    common.set('SizeRestrictions_BODY', WafRuleAction.COUNT);
    overrides.set(AwsManagedRuleGroup.COMMON_RULE_SET, common);
  }
  for (const [group, rules] of overrides) {
    for (const [rule, action] of rules) {
      const automatic =
        group === AwsManagedRuleGroup.COMMON_RULE_SET &&
        rule === 'SizeRestrictions_BODY' &&
        !(options.ruleOverrides ?? []).some((o) => o.rule === rule && o.ruleGroup === group);
      if (action === WafRuleAction.COUNT && !automatic)
        warn(`waf.ruleOverrides: ${group} rule ${rule} only counts: requests it matches are no longer blocked`);
    }
  }
  const atp = options.accountTakeoverPrevention;
  if (atp !== undefined) {
    if (!/^\/\S*$/.test(atp.loginPath))
      check.fail('accountTakeoverPrevention.loginPath', `must be a path starting with '/', got '${atp.loginPath}'`);
    for (const field of ['usernameField', 'passwordField'] as const) {
      if (!/^\/\S+$/.test(atp[field] ?? ''))
        check.fail(`accountTakeoverPrevention.${field}`, `must be a JSON pointer such as '/username', got '${atp[field]}'`);
    }
  }
  return groups.map((group) => ({
    group,
    overrides: [...(overrides.get(group) ?? new Map<string, WafRuleAction>()).entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, action]) => ({ rule, action })),
    botControlLevel:
      group === AwsManagedRuleGroup.BOT_CONTROL ? (options.botControl!.inspectionLevel ?? BotControlInspectionLevel.COMMON) : undefined,
    accountTakeover:
      group === AwsManagedRuleGroup.ACCOUNT_TAKEOVER_PREVENTION
        ? { loginPath: atp!.loginPath, usernameField: atp!.usernameField, passwordField: atp!.passwordField }
        : undefined,
  }));
}

function resolveAutoBlock(
  options: WafOptions,
  allowCidrs: Cidr[],
  proxiedBy: string | undefined,
  check: PropCheck,
  warn: (m: string) => void,
): AutoBlockSettings | undefined {
  const auto = options.autoBlock ?? {};
  if (auto.enabled === false) {
    warn('waf.autoBlock.enabled is false: clients that keep failing authentication or validation are not blocked automatically');
    return undefined;
  }
  if (proxiedBy !== undefined) {
    if (auto.enabled === true)
      check.fail(
        'autoBlock.enabled',
        `cannot be combined with ${proxiedBy}: the access log has only the proxy's address, so automatic blocking would block the proxy`,
      );
    warn(`waf.autoBlock is off because of ${proxiedBy}: the access log has only the proxy's address, not the client's`);
    return undefined;
  }
  const threshold = auto.threshold ?? 20;
  if (!Number.isInteger(threshold) || threshold < 1)
    check.fail('autoBlock.threshold', `must be a whole number of failures of at least 1, got ${threshold}`);
  const seconds = (d: Duration | undefined, fallback: number, prop: string, min: number, max: number): number => {
    if (d === undefined) return fallback;
    const value = d.toSeconds({ integral: false });
    if (!Number.isInteger(value) || value < min || value > max)
      check.fail(prop, `must be whole seconds from ${min} to ${max}, got ${value}`);
    return value;
  };
  const windowSeconds = seconds(auto.window, 300, 'autoBlock.window', 60, 86_400);
  const blockSeconds = seconds(auto.blockDuration, 3600, 'autoBlock.blockDuration', 60, 365 * 86_400);
  const expirySeconds = seconds(auto.expiryInterval, 300, 'autoBlock.expiryInterval', 60, 3600);
  if (expirySeconds % 60 !== 0) check.fail('autoBlock.expiryInterval', `must be whole minutes, got ${expirySeconds} seconds`);
  const maxAddresses = auto.maxBlockedAddresses ?? WAF_IP_SET_LIMIT;
  if (!Number.isInteger(maxAddresses) || maxAddresses < 1 || maxAddresses > WAF_IP_SET_LIMIT)
    check.fail('autoBlock.maxBlockedAddresses', `must be from 1 to ${WAF_IP_SET_LIMIT}, got ${maxAddresses}`);
  const ipv6Prefix = auto.ipv6AggregationPrefix ?? 64;
  if (!Number.isInteger(ipv6Prefix) || ipv6Prefix < 1 || ipv6Prefix > 128)
    check.fail('autoBlock.ipv6AggregationPrefix', `must be a prefix length from 1 to 128, got ${ipv6Prefix}`);
  const neverBlock = [
    ...allowCidrs.map((c) => c.key),
    ...parseAddressList(auto.neverBlock ?? [], 'autoBlock.neverBlock', check).map((c) => c.key),
  ];
  return {
    threshold,
    windowSeconds,
    blockSeconds,
    neverBlock: [...new Set(neverBlock)],
    expiryMinutes: expirySeconds / 60,
    maxAddresses,
    ipv6Prefix,
  };
}
