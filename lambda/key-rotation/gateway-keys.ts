import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { apiKeyName, KEY_OWNER_TAG, KEY_VERSION_TAG } from '../../contracts/api-keys';
import { errorName, log, RotationContext, send } from './context';
import { describeSecret, registeredKeys, registerKey, SecretState } from './secret-versions';

/** An API key of this consumer: the values API Gateway reports, never its value. */
export interface OwnedKey {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The secret version whose value the key holds. */
  readonly versionId: string;
}

/**
 * The key `keyId` as API Gateway reports it (without its value), if it exists and is ours: it carries our
 * owner tag. The function's IAM policy allows reading only keys with that tag, and it never lists the
 * account's keys: it knows its own key ids from the registry on its secret.
 */
export async function getOwnedKey(ctx: RotationContext, keyId: string, versionId: string): Promise<OwnedKey | undefined> {
  try {
    const key = await send(ctx, 'GetApiKey', () => ctx.apiGateway.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: false })));
    if (key.id === undefined || key.tags?.[KEY_OWNER_TAG] !== ctx.config.secretArn) return undefined;
    return { id: key.id, name: key.name ?? '', enabled: key.enabled === true, versionId };
  } catch (error) {
    if (errorName(error) === 'NotFoundException') return undefined;
    throw error;
  }
}

/** Every registered key of this consumer: those that exist, and the versions whose key is gone. */
export async function listOwnedKeys(ctx: RotationContext, state: SecretState): Promise<{ keys: OwnedKey[]; gone: string[] }> {
  const keys: OwnedKey[] = [];
  const gone: string[] = [];
  for (const { versionId, keyId } of registeredKeys(state)) {
    const key = await getOwnedKey(ctx, keyId, versionId);
    if (key === undefined) gone.push(versionId);
    else keys.push(key);
  }
  return { keys, gone };
}

/** The registered key holding secret version `versionId`, if it exists. */
export async function findVersionKey(ctx: RotationContext, state: SecretState, versionId: string): Promise<OwnedKey | undefined> {
  const entry = registeredKeys(state).find((k) => k.versionId === versionId);
  return entry === undefined ? undefined : getOwnedKey(ctx, entry.keyId, versionId);
}

/** The key of a version exists in API Gateway but its id was never registered (a lost CreateApiKey response). */
export class UnregisteredKeyError extends Error {
  constructor(
    readonly versionId: string,
    readonly keyName: string,
  ) {
    super(
      `key-rotation: an API key holding the pending value of version ${versionId} exists but its id was never registered (its CreateApiKey response was lost); it is disabled and in no usage plan, so it is inert`,
    );
    this.name = 'UnregisteredKeyError';
  }
}

/** Attempts at registering a created key's id before the step gives up (the id would otherwise be lost). */
const REGISTER_ATTEMPTS = 4;

/**
 * Creates the key for secret version `versionId` with `value`, disabled, and registers its id on the secret;
 * the caller enables and attaches it only after that. So a key whose CreateApiKey response is lost stays
 * disabled and unattached: inert. Its id cannot be found again (the function may not list keys, since a
 * listing may carry every key's value); a retry meets a conflict (API Gateway key values are unique) and
 * throws {@link UnregisteredKeyError}.
 */
