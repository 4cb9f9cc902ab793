import { ORIGIN_VERIFY_RULE_NAME } from '../../../contracts/origin-secret-rotation';
import { DEPLOYED_POLL_MS } from '../../../lambda/origin-secret-rotation/distribution';
import { captureLogs, MINUTE, SECRET_ARN, STEPS, World } from './world';

const logs = captureLogs();

describe('rotating the front’s origin secret', () => {
  it('stops a value a backend logged from opening the API after one rotation: the web ACL accepts only the new value', async () => {
    const world = new World({ current: 'origin-value-leaked' });
    await world.rotate('v1');
    expect(world.valueOf('AWSCURRENT')).toBe('origin-value-0001');
    expect(world.valueOf('AWSPREVIOUS')).toBe('origin-value-leaked');
    expect(world.sent()).toBe('origin-value-0001');
    expect(world.accepted()).toEqual(['origin-value-0001']);
    expect(world.accepted()).not.toContain('origin-value-leaked');
    expect(world.deployed()).toBe(true);
    expect(world.violations).toEqual([]);
  });

  it('never lets an edge location send a value that a WAF enforcement point may refuse, at any moment of the rotation', async () => {
    const world = new World({ wafPropagationMs: MINUTE, deployMs: 7 * MINUTE });
    await world.rotate('v1');
    expect(world.violations).toEqual([]);
    // The web ACL accepted the new value, then two minutes later CloudFront started sending it.
    const accepting = world.wafHistory.find((h) => h.accepted.includes('origin-value-0001'))!;
    const sending = world.frontHistory.find((h) => h.value === 'origin-value-0001')!;
    expect(sending.at - accepting.at).toBe(2 * MINUTE);
    // The old value was dropped only once every edge location sent the new one.
    const narrowing = world.wafHistory.find((h) => h.accepted.length === 1 && h.accepted[0] === 'origin-value-0001')!;
    expect(narrowing.at - sending.at).toBeGreaterThanOrEqual(7 * MINUTE);
  });

  it('is caught by the invariant check when CloudFront switches before WAF has propagated (the check can fail)', async () => {
    const world = new World({ wafPropagationMs: 3 * MINUTE, handlerWaitsMs: 0 });
    await world.rotate('v1');
    expect(world.violations.length).toBeGreaterThan(0);
    expect(world.violations[0]).toContain('an edge may send origin-value-0001, which WAF may refuse');
  });

  it('waits for a distribution still deploying an earlier change before it narrows the web ACL', async () => {
    const world = new World({ current: 'origin-value-older' });
    // A deployment two minutes ago changed the value; some edge locations still send the older one.
    world.versions.get('v0')!.value = 'origin-value-newer';
    world.frontHistory.push({ at: world.time - 2 * MINUTE, value: 'origin-value-newer' });
    world.distributionConfig.Origins!.Items![0].CustomHeaders!.Items![0].HeaderValue = 'origin-value-newer';
    world.wafHistory.push({ at: world.time - 2 * MINUTE, accepted: ['origin-value-newer', 'origin-value-older'] });
    world.webAcl.Rules![0] = (await import('./world')).originRule(['origin-value-newer', 'origin-value-older']);
    await world.rotate('v1');
    expect(world.violations).toEqual([]);
    expect(world.accepted()).toEqual(['origin-value-0001']);
  });

  it('keeps the invariant and ends rotated when a response is lost or throttled at any call of the rotation', async () => {
    const clean = new World();
    await clean.rotate('v1');
    const calls = clean.calls;
    for (const kind of ['lost', 'throttle'] as const) {
      for (let i = 0; i < calls.length; i++) {
        const world = new World();
        const nth = calls.slice(0, i + 1).filter((c) => c === calls[i]).length;
        world.inject(calls[i], kind, nth);
        await world.rotate('v1');
        // A throttled PutSecretValue stored nothing, so the retry may store another new value: either is fine.
        const current = world.valueOf('AWSCURRENT')!;
        const outcome = {
          at: `${kind} at call ${i} (${calls[i]})`,
          violations: world.violations,
          sent: world.sent(),
          accepted: world.accepted(),
        };
        expect(outcome).toEqual({ at: outcome.at, violations: [], sent: current, accepted: [current] });
        expect(current).not.toBe('origin-value-0000');
      }
    }
  });

  it('rotates twice in a row: each rotation retires the value before it, and no edge is refused', async () => {
    const world = new World();
    await world.rotate('v1');
    world.advance(30 * 24 * 60 * MINUTE);
    await world.rotate('v2');
    expect(world.sent()).toBe('origin-value-0002');
    expect(world.accepted()).toEqual(['origin-value-0002']);
    expect(world.violations).toEqual([]);
  });

  it('repairs a deployment that put the old value back into the distribution in the middle of a rotation', async () => {
    const world = new World();
    world.startRotation('v1');
    await world.step('createSecret', 'v1');
    await world.step('setSecret', 'v1');
    world.deploymentRewritesDistribution(); // CloudFormation re-resolves AWSCURRENT: the old value, which WAF still accepts
    expect(world.violations).toEqual([]);
    await world.step('testSecret', 'v1');
    await world.step('finishSecret', 'v1');
    expect(world.sent()).toBe('origin-value-0001');
    expect(world.accepted()).toEqual(['origin-value-0001']);
    expect(world.violations).toEqual([]);
  });

  it('makes the web ACL accept the new value again when a deployment reverted it in the middle of a rotation', async () => {
    const world = new World();
    world.startRotation('v1');
    await world.step('createSecret', 'v1');
    await world.step('setSecret', 'v1');
    world.deploymentRewritesWebAcl(); // the web ACL accepts only AWSCURRENT (the old value) while CloudFront sends the new one
    expect(world.accepted()).toEqual(['origin-value-0000']);
    await world.step('testSecret', 'v1');
    expect(world.accepted()).toContain('origin-value-0001');
    await world.step('finishSecret', 'v1');
    expect(world.accepted()).toEqual(['origin-value-0001']);
  });

  it('keeps a change another writer made to the web ACL while the rotation was updating it', async () => {
    const world = new World();
    world.beforeNext('UpdateWebACL', () => world.anotherWriterAddsRule('BlockCountry'));
    await world.rotate('v1');
    expect(world.webAcl.Rules!.map((r) => r.Name)).toEqual([ORIGIN_VERIFY_RULE_NAME, 'RateLimit', 'BlockCountry']);
    expect(world.accepted()).toEqual(['origin-value-0001']);
    expect(logs.some((line) => line.includes('web ACL changed while updating'))).toBe(true);
  });

  it('keeps a change a deployment made to the distribution while the rotation was updating it', async () => {
    const world = new World();
    world.beforeNext('UpdateDistribution', () => {
      world.distributionConfig = { ...world.distributionConfig, Comment: 'changed by a deployment' };
      world.etag = 'ETAG99';
    });
    await world.rotate('v1');
    expect(world.distributionConfig.Comment).toBe('changed by a deployment');
    expect(world.sent()).toBe('origin-value-0001');
  });

  it('changes nothing in the web ACL but the origin rule’s accepted values', async () => {
    const world = new World();
    const before = structuredClone(world.webAcl);
    await world.rotate('v1');
    const { Rules: rulesAfter, ...settingsAfter } = world.webAcl;
    const { Rules: rulesBefore, ...settingsBefore } = before;
    expect(settingsAfter).toEqual(settingsBefore);
    expect(rulesAfter!.slice(1)).toEqual(rulesBefore!.slice(1));
    expect({ ...rulesAfter![0], Statement: undefined }).toEqual({ ...rulesBefore![0], Statement: undefined });
  });

  it('refuses an event for another secret, and touches nothing', async () => {
    const world = new World();
    await expect(world.step('createSecret', 'v1', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:Other-AbCdEf')).rejects.toThrow(
      'origin-secret-rotation: refusing to rotate secret arn:aws:secretsmanager:eu-west-1:111122223333:secret:Other-AbCdEf',
    );
    expect(world.calls).toEqual([]);
  });

  it('refuses to edit an origin rule someone changed to count instead of block, and leaves the web ACL as it was', async () => {
    const world = new World();
    world.webAcl.Rules![0] = { ...world.webAcl.Rules![0], Action: { Count: {} } };
    await expect(world.rotate('v1', 1)).rejects.toThrow(
      `the web ACL's ${ORIGIN_VERIFY_RULE_NAME} rule does not block; refusing to edit it`,
    );
    expect(world.calls).not.toContain('UpdateWebACL');
    expect(world.calls).not.toContain('UpdateDistribution');
    expect(world.sent()).toBe('origin-value-0000');
  });

  it('leaves the old value accepted, and fails visibly, when CloudFront does not finish deploying in time', async () => {
    const world = new World({ deployMs: 20 * MINUTE });
    await expect(world.rotate('v1', 1)).rejects.toThrow('CloudFront has not yet sent the new origin secret from every edge location');
    expect(world.accepted().sort()).toEqual(['origin-value-0000', 'origin-value-0001']);
    expect(world.valueOf('AWSCURRENT')).toBe('origin-value-0000');
    expect(world.violations).toEqual([]);
    // Secrets Manager retries the rotation later, and it completes.
    world.advance(20 * MINUTE);
    for (const step of STEPS) await world.step(step, 'v1');
    expect(world.accepted()).toEqual(['origin-value-0001']);
  });

  it('refuses a version that is neither pending nor current', async () => {
    const world = new World();
    world.versions.set('stray', { value: 'origin-value-stray', stages: new Set(['operator-label']) });
    await expect(world.step('setSecret', 'stray')).rejects.toThrow('secret version stray is not AWSPENDING');
    expect(world.calls).not.toContain('UpdateWebACL');
  });

  it('does nothing when rotation is not enabled on the secret', async () => {
    const world = new World();
    world.rotationEnabled = false;
    world.startRotation('v1');
    await expect(world.step('createSecret', 'v1')).rejects.toThrow(`rotation is not enabled on secret ${SECRET_ARN}`);
    expect(world.calls).toEqual(['DescribeSecret']);
  });
});

describe('rotating the origin secret at the seams with deployments, operators and service errors', () => {
  it('does not switch CloudFront to the new value when a deployment narrowed the web ACL while setSecret waited for WAF to propagate', async () => {
    const world = new World();
    world.startRotation('v1');
    await world.step('createSecret', 'v1');
    // One minute into the two-minute wait after the web ACL accepted both values, a deployment re-resolves AWSCURRENT into it.
    world.afterNext('UpdateWebACL', () => world.schedule(world.time + MINUTE, () => world.deploymentRewritesWebAcl()));
    await expect(world.step('setSecret', 'v1')).rejects.toThrow('setSecret: the web ACL no longer accepts the new origin secret');
    expect(world.sent()).toBe('origin-value-0000');
    expect(world.violations).toEqual([]);
    // Secrets Manager retries the rotation, which then completes.
    for (const step of STEPS) await world.step(step, 'v1');
    expect({ sent: world.sent(), accepted: world.accepted(), violations: world.violations }).toEqual({
      sent: 'origin-value-0001',
      accepted: ['origin-value-0001'],
      violations: [],
    });
  });

  it('has the web ACL accept the value CloudFront sends again, instead of failing, when a deployment narrowed it while testSecret waited', async () => {
    const world = new World();
    world.startRotation('v1');
    await world.step('createSecret', 'v1');
    await world.step('setSecret', 'v1');
    // A minute into testSecret's wait for the edge locations, a deployment narrows the web ACL to AWSCURRENT (the old value).
    const revertAt = world.time + MINUTE;
    world.afterNext('GetDistribution', () => world.schedule(revertAt, () => world.deploymentRewritesWebAcl()));
    await world.step('testSecret', 'v1');
    // The deployment refuses requests (README: avoid deploying during a rotation), but only until testSecret's next
    // look at the distribution, not until Secrets Manager retries the whole rotation.
    expect(world.accepted()).toContain(world.sent());
    const repair = world.wafHistory.find((h) => h.at >= revertAt && h.accepted.includes('origin-value-0001'))!;
    expect(repair.at - revertAt).toBeLessThanOrEqual(DEPLOYED_POLL_MS);
    await world.step('finishSecret', 'v1');
    expect(world.accepted()).toEqual(['origin-value-0001']);
  });

  it.each(['PutSecretValue', 'UpdateWebACL', 'UpdateDistribution'])(
    'keeps the origin secrets out of the error it throws when %s refuses a request and quotes it (the runtime logs message and stack)',
    async (command) => {
      const world = new World();
      world.startRotation('v1');
      world.inject(command, 'invalid');
      let error: Error | undefined;
      for (const step of STEPS) {
        error = await world.step(step, 'v1').then(
          () => undefined,
          (e: Error) => e,
        );
        if (error !== undefined) break;
      }
      expect(error?.name).not.toBe('TimeoutError');
      expect(error?.message).toContain('parameter');
      expect(`${error?.message}\n${error?.stack}`).not.toMatch(/origin-value-/);
      expect(error?.message).toContain('[redacted]');
      expect(world.violations).toEqual([]);
    },
  );

  it('accepts the old value no longer than until the next rotation when narrowing failed after the new value became AWSCURRENT', async () => {
    const world = new World();
    world.inject('UpdateWebACL', 'throttle', 2); // the first update widens in setSecret, the second narrows in finishSecret
    world.startRotation('v1');
    for (const step of STEPS.slice(0, 3)) await world.step(step, 'v1');
    await expect(world.step('finishSecret', 'v1')).rejects.toThrow('Rate exceeded');
    expect(world.valueOf('AWSCURRENT')).toBe('origin-value-0001');
    expect(world.accepted().sort()).toEqual(['origin-value-0000', 'origin-value-0001']);
    // Even if Secrets Manager took the rotation for complete and never retried it, the next one accepts exactly the
    // value CloudFront sends and the new one, then the new one alone.
    world.advance(30 * 24 * 60 * MINUTE);
    await world.rotate('v2');
    expect(world.accepted()).toEqual(['origin-value-0002']);
    expect(world.violations).toEqual([]);
  });

  it('refuses, like RotateSecret, a second rotation while one is pending; cancelled by hand, a rotation with a new token retires both older values', async () => {
    const world = new World();
    world.startRotation('v1');
    await world.step('createSecret', 'v1');
    await world.step('setSecret', 'v1'); // CloudFront now sends v1's value; the rotation then stops (the operator gives up on it).
    expect(() => world.startRotation('v2')).toThrow('A previous rotation isn’t complete');
    world.versions.get('v1')!.stages.delete('AWSPENDING'); // the documented way to cancel: remove AWSPENDING
    world.advance(10 * MINUTE);
    await world.rotate('v2');
    expect({
      sent: world.sent(),
      accepted: world.accepted(),
      previous: world.valueOf('AWSPREVIOUS'),
      violations: world.violations,
    }).toEqual({ sent: 'origin-value-0002', accepted: ['origin-value-0002'], previous: 'origin-value-0000', violations: [] });
  });

  it('keeps every edge accepted when a deployment reverted the distribution after a cancelled rotation, and then drops the orphaned value', async () => {
    const world = new World();
    world.startRotation('v1');
    await world.step('createSecret', 'v1');
    await world.step('setSecret', 'v1');
    world.versions.get('v1')!.stages.delete('AWSPENDING');
    world.deploymentRewritesDistribution(); // back to AWSCURRENT (the old value), which the web ACL still accepts
    await world.rotate('v2');
    expect(world.accepted()).toEqual(['origin-value-0002']);
    expect(world.violations).toEqual([]);
  });
});
