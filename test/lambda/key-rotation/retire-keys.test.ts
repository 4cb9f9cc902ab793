import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { KEY_ID_TAG_PREFIX, KEY_OWNER_TAG, RETIRE_KEYS_EVENT, SUPERSEDED_TAG_PREFIX } from '../../../contracts/api-keys';
import { sendResponse } from '../../../lambda/key-rotation/custom-resource';
import { decideRetirement, SweepReport } from '../../../lambda/key-rotation/retire-keys';
import { FaultKind } from './service-models';
import { captureLogs, DAY, PLAN, PREFIX, START, World } from './world';

const logs = captureLogs();

const INITIAL = 'initial-key-value-0000-abcdefghij';
const sweep = (world: World) => world.run(RETIRE_KEYS_EVENT) as Promise<SweepReport>;

describe('decideRetirement', () => {
  const base = { enabled: true, now: START, gracePeriodMs: 7 * DAY, deleteAfterMs: 3 * DAY };
  it.each([
    [['AWSCURRENT'], undefined, 0, 'keep'],
    [['AWSCURRENT', 'AWSPENDING'], undefined, 0, 'keep'],
    [['AWSPENDING'], undefined, 0, 'keep'],
    [['AWSPREVIOUS'], undefined, 0, 'keep'],
    [['AWSPREVIOUS'], START, 7 * DAY - 1, 'keep'],
    [['AWSPREVIOUS'], START, 7 * DAY, 'disable'],
    [['AWSPREVIOUS'], START, 10 * DAY, 'delete'],
    [[], undefined, 0, 'keep'],
    [[], START, 7 * DAY - 1, 'keep'],
    [[], START, 7 * DAY, 'disable'],
    [[], START, 10 * DAY, 'delete'],
  ])('a key of a version labelled %j, superseded at %s, %s ms later: %s', (stages, supersededAt, elapsed, action) => {
    expect(decideRetirement({ ...base, stages, supersededAt, now: START + elapsed }).action).toBe(action);
  });

  it('keeps a disabled previous key until the deletion delay is over', () => {
    expect(decideRetirement({ ...base, stages: ['AWSPREVIOUS'], enabled: false, supersededAt: START, now: START + 8 * DAY }).action).toBe(
      'keep',
    );
  });
});

describe('the retirement sweep', () => {
  async function rotated(): Promise<World> {
    const world = World.steady();
    await world.rotate('v2');
    return world;
  }

  it('keeps the previous key enabled during the grace period', async () => {
    const world = await rotated();
    world.clock.time = START + 7 * DAY - 60_000;
    const report = await sweep(world);
    expect(report.disabled).toEqual([]);
    expect(world.servedValues().has(INITIAL)).toBe(true);
  });

  it('disables the previous key once the grace period is over, and deletes it after the deletion delay', async () => {
    const world = await rotated();
    const previousKey = world.keysOfVersion('v1')[0];
    world.clock.time = START + 7 * DAY;
    expect((await sweep(world)).disabled).toEqual([previousKey.id]);
    expect(world.gateway.keys.get(previousKey.id)!.enabled).toBe(false);
    expect(logs.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ message: 'disabled API key', keyId: previousKey.id, reason: 'grace period over' }),
    );
    expect(world.servedValues()).toEqual(new Set([world.keyValueOf('AWSCURRENT')]));

    world.clock.time = START + 14 * DAY;
    expect((await sweep(world)).deleted).toEqual([previousKey.id]);
    expect(world.gateway.keys.has(previousKey.id)).toBe(false);
    expect(world.clientCanStillCall()).toBe(true);
  });

  it('never disables or deletes the AWSCURRENT or AWSPENDING key', async () => {
    const world = await rotated();
    world.secrets.startRotation('v3');
    await world.step('createSecret', 'v3');
    world.clock.time = START + 365 * DAY;
    await sweep(world);
    expect(world.keysOfVersion('v2')[0].enabled).toBe(true);
    expect(world.keysOfVersion('v3')[0].enabled).toBe(true);
  });

  it('retires keys older than AWSPREVIOUS and of abandoned rotations after their own grace period, not at once', async () => {
    const world = await rotated();
    await world.rotate('v3'); // v1 loses its label
    world.secrets.startRotation('v4');
    await world.step('createSecret', 'v4');
    world.secrets.startRotation('v5'); // v4's rotation was abandoned: it loses AWSPENDING
    const [v1, v2, v4] = [world.keysOfVersion('v1')[0].id, world.keysOfVersion('v2')[0].id, world.keysOfVersion('v4')[0].id];
    const first = await sweep(world);
    expect([...first.disabled, ...first.deleted]).toEqual([]);
    expect(world.supersededAt('v4')).toBe(new Date(START).toISOString()); // first seen without a label: its grace starts now
    world.clock.time = START + 7 * DAY;
    expect((await sweep(world)).disabled.sort()).toEqual([v1, v2, v4].sort());
    world.clock.time = START + 14 * DAY;
    expect((await sweep(world)).deleted.sort()).toEqual([v1, v2, v4].sort());
    expect(world.secrets.tags.has(`${KEY_ID_TAG_PREFIX}v1`)).toBe(false); // forgotten with its key
    expect(world.secrets.tags.has(`${SUPERSEDED_TAG_PREFIX}v1`)).toBe(false);
  });

  it('keeps the previous key when no enabled key holds AWSCURRENT, so its holders are not locked out', async () => {
    const world = await rotated();
    world.keysOfVersion('v2')[0].enabled = false; // an operator disabled the current key by hand
    world.clock.time = START + 30 * DAY;
    const report = await sweep(world);
    expect(report.disabled).toEqual([]);
    expect(report.deleted).toEqual([]);
    expect(world.servedValues().has(INITIAL)).toBe(true);
  });

  it('starts the grace period when the supersession record is missing instead of cutting it short', async () => {
    const world = await rotated();
    world.secrets.tags.delete(`${SUPERSEDED_TAG_PREFIX}v1`);
    world.clock.time = START + 30 * DAY;
    expect((await sweep(world)).disabled).toEqual([]);
    expect(world.supersededAt('v1')).toBe(new Date(START + 30 * DAY).toISOString());
    world.clock.time = START + 37 * DAY;
    expect((await sweep(world)).disabled).toEqual([world.keysOfVersion('v1')[0].id]);
  });

  it('leaves keys of other owners alone, even with our name prefix', async () => {
    const world = await rotated();
    const foreign = world.gateway.addKey(
      { name: `${PREFIX}v0`, value: 'someone-elses-key-000000000', enabled: true, tags: { [KEY_OWNER_TAG]: 'arn:other' } },
      PLAN,
    );
    world.clock.time = START + 60 * DAY;
    await sweep(world);
    expect(world.gateway.keys.get(foreign.id)!.enabled).toBe(true);
  });

  it('survives throttling of every call it makes', async () => {
    const world = await rotated();
    for (const command of ['DescribeSecret', 'GetApiKey', 'UpdateApiKey']) world.services.inject({ command, kind: 'throttle' });
    world.clock.time = START + 7 * DAY;
    expect((await sweep(world)).disabled).toHaveLength(1);
    expect(world.services.pendingFaults).toBe(0);
  });
});

