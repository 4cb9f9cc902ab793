import { AddressRanges, aggregateClient, Cidr, parseCidr, parseClientAddress } from '../../contracts/cidr';

function client(raw: string): Cidr {
  const parsed = parseClientAddress(raw);
  if (parsed === undefined) throw new Error(`test setup: '${raw}' is not an address`);
  return parsed;
}

function cidr(raw: string): Cidr {
  const parsed = parseCidr(raw);
  if (parsed === undefined) throw new Error(`test setup: '${raw}' is not a CIDR`);
  return parsed;
}

describe('parseClientAddress', () => {
  it('reads an IPv4 address as a /32', () => {
    expect(parseClientAddress('203.0.113.7')).toEqual({ version: 'IPV4', address: '203.0.113.7', prefix: 32, key: '203.0.113.7/32' });
  });

  it('reads an IPv6 address as a /128 in canonical form (lower case, zeros compressed)', () => {
    expect(parseClientAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')).toEqual({
      version: 'IPV6',
      address: '2001:db8::1',
      prefix: 128,
      key: '2001:db8::1/128',
    });
  });

  it('gives every spelling of one IPv6 address the same key, so rotating spellings does not reset a count', () => {
    const keys = ['2001:db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '2001:0db8:0000::0001'].map((s) => client(s).key);
    expect(new Set(keys)).toEqual(new Set(['2001:db8::1/128']));
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 client it is, in either letter case', () => {
    expect(client('::ffff:198.51.100.9')).toEqual(client('198.51.100.9'));
    expect(client('::FFFF:198.51.100.9').key).toBe('198.51.100.9/32');
  });

  // Issue 16: only the `::ffff:a.b.c.d` spelling was recognised; the same address in full or in hex became
  // an IPv6 /128 with another key, so a never-block entry or a failure count under one spelling missed the other.
  it('counts every spelling of an IPv4-mapped address as the IPv4 client', () => {
    expect(client('0:0:0:0:0:ffff:198.51.100.9').key).toBe('198.51.100.9/32');
    expect(client('::ffff:c633:6409').key).toBe('198.51.100.9/32');
  });

  it('gives one key to every spelling an attacker can rotate through for one IPv4 client (the abuse case)', () => {
    const spellings = [
      '198.51.100.9',
      '::ffff:198.51.100.9',
      '::FFFF:198.51.100.9',
      '0:0:0:0:0:ffff:198.51.100.9',
      '0000:0000:0000:0000:0000:FFFF:198.51.100.9',
      '::0:ffff:198.51.100.9',
      '::ffff:c633:6409',
      '::FFFF:C633:6409',
      '0:0::ffff:C633:6409',
      '0:0:0:0:0:ffff:c633:6409',
      '0000:0000:0000:0000:0000:ffff:c633:6409',
    ];
    for (const spelling of spellings) expect(client(spelling)).toEqual(client('198.51.100.9'));
  });

  it('reads the first and last IPv4-mapped addresses as IPv4', () => {
    expect(client('::ffff:0:0').key).toBe('0.0.0.0/32');
    expect(client('::ffff:ffff:ffff').key).toBe('255.255.255.255/32');
  });

  it.each([
    ['an IPv4-compatible address (::/96, deprecated)', '::198.51.100.9', '::c633:6409/128'],
    ['an IPv4-translated address (::ffff:0:0:0/96)', '::ffff:0:198.51.100.9', '::ffff:0:c633:6409/128'],
    ['a NAT64 address (64:ff9b::/96)', '64:ff9b::198.51.100.9', '64:ff9b::c633:6409/128'],
    ['an address next to the mapped range', '0:0:0:0:1:ffff:c633:6409', '::1:ffff:c633:6409/128'],
  ])('keeps %s as IPv6: it is not the IPv4 client', (_what, raw, key) => {
    expect(client(raw)).toMatchObject({ version: 'IPV6', key });
  });

  it.each([
    ['a leading zero in the embedded IPv4 part', '::ffff:010.0.0.1'],
    ['an out-of-range embedded octet', '::ffff:198.51.100.256'],
    ['a zone id on a mapped address', '::ffff:198.51.100.9%eth0'],
    ['a hex group of five digits', '::ffff:0c633:6409'],
  ])('refuses %s', (_what, raw) => {
    expect(parseClientAddress(raw)).toBeUndefined();
  });

  it('ignores surrounding white space', () => {
    expect(client(' \t203.0.113.7\n').key).toBe('203.0.113.7/32');
  });

  it.each([
    ['an empty string', ''],
    ['a host name', 'example.com'],
    ['an out-of-range octet', '203.0.113.256'],
    ['three octets', '203.0.113'],
    ['a leading zero (octal in some parsers)', '010.0.0.1'],
    ['a CIDR (a client is one address)', '203.0.113.7/32'],
    ['a bracketed IPv6 host', '[2001:db8::1]'],
    ['an IPv6 zone id', 'fe80::1%eth0'],
    ['an address followed by text', '203.0.113.7 x'],
    ['two addresses', '203.0.113.7,198.51.100.9'],
    ['a JSON break-out attempt', '1.2.3.4","sourceIp":"5.6.7.8'],
  ])('refuses %s', (_what, raw) => {
    expect(parseClientAddress(raw)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('reads IPv4 and IPv6 ranges, the IPv6 address canonical', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ version: 'IPV4', address: '10.0.0.0', prefix: 8, key: '10.0.0.0/8' });
    expect(parseCidr('2001:DB8::/32')).toEqual({ version: 'IPV6', address: '2001:db8::', prefix: 32, key: '2001:db8::/32' });
  });

  it('reads a bare address as a single host', () => {
    expect(parseCidr('203.0.113.7')).toEqual(parseClientAddress('203.0.113.7'));
    expect(parseCidr('2001:db8::1')?.key).toBe('2001:db8::1/128');
  });

  it('accepts the largest prefix of each version', () => {
    expect(parseCidr('203.0.113.7/32')?.prefix).toBe(32);
    expect(parseCidr('2001:db8::1/128')?.prefix).toBe(128);
    expect(parseCidr('0.0.0.0/1')?.key).toBe('0.0.0.0/1');
  });

  it.each([
    ['a /0 (WAF does not accept it, and it would block everyone)', '0.0.0.0/0'],
    ['an IPv6 /0', '::/0'],
    ['an IPv4 prefix above 32', '10.0.0.0/33'],
    ['an IPv6 prefix above 128', '2001:db8::/129'],
    ['an empty prefix', '10.0.0.0/'],
    ['a negative prefix', '10.0.0.0/-8'],
    ['a signed prefix', '10.0.0.0/+8'],
    ['a fractional prefix', '10.0.0.0/8.0'],
    ['an exponent prefix', '10.0.0.0/1e1'],
    ['a four-digit prefix', '10.0.0.0/0008'],
    ['a space inside', '10.0.0.0/ 8'],
    ['two slashes', '10.0.0.0/8/8'],
    ['a host name', 'example.com/24'],
    ['no address', '/24'],
    ['an empty string', ''],
  ])('refuses %s', (_what, raw) => {
    expect(parseCidr(raw)).toBeUndefined();
  });

  it('reads an IPv4-mapped range as IPv4, with an IPv4 prefix', () => {
    expect(parseCidr('::ffff:10.0.0.0/8')?.key).toBe('10.0.0.0/8');
    // The IPv6 prefix of the same range (96 + 8) is not an IPv4 prefix.
    expect(parseCidr('::ffff:10.0.0.0/104')).toBeUndefined();
  });

  it('reads an IPv4-mapped range written in hex as the same IPv4 range', () => {
    expect(parseCidr('::ffff:a00:0/8')?.key).toBe('10.0.0.0/8');
    expect(parseCidr('0:0:0:0:0:FFFF:0A00:0000/8')?.key).toBe('10.0.0.0/8');
    expect(parseCidr('::ffff:c633:6409')?.key).toBe('198.51.100.9/32');
  });
});

