import { IP_BLOCKER_ENV, IP_BLOCKER_METRICS, IpSetReference, WAF_IP_SET_LIMIT } from '../../contracts/ip-blocker';
import { AddressRanges, Cidr, IpVersion, parseCidr } from '../../contracts/cidr';

/** The handler's settings, read from the environment the construct sets. */
export interface BlockerConfig {
  readonly tableName: string;
  readonly ipSets: { readonly [version in IpVersion]: IpSetReference };
  readonly threshold: number;
  readonly windowSeconds: number;
  readonly blockSeconds: number;
  readonly neverBlock: AddressRanges;
  readonly maxAddresses: number;
  /** IPv6 clients are counted and blocked as their network of this prefix length. */
  readonly ipv6Prefix: number;
  readonly metricNamespace: string;
  readonly apiName: string;
}

/** Reads and checks the configuration; a bad value is a deployment error and fails loudly. */
export function readConfig(env: NodeJS.ProcessEnv): BlockerConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`ip-blocker: environment variable ${name} is not set`);
    return value;
  };
  const positiveInteger = (name: string, max = Number.MAX_SAFE_INTEGER): number => {
    const value = Number(required(name));
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new Error(`ip-blocker: ${name} must be an integer from 1 to ${max}, got '${env[name]}'`);
    return value;
  };
  const ipSet = (name: string): IpSetReference => {
    const raw = required(name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`ip-blocker: ${name} must be JSON`);
    }
    const ref = parsed as IpSetReference;
    if (typeof ref?.name !== 'string' || typeof ref.id !== 'string' || (ref.scope !== 'REGIONAL' && ref.scope !== 'CLOUDFRONT')) {
      throw new Error(`ip-blocker: ${name} must be {"name","id","scope"}`);
    }
    return ref;
  };
  const neverBlock: Cidr[] = [];
  const rawNeverBlock = env[IP_BLOCKER_ENV.neverBlock];
  if (rawNeverBlock !== undefined && rawNeverBlock !== '') {
    const list: unknown = JSON.parse(rawNeverBlock);
    if (!Array.isArray(list)) throw new Error(`ip-blocker: ${IP_BLOCKER_ENV.neverBlock} must be a JSON array of CIDRs`);
    for (const entry of list) {
      const cidr = typeof entry === 'string' ? parseCidr(entry) : undefined;
      if (cidr === undefined) throw new Error(`ip-blocker: ${IP_BLOCKER_ENV.neverBlock} holds '${String(entry)}', which is not a CIDR`);
      neverBlock.push(cidr);
    }
  }
  return {
    tableName: required(IP_BLOCKER_ENV.tableName),
    ipSets: { IPV4: ipSet(IP_BLOCKER_ENV.ipv4Set), IPV6: ipSet(IP_BLOCKER_ENV.ipv6Set) },
    threshold: positiveInteger(IP_BLOCKER_ENV.threshold),
    windowSeconds: positiveInteger(IP_BLOCKER_ENV.windowSeconds, 86_400),
    blockSeconds: positiveInteger(IP_BLOCKER_ENV.blockSeconds),
    neverBlock: new AddressRanges(neverBlock),
    maxAddresses: env[IP_BLOCKER_ENV.maxAddresses] ? positiveInteger(IP_BLOCKER_ENV.maxAddresses, WAF_IP_SET_LIMIT) : WAF_IP_SET_LIMIT,
    ipv6Prefix: env[IP_BLOCKER_ENV.ipv6Prefix] ? positiveInteger(IP_BLOCKER_ENV.ipv6Prefix, 128) : 64,
    metricNamespace: env[IP_BLOCKER_ENV.metricNamespace] || IP_BLOCKER_METRICS.defaultNamespace,
    apiName: env[IP_BLOCKER_ENV.apiName] || 'unknown',
  };
}
