import { SUPERSEDED_AT_TAG, SUPERSEDED_VERSION_TAG } from '../../contracts/api-keys';
import { errorName, log, RotationContext } from './context';
import { deleteKey, listOwnedKeys, OwnedKey, setKeyEnabled } from './gateway-keys';
import { CURRENT, describeSecret, PENDING, PREVIOUS, recordSuperseded, versionWithStage } from './secret-versions';

export type RetirementAction = 'keep' | 'disable' | 'delete';

export interface RetirementInput {
  /** The staging labels of the key's secret version (empty when the version has none or is gone). */
  readonly stages: readonly string[];
  readonly enabled: boolean;
  /** When the key's version stopped being AWSCURRENT (epoch ms), for the AWSPREVIOUS version. */
  readonly supersededAt?: number;
  readonly now: number;
  readonly gracePeriodMs: number;
  readonly deleteAfterMs: number;
}

/**
 * What the sweep does with one key:
 * - AWSCURRENT and AWSPENDING keys are kept (clients use the first; a rotation is testing the second);
 * - the AWSPREVIOUS key stays enabled for the grace period after it was superseded, is then disabled
 *   (reversible: an operator can re-enable it for a late client), and deleted `deleteAfter` later;
 * - a key whose version has no label is older than AWSPREVIOUS or from an abandoned rotation: deleted.
 */
export function decideRetirement(input: RetirementInput): { action: RetirementAction; reason: string } {
  if (input.stages.includes(CURRENT)) return { action: 'keep', reason: 'holds AWSCURRENT' };
  if (input.stages.includes(PENDING)) return { action: 'keep', reason: 'holds AWSPENDING (rotation in progress)' };
  if (input.stages.includes(PREVIOUS)) {
    if (input.supersededAt === undefined) return { action: 'keep', reason: 'holds AWSPREVIOUS; grace period starts now' };
    const disableAt = input.supersededAt + input.gracePeriodMs;
    if (input.now < disableAt) return { action: 'keep', reason: 'holds AWSPREVIOUS within the grace period' };
    if (input.now < disableAt + input.deleteAfterMs) {
      return input.enabled ? { action: 'disable', reason: 'grace period over' } : { action: 'keep', reason: 'disabled; waiting to be deleted' };
    }
    return { action: 'delete', reason: 'grace period and deletion delay over' };
  }
  return { action: 'delete', reason: 'its secret version is older than AWSPREVIOUS or was never made current' };
}

export interface SweepReport {
  readonly kept: string[];
  readonly disabled: string[];
  readonly deleted: string[];
}

/**
 * The scheduled sweep: applies {@link decideRetirement} to every key of the consumer. It never
 * disables or deletes the previous key while no enabled key holds AWSCURRENT (for example after an
 * operator deleted the current key by hand): a client with the previous value is not locked out.
 */
export async function retireSupersededKeys(ctx: RotationContext): Promise<SweepReport> {
  const now = ctx.clock.now();
  const state = await describeSecret(ctx);
  const previous = versionWithStage(state, PREVIOUS);
  let supersededAt: number | undefined;
  if (previous !== undefined) {
    const recorded = state.tags[SUPERSEDED_VERSION_TAG] === previous ? Date.parse(state.tags[SUPERSEDED_AT_TAG] ?? '') : NaN;
    supersededAt = Number.isFinite(recorded) ? recorded : undefined;
    if (supersededAt === undefined) {
      // No record (it was lost or removed): start the grace period now rather than cut it short.
      await recordSuperseded(ctx, previous, now);
      supersededAt = now;
    }
  }
  const keys = await listOwnedKeys(ctx);
  const currentServed = keys.some((k) => k.enabled && (state.versions[k.versionId] ?? []).includes(CURRENT));
  const report: SweepReport = { kept: [], disabled: [], deleted: [] };
  for (const key of keys) {
    const stages = state.versions[key.versionId] ?? [];
    const decision = decideRetirement({
      stages,
      enabled: key.enabled,
      supersededAt: key.versionId === previous ? supersededAt : undefined,
      now,
      gracePeriodMs: ctx.config.gracePeriodMs,
      deleteAfterMs: ctx.config.deleteAfterMs,
    });
    if (decision.action !== 'keep' && stages.includes(PREVIOUS) && !currentServed) {
      log('ERROR', 'no enabled API key holds AWSCURRENT; keeping the previous key', { consumerId: ctx.config.consumerId, keyId: key.id });
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
    report.deleted.push(key.id);
  }
  log('INFO', `${action}d API key`, { consumerId: ctx.config.consumerId, keyId: key.id, versionId: key.versionId, reason });
}

/**
 * Removes every key of the consumer, when the consumer (its CloudFormation custom resource) is
 * deleted. A key that cannot be deleted is at least disabled. Returns the ids of keys still enabled.
 */
export async function retireAllKeys(ctx: RotationContext): Promise<string[]> {
  const stillEnabled: string[] = [];
  for (const key of await listOwnedKeys(ctx)) {
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
