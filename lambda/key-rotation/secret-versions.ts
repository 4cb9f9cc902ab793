import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { ApiKeySecretValue, parseApiKeySecret, SUPERSEDED_AT_TAG, SUPERSEDED_VERSION_TAG } from '../../contracts/api-keys';
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
      new PutSecretValueCommand({ SecretId: ctx.config.secretArn, ClientRequestToken: token, SecretString: JSON.stringify(value), VersionStages: [PENDING] }),
    ),
  );
}

/** Moves AWSCURRENT to `token`; Secrets Manager then labels the former current version AWSPREVIOUS. */
export async function promoteToCurrent(ctx: RotationContext, token: string, currentVersion: string | undefined): Promise<void> {
  await send(ctx, 'UpdateSecretVersionStage', () =>
    ctx.secrets.send(
      new UpdateSecretVersionStageCommand({ SecretId: ctx.config.secretArn, VersionStage: CURRENT, MoveToVersionId: token, RemoveFromVersionId: currentVersion }),
    ),
  );
}

/** Records on the secret when `versionId` stopped being AWSCURRENT; the grace period counts from `at`. */
export async function recordSuperseded(ctx: RotationContext, versionId: string, at: number): Promise<void> {
  await send(ctx, 'TagResource', () =>
    ctx.secrets.send(
      new TagResourceCommand({
        SecretId: ctx.config.secretArn,
        Tags: [
          { Key: SUPERSEDED_VERSION_TAG, Value: versionId },
          { Key: SUPERSEDED_AT_TAG, Value: new Date(at).toISOString() },
        ],
      }),
    ),
  );
}
