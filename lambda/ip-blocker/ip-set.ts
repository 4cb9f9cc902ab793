import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { IpSetReference } from '../../contracts/ip-blocker';
import { AddressRanges, Cidr, parseCidr } from '../../contracts/cidr';

type Waf = Pick<WAFV2Client, 'send'>;

/** What to do to a block set. */
export interface BlockSetChange {
  /** Addresses that should be in the set (already present ones are left as they are). */
  readonly add: readonly Cidr[];
  /** Keys (`address/prefix`) to take out of the set. */
  readonly remove: ReadonlySet<string>;
}

/** The set after a change, and what actually changed. */
export interface BlockSetPlan {
  /** The new address list, or `undefined` when nothing changes. */
  readonly next?: string[];
  /** Entries added. */
  readonly added: Cidr[];
  /** Entries removed, as they were written in the set. */
  readonly removed: string[];
  /** Entries that should have been added but did not fit under the cap. */
  readonly overflow: Cidr[];
  /** Entries taken out of a full set to make room, closest to expiry first (only with release times). */
  readonly evicted: string[];
}

/** The key of an entry as WAF returns it (WAF may write addresses differently from us). */
export function entryKey(entry: string): string {
  return parseCidr(entry)?.key ?? entry;
}

/**
 * Plans a change to a block set: take out `remove` and every never-block address, then add what
 * is missing, up to `cap` entries. Pure, so it is recomputed from the set's current content on
 * every attempt: an entry another invocation added in the meantime is kept.
 *
 * With `releaseAt` (each entry's release time, epoch ms), a full set makes room: the entry closest
 * to its release (an entry without a record first) is evicted for each new one, so a full list
 * never leaves a new offender unblocked. Without it, what does not fit is returned as `overflow`.
 */
export function planBlockSetChange(
  current: readonly string[],
  change: BlockSetChange,
  cap: number,
  neverBlock: AddressRanges,
  releaseAt?: ReadonlyMap<string, number>,
): BlockSetPlan {
  const kept: string[] = [];
  const removed: string[] = [];
  const present = new Set<string>();
  for (const entry of current) {
    const cidr = parseCidr(entry);
    const key = cidr?.key ?? entry;
    if (change.remove.has(key) || (cidr !== undefined && neverBlock.contains(cidr))) {
      removed.push(entry);
    } else {
      kept.push(entry);
      present.add(key);
    }
  }
  const added: Cidr[] = [];
  const overflow: Cidr[] = [];
  const evicted: string[] = [];
  // Eviction candidates, the one closest to release last (popped first); ties by key, so the plan is deterministic.
  const candidates =
    releaseAt === undefined
      ? []
      : kept
          .map((entry) => ({ entry, key: entryKey(entry), release: releaseAt.get(entryKey(entry)) ?? -Infinity }))
          .sort((a, b) => b.release - a.release || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
          .map((c) => c.entry);
  for (const cidr of change.add) {
    if (present.has(cidr.key) || neverBlock.contains(cidr) || change.remove.has(cidr.key)) continue;
    present.add(cidr.key);
    if (kept.length - evicted.length + added.length < cap) {
      added.push(cidr);
    } else if (candidates.length > 0) {
      evicted.push(candidates.pop()!);
      added.push(cidr);
    } else {
      overflow.push(cidr);
    }
  }
  const gone = new Set(evicted);
  const changed = added.length > 0 || removed.length > 0;
  return {
    next: changed ? [...kept.filter((e) => !gone.has(e)), ...added.map((c) => c.key)] : undefined,
    added,
    removed: [...removed],
    overflow,
    evicted,
  };
}

/** How {@link applyBlockSetChange} retries after WAF's optimistic-lock conflicts. */
export interface LockRetry {
  readonly maxAttempts: number;
  /** Delay before attempt `n + 1` (n ≥ 1), in ms. */
  readonly delayMs: (attempt: number) => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Exponential back-off with full jitter: 50, 100, 200 ... ms, capped at 2 s. */
export const DEFAULT_LOCK_RETRY: LockRetry = {
  maxAttempts: 8,
  delayMs: (attempt) => Math.random() * Math.min(2000, 50 * 2 ** (attempt - 1)),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class LockConflictError extends Error {
  constructor(ref: IpSetReference, attempts: number) {
    super(`IP set '${ref.name}' changed concurrently on each of ${attempts} attempts`);
    this.name = 'LockConflictError';
  }
}

/**
 * Applies a change under WAF's optimistic locking: read the set and its LockToken, plan the change
 * from what is there now, write it with the token. When another writer got in between, WAF answers
 * WAFOptimisticLockException: read again and re-plan, so neither writer's additions are lost.
 */
export async function applyBlockSetChange(
  waf: Waf,
  ref: IpSetReference,
  change: BlockSetChange,
  cap: number,
  neverBlock: AddressRanges,
  retry: LockRetry = DEFAULT_LOCK_RETRY,
  releaseTimes?: () => Promise<ReadonlyMap<string, number>>,
): Promise<BlockSetPlan & { attempts: number }> {
  let releaseAt: ReadonlyMap<string, number> | undefined;
  for (let attempt = 1; ; attempt++) {
    const current = await waf.send(new GetIPSetCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }));
    const addresses = current.IPSet?.Addresses ?? [];
    // Release times are read only when the set may be full.
    if (releaseTimes !== undefined && releaseAt === undefined && addresses.length + change.add.length > cap)
      releaseAt = await releaseTimes();
    const plan = planBlockSetChange(addresses, change, cap, neverBlock, releaseAt);
    if (plan.next === undefined) return { ...plan, attempts: attempt };
    try {
      await waf.send(
        new UpdateIPSetCommand({
          Name: ref.name,
          Id: ref.id,
          Scope: ref.scope,
          Addresses: plan.next,
          // UpdateIPSet replaces every field: keep the description as it is.
          Description: current.IPSet?.Description,
          LockToken: current.LockToken,
        }),
      );
      return { ...plan, attempts: attempt };
    } catch (error) {
      if ((error as { name?: string })?.name !== 'WAFOptimisticLockException') throw error;
      if (attempt >= retry.maxAttempts) throw new LockConflictError(ref, attempt);
      await retry.sleep(retry.delayMs(attempt));
    }
  }
}