describe('every superseded key gets its own full grace period, whatever rotations follow (issue 13 #5)', () => {
  const GRACE = 7 * DAY;
  const HOUR = 3600 * 1000;

  /** Sweeps every `stepMs` until `until`, asserting after each sweep that no key is disabled before its own grace period ends. */
  async function sweepUntil(
    world: World,
    until: number,
    supersededAtByVersion: Map<string, number>,
    stepMs = 6 * HOUR,
    faults: FaultKind[] = [],
  ): Promise<void> {
    let i = 0;
    while (world.clock.time < until) {
      world.clock.time = Math.min(until, world.clock.time + stepMs);
      const fault = faults[i++ % Math.max(1, faults.length)];
      if (fault !== undefined) world.services.inject({ command: i % 2 === 0 ? 'UpdateApiKey' : 'TagResource', kind: fault });
      await sweep(world).catch(() => undefined); // a failed sweep is retried by the next one
      world.services['faults'].length = 0; // a fault the sweep did not meet does not carry over
      for (const [version, at] of supersededAtByVersion) {
        if (world.clock.time >= at + GRACE) continue;
        const keys = world.keysOfVersion(version);
        expect({ version, now: world.clock.time - START, keys: keys.map((k) => k.enabled) }).toEqual({
          version,
          now: world.clock.time - START,
          keys: [true],
        });
        expect(world.servedValues().has(keys[0].value)).toBe(true);
      }
    }
  }

  it('two rotations inside one grace period: the first superseded key stays enabled for its own grace period', async () => {
    const world = World.steady();
    const superseded = new Map<string, number>();
    await world.rotate('v2'); // v1 superseded at START
    superseded.set('v1', START);
    await sweepUntil(world, START + 2 * DAY, superseded);
    await world.rotate('v3'); // a second rotation (a manual one, or a changed period redeploying): v1 loses AWSPREVIOUS
    superseded.set('v2', START + 2 * DAY);
    await sweepUntil(world, START + 6 * DAY, superseded);
    expect(world.keysOfVersion('v1')[0].enabled).toBe(true); // on main, the first sweep after v3 deleted it

    await sweepUntil(world, START + GRACE + HOUR, superseded, HOUR);
    expect(world.keysOfVersion('v1')[0].enabled).toBe(false); // its grace period is over: disabled, not yet deleted
    expect(world.keysOfVersion('v2')[0].enabled).toBe(true); // v2's own grace period runs until day 9
    await sweepUntil(world, START + 2 * DAY + GRACE + HOUR, superseded, HOUR);
    expect(world.keysOfVersion('v2')[0].enabled).toBe(false);
    expect(world.clientCanStillCall()).toBe(true);
  });

  it('three rotations inside one grace period, with faults in between: no key is disabled before its own grace period ends', async () => {
    const world = World.steady();
    const superseded = new Map<string, number>();
    const rotations: Array<[string, string, number, { command: string; kind: FaultKind }]> = [
      ['v2', 'v1', START, { command: 'TagResource', kind: 'serverError' }], // finishSecret's record fails once
      ['v3', 'v2', START + 1 * DAY, { command: 'UpdateSecretVersionStage', kind: 'lostResponse' }],
      ['v4', 'v3', START + 3 * DAY, { command: 'DescribeSecret', kind: 'throttle' }],
    ];
    for (const [version, supersedes, at, fault] of rotations) {
      await sweepUntil(world, at, superseded, 6 * HOUR, ['serverError', 'lostResponse']);
      world.services.inject(fault);
      await world.rotate(version, () => expect(world.clientCanStillCall()).toBe(true));
      superseded.set(supersedes, at);
    }
    await sweepUntil(world, START + 3 * DAY + GRACE + 2 * HOUR, superseded, HOUR, ['throttle', 'serverError']);
    // Every superseded key was disabled, each only after its own grace period; the current one is served.
    for (const version of ['v1', 'v2', 'v3']) expect(world.keysOfVersion(version).every((k) => !k.enabled)).toBe(true);
    expect(world.servedValues()).toEqual(new Set([world.keyValueOf('AWSCURRENT')]));
    await sweepUntil(world, START + 3 * DAY + GRACE + 7 * DAY + 2 * HOUR, superseded, 6 * HOUR);
    expect(world.ownedKeys().map((k) => k.tags['secureapi:secret-version'])).toEqual(['v4']);
  });
});

