import { DeleteItemCommand, DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { IP_BLOCKER_ENV, IP_BLOCKER_EXPIRY_EVENT, IP_BLOCKER_METRICS } from '../../../contracts/ip-blocker';
import { DeliveryResult, ExpiryResult } from '../../../lambda/ip-blocker/blocker';
import { handler } from '../../../lambda/ip-blocker/index';
import { accessLogLine, captureLogLines, delivery, failures, metricValue } from './helpers';
import { IpSetModel, TableModel } from './models';

const wafMock = mockClient(WAFV2Client);
const dynamoMock = mockClient(DynamoDBClient);

const THRESHOLD = 20;
const WINDOW_SECONDS = 300;
const BLOCK_SECONDS = 3600;

let v4: IpSetModel;
let v6: IpSetModel;
let table: TableModel;
let log: ReturnType<typeof captureLogLines>;

function useModels(): void {
  const sets = (): { [id: string]: IpSetModel } => ({ [v4.id]: v4, [v6.id]: v6 });
  wafMock.on(GetIPSetCommand).callsFake((input) => sets()[input.Id].get());
  wafMock.on(UpdateIPSetCommand).callsFake((input) => sets()[input.Id].update(input));
  dynamoMock.on(UpdateItemCommand).callsFake(async (input) => table.updateItem(input));
  dynamoMock.on(QueryCommand).callsFake(async (input) => table.query(input));
  dynamoMock.on(DeleteItemCommand).callsFake(async (input) => table.deleteItem(input));
}

function setEnv(overrides: { [name: string]: string } = {}): void {
  Object.assign(process.env, {
    [IP_BLOCKER_ENV.tableName]: 'ip-blocker-state',
    [IP_BLOCKER_ENV.ipv4Set]: JSON.stringify({ name: v4.name, id: v4.id, scope: 'REGIONAL' }),
    [IP_BLOCKER_ENV.ipv6Set]: JSON.stringify({ name: v6.name, id: v6.id, scope: 'REGIONAL' }),
    [IP_BLOCKER_ENV.threshold]: String(THRESHOLD),
    [IP_BLOCKER_ENV.windowSeconds]: String(WINDOW_SECONDS),
    [IP_BLOCKER_ENV.blockSeconds]: String(BLOCK_SECONDS),
    [IP_BLOCKER_ENV.neverBlock]: JSON.stringify(['10.0.0.0/8', '2001:db8:ffff::/48']),
    [IP_BLOCKER_ENV.maxAddresses]: '10000',
    [IP_BLOCKER_ENV.apiName]: 'PetsApi',
    ...overrides,
  });
}

async function deliver(messages: unknown[], timestampMs?: number): Promise<DeliveryResult> {
  return (await handler(delivery(messages, 'DATA_MESSAGE', timestampMs))) as DeliveryResult;
}

async function expire(): Promise<ExpiryResult> {
  return (await handler({ ...IP_BLOCKER_EXPIRY_EVENT })) as ExpiryResult;
}

/** A block record as the handler writes it. */
function seedBlock(key: string, releaseAtMs: number, version: 'IPV4' | 'IPV6' = 'IPV4'): void {
  table.put({
    pk: { S: 'blocks' },
    sk: { S: key },
    blockedAt: { N: String(releaseAtMs - BLOCK_SECONDS * 1000) },
    releaseAt: { N: String(releaseAtMs) },
    failures: { N: '25' },
    version: { S: version },
  });
}

beforeEach(() => {
  wafMock.reset();
  dynamoMock.reset();
  v4 = new IpSetModel('PetsApi-auto-blocked-v4', 'id-v4');
  v6 = new IpSetModel('PetsApi-auto-blocked-v6', 'id-v6');
  table = new TableModel();
  useModels();
  setEnv();
  log = captureLogLines();
});

afterEach(() => log.restore());

describe('threshold crossing', () => {
  it('does not block a client below the threshold', async () => {
    const result = await deliver(failures('203.0.113.7', THRESHOLD - 1));
    expect(result.failures).toBe(THRESHOLD - 1);
    expect(result.blocked).toEqual([]);
    expect(v4.addresses).toEqual([]);
    expect(wafMock.commandCalls(UpdateIPSetCommand)).toHaveLength(0);
  });

  it('blocks a client whose failures across deliveries reach the threshold within the window', async () => {
    await deliver(failures('203.0.113.7', THRESHOLD - 1));
    const result = await deliver(failures('203.0.113.7', 1, 'kid_unknown'));
    expect(result.blocked).toEqual(['203.0.113.7/32']);
    expect(v4.addresses).toEqual(['203.0.113.7/32']);
    const record = table.get('blocks', '203.0.113.7/32')!;
    const releaseAt = Number(record.releaseAt.N);
    expect(releaseAt - Number(record.blockedAt.N)).toBe(BLOCK_SECONDS * 1000);
    expect(record.expiresAt).toBeUndefined();
  });

  it('writes one log line with an AddressBlocked metric for the blocked address', async () => {
    await deliver(failures('203.0.113.7', THRESHOLD));
    const blockedLines = log.lines().filter((l) => metricValue(l, IP_BLOCKER_METRICS.blocked) !== undefined);
    expect(blockedLines).toHaveLength(1);
    expect(blockedLines[0]).toMatchObject({
      level: 'WARN',
      message: 'blocked 203.0.113.7/32',
      ip: '203.0.113.7/32',
      failures: THRESHOLD,
      Api: 'PetsApi',
      AddressBlocked: 1,
    });
    expect(blockedLines[0]._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: IP_BLOCKER_METRICS.defaultNamespace,
      Dimensions: [['Api']],
      Metrics: [{ Name: 'AddressBlocked', Unit: 'Count' }],
    });
  });

  it('counts every probing reason of the contract, and nothing the authorizer rejects for another reason', async () => {
    const probing = failures('198.51.100.4', 2, 'malformed_token').concat(
      failures('198.51.100.4', 2, 'unknown_issuer'),
      failures('198.51.100.4', 2, 'wrong_audience'),
    );
    const honest = [
      'no_token',
      'malformed_header',
      'expired',
      'not_yet_valid',
      'issued_in_future',
      'missing_claim',
      'wrong_token_type',
      'wrong_client',
      'insufficient_scope',
      'jwks_unavailable',
      'internal_error',
    ] as const;
    const result = await deliver([...probing, ...honest.flatMap((reason) => failures('198.51.100.4', 30, reason))]);
    expect(result.failures).toBe(6);
    expect(result.blocked).toEqual([]);
  });

  it('does not count access-log lines: missing credentials, API key failures, validation errors, backend 403s, WAF blocks, throttles or successes', async () => {
    const lines = [
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 401, responseType: 'UNAUTHORIZED' })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 403, responseType: 'MISSING_AUTHENTICATION_TOKEN' })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 403, responseType: 'INVALID_API_KEY' })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 400, responseType: 'BAD_REQUEST_BODY' })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 403 })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 403, responseType: 'WAF_FILTERED' })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 429, responseType: 'THROTTLED' })),
      ...Array.from({ length: 30 }, () => accessLogLine({ ip: '198.51.100.9', status: 200 })),
    ];
    const result = await deliver(lines);
    expect(result.failures).toBe(0);
    expect(result.blocked).toEqual([]);
    expect(dynamoMock.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('does not add up failures that lie further apart than the window', async () => {
    const longAgo = Date.now() - 2 * WINDOW_SECONDS * 1000;
    await deliver(failures('203.0.113.8', THRESHOLD - 1), longAgo);
    const result = await deliver(failures('203.0.113.8', 1));
    expect(result.blocked).toEqual([]);
    expect(v4.addresses).toEqual([]);
  });

  it('gives every failure counter a TTL so DynamoDB removes it after the window', async () => {
    await deliver(failures('203.0.113.7', 3));
    const counters = [...table.items.values()].filter((i) => i.pk.S === 'failures#203.0.113.7/32');
    expect(counters).toHaveLength(1);
    expect(counters[0].count.N).toBe('3');
    const ttl = Number(counters[0].expiresAt.N);
    expect(ttl * 1000).toBeGreaterThan(Date.now() + WINDOW_SECONDS * 1000);
    expect(ttl * 1000).toBeLessThan(Date.now() + (WINDOW_SECONDS * 2 + 3600) * 1000);
  });

  it('puts IPv6 clients into the IPv6 set as their /64 network in canonical form', async () => {
    const result = await deliver(failures('2001:DB8:0:0:0:0:0:42', THRESHOLD));
    expect(result.blocked).toEqual(['2001:db8::/64']);
    expect(v6.addresses).toEqual(['2001:db8::/64']);
    expect(v4.addresses).toEqual([]);
  });
});

