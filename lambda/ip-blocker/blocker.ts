import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { IP_BLOCKER_METRICS } from '../../contracts/ip-blocker';
import { aggregateClient, Cidr, IpVersion, parseCidr } from '../../contracts/cidr';
import { BlockerConfig } from './config';
import { applyBlockSetChange, BlockSetChange, BlockSetPlan, DEFAULT_LOCK_RETRY, entryKey, LockRetry } from './ip-set';
import { ClientFailure, decodeSubscriptionData, readLogEvent, SkipReason } from './log-events';
import { BlockRecord, countFailures, deleteBlock, listBlocks, recordBlock } from './state';
import { Telemetry } from './telemetry';

/** What the handler works with; tests pass mocked clients and a fixed clock. */
export interface BlockerDeps {
  readonly config: BlockerConfig;
  readonly waf: Pick<WAFV2Client, 'send'>;
  readonly dynamo: Pick<DynamoDBClient, 'send'>;
  readonly telemetry: Telemetry;
  readonly now: () => number;
  readonly lockRetry?: LockRetry;
}

/** The outcome of one access-log delivery. */
export interface DeliveryResult {
  readonly events: number;
  readonly failures: number;
  readonly malformed: number;
  readonly skipped: { [reason in SkipReason | 'undecodable-delivery']?: number };
  /** Failures from never-block addresses, not counted. */
  readonly neverBlocked: number;
  /** Addresses newly added to a block set. */
  readonly blocked: string[];
  /** Addresses that crossed the threshold but found the block set full. */
  readonly overflow: string[];
}

/** The outcome of a scheduled expiry run. */
export interface ExpiryResult {
  readonly released: string[];
  /** Block records re-added to their set (a block that had not reached WAF, or was renewed during the run). */
  readonly restored: string[];
  readonly overflow: string[];
}

const VERSIONS: readonly IpVersion[] = ['IPV4', 'IPV6'];
const PARALLELISM = 8;

