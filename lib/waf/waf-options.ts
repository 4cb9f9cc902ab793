import { Duration, Size } from 'aws-cdk-lib';

/** AWS managed rule groups SecureApi knows the capacity of. */
export enum AwsManagedRuleGroup {
  /** OWASP-style core rules (XSS, LFI, RFI, size limits). On by default. */
  COMMON_RULE_SET = 'AWSManagedRulesCommonRuleSet',
  /** Known-bad request patterns (Log4Shell, Java deserialization ...). On by default. */
  KNOWN_BAD_INPUTS = 'AWSManagedRulesKnownBadInputsRuleSet',
  /** SQL injection. On by default. */
  SQL_INJECTION = 'AWSManagedRulesSQLiRuleSet',
  /** Amazon threat intelligence: IPs of bots and attackers. On by default. */
  IP_REPUTATION_LIST = 'AWSManagedRulesAmazonIpReputationList',
  /** VPNs, proxies, Tor and hosting providers. Optional (`anonymousIpList`). */
  ANONYMOUS_IP_LIST = 'AWSManagedRulesAnonymousIpList',
  /** Bot Control (extra fees). Optional (`botControl`). */
  BOT_CONTROL = 'AWSManagedRulesBotControlRuleSet',
  /** Account takeover prevention on a login endpoint (extra fees). Optional (`accountTakeoverPrevention`). */
  ACCOUNT_TAKEOVER_PREVENTION = 'AWSManagedRulesATPRuleSet',
  /** Linux-specific LFI and command injection. Optional (`additionalManagedRuleGroups`). */
  LINUX = 'AWSManagedRulesLinuxRuleSet',
  /** POSIX command injection. Optional (`additionalManagedRuleGroups`). */
  UNIX = 'AWSManagedRulesUnixRuleSet',
  /** Requests to admin pages. Optional (`additionalManagedRuleGroups`). */
  ADMIN_PROTECTION = 'AWSManagedRulesAdminProtectionRuleSet',
}

/** The action a single managed rule is switched to. */
export enum WafRuleAction {
  /** Only count (and log) matching requests: the usual way to silence a rule that blocks legitimate traffic. */
  COUNT = 'count',
  /** Block matching requests. */
  BLOCK = 'block',
  /** Present a CAPTCHA. */
  CAPTCHA = 'captcha',
  /** Run a silent browser challenge. */
  CHALLENGE = 'challenge',
}

/** Switches one rule of a managed rule group to another action. */
export interface ManagedRuleOverride {
  /** The group the rule belongs to. */
  readonly ruleGroup: AwsManagedRuleGroup;
  /** The rule's name in the group, e.g. `SizeRestrictions_BODY`. */
  readonly rule: string;
  /** What the rule does instead. */
  readonly action: WafRuleAction;
}

/** A rate limit: at most `limit` requests per evaluation window. */
export interface WafRateLimit {
  /** Requests allowed per key in the window (at least 10). */
  readonly limit: number;
  /**
   * The evaluation window: 60, 120, 300 or 600 seconds.
   * @default Duration.minutes(5)
   */
  readonly evaluationWindow?: Duration;
}

/** A rate limit per client, keyed on a request header such as the API key or a client id. */
export interface ClientRateLimit extends WafRateLimit {
  /** The header whose value identifies the client, e.g. `x-api-key`. Requests without it are left to the per-IP limit. */
  readonly headerName: string;
}

/** Which address of the forwarded-IP header WAF's IP sets and geo rules use. */
export enum ForwardedIpPosition {
  /** The first address: the original client, as far as every proxy is honest. */
  FIRST = 'FIRST',
  /** The last address: the client as seen by the proxy in front of the API (right for one CDN hop). */
  LAST = 'LAST',
}

/** For APIs behind a CDN or proxy: take the client address from a header instead of the connection. */
export interface ForwardedIpOptions {
  /**
   * The header holding the client address.
   * @default 'X-Forwarded-For'
   */
  readonly headerName?: string;
  /**
   * Which address of the header IP-set and geo rules use (rate rules always use the first).
   * @default ForwardedIpPosition.LAST
   */
  readonly position?: ForwardedIpPosition;
}

