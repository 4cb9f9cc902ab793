import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { KEY_ID_TAG_PREFIX, SUPERSEDED_TAG_PREFIX } from '../../../contracts/api-keys';
import { RotationContext } from '../../../lambda/key-rotation/context';
import {
  abandonPending,
  CURRENT,
  describeSecret,
  forgetVersion,
  PENDING,
  promoteToCurrent,
  putPendingValue,
  readKeyValue,
  recordSuperseded,
  registeredKeys,
  registerKey,
  SecretState,
  supersededAt,
  versionWithStage,
} from '../../../lambda/key-rotation/secret-versions';
import { FakeClock } from './service-models';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:DemoApiKeysPartnerA-AbCdEf';
const KEY_VALUE = 'generated-key-value-0001-abcdefghij';
const secretsMock = mockClient(SecretsManagerClient);

function context(): RotationContext {
  const clock = new FakeClock(Date.parse('2026-03-01T00:00:00Z'));
  return {
    config: {
      secretArn: SECRET_ARN,
      usagePlanId: 'plan',
      consumerId: 'partner-a',
      keyNamePrefix: 'Demo.',
      gracePeriodMs: 0,
      deleteAfterMs: 0,
    },
    apiGateway: {} as RotationContext['apiGateway'],
    secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
    clock,
    deadline: clock.time + 60_000,
    newKeyValue: () => KEY_VALUE,
  };
}

const serviceError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

beforeEach(() => secretsMock.reset());

const STATE: SecretState = {
  rotationEnabled: true,
  versions: { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'], v3: ['AWSPENDING'], v0: [] },
  tags: {
    [`${KEY_ID_TAG_PREFIX}v2`]: 'key-2',
    [`${KEY_ID_TAG_PREFIX}v1`]: 'key-1',
    [`${KEY_ID_TAG_PREFIX}v0`]: '',
    [`${SUPERSEDED_TAG_PREFIX}v1`]: '2026-02-01T00:00:00.000Z',
    [`${SUPERSEDED_TAG_PREFIX}v0`]: 'not a date',
    owner: 'team-a',
  },
};

describe('versionWithStage', () => {
  it('finds the version that holds a staging label', () => {
    expect(versionWithStage(STATE, CURRENT)).toBe('v2');
    expect(versionWithStage(STATE, PENDING)).toBe('v3');
  });

  it('is undefined when no version holds the label', () => {
    expect(versionWithStage({ ...STATE, versions: { v1: ['AWSCURRENT'] } }, PENDING)).toBeUndefined();
  });

  it('matches labels exactly, not by prefix or case', () => {
    expect(versionWithStage({ ...STATE, versions: { v1: ['AWSCURRENTISH', 'awscurrent'] } }, CURRENT)).toBeUndefined();
  });
});

describe('registeredKeys', () => {
  it('lists each version with a key, sorted by version id, from the key tags only', () => {
    expect(registeredKeys(STATE)).toEqual([
      { versionId: 'v1', keyId: 'key-1' },
      { versionId: 'v2', keyId: 'key-2' },
    ]);
  });

  it('ignores a key tag with an empty value (a forgotten entry)', () => {
    expect(registeredKeys(STATE).map((k) => k.versionId)).not.toContain('v0');
  });

  it('is empty for a secret without tags', () => {
    expect(registeredKeys({ ...STATE, tags: {} })).toEqual([]);
  });
});

describe('supersededAt', () => {
  it('reads when a version was superseded', () => {
    expect(supersededAt(STATE, 'v1')).toBe(Date.parse('2026-02-01T00:00:00Z'));
  });

  it('is undefined for a version never superseded, or whose record is not a date', () => {
    expect(supersededAt(STATE, 'v2')).toBeUndefined();
    expect(supersededAt(STATE, 'v0')).toBeUndefined();
  });
});

describe('describeSecret', () => {
  it('reads rotation, staging labels and tags', async () => {
    secretsMock.on(DescribeSecretCommand, { SecretId: SECRET_ARN }).resolves({
      RotationEnabled: true,
      VersionIdsToStages: { v1: ['AWSCURRENT'] },
      Tags: [{ Key: `${KEY_ID_TAG_PREFIX}v1`, Value: 'key-1' }, { Key: 'no-value' }, { Value: 'no-key' }],
    });
    expect(await describeSecret(context())).toEqual({
      rotationEnabled: true,
      versions: { v1: ['AWSCURRENT'] },
      tags: { [`${KEY_ID_TAG_PREFIX}v1`]: 'key-1', 'no-value': '' },
    });
  });

  it('reads an answer without versions, tags or rotation as empty and disabled', async () => {
    secretsMock.on(DescribeSecretCommand).resolves({});
    expect(await describeSecret(context())).toEqual({ rotationEnabled: false, versions: {}, tags: {} });
  });

  it('retries a throttled call', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    secretsMock.on(DescribeSecretCommand).rejectsOnce(serviceError('ThrottlingException')).resolves({ RotationEnabled: true });
    const ctx = context();
    expect((await describeSecret(ctx)).rotationEnabled).toBe(true);
    expect(secretsMock.commandCalls(DescribeSecretCommand)).toHaveLength(2);
    expect((ctx.clock as FakeClock).sleeps.length).toBe(1);
    log.mockRestore();
  });
});