describe('aggregateClient', () => {
  it('counts an IPv6 client as its /64 network', () => {
    expect(aggregateClient(client('2001:db8:1:2:3:4:5:6'), 64)).toEqual({
      version: 'IPV6',
      address: '2001:db8:1:2::',
      prefix: 64,
      key: '2001:db8:1:2::/64',
    });
  });

  it('gives every address a client rotates through inside its /64 one key (the abuse case)', () => {
    const rotated = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2:dead:beef:0:7', '2001:DB8:1:2:0:0:0:9'];
    expect(new Set(rotated.map((a) => aggregateClient(client(a), 64).key))).toEqual(new Set(['2001:db8:1:2::/64']));
  });

  it('keeps neighbouring /64 networks apart', () => {
    expect(aggregateClient(client('2001:db8:1:3::1'), 64).key).not.toBe(aggregateClient(client('2001:db8:1:2::1'), 64).key);
  });

  it('masks inside a group when the prefix is not a multiple of 16', () => {
    expect(aggregateClient(client('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), 60).key).toBe('2001:db8:ffff:fff0::/60');
    expect(aggregateClient(client('2001:db8:ffff:ffff::1'), 57).key).toBe('2001:db8:ffff:ff80::/57');
    expect(aggregateClient(client('ffff::1'), 1).key).toBe('8000::/1');
  });

  it('compresses the network address canonically, even when it ends in zeros everywhere', () => {
    expect(aggregateClient(client('::1'), 64).key).toBe('::/64');
    expect(aggregateClient(client('0:0:0:1:ffff::'), 64).key).toBe('0:0:0:1::/64');
  });

  it('leaves an IPv4 client as it is', () => {
    expect(aggregateClient(client('203.0.113.7'), 24)).toEqual(client('203.0.113.7'));
  });

  it('leaves an IPv4-mapped client as the IPv4 address, not an IPv6 network', () => {
    expect(aggregateClient(client('::ffff:203.0.113.7'), 64).key).toBe('203.0.113.7/32');
  });

  it('leaves a hex-spelled IPv4-mapped client as the IPv4 address, not the ::/64 that every mapped address lies in', () => {
    expect(aggregateClient(client('::ffff:cb00:7107'), 64).key).toBe('203.0.113.7/32');
    expect(aggregateClient(client('0:0:0:0:0:ffff:cb00:7107'), 64).key).toBe('203.0.113.7/32');
  });

  it('never widens: a prefix at or beyond the client prefix returns the client unchanged', () => {
    const host = client('2001:db8::1');
    expect(aggregateClient(host, 128)).toBe(host);
    const network = cidr('2001:db8::/48');
    expect(aggregateClient(network, 64)).toBe(network);
  });
});

describe('AddressRanges', () => {
  const ranges = new AddressRanges([cidr('10.0.0.0/8'), cidr('2001:db8:1:2::7'), cidr('198.51.100.9')]);

  it('contains addresses inside its ranges, of either version', () => {
    expect(ranges.contains(client('10.255.0.1'))).toBe(true);
    expect(ranges.contains(client('198.51.100.9'))).toBe(true);
    expect(ranges.contains(client('2001:db8:1:2::7'))).toBe(true);
  });

  it('does not contain addresses outside them', () => {
    expect(ranges.contains(client('11.0.0.1'))).toBe(false);
    expect(ranges.contains(client('198.51.100.10'))).toBe(false);
    expect(ranges.contains(client('2001:db8:1:2::8'))).toBe(false);
  });

  it('matches an IPv4-mapped client against its IPv4 range', () => {
    expect(ranges.contains(client('::ffff:10.1.2.3'))).toBe(true);
  });

  it('matches a never-block address however its client spells it', () => {
    for (const spelling of ['::ffff:198.51.100.9', '0:0:0:0:0:ffff:198.51.100.9', '::ffff:c633:6409', '::FFFF:C633:6409']) {
      expect(ranges.contains(client(spelling))).toBe(true);
    }
  });

  it('matches a client against a never-block entry written as a hex IPv4-mapped address', () => {
    const hexEntry = new AddressRanges([cidr('::ffff:c633:6409')]);
    expect(hexEntry.contains(client('198.51.100.9'))).toBe(true);
    expect(hexEntry.contains(client('::ffff:198.51.100.9'))).toBe(true);
  });

  it('does not let an IPv4 range match an IPv6 address with the same bits', () => {
    const v4 = new AddressRanges([cidr('0.0.0.0/1')]);
    expect(v4.contains(client('::1'))).toBe(false);
  });

  it('counts a /64 that holds a never-block /128 as overlapping, so the network is not blocked as a whole', () => {
    const network = aggregateClient(client('2001:db8:1:2::99'), 64);
    expect(ranges.contains(network)).toBe(false);
    expect(ranges.overlaps(network)).toBe(true);
  });

  it('does not count a /64 next to a never-block address as overlapping', () => {
    expect(ranges.overlaps(aggregateClient(client('2001:db8:1:3::99'), 64))).toBe(false);
  });

  it('counts a range inside a never-block range as overlapping', () => {
    expect(ranges.overlaps(cidr('10.20.0.0/16'))).toBe(true);
  });

  it('is empty when built from no ranges', () => {
    const none = new AddressRanges([]);
    expect(none.size).toBe(0);
    expect(none.contains(client('10.0.0.1'))).toBe(false);
    expect(none.overlaps(cidr('10.0.0.0/8'))).toBe(false);
  });

  it('reports how many ranges it holds', () => {
    expect(ranges.size).toBe(3);
  });
});