/** Bot Control inspection levels. */
export enum BotControlInspectionLevel {
  /** Self-identifying bots and common bot signatures. */
  COMMON = 'COMMON',
  /** Also sophisticated bots, with browser interrogation and behaviour analysis (higher fees). */
  TARGETED = 'TARGETED',
}

/** AWS WAF Bot Control (extra fees). */
export interface BotControlOptions {
  /**
   * How deeply to inspect.
   * @default BotControlInspectionLevel.COMMON
   */
  readonly inspectionLevel?: BotControlInspectionLevel;
}

/** AWS WAF Fraud Control account takeover prevention on a JSON login endpoint (extra fees). */
export interface AccountTakeoverPreventionOptions {
  /** The login path as clients call it, e.g. `/v1/login`. */
  readonly loginPath: string;
  /** JSON pointer to the username in the login body, e.g. `/username`. */
  readonly usernameField: string;
  /** JSON pointer to the password in the login body, e.g. `/password`. */
  readonly passwordField: string;
}

/** WAF logging. */
export interface WafLoggingOptions {
  /**
   * Log WAF's decisions to a KMS-encrypted CloudWatch log group named `aws-waf-logs-...`.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Log every request, not only blocked and counted ones (costs more, and logs every client's requests).
   * @default false
   */
  readonly logAllRequests?: boolean;
  /**
   * Headers whose values are replaced by `REDACTED` in the log.
   * @default ['authorization', 'x-api-key', 'cookie']
   */
  readonly redactedHeaders?: string[];
}

/**
 * Automatic blocking of clients that keep probing: only the JWT authorizer's rejections of forged or
 * malformed tokens count (bad signature, unknown key id, wrong issuer or audience, a malformed
 * token). A missing credential, an expired but genuine token, an insufficient scope and a
 * validation error never count, so a hostile page cannot get its visitors blocked and a client
 * retrying with an expired token does not block itself. Needs `auth`.
 */
export interface AutoBlockOptions {
  /**
   * Block abusive clients automatically.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Probing failures (forged or malformed tokens rejected by the JWT authorizer) within `window` that
   * get a client blocked.
   * @default 20
   */
  readonly threshold?: number;
  /**
   * The sliding window failures are counted in (1 minute to 1 day).
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
  /**
   * How long a client stays blocked.
   * @default Duration.hours(1)
   */
  readonly blockDuration?: Duration;
  /**
   * Addresses and ranges (IPv4 and IPv6 CIDRs) never blocked automatically, in addition to `ipAllowList`.
   * @default - only `ipAllowList`
   */
  readonly neverBlock?: string[];
  /**
   * How often the scheduled run releases expired blocks (1 to 60 minutes).
   * @default Duration.minutes(5)
   */
  readonly expiryInterval?: Duration;
  /**
   * Most addresses each block set (IPv4, IPv6) holds; WAF's limit is 10,000.
   * @default 10000
   */
  readonly maxBlockedAddresses?: number;
  /**
   * IPv6 clients are counted and blocked as their network of this prefix length (1 to 128), so an
   * attacker cannot evade blocking by rotating addresses inside the /64 one host usually holds. A
   * network that holds a `neverBlock` address is counted per address instead.
   * @default 64
   */
  readonly ipv6AggregationPrefix?: number;
}

/** How much of a request body WAF inspects (API Gateway's default is 16 KB). */
export enum BodyInspectionLimit {
  KB_16 = 'KB_16',
  KB_32 = 'KB_32',
  KB_48 = 'KB_48',
  KB_64 = 'KB_64',
}

/**
 * The web application firewall in front of the stage. Everything is on by default: AWS managed
 * rules (common, known bad inputs, SQL injection, IP reputation), a per-IP rate limit, a body size
 * limit, logging with redaction, and automatic blocking of clients that keep failing.
 */