export async function createVersionKey(ctx: RotationContext, versionId: string, value: string): Promise<OwnedKey> {
  const name = apiKeyName(ctx.config.keyNamePrefix, versionId);
  let created: { id?: string } | undefined;
  for (let attempt = 1; created === undefined; attempt++) {
    try {
      created = await send(ctx, 'CreateApiKey', () =>
        ctx.apiGateway.send(
          new CreateApiKeyCommand({
            name,
            value,
            enabled: false,
            description: `API key of consumer ${ctx.config.consumerId}, managed by its rotation function; the value is in Secrets Manager`,
            tags: { [KEY_OWNER_TAG]: ctx.config.secretArn, [KEY_VERSION_TAG]: versionId },
          }),
        ),
      );
    } catch (error) {
      if (errorName(error) !== 'ConflictException') throw error;
      // Another attempt may have created and registered it meanwhile.
      const registered = await findVersionKey(ctx, await describeSecret(ctx), versionId);
      if (registered !== undefined) return registered;
      // A conflict is a concurrent modification (retry once) or a key with this value already (never registered).
      if (attempt >= 2) throw new UnregisteredKeyError(versionId, name);
      await ctx.clock.sleep(1000);
    }
  }
  if (created.id === undefined) throw new Error('CreateApiKey returned no key id');
  const keyId = created.id;
  log('INFO', 'created API key', { consumerId: ctx.config.consumerId, versionId, keyId });
  for (let attempt = 1; ; attempt++) {
    try {
      await registerKey(ctx, versionId, keyId);
      break;
    } catch (error) {
      log('WARN', 'could not register the new API key on the secret', { versionId, keyId, attempt, error: errorName(error) });
      if (attempt >= REGISTER_ATTEMPTS) throw error;
      await ctx.clock.sleep(200 * 2 ** attempt);
    }
  }
  return { id: keyId, name, enabled: false, versionId };
}

/** The value API Gateway holds for key `keyId`, to compare with the secret (never logged). */
export async function readGatewayKeyValue(ctx: RotationContext, keyId: string): Promise<{ value?: string; enabled: boolean }> {
  const key = await send(ctx, 'GetApiKey', () => ctx.apiGateway.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true })));
  return { value: key.value, enabled: key.enabled === true };
}

export async function setKeyEnabled(ctx: RotationContext, keyId: string, enabled: boolean): Promise<void> {
  await send(ctx, 'UpdateApiKey', () =>
    ctx.apiGateway.send(
      new UpdateApiKeyCommand({ apiKey: keyId, patchOperations: [{ op: 'replace', path: '/enabled', value: String(enabled) }] }),
    ),
  );
}

/**
 * Whether key `keyId` is attached to the consumer's usage plan, from the plans API Gateway lists for that key
 * (GetUsagePlans with keyId: plans only, never a key value). GetUsagePlanKey would answer too, but it returns
 * the key's value, and on a plan shared by a tier it would let this function read another consumer's value.
 */
export async function isAttached(ctx: RotationContext, keyId: string): Promise<boolean> {
  let position: string | undefined;
  do {
    const page = await send(ctx, 'GetUsagePlans', () => ctx.apiGateway.send(new GetUsagePlansCommand({ keyId, limit: 500, position })));
    if ((page.items ?? []).some((plan) => plan.id === ctx.config.usagePlanId)) return true;
    position = page.position;
  } while (position !== undefined);
  return false;
}

/** Attaches key `keyId` to the consumer's usage plan unless it is attached already. */
export async function ensureAttached(ctx: RotationContext, keyId: string): Promise<void> {
  if (await isAttached(ctx, keyId)) return;
  try {
    await send(ctx, 'CreateUsagePlanKey', () =>
      ctx.apiGateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: ctx.config.usagePlanId, keyId, keyType: 'API_KEY' })),
    );
    log('INFO', 'attached API key to usage plan', { keyId, usagePlanId: ctx.config.usagePlanId });
  } catch (error) {
    // A conflict is either "already attached" (an attempt whose response was lost) or a concurrent
    // modification that applied nothing: only the first counts as success.
    if (errorName(error) !== 'ConflictException' || !(await isAttached(ctx, keyId))) throw error;
  }
}

/** Deletes key `keyId` (which also detaches it from every usage plan); a key already gone is fine. */
export async function deleteKey(ctx: RotationContext, keyId: string): Promise<void> {
  try {
    await send(ctx, 'DeleteApiKey', () => ctx.apiGateway.send(new DeleteApiKeyCommand({ apiKey: keyId })));
  } catch (error) {
    if (errorName(error) !== 'NotFoundException') throw error;
  }
}
