import { DeleteItemCommand, DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { aggregateClient, Cidr, parseClientAddress } from '../../../contracts/cidr';
import { IP_BLOCKER_TABLE } from '../../../contracts/ip-blocker';
import {
  BLOCKS_PARTITION,
  bucketSeconds,
  countFailures,
  deleteBlock,
  failurePartition,
  listBlocks,
  recordBlock,
} from '../../../lambda/ip-blocker/state';
import { TableModel } from './models';

const TABLE = 'ip-blocker-state';
const dynamoMock = mockClient(DynamoDBClient);
const dynamo = new DynamoDBClient({ region: 'us-east-1' });
let table: TableModel;

const address = (raw: string): Cidr => parseClientAddress(raw)!;
const seconds = (s: number) => s * 1000;

beforeEach(() => {
  dynamoMock.reset();
  table = new TableModel(3);
  dynamoMock.on(UpdateItemCommand).callsFake(async (input) => table.updateItem(input));
  dynamoMock.on(QueryCommand).callsFake(async (input) => table.query(input));
  dynamoMock.on(DeleteItemCommand).callsFake(async (input) => table.deleteItem(input));
});

describe('bucketSeconds', () => {
  it.each([
    [600, 60],
    [300, 30],
    [15, 2],
    [10, 1],
    [5, 1],
    [1, 1],
    [86_400, 8_640],
  ])('splits a %i s window into buckets of %i s', (window, bucket) => {
    expect(bucketSeconds(window)).toBe(bucket);
  });

  it('gives at most ten buckets to a window, and covers the whole window', () => {
    for (const window of [1, 7, 15, 59, 300, 601, 86_400]) {
      const size = bucketSeconds(window);
      expect(Math.ceil(window / size)).toBeLessThanOrEqual(10);
      expect(Math.ceil(window / size) * size).toBeGreaterThanOrEqual(window);
    }
  });
});

describe('failurePartition', () => {
  it('keys counters by the client key, so a /64 and an address inside it count apart', () => {
    const host = address('2001:db8:1:2::7');
    expect(failurePartition(host)).toBe('failures#2001:db8:1:2::7/128');
    expect(failurePartition(aggregateClient(host, 64))).toBe('failures#2001:db8:1:2::/64');
  });

  it('keeps failure partitions apart from the block partition', () => {
    expect(failurePartition(address('203.0.113.7'))).not.toBe(BLOCKS_PARTITION);
  });
});

describe('countFailures', () => {
  const client = address('203.0.113.7');

  it('returns the failures of one delivery', async () => {
    expect(await countFailures(dynamo, TABLE, client, [seconds(1000), seconds(1001), seconds(1002)], 600)).toBe(3);
  });

  it('adds up failures across deliveries within the window', async () => {
    await countFailures(dynamo, TABLE, client, [seconds(1000)], 600);
    await countFailures(dynamo, TABLE, client, [seconds(1100)], 600);
    expect(await countFailures(dynamo, TABLE, client, [seconds(1200)], 600)).toBe(3);
  });

  it('forgets failures older than the window that ends with the newest one', async () => {
    await countFailures(dynamo, TABLE, client, [seconds(0)], 600);
    expect(await countFailures(dynamo, TABLE, client, [seconds(599)], 600)).toBe(2);
    expect(await countFailures(dynamo, TABLE, client, [seconds(600)], 600)).toBe(2);
  });

  it('does not count another client\u2019s failures', async () => {
    await countFailures(dynamo, TABLE, address('198.51.100.1'), [seconds(1000), seconds(1000)], 600);
    expect(await countFailures(dynamo, TABLE, client, [seconds(1000)], 600)).toBe(1);
  });

  it('adds each bucket atomically (ADD), so concurrent deliveries never lose a count', async () => {
    await Promise.all([
      countFailures(dynamo, TABLE, client, [seconds(1000)], 600),
      countFailures(dynamo, TABLE, client, [seconds(1001)], 600),
      countFailures(dynamo, TABLE, client, [seconds(1002)], 600),
    ]);
    const updates = dynamoMock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.UpdateExpression);
    for (const expression of updates) expect(expression).toMatch(/^ADD #count :n/);
    expect(await countFailures(dynamo, TABLE, client, [seconds(1003)], 600)).toBe(4);
  });

  it('writes one update per bucket, not one per failure', async () => {
    const times = Array.from({ length: 500 }, (_, i) => seconds(1000) + i);
    expect(await countFailures(dynamo, TABLE, client, times, 600)).toBe(500);
    expect(dynamoMock.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it('follows every page of the window query', async () => {
    // Ten buckets of 60 s, three items a page: four pages.
    const times = Array.from({ length: 10 }, (_, i) => seconds(60 * i));
    expect(await countFailures(dynamo, TABLE, client, times, 600)).toBe(10);
    expect(dynamoMock.commandCalls(QueryCommand).length).toBeGreaterThanOrEqual(4);
  });

  it('names counters with zero-padded epoch seconds, so they sort and range-query as text', async () => {
    await countFailures(dynamo, TABLE, client, [seconds(9), seconds(120)], 600);
    const keys = [...table.items.values()].map((item) => item[IP_BLOCKER_TABLE.sortKey].S);
    expect(keys.sort()).toEqual(['000000000000', '000000000120']);
  });

  it('lets DynamoDB expire a counter after its window has passed', async () => {
    await countFailures(dynamo, TABLE, client, [seconds(1000)], 600);
    const [item] = [...table.items.values()];
    // The bucket of 960 s ends at 1020 s; it is needed for one more window, then an hour of slack.
    expect(item[IP_BLOCKER_TABLE.ttlAttribute]).toEqual({ N: String(960 + 60 + 600 + 3600) });
  });
});

describe('recordBlock', () => {
  const client = address('203.0.113.7');
  const record = () => table.get(BLOCKS_PARTITION, client.key);

  it('records the block with its first time, release time and failures', async () => {
    await recordBlock(dynamo, TABLE, client, 25, 1_000, 5_000);
    expect(record()).toMatchObject({ blockedAt: { N: '1000' }, releaseAt: { N: '5000' }, failures: { N: '25' }, version: { S: 'IPV4' } });
  });

  it('keeps the first block time and moves the release time later', async () => {
    await recordBlock(dynamo, TABLE, client, 25, 1_000, 5_000);
    await recordBlock(dynamo, TABLE, client, 40, 2_000, 6_000);
    expect(record()).toMatchObject({ blockedAt: { N: '1000' }, releaseAt: { N: '6000' }, failures: { N: '40' } });
  });

  it('never moves the release time earlier (a late, stale delivery does not shorten a block)', async () => {
    await recordBlock(dynamo, TABLE, client, 40, 2_000, 6_000);
    await expect(recordBlock(dynamo, TABLE, client, 25, 1_000, 5_000)).resolves.toBeUndefined();
    expect(record()).toMatchObject({ releaseAt: { N: '6000' }, failures: { N: '40' } });
  });

  it('passes on a failure that is not the condition check', async () => {
    dynamoMock.on(UpdateItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(recordBlock(dynamo, TABLE, client, 25, 1_000, 5_000)).rejects.toThrow('throttled');
  });
});

describe('listBlocks', () => {
  it('returns every block record across pages', async () => {
    const clients = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '2001:db8::1'].map(address);
    for (const [i, c] of clients.entries()) await recordBlock(dynamo, TABLE, c, 20, 1_000 + i, 5_000 + i);
    const { records, unreadable } = await listBlocks(dynamo, TABLE);
    expect(unreadable).toEqual([]);
    expect(records.map((r) => r.client.key).sort()).toEqual(clients.map((c) => c.key).sort());
    expect(records.find((r) => r.client.key === '2001:db8::1/128')).toMatchObject({ blockedAtMs: 1_004, releaseAtMs: 5_004 });
  });

  it('does not list failure counters', async () => {
    await countFailures(dynamo, TABLE, address('203.0.113.7'), [seconds(1000)], 600);
    expect(await listBlocks(dynamo, TABLE)).toEqual({ records: [], unreadable: [] });
  });

  it('reports records it cannot read by key instead of failing or guessing', async () => {
    const { partitionKey: PK, sortKey: SK } = IP_BLOCKER_TABLE;
    table.put({ [PK]: { S: BLOCKS_PARTITION }, [SK]: { S: 'not-an-address' }, releaseAt: { N: '5000' } });
    table.put({ [PK]: { S: BLOCKS_PARTITION }, [SK]: { S: '203.0.113.8/32' }, releaseAt: { S: 'soon' } });
    table.put({ [PK]: { S: BLOCKS_PARTITION }, [SK]: { S: '203.0.113.9/32' } });
    const { records, unreadable } = await listBlocks(dynamo, TABLE);
    expect(records).toEqual([]);
    expect(unreadable.sort()).toEqual(['203.0.113.8/32', '203.0.113.9/32', 'not-an-address']);
  });

  it('takes the release time as the block time when the block time is missing', async () => {
    const { partitionKey: PK, sortKey: SK } = IP_BLOCKER_TABLE;
    table.put({ [PK]: { S: BLOCKS_PARTITION }, [SK]: { S: '203.0.113.7/32' }, releaseAt: { N: '5000' } });
    expect((await listBlocks(dynamo, TABLE)).records).toEqual([{ client: address('203.0.113.7'), blockedAtMs: 5000, releaseAtMs: 5000 }]);
  });
});

describe('deleteBlock', () => {
  const client = address('203.0.113.7');

  it('deletes a record whose release time is the one that was read', async () => {
    await recordBlock(dynamo, TABLE, client, 20, 1_000, 5_000);
    const [record] = (await listBlocks(dynamo, TABLE)).records;
    expect(await deleteBlock(dynamo, TABLE, record)).toBe(true);
    expect(table.get(BLOCKS_PARTITION, client.key)).toBeUndefined();
  });

  it('keeps a record a concurrent block renewed after it was read', async () => {
    await recordBlock(dynamo, TABLE, client, 20, 1_000, 5_000);
    const [record] = (await listBlocks(dynamo, TABLE)).records;
    await recordBlock(dynamo, TABLE, client, 30, 4_000, 9_000);
    expect(await deleteBlock(dynamo, TABLE, record)).toBe(false);
    expect(table.get(BLOCKS_PARTITION, client.key)).toMatchObject({ releaseAt: { N: '9000' } });
  });

  it('passes on a failure that is not the condition check', async () => {
    dynamoMock.on(DeleteItemCommand).rejects(Object.assign(new Error('access denied'), { name: 'AccessDeniedException' }));
    await expect(deleteBlock(dynamo, TABLE, { client, blockedAtMs: 1, releaseAtMs: 2 })).rejects.toThrow('access denied');
  });
});
