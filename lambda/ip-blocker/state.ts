import {
  DeleteItemCommand,
  DynamoDBClient,
  QueryCommand,
  QueryCommandInput,
  QueryCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { IP_BLOCKER_TABLE } from '../../contracts/ip-blocker';
import { Cidr, parseCidr } from '../../contracts/cidr';

type Dynamo = Pick<DynamoDBClient, 'send'>;

function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

const { partitionKey: PK, sortKey: SK, ttlAttribute: TTL } = IP_BLOCKER_TABLE;

/** Every item a query matches, following LastEvaluatedKey across pages. */
async function* queryAll(
  dynamo: Dynamo,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<NonNullable<QueryCommandOutput['Items']>[number]> {
  let startKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/** The partition holding every block record: one Query lists them all (at most 2 × 10,000 items). */
export const BLOCKS_PARTITION = 'blocks';

/** The partition holding one address's failure counters. */
export function failurePartition(client: Cidr): string {
  return `failures#${client.key}`;
}

/** Sort keys of counters are zero-padded epoch seconds, so they order and range-query as strings. */
function bucketKey(bucketStartSeconds: number): string {
  return String(bucketStartSeconds).padStart(12, '0');
}

/**
 * The sliding window is kept as ten buckets (a tenth of the window each). Failures are added to
 * their bucket atomically (concurrent invocations never lose a count); the window's total is the
 * sum of the ten buckets that end with the newest failure's bucket.
 */
export function bucketSeconds(windowSeconds: number): number {
  return Math.max(1, Math.ceil(windowSeconds / 10));
}

/**
 * Adds failures at `timesMs` to `client`'s counters and returns how many failures the client has
 * in the window that ends at its latest failure.
 */
export async function countFailures(
  dynamo: Dynamo,
  table: string,
  client: Cidr,
  timesMs: number[],
  windowSeconds: number,
): Promise<number> {
  const size = bucketSeconds(windowSeconds);
  const buckets = new Map<number, number>();
  for (const t of timesMs) {
    const start = Math.floor(t / 1000 / size) * size;
    buckets.set(start, (buckets.get(start) ?? 0) + 1);
  }
  const pk = failurePartition(client);
  for (const [start, count] of [...buckets.entries()].sort(([a], [b]) => a - b)) {
    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { [PK]: { S: pk }, [SK]: { S: bucketKey(start) } },
        UpdateExpression: 'ADD #count :n SET #ttl = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL },
        ExpressionAttributeValues: { ':n': { N: String(count) }, ':ttl': { N: String(start + size + windowSeconds + 3600) } },
      }),
    );
  }
  const newest = Math.max(...buckets.keys());
  const oldest = newest - (Math.ceil(windowSeconds / size) - 1) * size;
  let total = 0;
  const items = queryAll(dynamo, {
    TableName: table,
    ConsistentRead: true,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
    ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: bucketKey(oldest) }, ':to': { S: bucketKey(newest) } },
  });
  for await (const item of items) total += Number(item.count?.N ?? 0);
  return total;
}

/** When an address was blocked and until when: the state expiry needs. */
export interface BlockRecord {
  readonly client: Cidr;
  /** Epoch ms of the first block. */
  readonly blockedAtMs: number;
  /** Epoch ms after which the address is released. */
  readonly releaseAtMs: number;
}

/**
 * Records that `client` is blocked until `releaseAtMs`. The first block time is kept; a later
 * release time replaces an earlier one, never the reverse.
 */
export async function recordBlock(
  dynamo: Dynamo,
  table: string,
  client: Cidr,
  failures: number,
  nowMs: number,
  releaseAtMs: number,
): Promise<void> {
  try {
    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { [PK]: { S: BLOCKS_PARTITION }, [SK]: { S: client.key } },
        UpdateExpression:
          'SET #blockedAt = if_not_exists(#blockedAt, :now), #releaseAt = :release, #failures = :failures, #version = :version',
        ConditionExpression: 'attribute_not_exists(#releaseAt) OR #releaseAt < :release',
        ExpressionAttributeNames: { '#blockedAt': 'blockedAt', '#releaseAt': 'releaseAt', '#failures': 'failures', '#version': 'version' },
        ExpressionAttributeValues: {
          ':now': { N: String(nowMs) },
          ':release': { N: String(releaseAtMs) },
          ':failures': { N: String(failures) },
          ':version': { S: client.version },
        },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
  }
}

/** Every block record (strongly consistent). Items the handler cannot read are returned as `unreadable` keys. */
export async function listBlocks(dynamo: Dynamo, table: string): Promise<{ records: BlockRecord[]; unreadable: string[] }> {
  const records: BlockRecord[] = [];
  const unreadable: string[] = [];
  const items = queryAll(dynamo, {
    TableName: table,
    ConsistentRead: true,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': PK },
    ExpressionAttributeValues: { ':pk': { S: BLOCKS_PARTITION } },
  });
  for await (const item of items) {
    const key = item[SK]?.S ?? '';
    const client = parseCidr(key);
    const blockedAtMs = Number(item.blockedAt?.N);
    const releaseAtMs = Number(item.releaseAt?.N);
    if (client === undefined || !Number.isFinite(releaseAtMs)) {
      unreadable.push(key);
      continue;
    }
    records.push({ client, blockedAtMs: Number.isFinite(blockedAtMs) ? blockedAtMs : releaseAtMs, releaseAtMs });
  }
  return { records, unreadable };
}

/**
 * Deletes a released block record, unless a concurrent block renewed it since it was read
 * (its release time changed). Returns whether the record was deleted.
 */
export async function deleteBlock(dynamo: Dynamo, table: string, record: BlockRecord): Promise<boolean> {
  try {
    await dynamo.send(
      new DeleteItemCommand({
        TableName: table,
        Key: { [PK]: { S: BLOCKS_PARTITION }, [SK]: { S: record.client.key } },
        ConditionExpression: '#releaseAt = :seen',
        ExpressionAttributeNames: { '#releaseAt': 'releaseAt' },
        ExpressionAttributeValues: { ':seen': { N: String(record.releaseAtMs) } },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}
