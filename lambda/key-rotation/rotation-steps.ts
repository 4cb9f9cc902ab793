import { log, RotationContext } from './context';
import {
  createVersionKey,
  ensureAttached,
  findVersionKey,
  isAttached,
  readGatewayKeyValue,
  setKeyEnabled,
  UnregisteredKeyError,
} from './gateway-keys';
import {
  abandonPending,
  CURRENT,
  describeSecret,
  PENDING,
  PREVIOUS,
  promoteToCurrent,
  putPendingValue,
  readKeyValue,
  recordSuperseded,
  SecretState,
  supersededAt,
  versionWithStage,
} from './secret-versions';

export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

/** The event Secrets Manager sends to a rotation function. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

/**
 * Runs one step of Secrets Manager's four-step rotation. Every step starts by reading the state
 * (secret versions, API keys, plan attachments) and only does what is still missing, so Secrets
 * Manager may retry any step any number of times: a retry never creates a second key for a version,
 * and no step detaches or disables a key (retiring superseded keys is the sweep's job).
 */
export async function runRotationStep(ctx: RotationContext, event: RotationEvent): Promise<void> {
  if (event.SecretId !== ctx.config.secretArn) {
    throw new Error(`key-rotation: refusing to rotate secret ${event.SecretId}; this function rotates only ${ctx.config.secretArn}`);
  }
  const token = event.ClientRequestToken;
  const state = await describeSecret(ctx);
  if (!state.rotationEnabled) throw new Error(`key-rotation: rotation is not enabled on secret ${ctx.config.secretArn}`);
  const stages = state.versions[token];
  if (stages === undefined) throw new Error(`key-rotation: secret version ${token} does not exist`);
  if (stages.includes(CURRENT)) {
    // The step already ran to the end (finishSecret moved AWSCURRENT); only the bookkeeping may be missing.
    if (event.Step === 'finishSecret') await ensureSupersededRecorded(ctx, state);
    log('INFO', 'version is already AWSCURRENT', { step: event.Step, versionId: token });
    return;
  }
  if (!stages.includes(PENDING)) throw new Error(`key-rotation: secret version ${token} is not AWSPENDING`);

  switch (event.Step) {
    case 'createSecret':
      return createSecret(ctx, token, state);
    case 'setSecret':
      // API Gateway holds the key already (createSecret made it, attached and enabled): nothing to set.
      return;
    case 'testSecret':
      return testSecret(ctx, token, state);
    case 'finishSecret':
      return finishSecret(ctx, token, state);
    default:
      throw new Error(`key-rotation: unknown step ${String((event as { Step: unknown }).Step)}`);
  }
}

/**
 * Stores a new key value as the pending version, then creates the API key holding that value and
 * attaches it to the consumer's usage plan. The current key is not touched: it stays valid.
 */
async function createSecret(ctx: RotationContext, token: string, state: SecretState): Promise<void> {
  let pending = await readKeyValue(ctx, token, PENDING);
  if (pending === undefined) {
    pending = { consumerId: ctx.config.consumerId, apiKey: ctx.newKeyValue() };
    // If this response is lost, the retry finds the stored value above and does not generate another.
    await putPendingValue(ctx, token, pending);
  }
  let key = await findVersionKey(ctx, state, token);
  if (key === undefined) {
    try {
      key = await createVersionKey(ctx, token, pending.apiKey);
    } catch (error) {
      if (!(error instanceof UnregisteredKeyError)) throw error;
      // The pending value is held by a key we cannot find again, and a version's value cannot change:
      // give this version up. The current key stays valid; the next rotation starts with a new value.
      log('ERROR', 'abandoning the rotation: the key of the pending value was created but never registered; delete it by hand', {
        versionId: token,
        keyName: error.keyName,
      });
      await abandonPending(ctx, token);
      throw error;
    }
  }
  // Enabled and attached only once registered, so the sweep and the cleanup can always find it.
  if (!key.enabled) await setKeyEnabled(ctx, key.id, true);
  await ensureAttached(ctx, key.id);
}

/** Checks that API Gateway serves the pending value: its key exists, is enabled, holds the value and is in the plan. */
async function testSecret(ctx: RotationContext, token: string, state: SecretState): Promise<void> {
  const pending = await readKeyValue(ctx, token, PENDING);
  if (pending === undefined) throw new Error(`key-rotation: testSecret: pending version ${token} has no key value`);
  const key = await findVersionKey(ctx, state, token);
  if (key === undefined) throw new Error(`key-rotation: testSecret: no API key exists for version ${token}`);
  const gateway = await readGatewayKeyValue(ctx, key.id);
  if (!gateway.enabled) throw new Error(`key-rotation: testSecret: API key ${key.id} is disabled`);
  if (gateway.value !== pending.apiKey)
    throw new Error(`key-rotation: testSecret: API key ${key.id} does not hold the value of version ${token}`);
  if (!(await isAttached(ctx, key.id)))
    throw new Error(`key-rotation: testSecret: API key ${key.id} is not attached to usage plan ${ctx.config.usagePlanId}`);
}

/**
 * Makes the new key current and records, on the secret and for that version alone, when the former current
 * version was superseded. The previous key stays enabled; the sweep disables it once its own grace period is over.
 */
async function finishSecret(ctx: RotationContext, token: string, state: SecretState): Promise<void> {
  const current = versionWithStage(state, CURRENT);
  await promoteToCurrent(ctx, token, current);
  if (current !== undefined) await recordSuperseded(ctx, current, ctx.clock.now());
  log('INFO', 'rotation finished', { consumerId: ctx.config.consumerId, currentVersion: token, previousVersion: current });
}

/** After a retried finishSecret: record the supersession if the first attempt moved AWSCURRENT but lost the record. */
async function ensureSupersededRecorded(ctx: RotationContext, state: SecretState): Promise<void> {
  const previous = versionWithStage(state, PREVIOUS);
  if (previous !== undefined && supersededAt(state, previous) === undefined) await recordSuperseded(ctx, previous, ctx.clock.now());
}