export interface WafOptions {
  /**
   * Put a web ACL in front of the stage. Turning it off leaves a synth warning.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Associate an existing REGIONAL web ACL instead of creating one. The options that shape SecureApi's
   * own web ACL (rules, lists, limits, logging, automatic blocking) cannot be combined with it.
   * @default - SecureApi creates the web ACL
   */
  readonly webAclArn?: string;
  /**
   * Rule action overrides in managed rule groups, e.g. CommonRuleSet's `SizeRestrictions_BODY` to COUNT.
   * @default - CommonRuleSet's `SizeRestrictions_BODY` (8 KB) counts when `maxBodySize` allows more than 8 KB; otherwise none
   */
  readonly ruleOverrides?: ManagedRuleOverride[];
  /**
   * Block VPNs, proxies, Tor nodes and hosting providers (AnonymousIpList).
   * @default false
   */
  readonly anonymousIpList?: boolean;
  /**
   * Bot Control (extra fees).
   * @default - off
   */
  readonly botControl?: BotControlOptions;
  /**
   * Account takeover prevention for a login endpoint (extra fees).
   * @default - off
   */
  readonly accountTakeoverPrevention?: AccountTakeoverPreventionOptions;
  /**
   * More AWS managed rule groups: LINUX, UNIX or ADMIN_PROTECTION.
   * @default - none
   */
  readonly additionalManagedRuleGroups?: AwsManagedRuleGroup[];
  /**
   * The per-client-IP rate limit across the whole API.
   * @default - 1,000 requests per 5 minutes
   */
  readonly rateLimit?: WafRateLimit;
  /**
   * A further limit per client, keyed on a header (API key, client id) through custom aggregation keys.
   * @default - none
   */
  readonly clientRateLimit?: ClientRateLimit;
  /**
   * Stricter per-IP limits for sensitive operations (login, token), by operationId. The same can be
   * declared in the document with `x-secureapi-rate-limit: { limit, windowSeconds }` on the operation;
   * this prop wins. At most 9 (WAF allows 10 rate rules per web ACL, one is the API-wide limit).
   * @default - the operations' `x-secureapi-rate-limit` extensions
   */
  readonly operationRateLimits?: { [operationId: string]: WafRateLimit };
  /**
   * Take the client address from a forwarded-IP header (APIs behind a CDN). Automatic blocking is then
   * off, because the access log only has the CDN's address.
   * @default - the address of the connection
   */
  readonly forwardedIp?: ForwardedIpOptions;
  /**
   * Trusted addresses and ranges (IPv4 and IPv6 CIDRs): still inspected by the managed rule groups,
   * but exempt from the reputation lists, rate limits, bot rules and automatic blocking.
   * @default - none
   */
  readonly ipAllowList?: string[];
  /**
   * Addresses and ranges (IPv4 and IPv6 CIDRs) that are always blocked.
   * @default - none
   */
  readonly ipBlockList?: string[];
  /**
   * Allow only these countries (ISO 3166-1 alpha-2 codes); every other country is blocked.
   * @default - every country
   */
  readonly allowedCountries?: string[];
  /**
   * Block these countries (ISO 3166-1 alpha-2 codes).
   * @default - none
   */
  readonly blockedCountries?: string[];
  /**
   * How much of each body WAF inspects.
   * @default BodyInspectionLimit.KB_16
   */
  readonly bodyInspectionLimit?: BodyInspectionLimit;
  /**
   * Largest request body WAF lets through (API Gateway's own limit is 10 MB). Operations may declare
   * more with `x-secureapi-max-body-size` (bytes). Above the body inspection limit WAF cannot measure
   * a body, so larger limits leave the tail of large bodies uninspected (a synth warning says so).
   * @default - the body inspection limit, so every byte of every accepted body is inspected
   */
  readonly maxBodySize?: Size;
  /**
   * WAF logging.
   * @default - blocked and counted requests logged, Authorization, x-api-key and Cookie redacted
   */
  readonly logging?: WafLoggingOptions;
  /**
   * Automatic blocking of clients that keep failing authentication or validation.
   * @default - on: 20 failures in 5 minutes block a client for 1 hour
   */
  readonly autoBlock?: AutoBlockOptions;
}