/** Runs `work` over `items`, at most PARALLELISM at a time. */
async function forEachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(PARALLELISM, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/**
 * One subscription delivery of the access log: count each client's authentication and validation
 * failures in the sliding window, and block the clients that reach the threshold. Unreadable events
 * are skipped and counted; they never stop the rest of the delivery.
 */
export async function processDelivery(data: unknown, deps: BlockerDeps): Promise<DeliveryResult> {
  const { config, telemetry } = deps;
  const nowMs = deps.now();
  const skipped: DeliveryResult['skipped'] = {};
  let payload;
  try {
    payload = decodeSubscriptionData(data);
  } catch (error) {
    skipped['undecodable-delivery'] = 1;
    telemetry.log('WARN', 'skipped a log delivery that could not be decoded', { reason: (error as Error).message }, [
      { name: IP_BLOCKER_METRICS.malformed, value: 1 },
    ]);
    return { events: 0, failures: 0, malformed: 1, skipped, neverBlocked: 0, blocked: [], overflow: [] };
  }
  if (payload.messageType !== 'DATA_MESSAGE') {
    return { events: 0, failures: 0, malformed: 0, skipped, neverBlocked: 0, blocked: [], overflow: [] };
  }

  const byClient = new Map<string, { client: Cidr; times: number[] }>();
  let failures = 0;
  let malformed = 0;
  let neverBlocked = 0;
  for (const event of payload.logEvents) {
    const reading = readLogEvent(event, nowMs);
    if ('skipped' in reading) {
      malformed++;
      skipped[reading.skipped] = (skipped[reading.skipped] ?? 0) + 1;
      continue;
    }
    if ('ignored' in reading) continue;
    const failure: ClientFailure = reading.failure;
    if (config.neverBlock.contains(failure.client)) {
      neverBlocked++;
      continue;
    }
    failures++;
    // IPv6 clients count and are blocked as their network; a network holding a never-block address stays per address.
    const network = aggregateClient(failure.client, config.ipv6Prefix);
    const client = config.neverBlock.overlaps(network) ? failure.client : network;
    const entry = byClient.get(client.key) ?? { client, times: [] };
    entry.times.push(failure.timeMs);
    byClient.set(client.key, entry);
  }
  if (malformed > 0 || failures > 0) {
    telemetry.log(
      malformed > 0 ? 'WARN' : 'INFO',
      `read ${payload.logEvents.length} authorizer log events: ${failures} probing failures, ${malformed} unreadable`,
      { logGroup: payload.logGroup, skipped, neverBlocked },
      [
        { name: IP_BLOCKER_METRICS.failures, value: failures },
        { name: IP_BLOCKER_METRICS.malformed, value: malformed },
      ],
    );
  }

  // Count, then block the clients at or over the threshold.
  const crossing: { client: Cidr; count: number }[] = [];
  await forEachLimited([...byClient.values()], async ({ client, times }) => {
    const count = await countFailures(deps.dynamo, config.tableName, client, times, config.windowSeconds);
    if (count >= config.threshold) crossing.push({ client, count });
  });
  crossing.sort((a, b) => b.count - a.count || a.client.key.localeCompare(b.client.key));
  const releaseAtMs = nowMs + config.blockSeconds * 1000;
  // The record is written before the address reaches WAF, so a set entry always has its record.
  await forEachLimited(crossing, async ({ client, count }) =>
    recordBlock(deps.dynamo, config.tableName, client, count, nowMs, releaseAtMs),
  );

  const blocked: string[] = [];
  const overflow: string[] = [];
  const counts = new Map(crossing.map((c) => [c.client.key, c.count]));
  for (const version of VERSIONS) {
    const add = crossing.filter((c) => c.client.version === version).map((c) => c.client);
    if (add.length === 0) continue;
    let plan: BlockSetPlan;
    let records: Map<string, BlockRecord> | undefined;
    const releaseTimes = async () => {
      records = new Map((await listBlocks(deps.dynamo, config.tableName)).records.map((r) => [r.client.key, r]));
      return new Map([...records].map(([key, r]) => [key, r.releaseAtMs]));
    };
    try {
      plan = await applyBlockSetChange(
        deps.waf,
        config.ipSets[version],
        { add, remove: new Set() },
        config.maxAddresses,
        config.neverBlock,
        deps.lockRetry ?? DEFAULT_LOCK_RETRY,
        releaseTimes,
      );
    } catch (error) {
      // The block records are stored: the next scheduled run adds them. Counting again on a retry would inflate counts.
      telemetry.log('ERROR', `could not update block set ${config.ipSets[version].name}; the next expiry run adds the pending addresses`, {
        error: (error as Error).message,
        pending: add.map((c) => c.key),
      });
      continue;
    }
    for (const client of plan.added) {
      blocked.push(client.key);
      telemetry.log(
        'WARN',
        `blocked ${client.key}`,
        {
          ip: client.key,
          failures: counts.get(client.key),
          windowSeconds: config.windowSeconds,
          releaseAt: new Date(releaseAtMs).toISOString(),
          ipSet: config.ipSets[version].name,
        },
        [{ name: IP_BLOCKER_METRICS.blocked, value: 1 }],
      );
    }
    reportRemovals(deps, version, plan);
    await reportEvictions(deps, version, plan, records ?? new Map());
    overflow.push(...reportOverflow(deps, version, plan));
  }
  return { events: payload.logEvents.length, failures, malformed, skipped, neverBlocked, blocked, overflow };
}

/**
 * The scheduled run: release expired blocks, take out entries that have no record (and never-block
 * addresses), and add back records missing from their set (a failed update, a full set).
 */
export async function releaseExpired(deps: BlockerDeps): Promise<ExpiryResult> {
  const { config, telemetry } = deps;
  // Read the sets before the records: an entry present now whose record is absent afterwards is an
  // orphan, because a record is always written before its entry.
  const snapshots = new Map<IpVersion, Set<string>>();
  for (const version of VERSIONS) {
    const ref = config.ipSets[version];
    const current = await deps.waf.send(new GetIPSetCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }));
    snapshots.set(version, new Set((current.IPSet?.Addresses ?? []).map(entryKey)));
  }
  const { records, unreadable } = await listBlocks(deps.dynamo, config.tableName);
  if (unreadable.length > 0) telemetry.log('WARN', 'skipped unreadable block records', { keys: unreadable });
  const nowMs = deps.now();
  const recordKeys = new Set([...records.map((r) => r.client.key), ...unreadable]);

  const released: string[] = [];
  const restored: string[] = [];
  const overflow: string[] = [];
  const errors: string[] = [];
  for (const version of VERSIONS) {
    const mine = records.filter((r) => r.client.version === version);
    const expired = mine.filter((r) => r.releaseAtMs <= nowMs);
    const active = mine.filter((r) => r.releaseAtMs > nowMs);
    const orphans = [...snapshots.get(version)!].filter((key) => !recordKeys.has(key));
    const change: BlockSetChange = { add: active.map((r) => r.client), remove: new Set([...expired.map((r) => r.client.key), ...orphans]) };
    try {
      const plan = await applyBlockSetChange(
        deps.waf,
        config.ipSets[version],
        change,
        config.maxAddresses,
        config.neverBlock,
        deps.lockRetry ?? DEFAULT_LOCK_RETRY,
      );
      released.push(...reportRemovals(deps, version, plan, new Map(expired.map((r) => [r.client.key, r]))));
      restored.push(...reportRestores(deps, version, plan));
      overflow.push(...reportOverflow(deps, version, plan));

      // Delete the expired records; one that a block renewed meanwhile is kept and goes back in.
      const renewed: Cidr[] = [];
      for (const record of expired) {
        if (!(await deleteBlock(deps.dynamo, config.tableName, record))) renewed.push(record.client);
      }
      if (renewed.length > 0) {
        const again = await applyBlockSetChange(
          deps.waf,
          config.ipSets[version],
          { add: renewed, remove: new Set() },
          config.maxAddresses,
          config.neverBlock,
          deps.lockRetry ?? DEFAULT_LOCK_RETRY,
        );
        restored.push(...reportRestores(deps, version, again));
        overflow.push(...reportOverflow(deps, version, again));
      }
    } catch (error) {
      errors.push(`${config.ipSets[version].name}: ${(error as Error).message}`);
      telemetry.log('ERROR', `expiry run could not update block set ${config.ipSets[version].name}`, { error: (error as Error).message });
    }
  }
  if (errors.length > 0) throw new Error(`ip-blocker expiry run failed for ${errors.join('; ')}`);
  return { released, restored, overflow };
}