describe('allow-list', () => {
  it('never counts or blocks an allow-listed address, however many failures it has', async () => {
    const result = await deliver([...failures('10.1.2.3', 100), ...failures('2001:db8:ffff:1::5', 100)]);
    expect(result.neverBlocked).toBe(200);
    expect(result.blocked).toEqual([]);
    expect(v4.addresses).toEqual([]);
    expect(v6.addresses).toEqual([]);
    expect([...table.items.values()]).toHaveLength(0);
  });

  it('takes an allow-listed address out of the set when the allow-list grew after it was blocked', async () => {
    v4.addresses = ['10.9.9.9/32', '203.0.113.50/32'];
    seedBlock('10.9.9.9/32', Date.now() + 600_000);
    seedBlock('203.0.113.50/32', Date.now() + 600_000);
    const result = await expire();
    expect(result.released).toEqual(['10.9.9.9/32']);
    expect(v4.addresses).toEqual(['203.0.113.50/32']);
    const released = log.lines().find((l) => l.message === 'released 10.9.9.9/32');
    expect(released).toMatchObject({ reason: 'allow-listed', AddressReleased: 1 });
  });
});

describe('expiry', () => {
  it('releases expired blocks, deletes their records, and keeps active ones', async () => {
    v4.addresses = ['203.0.113.1/32', '203.0.113.2/32'];
    v6.addresses = ['2001:db8::1/128'];
    seedBlock('203.0.113.1/32', Date.now() - 1000);
    seedBlock('203.0.113.2/32', Date.now() + 600_000);
    seedBlock('2001:db8::1/128', Date.now() - 1000, 'IPV6');
    const result = await expire();
    expect(result.released.sort()).toEqual(['2001:db8::1/128', '203.0.113.1/32']);
    expect(v4.addresses).toEqual(['203.0.113.2/32']);
    expect(v6.addresses).toEqual([]);
    expect(table.get('blocks', '203.0.113.1/32')).toBeUndefined();
    expect(table.get('blocks', '2001:db8::1/128')).toBeUndefined();
    expect(table.get('blocks', '203.0.113.2/32')).toBeDefined();
  });

  it('writes one log line with an AddressReleased metric per released address', async () => {
    v4.addresses = ['203.0.113.1/32'];
    seedBlock('203.0.113.1/32', Date.now() - 1000);
    await expire();
    const lines = log.lines().filter((l) => metricValue(l, IP_BLOCKER_METRICS.released) !== undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'released 203.0.113.1/32',
      ip: '203.0.113.1/32',
      reason: 'expired',
      AddressReleased: 1,
    });
  });

  it('releases a block at the end of its block time after the threshold was crossed', async () => {
    await deliver(failures('203.0.113.7', THRESHOLD));
    expect(v4.addresses).toEqual(['203.0.113.7/32']);
    const now = Date.now;
    Date.now = () => now() + BLOCK_SECONDS * 1000 + 1;
    try {
      const result = await expire();
      expect(result.released).toEqual(['203.0.113.7/32']);
    } finally {
      Date.now = now;
    }
    expect(v4.addresses).toEqual([]);
  });

  it('removes set entries that have no block record', async () => {
    v4.addresses = ['198.51.100.200/32'];
    const result = await expire();
    expect(result.released).toEqual(['198.51.100.200/32']);
    expect(v4.addresses).toEqual([]);
  });

  it('adds back an active block whose address never reached the set', async () => {
    seedBlock('203.0.113.9/32', Date.now() + 600_000);
    const result = await expire();
    expect(result.restored).toEqual(['203.0.113.9/32']);
    expect(v4.addresses).toEqual(['203.0.113.9/32']);
  });

  it('keeps an address blocked when a new block renews it while the expiry run releases it', async () => {
    v4.addresses = ['203.0.113.1/32'];
    seedBlock('203.0.113.1/32', Date.now() - 1000);
    // Between reading the records and deleting this one, the blocker renews it (new release time).
    table.beforeDelete = ({ sk }) => {
      if (sk === '203.0.113.1/32') seedBlock(sk, Date.now() + 600_000);
    };
    const result = await expire();
    expect(table.get('blocks', '203.0.113.1/32')).toBeDefined();
    expect(result.restored).toEqual(['203.0.113.1/32']);
    expect(v4.addresses).toEqual(['203.0.113.1/32']);
  });

  it('lists every block record across several result pages', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `203.0.113.${i + 1}/32`);
    v4.addresses = [...keys];
    for (const key of keys) seedBlock(key, Date.now() - 1000);
    const result = await expire();
    expect(result.released.sort()).toEqual([...keys].sort());
    expect(v4.addresses).toEqual([]);
    expect(dynamoMock.commandCalls(QueryCommand).length).toBeGreaterThanOrEqual(3);
  });
});

