import { KEY_ID_TAG_PREFIX, KEY_OWNER_TAG, KEY_VERSION_TAG } from '../../../contracts/api-keys';
import { FaultKind } from './service-models';
import { captureLogs, OTHER_PLAN, PLAN, PREFIX, SECRET_ARN, START, STEPS, World } from './world';

const logs = captureLogs();

const INITIAL = 'initial-key-value-0000-abcdefghij';

describe('key rotation: the four steps', () => {
  it('createSecret stores a new value as AWSPENDING and creates an enabled key holding it, attached to the consumer plan', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    await world.step('createSecret', 'v2');

    const pending = world.keyValueOf('AWSPENDING');
    expect(pending).toBe('generated-key-value-0001-abcdefghij');
    const [key] = world.keysOfVersion('v2');
    expect(key).toMatchObject({ name: `${PREFIX}v2`, value: pending, enabled: true });
    expect(key.tags).toEqual({ [KEY_OWNER_TAG]: SECRET_ARN, [KEY_VERSION_TAG]: 'v2' });
    expect(world.gateway.planKeys.get(PLAN)!.has(key.id)).toBe(true);
    expect(world.gateway.planKeys.get(OTHER_PLAN)!.size).toBe(0);
    expect(world.secrets.tags.get(`${KEY_ID_TAG_PREFIX}v2`)).toBe(key.id); // registered on the secret
  });

  it('createSecret leaves the current key enabled and attached, and AWSCURRENT where it was', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    await world.step('createSecret', 'v2');

    expect(world.keyValueOf('AWSCURRENT')).toBe(INITIAL);
    expect(world.servedValues()).toEqual(new Set([INITIAL, 'generated-key-value-0001-abcdefghij']));
  });

  it('setSecret changes nothing', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    await world.step('createSecret', 'v2');
    const before = world.snapshot();
    await world.step('setSecret', 'v2');
    expect(world.snapshot()).toEqual(before);
  });

  it('testSecret passes when the new key is enabled, attached and holds the pending value', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    await world.step('createSecret', 'v2');
    await expect(world.step('testSecret', 'v2')).resolves.toBeUndefined();
  });

  it.each([
    ['is disabled', (w: World) => (w.keysOfVersion('v2')[0].enabled = false), /API key key\d+ is disabled/],
    [
      'is not attached to the plan',
      (w: World) => w.gateway.planKeys.get(PLAN)!.delete(w.keysOfVersion('v2')[0].id),
      /is not attached to usage plan plan-partner/,
    ],
    [
      'holds another value',
      (w: World) => (w.keysOfVersion('v2')[0].value = 'tampered-value-000000000000'),
      /does not hold the value of version v2/,
    ],
    ['is missing', (w: World) => w.gateway.keys.delete(w.keysOfVersion('v2')[0].id), /no API key exists for version v2/],
  ])('testSecret fails when the new key %s, without quoting the value', async (_case, breakIt, message) => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    await world.step('createSecret', 'v2');
    breakIt(world);
    const error = await world.step('testSecret', 'v2').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('generated-key-value');
  });

  it('finishSecret moves AWSCURRENT to the new version, leaves the previous key enabled and records when it was superseded', async () => {
    const world = World.steady();
    await world.rotate('v2');

    expect(world.secrets.versionWith('AWSCURRENT')).toBe('v2');
    expect(world.secrets.versionWith('AWSPREVIOUS')).toBe('v1');
    expect(world.keysOfVersion('v1')[0].enabled).toBe(true);
    expect(world.servedValues()).toEqual(new Set([INITIAL, 'generated-key-value-0001-abcdefghij']));
    expect(world.supersededAt('v1')).toBe(new Date(START).toISOString());
    expect(world.supersededAt('v2')).toBeUndefined();
  });

  it('the first rotation after deploy turns the placeholder secret into the first working key', async () => {
    const world = World.freshlyDeployed();
    expect(world.keyValueOf('AWSCURRENT')).toBeUndefined();
    await world.rotate('v1');

    expect(world.keyValueOf('AWSCURRENT')).toBe('generated-key-value-0001-abcdefghij');
    expect(world.ownedKeys()).toHaveLength(1);
    expect(world.clientCanStillCall()).toBe(true);
  });

  it('two rotations in a row leave the current and the previous key served', async () => {
    const world = World.steady();
    await world.rotate('v2');
    await world.rotate('v3');
    expect(world.secrets.versionWith('AWSCURRENT')).toBe('v3');
    expect(world.secrets.versionWith('AWSPREVIOUS')).toBe('v2');
    expect(world.servedValues()).toEqual(new Set([INITIAL, 'generated-key-value-0001-abcdefghij', 'generated-key-value-0002-abcdefghij']));
    expect(world.supersededAt('v1')).toBe(new Date(START).toISOString());
    expect(world.supersededAt('v2')).toBe(new Date(START).toISOString());
  });

  it('logs every step with the version id and the created key id, never a key value', async () => {
    const world = World.steady();
    await world.rotate('v2');
    const entries = logs.map((line) => JSON.parse(line));
    expect(entries.filter((e) => e.message === 'rotation step').map((e) => [e.step, e.versionId])).toEqual(
      STEPS.map((step) => [step, 'v2']),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ message: 'created API key', versionId: 'v2', keyId: world.keysOfVersion('v2')[0].id }),
    );
  });

  it('refuses to rotate a secret other than its own', async () => {
    const world = World.steady();
    await expect(
      world.run({
        SecretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-XyZ',
        ClientRequestToken: 'v2',
        Step: 'createSecret',
      }),
    ).rejects.toThrow(/refusing to rotate secret .*other-XyZ; this function rotates only .*DemoApiKeysPartnerA-AbCdEf/);
    expect(world.services.calls).toEqual([]);
  });

  it('refuses a version that is not AWSPENDING', async () => {
    const world = World.steady();
    world.secrets.addVersion('v2', undefined, []);
    world.secrets.versions.get('v2')!.stages.add('SOMETHING');
    await expect(world.step('createSecret', 'v2')).rejects.toThrow('secret version v2 is not AWSPENDING');
    expect(world.ownedKeys()).toHaveLength(1);
  });

  it('refuses to rotate when rotation is disabled on the secret', async () => {
    const world = World.steady();
    world.secrets.rotationEnabled = false;
    world.secrets.startRotation('v2');
    await expect(world.step('createSecret', 'v2')).rejects.toThrow(/rotation is not enabled/);
  });
});

