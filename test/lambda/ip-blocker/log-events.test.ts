import { classifyFailure, readLogEvent } from '../../../lambda/ip-blocker/log-events';
import { parseCidr, parseClientAddress } from '../../../contracts/cidr';

const NOW = 1_760_000_000_000;

describe('classifyFailure', () => {
  it.each([
    ['401', 'UNAUTHORIZED', 'authentication'],
    ['403', 'ACCESS_DENIED', 'authentication'],
    ['403', 'INVALID_API_KEY', 'authentication'],
    ['403', 'MISSING_AUTHENTICATION_TOKEN', 'authentication'],
    ['401', 'EXPIRED_TOKEN', 'authentication'],
    ['400', 'BAD_REQUEST_BODY', 'validation'],
    ['400', 'BAD_REQUEST_PARAMETERS', 'validation'],
  ])('counts status %s with response type %s as a %s failure', (status, type, kind) => {
    expect(classifyFailure(status, type)).toBe(kind);
  });

  it.each([
    ['403', 'WAF_FILTERED'],
    ['429', 'THROTTLED'],
    ['429', 'QUOTA_EXCEEDED'],
    ['500', 'AUTHORIZER_FAILURE'],
    ['413', 'REQUEST_TOO_LARGE'],
    ['200', 'UNAUTHORIZED'],
  ])('does not count status %s with response type %s', (status, type) => {
    expect(classifyFailure(status, type)).toBeUndefined();
  });

  it('counts a bare 401 but not a bare 403 or 400 when the log has no response type (the backend may send those)', () => {
    expect(classifyFailure('401', undefined)).toBe('authentication');
    expect(classifyFailure('403', undefined)).toBeUndefined();
    expect(classifyFailure('400', undefined)).toBeUndefined();
  });
});

describe('readLogEvent', () => {
  const event = (line: object) => ({ id: '1', timestamp: NOW - 5000, message: JSON.stringify(line) });

  it('reads the contract fields and takes the request time from requestTimeEpoch', () => {
    const reading = readLogEvent(event({ sourceIp: '203.0.113.7', status: '401', errorResponseType: 'UNAUTHORIZED', requestTimeEpoch: String(NOW - 1234) }), NOW);
    expect(reading).toEqual({ failure: { client: { version: 'IPV4', address: '203.0.113.7', prefix: 32, key: '203.0.113.7/32' }, kind: 'authentication', timeMs: NOW - 1234 } });
  });

  it('accepts aliases and nested fields, and falls back to the log event time', () => {
    const reading = readLogEvent(event({ identity: { sourceIp: '203.0.113.7' }, statusCode: 400, error: { responseType: 'BAD_REQUEST_BODY' } }), NOW);
    expect(reading).toMatchObject({ failure: { kind: 'validation', timeMs: NOW - 5000, client: { key: '203.0.113.7/32' } } });
  });

  it("treats API Gateway's '-' as an absent value", () => {
    expect(readLogEvent(event({ sourceIp: '203.0.113.7', status: '403', errorResponseType: '-' }), NOW)).toEqual({ ignored: true });
    expect(readLogEvent(event({ sourceIp: '-', status: '401', errorResponseType: 'UNAUTHORIZED' }), NOW)).toEqual({ skipped: 'no-source-ip' });
  });

  it('ignores successful requests without looking at their address', () => {
    expect(readLogEvent(event({ sourceIp: 'garbage', status: '200' }), NOW)).toEqual({ ignored: true });
  });
});

describe('addresses', () => {
  it('canonicalizes IPv6 clients and maps IPv4-mapped IPv6 to IPv4', () => {
    expect(parseClientAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')?.key).toBe('2001:db8::1/128');
    expect(parseClientAddress('::ffff:198.51.100.1')?.key).toBe('198.51.100.1/32');
  });

  it('rejects what is not an address', () => {
    for (const bad of ['', '256.1.1.1', '1.2.3', 'fe80::1%eth0', '203.0.113.7, 10.0.0.1', 'localhost']) expect(parseClientAddress(bad)).toBeUndefined();
  });

  it('parses CIDRs and rejects out-of-range prefixes', () => {
    expect(parseCidr('10.0.0.0/8')?.key).toBe('10.0.0.0/8');
    expect(parseCidr('2001:DB8::/32')?.key).toBe('2001:db8::/32');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8/1')).toBeUndefined();
  });
});