describe('the consumer cleanup custom resource', () => {
  const event = (RequestType: 'Create' | 'Update' | 'Delete') => ({
    RequestType,
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/presigned',
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Demo/1',
    RequestId: 'req-1',
    LogicalResourceId: 'ApiKeysPartnerACleanup',
    PhysicalResourceId: RequestType === 'Create' ? undefined : 'api-keys:partner-a',
  });

  it('on Create changes nothing and reports SUCCESS', async () => {
    const world = World.steady();
    const before = world.snapshot();
    await world.run(event('Create'));
    expect(world.snapshot()).toEqual(before);
    expect(world.responses).toEqual([
      {
        url: event('Create').ResponseURL,
        body: {
          Status: 'SUCCESS',
          Reason: 'OK',
          PhysicalResourceId: 'api-keys:partner-a',
          StackId: event('Create').StackId,
          RequestId: 'req-1',
          LogicalResourceId: 'ApiKeysPartnerACleanup',
        },
      },
    ]);
  });

  it('on Delete deletes every key of the consumer, so a removed consumer keeps no working key', async () => {
    const world = World.steady();
    await world.rotate('v2');
    const other = world.gateway.addKey({ name: 'unrelated', value: 'unrelated-key-value-0000000', enabled: true, tags: {} }, PLAN);
    await world.run(event('Delete'));
    expect(world.ownedKeys()).toEqual([]);
    expect(world.gateway.keys.has(other.id)).toBe(true);
    expect(world.responses[0].body.Status).toBe('SUCCESS');
  });

  it('on Delete reports FAILED, naming the key, when a key can be neither deleted nor disabled', async () => {
    const world = World.steady();
    const key = world.keysOfVersion('v1')[0];
    world.services.inject({ command: 'DeleteApiKey', kind: 'serverError' });
    world.services.inject({ command: 'UpdateApiKey', kind: 'serverError' });
    await world.run(event('Delete'));
    expect(world.responses[0].body.Status).toBe('FAILED');
    expect(world.responses[0].body.Reason).toContain(key.id);
    expect(JSON.stringify(world.responses)).not.toContain(INITIAL);
  });

  it('sends its response with an HTTP PUT to the pre-signed URL', async () => {
    const received: Array<{ method?: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await sendResponse(`http://127.0.0.1:${port}/presigned?X-Amz-Signature=abc`, '{"Status":"SUCCESS"}');
      expect(received).toEqual([{ method: 'PUT', body: '{"Status":"SUCCESS"}' }]);
    } finally {
      server.close();
    }
  });
});

describe('the handler entry', () => {
  it('rejects an event it does not recognize', async () => {
    const world = World.steady();
    await expect(world.run({ hello: 'world' } as never)).rejects.toThrow('key-rotation: unrecognized event');
  });
});
