import { errorName, log, RotationContext } from './context';
import { deleteKey, listOwnedKeys, OwnedKey, setKeyEnabled } from './gateway-keys';
import { CURRENT, describeSecret, forgetVersion, PENDING, recordSuperseded, supersededAt } from './secret-versions';

export type RetirementAction = 'keep' | 'disable' | 'delete';

export interface RetirementInput {
  /** The staging labels of the key's secret version (empty when the version has none or is gone). */
  readonly stages: readonly string[];
  readonly enabled: boolean;
  /** When the key's version was recorded as superseded (epoch ms), if it was. */
  readonly supersededAt?: number;
  readonly now: number;
  readonly gracePeriodMs: number;
  readonly deleteAfterMs: number;
}

/**
 * What the sweep does with one key:
 * - AWSCURRENT and AWSPENDING keys are kept (clients use the first; a rotation is testing the second);
 * - every other key (AWSPREVIOUS, or older, or of an abandoned rotation) has its own grace period, from its own
 *   supersession record: it stays enabled for the grace period, is then disabled (reversible: an operator can
 *   re-enable it for a late client), and deleted `deleteAfter` later. Later rotations never shorten it;
 * - a key without a record is kept, and its grace period starts now (the caller records it).
 */
export function decideRetirement(input: RetirementInput): { action: RetirementAction; reason: string } {
  if (input.stages.includes(CURRENT)) return { action: 'keep', reason: 'holds AWSCURRENT' };
  if (input.stages.includes(PENDING)) return { action: 'keep', reason: 'holds AWSPENDING (rotation in progress)' };
  if (input.supersededAt === undefined) return { action: 'keep', reason: 'superseded, no record yet; its grace period starts now' };
  const disableAt = input.supersededAt + input.gracePeriodMs;
  if (input.now < disableAt) return { action: 'keep', reason: 'superseded, within its grace period' };
  if (input.now < disableAt + input.deleteAfterMs) {
    return input.enabled
      ? { action: 'disable', reason: 'grace period over' }
      : { action: 'keep', reason: 'disabled; waiting to be deleted' };
  }
  return { action: 'delete', reason: 'grace period and deletion delay over' };
}

export interface SweepReport {
  readonly kept: string[];
  readonly disabled: string[];
  readonly deleted: string[];
}

/**
 * The scheduled sweep: applies {@link decideRetirement} to every registered key of the consumer. A superseded
 * key without a record gets one now, so its grace period is never cut short. It never disables or deletes
 * anything while no enabled key holds AWSCURRENT (for example after an operator disabled the current key by
 * hand): a client with an older value is not locked out.
 */
export async function retireSupersededKeys(ctx: RotationContext): Promise<SweepReport> {
  const now = ctx.clock.now();
  const state = await describeSecret(ctx);
  const { keys, gone } = await listOwnedKeys(ctx, state);
  for (const versionId of gone) {
    // The key was deleted (by an earlier sweep whose bookkeeping failed, or by hand): forget it.
    await forgetVersion(ctx, versionId);
  }
  const currentServed = keys.some((k) => k.enabled && (state.versions[k.versionId] ?? []).includes(CURRENT));
  const report: SweepReport = { kept: [], disabled: [], deleted: [] };
  for (const key of keys) {
    const stages = state.versions[key.versionId] ?? [];
    const recorded = supersededAt(state, key.versionId);
    const decision = decideRetirement({
      stages,
      enabled: key.enabled,
      supersededAt: recorded,
      now,
      gracePeriodMs: ctx.config.gracePeriodMs,
      deleteAfterMs: ctx.config.deleteAfterMs,
    });
    if (recorded === undefined && !stages.includes(CURRENT) && !stages.includes(PENDING)) await recordSuperseded(ctx, key.versionId, now);
    if (decision.action !== 'keep' && !currentServed) {
      log('ERROR', 'no enabled API key holds AWSCURRENT; keeping the superseded key', { consumerId: ctx.config.consumerId, keyId: key.id });
      report.kept.push(key.id);
      continue;
    }
    await apply(ctx, key, decision.action, decision.reason, report);
  }
  return report;
}

async function apply(ctx: RotationContext, key: OwnedKey, action: RetirementAction, reason: string, report: SweepReport): Promise<void> {
  if (action === 'keep') {
    report.kept.push(key.id);
    return;
  }
  if (action === 'disable') {
    await setKeyEnabled(ctx, key.id, false);
    report.disabled.push(key.id);
  } else {
    await deleteKey(ctx, key.id);
    await forgetVersion(ctx, key.versionId);
    report.deleted.push(key.id);
  }
  log('INFO', `${action}d API key`, { consumerId: ctx.config.consumerId, keyId: key.id, versionId: key.versionId, reason });
}

/**
 * Removes every registered key of the consumer, when the consumer (its CloudFormation custom resource) is
 * deleted. A key that cannot be deleted is at least disabled. Returns the ids of keys still enabled.
 */
export async function retireAllKeys(ctx: RotationContext): Promise<string[]> {
  const stillEnabled: string[] = [];
  const { keys } = await listOwnedKeys(ctx, await describeSecret(ctx));
  for (const key of keys) {
    try {
      await deleteKey(ctx, key.id);
      log('INFO', 'deleted API key of removed consumer', { consumerId: ctx.config.consumerId, keyId: key.id });
    } catch (error) {
      log('ERROR', 'could not delete API key; disabling it', { keyId: key.id, error: errorName(error) });
      try {
        await setKeyEnabled(ctx, key.id, false);
      } catch {
        if (key.enabled) stillEnabled.push(key.id);
      }
    }
  }
  return stillEnabled;
}
