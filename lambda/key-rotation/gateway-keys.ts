import {
  ApiKey,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeyCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { apiKeyName, KEY_OWNER_TAG, KEY_VERSION_TAG } from '../../contracts/api-keys';
import { errorName, log, RotationContext, send } from './context';

/** An API key of this consumer: the values API Gateway reports, never its value. */
export interface OwnedKey {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The secret version whose value the key holds. */
  readonly versionId: string;
}

function toOwnedKey(ctx: RotationContext, key: ApiKey): OwnedKey | undefined {
  const prefix = ctx.config.keyNamePrefix;
  if (key.id === undefined || key.name === undefined || !key.name.startsWith(prefix)) return undefined;
  // A key is ours only if it carries our owner tag: names alone could collide with keys of other stacks.
  if (key.tags?.[KEY_OWNER_TAG] !== ctx.config.secretArn) return undefined;
  return { id: key.id, name: key.name, enabled: key.enabled === true, versionId: key.tags?.[KEY_VERSION_TAG] ?? key.name.slice(prefix.length) };
}

/** Every key of this consumer, by name prefix and owner tag. Values are not requested. */
export async function listOwnedKeys(ctx: RotationContext, nameQuery = ctx.config.keyNamePrefix): Promise<OwnedKey[]> {
  const keys: OwnedKey[] = [];
  let position: string | undefined;
  do {
    const page = await send(ctx, 'GetApiKeys', () =>
      ctx.apiGateway.send(new GetApiKeysCommand({ nameQuery, includeValues: false, limit: 500, position })),
    );
    for (const item of page.items ?? []) {
      const owned = toOwnedKey(ctx, item);
      if (owned !== undefined) keys.push(owned);
    }
    position = page.position;
  } while (position !== undefined);
  return keys;
}

/** The key holding secret version `versionId`, if it exists (found by its name, so a lost CreateApiKey response is recovered). */
export async function findVersionKey(ctx: RotationContext, versionId: string): Promise<OwnedKey | undefined> {
  const name = apiKeyName(ctx.config.keyNamePrefix, versionId);
  const matches = (await listOwnedKeys(ctx, name)).filter((k) => k.name === name);
  if (matches.length > 1) log('WARN', 'more than one API key for one secret version', { versionId, keyIds: matches.map((k) => k.id) });
  return matches.find((k) => k.enabled) ?? matches[0];
}

/** Creates the key for secret version `versionId` with `value`, or returns the one a lost response left behind. */
export async function createVersionKey(ctx: RotationContext, versionId: string, value: string): Promise<OwnedKey> {
  const name = apiKeyName(ctx.config.keyNamePrefix, versionId);
  try {
    const created = await send(ctx, 'CreateApiKey', () =>
      ctx.apiGateway.send(
        new CreateApiKeyCommand({
          name,
          value,
          enabled: true,
          description: `API key of consumer ${ctx.config.consumerId}, managed by its rotation function; the value is in Secrets Manager`,
          tags: { [KEY_OWNER_TAG]: ctx.config.secretArn, [KEY_VERSION_TAG]: versionId },
        }),
      ),
    );
    if (created.id === undefined) throw new Error('CreateApiKey returned no key id');
    log('INFO', 'created API key', { consumerId: ctx.config.consumerId, versionId, keyId: created.id });
    return { id: created.id, name, enabled: created.enabled === true, versionId };
  } catch (error) {
    // A conflict means a key with this value or name exists already: a previous attempt succeeded.
    if (errorName(error) !== 'ConflictException') throw error;
    const existing = await findVersionKey(ctx, versionId);
    if (existing === undefined) throw error;
    log('INFO', 'API key already existed (earlier attempt)', { versionId, keyId: existing.id });
    return existing;
  }
}

/** The value API Gateway holds for key `keyId`, to compare with the secret (never logged). */
export async function readGatewayKeyValue(ctx: RotationContext, keyId: string): Promise<{ value?: string; enabled: boolean }> {
  const key = await send(ctx, 'GetApiKey', () => ctx.apiGateway.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true })));
  return { value: key.value, enabled: key.enabled === true };
}

export async function setKeyEnabled(ctx: RotationContext, keyId: string, enabled: boolean): Promise<void> {
  await send(ctx, 'UpdateApiKey', () =>
    ctx.apiGateway.send(new UpdateApiKeyCommand({ apiKey: keyId, patchOperations: [{ op: 'replace', path: '/enabled', value: String(enabled) }] })),
  );
}

export async function isAttached(ctx: RotationContext, keyId: string): Promise<boolean> {
  try {
    await send(ctx, 'GetUsagePlanKey', () => ctx.apiGateway.send(new GetUsagePlanKeyCommand({ usagePlanId: ctx.config.usagePlanId, keyId })));
    return true;
  } catch (error) {
    if (errorName(error) === 'NotFoundException') return false;
    throw error;
  }
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
