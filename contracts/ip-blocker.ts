/**
 * The agreement between the WAF construct (lib/waf) and the ip-blocker handler (lambda/ip-blocker):
 * environment variable names, the state table's key layout, the scheduled event and the metrics.
 */

/** Environment variables the construct sets and the handler reads. */
export const IP_BLOCKER_ENV = {
  /** DynamoDB table holding failure counters and block records. */
  tableName: 'IP_BLOCKER_TABLE_NAME',
  /** JSON {@link IpSetReference} of the IPv4 block set. */
  ipv4Set: 'IP_BLOCKER_IPV4_SET',
  /** JSON {@link IpSetReference} of the IPv6 block set. */
  ipv6Set: 'IP_BLOCKER_IPV6_SET',
  /** Failures within the window that get an address blocked. */
  threshold: 'IP_BLOCKER_THRESHOLD',
  /** Length of the sliding window, seconds. */
  windowSeconds: 'IP_BLOCKER_WINDOW_SECONDS',
  /** How long an address stays blocked, seconds. */
  blockSeconds: 'IP_BLOCKER_BLOCK_SECONDS',
  /** JSON array of CIDRs (IPv4 and IPv6) that are never blocked. */
  neverBlock: 'IP_BLOCKER_NEVER_BLOCK',
  /** Most addresses a block set may hold (WAF's limit is 10,000). */
  maxAddresses: 'IP_BLOCKER_MAX_ADDRESSES',
  /** IPv6 clients are counted and blocked by this prefix length (1 to 128). */
  ipv6Prefix: 'IP_BLOCKER_IPV6_PREFIX',
  /** CloudWatch namespace of the handler's metrics. */
  metricNamespace: 'IP_BLOCKER_METRIC_NAMESPACE',
  /** Value of the `Api` dimension on every metric. */
  apiName: 'IP_BLOCKER_API_NAME',
} as const;

/** How the handler finds one WAF IP set. */
export interface IpSetReference {
  readonly name: string;
  readonly id: string;
  /** Always REGIONAL for API Gateway. */
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
}

/** WAF's hard limit on the addresses in one IP set. */
export const WAF_IP_SET_LIMIT = 10_000;

/** The state table: a string partition key and a string sort key, with TTL on {@link IP_BLOCKER_TABLE.ttlAttribute}. */
export const IP_BLOCKER_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB may delete a failure counter. Block records never carry it. */
  ttlAttribute: 'expiresAt',
} as const;

/** The input of the scheduled run that releases expired blocks. */
export const IP_BLOCKER_EXPIRY_EVENT = { action: 'release-expired' } as const;

/** Metric names (CloudWatch embedded metric format, dimension `Api`). */
export const IP_BLOCKER_METRICS = {
  defaultNamespace: 'CdkSecureApi/IpBlocker',
  dimension: 'Api',
  /** An address was added to a block set (one per address). */
  blocked: 'AddressBlocked',
  /** An address was removed from a block set (one per address). */
  released: 'AddressReleased',
  /** A new block met a full block set (value: how many blocks it took room from, or could not place). */
  capReached: 'BlockListFull',
  /** A block taken out of a full set, before its time, to make room for a new one (the one closest to expiry). */
  evicted: 'BlockEvicted',
  /** Log events the handler skipped because it could not read them (not JSON, a duplicate key, no address). */
  malformed: 'MalformedLogEvents',
  /** Probing failures counted from the authorizer's log. */
  failures: 'FailuresCounted',
} as const;