describe('the cap on the block set', () => {
  it('fills the set up to 10,000 addresses, then evicts the block closest to expiry for each new offender, with a log line and metrics', async () => {
    const now = Date.now();
    // Pages of 1,000: the model re-sorts on every page, and 3-item pages over 10,000 records take minutes.
    table = new TableModel(1000);
    useModels();
    v4.addresses = Array.from({ length: 9_999 }, (_, i) => `100.64.${Math.floor(i / 250)}.${(i % 250) + 1}/32`);
    // 100.64.0.7 is the block closest to its release.
    v4.addresses.forEach((key, i) =>
      table.put({
        pk: { S: 'blocks' },
        sk: { S: key },
        blockedAt: { N: '1' },
        releaseAt: { N: String(now + 600_000 + (i === 6 ? -300_000 : i)) },
        version: { S: 'IPV4' },
      }),
    );
    const result = await deliver([...failures('203.0.113.20', THRESHOLD + 5), ...failures('203.0.113.21', THRESHOLD)]);
    expect(result.blocked.sort()).toEqual(['203.0.113.20/32', '203.0.113.21/32']);
    expect(result.overflow).toEqual([]);
    expect(v4.addresses).toHaveLength(10_000);
    expect(v4.addresses).not.toContain('100.64.0.7/32');
    expect(v4.addresses).toEqual(expect.arrayContaining(['203.0.113.20/32', '203.0.113.21/32', '100.64.0.1/32']));
    // The evicted block's record is gone, so the expiry run does not put it back.
    expect(table.get('blocks', '100.64.0.7/32')).toBeUndefined();
    const evicted = log.lines().find((l) => metricValue(l, IP_BLOCKER_METRICS.evicted) !== undefined);
    expect(evicted).toMatchObject({ level: 'WARN', ip: '100.64.0.7/32', cap: 10_000, BlockEvicted: 1 });
    const full = log.lines().find((l) => metricValue(l, IP_BLOCKER_METRICS.capReached) !== undefined);
    expect(full).toMatchObject({ level: 'ERROR', cap: 10_000, evicted: ['100.64.0.7/32'], BlockListFull: 1 });
    expect(full!.message).toContain('is full (10000 addresses)');
  });

  it('never leaves a new offender unblocked at capacity: the expired block goes first, and the expiry run does not restore it', async () => {
    setEnv({ [IP_BLOCKER_ENV.maxAddresses]: '2' });
    v4.addresses = ['203.0.113.1/32', '203.0.113.2/32'];
    seedBlock('203.0.113.1/32', Date.now() + 60_000);
    seedBlock('203.0.113.2/32', Date.now() + 600_000);
    const first = await deliver(failures('203.0.113.3', THRESHOLD));
    expect(first.blocked).toEqual(['203.0.113.3/32']);
    expect(v4.addresses.sort()).toEqual(['203.0.113.2/32', '203.0.113.3/32']);
    const result = await expire();
    expect(result.restored).toEqual([]);
    expect(v4.addresses.sort()).toEqual(['203.0.113.2/32', '203.0.113.3/32']);
  });
});

