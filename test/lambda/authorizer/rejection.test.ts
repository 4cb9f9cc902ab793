import { RejectionReason } from '../../../contracts/authorizer-config';
import { AUTHORIZER_METRICS } from '../../../contracts/authorizer-metrics';
import { PROBE_LOG_FIELDS } from '../../../contracts/probe-log';
import { reject, Rejection, RejectionDetails, rejectionLogger } from '../../../lambda/authorizer/rejection';

const NAMESPACE = 'CdkSecureApi/Authorizer';

/** The raw text the logger writes for one rejection. */
function written(reason: RejectionReason, status: number, details: RejectionDetails): string {
  const lines: string[] = [];
  rejectionLogger(NAMESPACE, 'PetsApi', (line) => lines.push(line))(reason, status, details);
  expect(lines).toHaveLength(1);
  return lines[0];
}

const parsed = (reason: RejectionReason, status: number, details: RejectionDetails) =>
  JSON.parse(written(reason, status, details)) as { [key: string]: any };

describe('Rejection', () => {
  it('carries its reason and is a 401 unless said otherwise', () => {
    const rejection = new Rejection('expired');
    expect(rejection).toBeInstanceOf(Error);
    expect(rejection.reason).toBe('expired');
    expect(rejection.status).toBe(401);
    expect(rejection.message).toBe('expired');
  });

  it('can be a 403 (a valid token without the scope)', () => {
    expect(new Rejection('insufficient_scope', 403).status).toBe(403);
  });
});

describe('reject', () => {
  it('throws a 401 Rejection with the reason', () => {
    expect(() => reject('bad_signature')).toThrow(Rejection);
    try {
      reject('bad_signature');
    } catch (error) {
      expect(error).toMatchObject({ reason: 'bad_signature', status: 401 });
    }
  });
});

describe('rejectionLogger', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 2, 3, 4, 5) }));
  afterEach(() => jest.useRealTimers());

  it('writes one JSON line ending in a newline', () => {
    const text = written('expired', 401, { requestId: 'r-1', operation: 'GET /pets', sourceIp: '203.0.113.7' });
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
  });

  it('puts sourceIp and probe first, so no other key can come before them', () => {
    const line = parsed('bad_signature', 401, { sourceIp: '203.0.113.7', operation: 'GET /pets' });
    expect(Object.keys(line).slice(0, 2)).toEqual([PROBE_LOG_FIELDS.sourceIp, PROBE_LOG_FIELDS.probe]);
    expect(line.sourceIp).toBe('203.0.113.7');
  });

  it('marks a probing reason as probe, and an honest client mistake as not', () => {
    expect(parsed('bad_signature', 401, {}).probe).toBe(true);
    expect(parsed('kid_unknown', 401, {}).probe).toBe(true);
    expect(parsed('expired', 401, {}).probe).toBe(false);
    expect(parsed('insufficient_scope', 403, {}).probe).toBe(false);
  });

  it('is an embedded-metric-format document counting one rejection by API and reason', () => {
    const line = parsed('expired', 401, { requestId: 'r-1' });
    expect(line).toMatchObject({
      level: 'WARN',
      status: 401,
      requestId: 'r-1',
      [AUTHORIZER_METRICS.apiDimension]: 'PetsApi',
      [AUTHORIZER_METRICS.reasonDimension]: 'expired',
      [AUTHORIZER_METRICS.rejections]: 1,
    });
    expect(line._aws).toEqual({
      Timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
      CloudWatchMetrics: [
        {
          Namespace: NAMESPACE,
          Dimensions: [[AUTHORIZER_METRICS.apiDimension, AUTHORIZER_METRICS.reasonDimension]],
          Metrics: [{ Name: AUTHORIZER_METRICS.rejections, Unit: 'Count' }],
        },
      ],
    });
  });

  it('writes the verified identity of a 403', () => {
    expect(parsed('insufficient_scope', 403, { sub: 'user-1', clientId: 'app-1' })).toMatchObject({ sub: 'user-1', client_id: 'app-1' });
  });

  it.each([
    ['a JSON break-out', '203.0.113.7","sourceIp":"198.51.100.1'],
    ['a trailing newline', '203.0.113.7\n'],
    ['two addresses', '203.0.113.7, 198.51.100.1'],
    ['a host name', 'attacker.example'],
    ['text longer than any address', '1'.repeat(46)],
    ['a single character', '1'],
    ['a number', 2130706433],
    ['an object', { toString: () => '203.0.113.7' }],
  ])('leaves out a sourceIp that is %s', (_what, sourceIp) => {
    const line = parsed('bad_signature', 401, { sourceIp });
    expect(line.sourceIp).toBeUndefined();
  });

  it('keeps an IPv6 and an IPv4-mapped source address', () => {
    expect(parsed('bad_signature', 401, { sourceIp: '2001:db8::1' }).sourceIp).toBe('2001:db8::1');
    expect(parsed('bad_signature', 401, { sourceIp: '::ffff:203.0.113.7' }).sourceIp).toBe('::ffff:203.0.113.7');
  });

  it('leaves out a requestId that is not a string', () => {
    expect(parsed('expired', 401, { requestId: { injected: true } }).requestId).toBeUndefined();
  });

  it('escapes hostile values, so a line never gains a key or a second line', () => {
    const hostile = 'x"\n,"sourceIp":"198.51.100.1","probe":false,"Reason":"expired';
    const text = written('bad_signature', 401, { sourceIp: '203.0.113.7', operation: hostile, sub: hostile, clientId: hostile });
    expect(text.slice(0, -1)).not.toContain('\n');
    const line = JSON.parse(text);
    expect(line).toMatchObject({ sourceIp: '203.0.113.7', probe: true, Reason: 'bad_signature', operation: hostile });
  });
});
