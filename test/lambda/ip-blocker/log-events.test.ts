import { readLogEvent } from '../../../lambda/ip-blocker/log-events';
import { hasDuplicateKeys, parseStrictObject } from '../../../lambda/ip-blocker/strict-json';
import { aggregateClient, AddressRanges, parseCidr, parseClientAddress } from '../../../contracts/cidr';
import { ACCESS_LOG_PROBE_FIELDS, ACCESS_LOG_PROBE_FILTER_PATTERN, PROBE_FILTER_PATTERN } from '../../../contracts/probe-log';
import { ACCESS_LOG_FIELDS } from '../../../lib/observability/access-log-format';
import { matchesFilterPattern } from '../../observability/support/filter-pattern';
import { accessLogLine, rejectionLine } from './helpers';

const NOW = 1_760_000_000_000;

describe('readLogEvent', () => {
  const event = (message: string) => ({ id: '1', timestamp: NOW - 5000, message });

  it('reads a probe line the authorizer writes: its address and reason, at the log event time', () => {
    expect(readLogEvent(event(rejectionLine('203.0.113.7', 'kid_unknown')), NOW)).toEqual({
      failure: {
        client: { version: 'IPV4', address: '203.0.113.7', prefix: 32, key: '203.0.113.7/32' },
        kind: 'probing',
        reason: 'kid_unknown',
        timeMs: NOW - 5000,
      },
    });
  });

  it('ignores a line that claims probe but carries a reason outside the contract', () => {
    expect(readLogEvent(event(JSON.stringify({ sourceIp: '203.0.113.7', probe: true, Reason: 'expired' })), NOW)).toEqual({
      ignored: true,
    });
    expect(readLogEvent(event(JSON.stringify({ sourceIp: '203.0.113.7', probe: 'true', Reason: 'bad_signature' })), NOW)).toEqual({
      ignored: true,
    });
  });

  it('ignores rejections that do not show probing', () => {
    expect(readLogEvent(event(rejectionLine('203.0.113.7', 'expired')), NOW)).toEqual({ ignored: true });
  });
});

describe('the probe subscription filter', () => {
  it('lets through the probing rejections the authorizer writes, and none of the others', () => {
    expect(matchesFilterPattern(PROBE_FILTER_PATTERN, rejectionLine('203.0.113.7', 'bad_signature'))).toBe(true);
    expect(matchesFilterPattern(PROBE_FILTER_PATTERN, rejectionLine('203.0.113.7', 'expired'))).toBe(false);
    expect(matchesFilterPattern(PROBE_FILTER_PATTERN, rejectionLine('203.0.113.7', 'no_token'))).toBe(false);
  });
});