describe('WAF optimistic locking', () => {
  it('re-reads and re-applies when another writer changed the set between read and update, keeping both changes', async () => {
    v4.beforeUpdate = (model, call) => {
      if (call === 1) model.externalWrite([...model.addresses, '192.0.2.99/32']);
    };
    const result = await deliver(failures('203.0.113.7', THRESHOLD));
    expect(result.blocked).toEqual(['203.0.113.7/32']);
    expect(v4.conflicts).toBe(1);
    expect(v4.addresses.sort()).toEqual(['192.0.2.99/32', '203.0.113.7/32']);
    expect(wafMock.commandCalls(GetIPSetCommand)).toHaveLength(2);
    expect(wafMock.commandCalls(UpdateIPSetCommand)[1].args[0].input.LockToken).toBe('token-1');
  });

  it('loses no address when concurrent invocations block different clients at the same time', async () => {
    const clients = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5'];
    const results = await Promise.all(clients.map((ip) => deliver(failures(ip, THRESHOLD))));
    expect(results.flatMap((r) => r.blocked).sort()).toEqual(clients.map((ip) => `${ip}/32`).sort());
    expect(v4.addresses.sort()).toEqual(clients.map((ip) => `${ip}/32`).sort());
    expect(v4.conflicts).toBeGreaterThan(0);
  });

  it('reports one block when concurrent invocations block the same client', async () => {
    const results = await Promise.all([deliver(failures('203.0.113.1', THRESHOLD)), deliver(failures('203.0.113.1', THRESHOLD))]);
    expect(results.flatMap((r) => r.blocked)).toEqual(['203.0.113.1/32']);
    expect(v4.addresses).toEqual(['203.0.113.1/32']);
  });

  it('keeps the block record when every attempt conflicts, so the expiry run adds the address later', async () => {
    v4.beforeUpdate = (model) => model.externalWrite(model.addresses);
    const result = await deliver(failures('203.0.113.7', THRESHOLD));
    expect(result.blocked).toEqual([]);
    expect(v4.conflicts).toBe(8);
    expect(log.lines().some((l) => l.level === 'ERROR' && String(l.message).includes('could not update block set'))).toBe(true);
    expect(table.get('blocks', '203.0.113.7/32')).toBeDefined();
    v4.beforeUpdate = undefined;
    const expiry = await expire();
    expect(expiry.restored).toEqual(['203.0.113.7/32']);
    expect(v4.addresses).toEqual(['203.0.113.7/32']);
  }, 20_000);
});