describe('readKeyValue', () => {
  it('reads the key value of a version through a stage', async () => {
    secretsMock
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN, VersionId: 'v2', VersionStage: PENDING })
      .resolves({ SecretString: JSON.stringify({ consumerId: 'partner-a', apiKey: KEY_VALUE }) });
    expect(await readKeyValue(context(), 'v2', PENDING)).toEqual({ consumerId: 'partner-a', apiKey: KEY_VALUE });
  });

  it('is undefined for the placeholder CloudFormation writes before the first rotation', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ consumerId: 'partner-a', awaitingFirstRotation: 'x' }) });
    expect(await readKeyValue(context(), 'v0')).toBeUndefined();
  });

  it('is undefined for a version that has no value yet', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(serviceError('ResourceNotFoundException'));
    expect(await readKeyValue(context(), 'v9', PENDING)).toBeUndefined();
  });

  it('passes on other failures', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(serviceError('AccessDeniedException'));
    await expect(readKeyValue(context(), 'v1')).rejects.toThrow('AccessDeniedException');
  });

  it('refuses a value that is not a key without quoting the secret string in the error', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: '{"apiKey":"short-secret"}' });
    const error = await readKeyValue(context(), 'v1').catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('short-secret');
  });
});

describe('writes', () => {
  it('stores a new value as the pending version of the rotation token (idempotent by token)', async () => {
    secretsMock.on(PutSecretValueCommand).resolves({});
    await putPendingValue(context(), 'token-1', { consumerId: 'partner-a', apiKey: KEY_VALUE });
    expect(secretsMock.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: SECRET_ARN,
      ClientRequestToken: 'token-1',
      SecretString: JSON.stringify({ consumerId: 'partner-a', apiKey: KEY_VALUE }),
      VersionStages: [PENDING],
    });
  });

  it('moves AWSCURRENT from the current version to the token', async () => {
    secretsMock.on(UpdateSecretVersionStageCommand).resolves({});
    await promoteToCurrent(context(), 'token-1', 'v1');
    expect(secretsMock.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: SECRET_ARN,
      VersionStage: CURRENT,
      MoveToVersionId: 'token-1',
      RemoveFromVersionId: 'v1',
    });
  });

  it('takes AWSPENDING off an abandoned version without moving it anywhere', async () => {
    secretsMock.on(UpdateSecretVersionStageCommand).resolves({});
    await abandonPending(context(), 'token-1');
    expect(secretsMock.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: SECRET_ARN,
      VersionStage: PENDING,
      RemoveFromVersionId: 'token-1',
    });
  });

  it('registers a key and a supersession as tags that describeSecret reads back', async () => {
    secretsMock.on(TagResourceCommand).resolves({});
    const ctx = context();
    await registerKey(ctx, 'v2', 'key-2');
    await recordSuperseded(ctx, 'v1', Date.parse('2026-02-01T00:00:00Z'));
    const tags = secretsMock.commandCalls(TagResourceCommand).flatMap((c) => c.args[0].input.Tags ?? []);
    expect(tags).toEqual([
      { Key: `${KEY_ID_TAG_PREFIX}v2`, Value: 'key-2' },
      { Key: `${SUPERSEDED_TAG_PREFIX}v1`, Value: '2026-02-01T00:00:00.000Z' },
    ]);
    const state: SecretState = { rotationEnabled: true, versions: {}, tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) };
    expect(registeredKeys(state)).toEqual([{ versionId: 'v2', keyId: 'key-2' }]);
    expect(supersededAt(state, 'v1')).toBe(Date.parse('2026-02-01T00:00:00Z'));
  });

  it('forgets a version by removing both its registry entry and its supersession record', async () => {
    secretsMock.on(UntagResourceCommand).resolves({});
    await forgetVersion(context(), 'v1');
    expect(secretsMock.commandCalls(UntagResourceCommand)[0].args[0].input).toEqual({
      SecretId: SECRET_ARN,
      TagKeys: [`${KEY_ID_TAG_PREFIX}v1`, `${SUPERSEDED_TAG_PREFIX}v1`],
    });
  });

  it('never writes the key value into a tag', async () => {
    secretsMock.on(TagResourceCommand).resolves({});
    await registerKey(context(), 'v2', 'key-2');
    expect(JSON.stringify(secretsMock.commandCalls(TagResourceCommand)[0].args[0].input)).not.toContain(KEY_VALUE);
  });
});
