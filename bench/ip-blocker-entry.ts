// Bench entry for bench/ip-blocker.bench.mjs: the ip-blocker's delivery processing with in-memory
// WAF and DynamoDB stand-ins that answer at once, so the time measured is the handler's own work
// (decode, parse, classify, count, plan the IP-set change), not the network.
import { gzipSync } from 'node:zlib';
import { AddressRanges } from '../contracts/cidr';
import { processDelivery } from '../lambda/ip-blocker/blocker';
import { Telemetry } from '../lambda/ip-blocker/telemetry';

/** The fields of the WAF IP-set commands the stand-in reads. */
interface WafInput {
  readonly LockToken?: string;
  readonly Addresses?: string[];
}

/** The fields of the DynamoDB update and query commands the stand-in reads. */
interface TableInput {
  readonly UpdateExpression?: string;
  readonly KeyConditionExpression?: string;
  readonly Key?: { pk: { S: string }; sk: { S: string } };
  readonly ExpressionAttributeValues?: { [name: string]: { S?: string; N?: string } | undefined };
}

function fakeWaf() {
  let addresses: string[] = [];
  let token = 0;
  return {
    // Commands are told apart by their input: bundlers may rename the command classes.
    send: async (command: { input: WafInput }) => {
      if (command.input.LockToken === undefined) return { IPSet: { Addresses: [...addresses] }, LockToken: String(token) };
      addresses = command.input.Addresses ?? [];
      token++;
      return {};
    },
  };
}

function fakeTable() {
  const counts = new Map<string, number>();
  return {
    send: async (command: { input: TableInput }) => {
      const input = command.input;
      if (input.UpdateExpression !== undefined) {
        const key = `${input.Key?.pk.S}|${input.Key?.sk.S}`;
        counts.set(key, (counts.get(key) ?? 0) + Number(input.ExpressionAttributeValues?.[':n']?.N ?? 0));
        return {};
      }
      if (input.KeyConditionExpression !== undefined) {
        const pk = input.ExpressionAttributeValues?.[':pk']?.S;
        let total = 0;
        for (const [key, n] of counts) if (key.startsWith(`${pk}|`)) total += n;
        return { Items: [{ count: { N: String(total) } }] };
      }
      return {};
    },
  };
}

/** A delivery of `events` access-log lines from `clients` addresses; every other line is a failure. */
export function makeDelivery(events: number, clients: number): string {
  const now = Date.now();
  const logEvents = Array.from({ length: events }, (_, i) => {
    const failed = i % 2 === 0;
    const line = {
      requestId: `req-${i}`,
      sourceIp: `198.51.${Math.floor((i % clients) / 250)}.${(i % clients) % 250}`,
      requestTimeEpoch: String(now - (events - i)),
      httpMethod: 'POST',
      resourcePath: '/token',
      status: failed ? '401' : '200',
      errorResponseType: failed ? 'UNAUTHORIZED' : '-',
      wafResponseCode: 'WAF_ALLOW',
    };
    return { id: String(i), timestamp: now, message: JSON.stringify(line) };
  });
  return gzipSync(
    JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: '/bench', logStream: 's', subscriptionFilters: ['f'], owner: '1', logEvents }),
  ).toString('base64');
}

export async function processOnce(data: string): Promise<{ failures: number; blocked: number }> {
  const ref = { name: 'n', id: 'i', scope: 'REGIONAL' as const };
  const result = await processDelivery(data, {
    config: {
      tableName: 't',
      ipSets: { IPV4: ref, IPV6: ref },
      threshold: 5,
      windowSeconds: 300,
      blockSeconds: 3600,
      neverBlock: new AddressRanges([]),
      maxAddresses: 10_000,
      metricNamespace: 'bench',
      apiName: 'bench',
    },
    waf: fakeWaf() as never,
    dynamo: fakeTable() as never,
    telemetry: new Telemetry('bench', 'bench', () => undefined),
    now: Date.now,
  });
  return { failures: result.failures, blocked: result.blocked.length };
}
