import { parseClientAddress } from '../../../contracts/cidr';
import { IP_BLOCKER_ENV, IP_BLOCKER_METRICS, WAF_IP_SET_LIMIT } from '../../../contracts/ip-blocker';
import { readConfig } from '../../../lambda/ip-blocker/config';

const V4 = { name: 'blocked-v4', id: 'id-4', scope: 'REGIONAL' };
const V6 = { name: 'blocked-v6', id: 'id-6', scope: 'REGIONAL' };

function env(overrides: { [name: string]: string | undefined } = {}): NodeJS.ProcessEnv {
  return {
    [IP_BLOCKER_ENV.tableName]: 'ip-blocker-state',
    [IP_BLOCKER_ENV.ipv4Set]: JSON.stringify(V4),
    [IP_BLOCKER_ENV.ipv6Set]: JSON.stringify(V6),
    [IP_BLOCKER_ENV.threshold]: '20',
    [IP_BLOCKER_ENV.windowSeconds]: '300',
    [IP_BLOCKER_ENV.blockSeconds]: '3600',
    ...overrides,
  };
}

describe('readConfig', () => {
  it('reads every setting the construct writes', () => {
    const config = readConfig(
      env({
        [IP_BLOCKER_ENV.neverBlock]: JSON.stringify(['10.0.0.0/8', '2001:db8::/48']),
        [IP_BLOCKER_ENV.maxAddresses]: '500',
        [IP_BLOCKER_ENV.ipv6Prefix]: '56',
        [IP_BLOCKER_ENV.metricNamespace]: 'Custom/Ns',
        [IP_BLOCKER_ENV.apiName]: 'PetsApi',
      }),
    );
    expect({ ...config, neverBlock: config.neverBlock.size }).toEqual({
      tableName: 'ip-blocker-state',
      ipSets: { IPV4: V4, IPV6: V6 },
      threshold: 20,
      windowSeconds: 300,
      blockSeconds: 3600,
      neverBlock: 2,
      maxAddresses: 500,
      ipv6Prefix: 56,
      metricNamespace: 'Custom/Ns',
      apiName: 'PetsApi',
    });
    expect(config.neverBlock.contains(parseClientAddress('10.1.2.3')!)).toBe(true);
    expect(config.neverBlock.contains(parseClientAddress('2001:db8:0:1::1')!)).toBe(true);
  });

  it('defaults what the construct may leave out: no never-block list, WAF limit, /64, default namespace', () => {
    const config = readConfig(env());
    expect(config.neverBlock.size).toBe(0);
    expect(config.maxAddresses).toBe(WAF_IP_SET_LIMIT);
    expect(config.ipv6Prefix).toBe(64);
    expect(config.metricNamespace).toBe(IP_BLOCKER_METRICS.defaultNamespace);
    expect(config.apiName).toBe('unknown');
  });

  it('treats an empty optional variable as not set', () => {
    const config = readConfig(env({ [IP_BLOCKER_ENV.neverBlock]: '', [IP_BLOCKER_ENV.maxAddresses]: '', [IP_BLOCKER_ENV.ipv6Prefix]: '' }));
    expect([config.neverBlock.size, config.maxAddresses, config.ipv6Prefix]).toEqual([0, WAF_IP_SET_LIMIT, 64]);
  });

  it.each([IP_BLOCKER_ENV.tableName, IP_BLOCKER_ENV.threshold, IP_BLOCKER_ENV.windowSeconds, IP_BLOCKER_ENV.blockSeconds])(
    'fails loudly when %s is missing or empty',
    (name) => {
      expect(() => readConfig(env({ [name]: undefined }))).toThrow(`ip-blocker: environment variable ${name} is not set`);
      expect(() => readConfig(env({ [name]: '' }))).toThrow(`ip-blocker: environment variable ${name} is not set`);
    },
  );

  it.each([IP_BLOCKER_ENV.ipv4Set, IP_BLOCKER_ENV.ipv6Set])('fails loudly when %s is not JSON', (name) => {
    expect(() => readConfig(env({ [name]: '{not json' }))).toThrow(`ip-blocker: ${name} must be JSON`);
  });

  // Found by this test (issue 16), fixed: the IP set reader calls required() inside its JSON.parse try, so a
  // missing IP set variable is reported as "must be JSON" rather than "is not set". It still fails loudly;
  // only the message misleads whoever reads the deployment error.
  it.each([IP_BLOCKER_ENV.ipv4Set, IP_BLOCKER_ENV.ipv6Set])('says that %s is not set, rather than not JSON', (name) => {
    expect(() => readConfig(env({ [name]: undefined }))).toThrow(`ip-blocker: environment variable ${name} is not set`);
  });

  it.each(['0', '-1', '1.5', 'twenty', 'NaN', 'Infinity'])('refuses a threshold of %j', (value) => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.threshold]: value }))).toThrow(
      `ip-blocker: ${IP_BLOCKER_ENV.threshold} must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got '${value}'`,
    );
  });

  it('refuses a window longer than a day', () => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.windowSeconds]: '86401' }))).toThrow('must be an integer from 1 to 86400');
    expect(readConfig(env({ [IP_BLOCKER_ENV.windowSeconds]: '86400' })).windowSeconds).toBe(86_400);
  });

  it('refuses more addresses than a WAF IP set holds', () => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.maxAddresses]: String(WAF_IP_SET_LIMIT + 1) }))).toThrow(`from 1 to ${WAF_IP_SET_LIMIT}`);
  });

  it.each(['0', '129'])('refuses an IPv6 prefix of %s', (value) => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.ipv6Prefix]: value }))).toThrow('must be an integer from 1 to 128');
  });

  it.each([
    ['not JSON', 'blocked-v4'],
    ['JSON without an id', JSON.stringify({ name: 'n', scope: 'REGIONAL' })],
    ['an unknown scope', JSON.stringify({ ...V4, scope: 'GLOBAL' })],
    ['JSON null', 'null'],
  ])('refuses an IP set reference that is %s', (_what, value) => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.ipv4Set]: value }))).toThrow(`ip-blocker: ${IP_BLOCKER_ENV.ipv4Set} must be`);
  });

  it('refuses a never-block list that is not an array', () => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.neverBlock]: '"10.0.0.0/8"' }))).toThrow('must be a JSON array of CIDRs');
  });

  it.each([['0.0.0.0/0'], ['example.com'], [42]])('refuses a never-block entry %j, naming it', (entry) => {
    expect(() => readConfig(env({ [IP_BLOCKER_ENV.neverBlock]: JSON.stringify(['10.0.0.0/8', entry]) }))).toThrow(
      `holds '${String(entry)}', which is not a CIDR`,
    );
  });
});