describe('key rotation: every step retried', () => {
  it('running each step twice leaves the same state as running it once', async () => {
    const once = World.steady();
    await once.rotate('v2');

    const twice = World.steady();
    twice.secrets.startRotation('v2');
    for (const step of STEPS) {
      await twice.step(step, 'v2');
      await twice.step(step, 'v2');
    }
    twice.secrets.endRotation('v2');
    expect(twice.snapshot()).toEqual(once.snapshot());
    expect(twice.keysOfVersion('v2')).toHaveLength(1);
  });

  it.each(STEPS)('%s called again after the rotation finished changes nothing', async (step) => {
    const world = World.steady();
    await world.rotate('v2');
    const before = world.snapshot();
    await world.step(step, 'v2');
    expect(world.snapshot()).toEqual(before);
  });

  it('a retried finishSecret whose first attempt moved AWSCURRENT but lost the supersession record writes the record', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    for (const step of STEPS.slice(0, 3)) await world.step(step, 'v2');
    world.services.inject({ command: 'TagResource', kind: 'serverError' });
    await expect(world.step('finishSecret', 'v2')).rejects.toThrow('internal error');
    expect(world.secrets.versionWith('AWSCURRENT')).toBe('v2');
    expect(world.supersededAt('v1')).toBeUndefined();
    await world.step('finishSecret', 'v2');
    expect(world.supersededAt('v1')).toBe(new Date(START).toISOString());
  });
});

/** The calls each step makes, and which faults are meaningful for each. */
const FAULT_MATRIX: Array<[string, string, FaultKind]> = [];
const CALLS: { [step: string]: string[] } = {
  createSecret: [
    'DescribeSecret',
    'GetSecretValue',
    'PutSecretValue',
    'CreateApiKey',
    'TagResource',
    'UpdateApiKey',
    'GetUsagePlans',
    'CreateUsagePlanKey',
  ],
  testSecret: ['DescribeSecret', 'GetSecretValue', 'GetApiKey', 'GetUsagePlans'],
  finishSecret: ['DescribeSecret', 'UpdateSecretVersionStage', 'TagResource'],
};
const GATEWAY_MUTATIONS = new Set(['CreateApiKey', 'UpdateApiKey', 'CreateUsagePlanKey']);
const MUTATIONS = new Set([...GATEWAY_MUTATIONS, 'PutSecretValue', 'UpdateSecretVersionStage', 'TagResource']);
for (const [step, calls] of Object.entries(CALLS)) {
  for (const call of calls) {
    FAULT_MATRIX.push([step, call, 'throttle']);
    // A lost CreateApiKey response abandons the rotation by design (its own test below).
    if (!(step === 'createSecret' && call === 'CreateApiKey')) FAULT_MATRIX.push([step, call, 'lostResponse']);
    if (GATEWAY_MUTATIONS.has(call)) FAULT_MATRIX.push([step, call, 'conflict']);
    if (MUTATIONS.has(call)) FAULT_MATRIX.push([step, call, 'serverError']);
  }
}