function reportRemovals(deps: BlockerDeps, version: IpVersion, plan: BlockSetPlan, expired = new Map<string, BlockRecord>()): string[] {
  const keys: string[] = [];
  for (const entry of plan.removed) {
    const key = entryKey(entry);
    const record = expired.get(key);
    const cidr = parseCidr(entry);
    const reason =
      record !== undefined ? 'expired' : cidr !== undefined && deps.config.neverBlock.contains(cidr) ? 'allow-listed' : 'no block record';
    keys.push(key);
    deps.telemetry.log(
      'INFO',
      `released ${key}`,
      {
        ip: key,
        reason,
        blockedAt: record ? new Date(record.blockedAtMs).toISOString() : undefined,
        ipSet: deps.config.ipSets[version].name,
      },
      [{ name: IP_BLOCKER_METRICS.released, value: 1 }],
    );
  }
  return keys;
}

function reportRestores(deps: BlockerDeps, version: IpVersion, plan: BlockSetPlan): string[] {
  for (const client of plan.added) {
    deps.telemetry.log(
      'WARN',
      `blocked ${client.key}`,
      { ip: client.key, reason: 'block record not yet in the set', ipSet: deps.config.ipSets[version].name },
      [{ name: IP_BLOCKER_METRICS.blocked, value: 1 }],
    );
  }
  return plan.added.map((c) => c.key);
}

/** Deletes the records of evicted blocks (so the expiry run does not put them back) and says so. */
async function reportEvictions(
  deps: BlockerDeps,
  version: IpVersion,
  plan: BlockSetPlan,
  records: ReadonlyMap<string, BlockRecord>,
): Promise<void> {
  if (plan.evicted.length === 0) return;
  const { config, telemetry } = deps;
  for (const entry of plan.evicted) {
    const key = entryKey(entry);
    const record = records.get(key);
    if (record !== undefined) await deleteBlock(deps.dynamo, config.tableName, record);
    telemetry.log(
      'WARN',
      `evicted ${key} from the full block set ${config.ipSets[version].name} to make room for a new block`,
      {
        ip: key,
        releaseAt: record ? new Date(record.releaseAtMs).toISOString() : undefined,
        cap: config.maxAddresses,
        ipSet: config.ipSets[version].name,
      },
      [{ name: IP_BLOCKER_METRICS.evicted, value: 1 }],
    );
  }
  telemetry.log(
    'ERROR',
    `block set ${config.ipSets[version].name} is full (${config.maxAddresses} addresses): ${plan.evicted.length} block(s) closest to expiry made room for new ones`,
    {
      cap: config.maxAddresses,
      evicted: plan.evicted.map(entryKey),
      ipSet: config.ipSets[version].name,
    },
    [{ name: IP_BLOCKER_METRICS.capReached, value: plan.evicted.length }],
  );
}

function reportOverflow(deps: BlockerDeps, version: IpVersion, plan: BlockSetPlan): string[] {
  if (plan.overflow.length === 0) return [];
  const keys = plan.overflow.map((c) => c.key);
  deps.telemetry.log(
    'ERROR',
    `block set ${deps.config.ipSets[version].name} is full (${deps.config.maxAddresses} addresses): ${keys.length} address(es) could not be blocked and wait for room`,
    { cap: deps.config.maxAddresses, waiting: keys, ipSet: deps.config.ipSets[version].name },
    [{ name: IP_BLOCKER_METRICS.capReached, value: keys.length }],
  );
  return keys;
}
