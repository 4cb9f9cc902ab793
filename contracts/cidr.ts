// CIDR parsing shared by the WAF construct (which validates lists at synth) and the ip-blocker
// handler (which reads the same lists at run time), so both accept exactly the same entries.
// Only Node built-ins: range checks use node:net's BlockList, not hand-written bit math.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type IpVersion = 'IPV4' | 'IPV6';

/** One address or range, in the canonical form the handler compares and writes (`1.2.3.4/32`, `2001:db8::1/128`). */
export interface Cidr {
  readonly version: IpVersion;
  /** The address part, canonical (IPv6 lower-case and compressed). */
  readonly address: string;
  readonly prefix: number;
  /** `address/prefix`: the key under which the handler stores and compares entries. */
  readonly key: string;
}

/** The canonical form of an IPv6 address: lower-case, zeros compressed (WHATWG URL host serialization). */
function canonicalIpv6(address: string): string | undefined {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address (`::ffff:0:0/96`) stands for, or `undefined`. It reads
 * the canonical form, so every spelling (`::ffff:1.2.3.4`, `::FFFF:0102:0304`, `0:0:0:0:0:ffff:1.2.3.4`)
 * gives the same answer.
 */
function mappedIpv4(canonical: string): string | undefined {
  const bytes = ipv6Bytes(canonical);
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return isMapped ? bytes.slice(12).join('.') : undefined;
}

/**
 * A client address from a log line as a single-host CIDR, or `undefined` when it is not an IP
 * address. An IPv4-mapped IPv6 address counts as the IPv4 client it is, however it is spelled:
 * otherwise one client could count, be blocked and be exempted under several keys.
 */
export function parseClientAddress(raw: string): Cidr | undefined {
  const text = raw.trim();
  if (isIPv4(text)) return ipv4Host(text);
  if (!isIPv6(text)) return undefined;
  const address = canonicalIpv6(text);
  if (address === undefined) return undefined;
  const mapped = mappedIpv4(address);
  if (mapped !== undefined) return ipv4Host(mapped);
  return { version: 'IPV6', address, prefix: 128, key: `${address}/128` };
}

function ipv4Host(address: string): Cidr {
  return { version: 'IPV4', address, prefix: 32, key: `${address}/32` };
}

/** A CIDR (`10.0.0.0/8`, `2001:db8::/32`) or a bare address, or `undefined` when it is neither. */
export function parseCidr(raw: string): Cidr | undefined {
  const [addressPart, prefixPart, ...rest] = raw.trim().split('/');
  if (rest.length > 0) return undefined;
  const host = parseClientAddress(addressPart);
  if (host === undefined || prefixPart === undefined) return host;
  if (!/^\d{1,3}$/.test(prefixPart)) return undefined;
  const prefix = Number(prefixPart);
  const max = host.version === 'IPV4' ? 32 : 128;
  if (prefix < 1 || prefix > max) return undefined;
  return { ...host, prefix, key: `${host.address}/${prefix}` };
}

/** The 16 bytes of a canonical IPv6 address. */
function ipv6Bytes(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const value = parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
}

/**
 * The range a client is counted and blocked as: an IPv4 address itself, an IPv6 address as its
 * `/ipv6Prefix` network (a /64 is what one subscriber or host usually holds, so rotating addresses
 * inside it does not evade blocking). An IPv4-mapped address was already turned into IPv4.
 */
export function aggregateClient(client: Cidr, ipv6Prefix: number): Cidr {
  if (client.version !== 'IPV6' || ipv6Prefix >= client.prefix) return client;
  const bytes = ipv6Bytes(client.address).map((byte, i) => {
    const bits = Math.max(0, Math.min(8, ipv6Prefix - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  const address = canonicalIpv6(groups.join(':'))!;
  return { version: 'IPV6', address, prefix: ipv6Prefix, key: `${address}/${ipv6Prefix}` };
}

/** Addresses that must never be blocked, matched by range (Node's own BlockList, no hand-written bit math). */
export class AddressRanges {
  private readonly ranges = new BlockList();
  private readonly cidrs: readonly Cidr[];
  public readonly size: number;

  constructor(cidrs: readonly Cidr[]) {
    for (const cidr of cidrs) {
      this.ranges.addSubnet(cidr.address, cidr.prefix, cidr.version === 'IPV4' ? 'ipv4' : 'ipv6');
    }
    this.cidrs = cidrs;
    this.size = cidrs.length;
  }

  /** Whether `cidr` (a single address, or a range's first address) lies in one of the ranges. */
  public contains(cidr: Cidr): boolean {
    if (this.size === 0) return false;
    return this.ranges.check(cidr.address, cidr.version === 'IPV4' ? 'ipv4' : 'ipv6');
  }

  /** Whether any address of the range `cidr` lies in one of the ranges (a never-block /128 inside a /64 counts). */
  public overlaps(cidr: Cidr): boolean {
    if (this.contains(cidr)) return true;
    const type = cidr.version === 'IPV4' ? 'ipv4' : 'ipv6';
    const range = new BlockList();
    range.addSubnet(cidr.address, cidr.prefix, type);
    return this.cidrs.some((entry) => entry.version === cidr.version && range.check(entry.address, type));
  }
}