describe('key rotation: a fault injected at each step', () => {
  it.each(FAULT_MATRIX)('%s survives %s failing with %s: no second key, and no client locked out', async (step, command, kind) => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    const lockedOut: string[] = [];
    const check = (when: string) => {
      if (!world.clientCanStillCall()) lockedOut.push(when);
      if (!world.servedValues().has(INITIAL)) lockedOut.push(`${when}: holder of the previous value`);
    };
    for (const s of STEPS) {
      if (s === step) world.services.inject({ command, kind });
      await world.stepWithRetries(s, 'v2', () => check(`after failed ${s}`));
      check(`after ${s}`);
    }
    world.secrets.endRotation('v2');

    expect(world.services.pendingFaults).toBe(0); // the fault was actually hit
    expect(lockedOut).toEqual([]);
    expect(world.secrets.versionWith('AWSCURRENT')).toBe('v2');
    expect(world.keysOfVersion('v2')).toHaveLength(1);
    expect(world.keysOfVersion('v1')).toHaveLength(1);
    expect(world.ownedKeys().every((k) => k.enabled && world.gateway.planKeys.get(PLAN)!.has(k.id))).toBe(true);
    expect(world.keysOfVersion('v2')[0].value).toBe(world.keyValueOf('AWSCURRENT'));
    expect(world.supersededAt('v1')).toBeDefined();
    // Never a call that returns other keys' values: no listing of keys, no usage-plan key reads.
    expect(world.services.calls.filter((c) => ['GetApiKeys', 'GetUsagePlanKey', 'GetUsagePlanKeys'].includes(c))).toEqual([]);
  });

  it('a throttled call is retried within the step, after the wait the server asked for', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    world.services.inject({ command: 'CreateApiKey', kind: 'throttle' });
    await world.step('createSecret', 'v2');
    expect(world.clock.sleeps).toHaveLength(1);
    expect(world.clock.sleeps[0]).toBeGreaterThanOrEqual(1000); // retryAfterSeconds: 1
    expect(world.keysOfVersion('v2')).toHaveLength(1);
  });

  it('a throttled CreateUsagePlanKey waits at least 20 seconds (UpdateUsagePlan quota: 1 per 20 s)', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    world.services.inject({ command: 'CreateUsagePlanKey', kind: 'throttle' });
    await world.step('createSecret', 'v2');
    expect(world.clock.sleeps[0]).toBeGreaterThanOrEqual(20_000);
  });

  it('throttling that outlasts the time left fails the step cleanly, and the retried step finishes it with one key', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    for (let n = 0; n < 50; n++) world.services.inject({ command: 'CreateUsagePlanKey', kind: 'throttle', nth: 1 });
    await expect(world.run({ SecretId: SECRET_ARN, ClientRequestToken: 'v2', Step: 'createSecret' }, 90_000)).rejects.toThrow(
      'Too Many Requests',
    );
    const waited = world.clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(80_000); // stopped before the Lambda deadline (90 s minus a 10 s margin)
    expect(world.clientCanStillCall()).toBe(true);
    world.services['faults'].length = 0;
    await world.step('createSecret', 'v2');
    expect(world.keysOfVersion('v2')).toHaveLength(1);
    expect(world.gateway.planKeys.get(PLAN)!.has(world.keysOfVersion('v2')[0].id)).toBe(true);
  });

  it('a key created by a lost CreateApiKey response stays disabled and unattached, the rotation is abandoned, and the next one succeeds', async () => {
    const world = World.steady();
    world.secrets.startRotation('v2');
    world.services.inject({ command: 'CreateApiKey', kind: 'lostResponse' });
    await expect(world.step('createSecret', 'v2')).rejects.toThrow('socket hang up');
    const [orphan] = world.keysOfVersion('v2');
    expect(orphan).toMatchObject({ enabled: false });
    // The retry cannot find the key (no listing); its value is taken, so the version is given up.
    await expect(world.step('createSecret', 'v2')).rejects.toThrow('it is disabled and in no usage plan, so it is inert');
    expect(world.keysOfVersion('v2')).toEqual([orphan]);
    expect(world.gateway.planKeys.get(PLAN)!.has(orphan.id)).toBe(false);
    expect(world.secrets.versionWith('AWSPENDING')).toBeUndefined();
    expect(world.servedValues()).toEqual(new Set([INITIAL]));
    expect(logs.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ level: 'ERROR', versionId: 'v2', keyName: `${PREFIX}v2` }),
    );
    await world.rotate('v3');
    expect(world.keyValueOf('AWSCURRENT')).toBe(world.keysOfVersion('v3')[0].value);
    expect(world.clientCanStillCall()).toBe(true);
  });

  it("a rotation that would exceed the secret's 50 tags fails without forgetting a key, and the current key stays served", async () => {
    const world = World.steady();
    for (let i = world.secrets.tags.size; i < 50; i++) world.secrets.tags.set(`team:label-${i}`, 'x');
    world.secrets.startRotation('v2');
    await expect(world.step('createSecret', 'v2')).rejects.toThrow('exceed one of the Secrets Manager quotas');
    expect(world.keysOfVersion('v2').map((k) => k.enabled)).toEqual([false]); // created, never enabled or attached
    expect(world.servedValues()).toEqual(new Set([INITIAL]));
    expect(world.secrets.versionWith('AWSCURRENT')).toBe('v1');
  });

  it('a key whose name another stack uses is not mistaken for ours', async () => {
    const world = World.steady();
    world.gateway.addKey({
      name: `${PREFIX}v2`,
      value: 'someone-elses-key-000000000',
      enabled: true,
      tags: { [KEY_OWNER_TAG]: 'arn:other' },
    });
    await world.rotate('v2');
    expect(world.keysOfVersion('v2')).toHaveLength(1);
    expect(world.keysOfVersion('v2')[0].value).toBe(world.keyValueOf('AWSCURRENT'));
  });
});