describe('malformed and partial log events', () => {
  it('skips and counts unreadable events while still counting the readable ones', async () => {
    const probe = (fields: object) => JSON.stringify({ probe: true, Reason: 'bad_signature', ...fields });
    const result = await deliver([
      'not json at all',
      '{"truncated": ',
      JSON.stringify(['an', 'array']),
      probe({}),
      probe({ sourceIp: '' }),
      probe({ sourceIp: 'not-an-ip' }),
      probe({ sourceIp: '-' }),
      '{"sourceIp":"203.0.113.7","probe":true,"Reason":"bad_signature","sourceIp":"198.51.100.1"}',
      42,
      ...failures('203.0.113.7', THRESHOLD),
    ]);
    expect(result.malformed).toBe(9);
    expect(result.skipped).toEqual({ 'not-json': 3, 'no-source-ip': 2, 'invalid-source-ip': 2, 'duplicate-key': 1, 'not-an-event': 1 });
    expect(result.failures).toBe(THRESHOLD);
    expect(result.blocked).toEqual(['203.0.113.7/32']);
    const summary = log.lines().find((l) => metricValue(l, IP_BLOCKER_METRICS.malformed) !== undefined);
    expect(summary).toMatchObject({ level: 'WARN', MalformedLogEvents: 9, FailuresCounted: THRESHOLD });
  });

  it('counts a delivery whose data is not base64 gzip as malformed and does not throw', async () => {
    const result = (await handler({ awslogs: { data: 'definitely not gzip' } })) as DeliveryResult;
    expect(result).toMatchObject({ malformed: 1, skipped: { 'undecodable-delivery': 1 }, blocked: [] });
    expect(log.lines()[0]).toMatchObject({ level: 'WARN', MalformedLogEvents: 1, reason: 'awslogs.data is not base64-encoded gzip' });
  });

  it('counts a delivery without data as malformed and does not throw', async () => {
    const result = (await handler({ awslogs: {} as { data: string } })) as DeliveryResult;
    expect(result.malformed).toBe(1);
    expect(wafMock.calls()).toHaveLength(0);
  });

  it('ignores CloudWatch Logs control messages', async () => {
    const result = (await handler(
      delivery(['CWL CONTROL MESSAGE: Checking health of destination Lambda'], 'CONTROL_MESSAGE'),
    )) as DeliveryResult;
    expect(result).toMatchObject({ events: 0, malformed: 0, blocked: [] });
    expect(dynamoMock.calls()).toHaveLength(0);
  });

  it('ignores an event that is neither a delivery nor the expiry run', async () => {
    const result = (await handler({ source: 'aws.s3' })) as DeliveryResult;
    expect(result.malformed).toBe(1);
    expect(wafMock.calls()).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('fails loudly, naming the variable, when the construct did not set one', async () => {
    delete process.env[IP_BLOCKER_ENV.tableName];
    await expect(handler({ ...IP_BLOCKER_EXPIRY_EVENT })).rejects.toThrow(
      'ip-blocker: environment variable IP_BLOCKER_TABLE_NAME is not set',
    );
  });

  it('rejects a never-block entry that is not a CIDR', async () => {
    setEnv({ [IP_BLOCKER_ENV.neverBlock]: JSON.stringify(['10.0.0.0/33']) });
    await expect(handler({ ...IP_BLOCKER_EXPIRY_EVENT })).rejects.toThrow(
      "IP_BLOCKER_NEVER_BLOCK holds '10.0.0.0/33', which is not a CIDR",
    );
  });
});
