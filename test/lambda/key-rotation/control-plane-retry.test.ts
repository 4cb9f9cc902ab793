import { backoffDelayMs, isThrottled, MIN_INTERVAL_MS, withBackoff } from '../../../lambda/key-rotation/control-plane-retry';
import { newKeyValue } from '../../../lambda/key-rotation/index';
import { readConfig } from '../../../lambda/key-rotation/context';
import { KEY_ROTATION_ENV } from '../../../contracts/api-keys';
import { FakeClock, throttled } from './service-models';
import { captureLogs } from './world';

captureLogs();

describe('control-plane back-off', () => {
  it('recognizes throttling by status 429 or by error name, and nothing else', () => {
    expect(isThrottled(throttled())).toBe(true);
    expect(isThrottled({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })).toBe(true);
    expect(isThrottled({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } })).toBe(false);
    expect(isThrottled({ name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isThrottled(undefined)).toBe(false);
  });

  it('spaces usage-plan changes at least 20 s apart and doubles the wait on each retry, up to a minute', () => {
    const noRetryAfter = { name: 'TooManyRequestsException' };
    expect(MIN_INTERVAL_MS.UpdateUsagePlan).toBe(20_000);
    expect(backoffDelayMs('CreateUsagePlanKey', 0, noRetryAfter, 0)).toBe(20_000);
    expect(backoffDelayMs('CreateUsagePlanKey', 1, noRetryAfter, 0)).toBe(40_000);
    expect(backoffDelayMs('CreateUsagePlanKey', 5, noRetryAfter, 0)).toBe(60_000);
    expect(backoffDelayMs('CreateApiKey', 0, noRetryAfter, 0)).toBe(200); // 5 per second
    expect(backoffDelayMs('GetApiKeys', 0, noRetryAfter, 0)).toBe(100);
  });

  it('waits at least as long as the server asks with retryAfterSeconds', () => {
    expect(backoffDelayMs('CreateApiKey', 0, { retryAfterSeconds: '3' }, 0)).toBe(3000);
  });

  it('adds jitter of up to one minimum interval', () => {
    expect(backoffDelayMs('CreateApiKey', 0, {}, 0.99)).toBe(200 + 198);
  });

  it('retries a throttled call until it succeeds', async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    const result = await withBackoff('GetApiKeys', async () => (++calls < 3 ? Promise.reject(throttled()) : 'ok'), clock, 60_000);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry an error that is not throttling', async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    await expect(
      withBackoff(
        'CreateApiKey',
        async () => {
          calls++;
          throw new Error('socket hang up');
        },
        clock,
        60_000,
      ),
    ).rejects.toThrow('socket hang up');
    expect(calls).toBe(1);
  });

  it('gives up with the throttling error when the next wait would pass the deadline', async () => {
    const clock = new FakeClock(0);
    await expect(withBackoff('CreateUsagePlanKey', () => Promise.reject(throttled()), clock, 30_000)).rejects.toThrow('Too Many Requests');
    // The first wait (20 s + 10 s jitter) ends exactly at the deadline; the second (40 s + jitter) would not fit.
    expect(clock.sleeps).toEqual([30_000]);
  });
});

describe('key values and configuration', () => {
  it('generates distinct 40-character alphanumeric key values (API Gateway accepts 20–128 alphanumerics)', () => {
    const values = Array.from({ length: 2000 }, () => newKeyValue());
    expect(new Set(values).size).toBe(2000);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9]{40}$/);
    // Every one of the 62 characters occurs, roughly evenly (80,000 draws: about 1,290 each).
    const counts = new Map<string, number>();
    for (const c of values.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    expect(Math.min(...counts.values())).toBeGreaterThan(1000);
    expect(Math.max(...counts.values())).toBeLessThan(1600);
  });

  it('names the missing environment variable', () => {
    expect(() => readConfig({})).toThrow(`key-rotation: environment variable ${KEY_ROTATION_ENV.secretArn} is not set`);
  });

  it('reads durations in seconds', () => {
    const env = {
      [KEY_ROTATION_ENV.secretArn]: 'arn',
      [KEY_ROTATION_ENV.usagePlanId]: 'p',
      [KEY_ROTATION_ENV.consumerId]: 'c',
      [KEY_ROTATION_ENV.keyNamePrefix]: 'x.',
      [KEY_ROTATION_ENV.gracePeriodSeconds]: '604800',
      [KEY_ROTATION_ENV.deleteAfterSeconds]: '0',
    };
    expect(readConfig(env)).toMatchObject({ gracePeriodMs: 604_800_000, deleteAfterMs: 0 });
    expect(() => readConfig({ ...env, [KEY_ROTATION_ENV.gracePeriodSeconds]: 'soon' })).toThrow(
      /SECUREAPI_GRACE_PERIOD_SECONDS must be a number of seconds/,
    );
  });
});
