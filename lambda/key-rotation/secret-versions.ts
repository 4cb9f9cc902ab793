import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { ApiKeySecretValue, KEY_ID_TAG_PREFIX, parseApiKeySecret, SUPERSEDED_TAG_PREFIX } from '../../contracts/api-keys';
import { errorName, RotationContext, send } from './context';

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';
export const PREVIOUS = 'AWSPREVIOUS';

/** The secret's versions and bookkeeping tags, as DescribeSecret reports them. */
export interface SecretState {
  readonly rotationEnabled: boolean;
  /** Staging labels by version id. */
  readonly versions: { readonly [versionId: string]: readonly string[] };
  readonly tags: { readonly [key: string]: string };
}

export async function describeSecret(ctx: RotationContext): Promise<SecretState> {
  const out = await send(ctx, 'DescribeSecret', () => ctx.secrets.send(new DescribeSecretCommand({ SecretId: ctx.config.secretArn })));
  const tags: { [key: string]: string } = {};
  for (const tag of out.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return { rotationEnabled: out.RotationEnabled === true, versions: out.VersionIdsToStages ?? {}, tags };
}

/** The version holding `stage`, if any. */
export function versionWithStage(state: SecretState, stage: string): string | undefined {
  return Object.keys(state.versions).find((id) => state.versions[id].includes(stage));
}

/** The key registry: the API key id of each secret version that has a key, from the secret's tags. */
export function registeredKeys(state: SecretState): Array<{ readonly versionId: string; readonly keyId: string }> {
  return Object.entries(state.tags)
    .filter(([key, value]) => key.startsWith(KEY_ID_TAG_PREFIX) && value !== '')
    .map(([key, keyId]) => ({ versionId: key.slice(KEY_ID_TAG_PREFIX.length), keyId }))
    .sort((a, b) => a.versionId.localeCompare(b.versionId));
}

/** When version `versionId` was recorded as superseded (epoch ms), if it was. */
export function supersededAt(state: SecretState, versionId: string): number | undefined {
  const at = Date.parse(state.tags[SUPERSEDED_TAG_PREFIX + versionId] ?? '');
  return Number.isFinite(at) ? at : undefined;
}

/**
 * The API key value stored in version `versionId` (read through `stage`), `undefined` when the
 * version has no value yet or is the placeholder written before the first rotation.
 */
export async function readKeyValue(ctx: RotationContext, versionId: string, stage?: string): Promise<ApiKeySecretValue | undefined> {
  try {
    const out = await send(ctx, 'GetSecretValue', () =>
      ctx.secrets.send(new GetSecretValueCommand({ SecretId: ctx.config.secretArn, VersionId: versionId, VersionStage: stage })),
    );
    return parseApiKeySecret(out.SecretString);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Stores a new key value as version `token` with AWSPENDING. Secrets Manager makes this idempotent:
 * the same token with the same value succeeds again, so a retry after a lost response is harmless.
 */
export async function putPendingValue(ctx: RotationContext, token: string, value: ApiKeySecretValue): Promise<void> {
  await send(ctx, 'PutSecretValue', () =>
    ctx.secrets.send(
      new PutSecretValueCommand({
        SecretId: ctx.config.secretArn,
        ClientRequestToken: token,
        SecretString: JSON.stringify(value),
        VersionStages: [PENDING],
      }),
    ),
  );
}

/** Moves AWSCURRENT to `token`; Secrets Manager then labels the former current version AWSPREVIOUS. */
export async function promoteToCurrent(ctx: RotationContext, token: string, currentVersion: string | undefined): Promise<void> {
  await send(ctx, 'UpdateSecretVersionStage', () =>
    ctx.secrets.send(
      new UpdateSecretVersionStageCommand({
        SecretId: ctx.config.secretArn,
        VersionStage: CURRENT,
        MoveToVersionId: token,
        RemoveFromVersionId: currentVersion,
      }),
    ),
  );
}

/** Takes AWSPENDING off version `token`, abandoning its rotation: the next rotation starts with a new version and value. */
export async function abandonPending(ctx: RotationContext, token: string): Promise<void> {
  await send(ctx, 'UpdateSecretVersionStage', () =>
    ctx.secrets.send(
      new UpdateSecretVersionStageCommand({ SecretId: ctx.config.secretArn, VersionStage: PENDING, RemoveFromVersionId: token }),
    ),
  );
}

async function tagSecret(ctx: RotationContext, tags: { [key: string]: string }): Promise<void> {
  await send(ctx, 'TagResource', () =>
    ctx.secrets.send(
      new TagResourceCommand({ SecretId: ctx.config.secretArn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
    ),
  );
}

/** Records in the registry that API key `keyId` holds the value of version `versionId`. */
export async function registerKey(ctx: RotationContext, versionId: string, keyId: string): Promise<void> {
  await tagSecret(ctx, { [KEY_ID_TAG_PREFIX + versionId]: keyId });
}

/** Records on the secret when `versionId` stopped being current; its key's grace period counts from `at`. */
export async function recordSuperseded(ctx: RotationContext, versionId: string, at: number): Promise<void> {
  await tagSecret(ctx, { [SUPERSEDED_TAG_PREFIX + versionId]: new Date(at).toISOString() });
}

/** Forgets version `versionId` (its key is deleted): removes its registry entry and supersession record. */
export async function forgetVersion(ctx: RotationContext, versionId: string): Promise<void> {
  await send(ctx, 'UntagResource', () =>
    ctx.secrets.send(
      new UntagResourceCommand({
        SecretId: ctx.config.secretArn,
        TagKeys: [KEY_ID_TAG_PREFIX + versionId, SUPERSEDED_TAG_PREFIX + versionId],
      }),
    ),
  );
}