describe('hasDuplicateKeys', () => {
  it('finds a repeated key at any depth, and not a repeated value or a key inside a string', () => {
    expect(hasDuplicateKeys(String.raw`{"a":1,"a":2}`)).toBe(true);
    expect(hasDuplicateKeys(String.raw`{"a":{"b":1,"b":1}}`)).toBe(true);
    expect(hasDuplicateKeys(String.raw`{"a":"a","b":"\\","c":[{"a":1},{"a":2}]}`)).toBe(false);
    expect(hasDuplicateKeys(String.raw`{"ua":"x\",\"ua\":\"y"}`)).toBe(false);
    expect(hasDuplicateKeys(String.raw`{"a\u0062":1,"ab":2}`)).toBe(true);
  });

  it('parseStrictObject says why a line is refused', () => {
    expect(parseStrictObject('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parseStrictObject('{"a":1,"a":2}')).toEqual({ problem: 'duplicate-key' });
    expect(parseStrictObject('{"a":"""}')).toEqual({ problem: 'not-json' });
    expect(parseStrictObject('[1]')).toEqual({ problem: 'not-json' });
  });
});

describe('aggregateClient', () => {
  it('turns an IPv6 client into its network of the prefix, and leaves IPv4 as it is', () => {
    expect(aggregateClient(parseClientAddress('2001:db8:1:2:3:4:5:6')!, 64).key).toBe('2001:db8:1:2::/64');
    expect(aggregateClient(parseClientAddress('2001:db8:1:2:3:4:5:6')!, 56).key).toBe('2001:db8:1::/56');
    expect(aggregateClient(parseClientAddress('2001:db8:1:2ff:3:4:5:6')!, 60).key).toBe('2001:db8:1:2f0::/60');
    expect(aggregateClient(parseClientAddress('2001:db8::1')!, 128).key).toBe('2001:db8::1/128');
    expect(aggregateClient(parseClientAddress('203.0.113.9')!, 64).key).toBe('203.0.113.9/32');
  });

  it('AddressRanges.overlaps sees a never-block address inside a network', () => {
    const ranges = new AddressRanges([parseCidr('2001:db8:1:2::99')!]);
    expect(ranges.overlaps(parseCidr('2001:db8:1:2::/64')!)).toBe(true);
    expect(ranges.overlaps(parseCidr('2001:db8:1:3::/64')!)).toBe(false);
  });
});

describe('addresses', () => {
  it('canonicalizes IPv6 clients and maps IPv4-mapped IPv6 to IPv4', () => {
    expect(parseClientAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')?.key).toBe('2001:db8::1/128');
    expect(parseClientAddress('::ffff:198.51.100.1')?.key).toBe('198.51.100.1/32');
  });

  it('rejects what is not an address', () => {
    for (const bad of ['', '256.1.1.1', '1.2.3', 'fe80::1%eth0', '203.0.113.7, 10.0.0.1', 'localhost'])
      expect(parseClientAddress(bad)).toBeUndefined();
  });

  it('parses CIDRs and rejects out-of-range prefixes', () => {
    expect(parseCidr('10.0.0.0/8')?.key).toBe('10.0.0.0/8');
    expect(parseCidr('2001:DB8::/32')?.key).toBe('2001:db8::/32');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8/1')).toBeUndefined();
  });
});

describe('readLogEvent on the access log (IAM operations)', () => {
  const event = (message: string) => ({ id: '1', timestamp: NOW - 5000, message });

  it('counts a forged SigV4 signature (INVALID_SIGNATURE) as probing, from its source address', () => {
    expect(readLogEvent(event(accessLogLine({ ip: '203.0.113.9', status: 403, responseType: 'INVALID_SIGNATURE' })), NOW)).toEqual({
      failure: {
        client: { version: 'IPV4', address: '203.0.113.9', prefix: 32, key: '203.0.113.9/32' },
        kind: 'probing',
        reason: 'gateway:INVALID_SIGNATURE',
        timeMs: NOW - 5000,
      },
    });
  });

  it.each(['ACCESS_DENIED', 'EXPIRED_TOKEN', 'MISSING_AUTHENTICATION_TOKEN', 'UNAUTHORIZED'])(
    'abuse: never counts %s, which a genuine caller gets too',
    (responseType) => {
      expect(readLogEvent(event(accessLogLine({ ip: '203.0.113.9', status: 403, responseType })), NOW)).toEqual({ ignored: true });
    },
  );

  it('abuse: never counts a line that names a verified IAM principal, whatever its response type', () => {
    const line = accessLogLine({
      ip: '203.0.113.9',
      status: 403,
      responseType: 'INVALID_SIGNATURE',
      userArn: 'arn:aws:sts::111111111111:assumed-role/reports/session',
    });
    expect(readLogEvent(event(line), NOW)).toEqual({ ignored: true });
  });

  it('subscribes only to forged-signature lines, and the access log writes the fields the contract reads', () => {
    expect(
      matchesFilterPattern(
        ACCESS_LOG_PROBE_FILTER_PATTERN,
        accessLogLine({ ip: '203.0.113.9', status: 403, responseType: 'INVALID_SIGNATURE' }),
      ),
    ).toBe(true);
    expect(
      matchesFilterPattern(
        ACCESS_LOG_PROBE_FILTER_PATTERN,
        accessLogLine({ ip: '203.0.113.9', status: 403, responseType: 'ACCESS_DENIED' }),
      ),
    ).toBe(false);
    const written = ACCESS_LOG_FIELDS.map((f) => f.name);
    for (const field of Object.values(ACCESS_LOG_PROBE_FIELDS)) expect(written).toContain(field);
    expect(ACCESS_LOG_FIELDS.find((f) => f.name === 'userArn')?.variable).toBe('$context.identity.userArn');
  });
});
