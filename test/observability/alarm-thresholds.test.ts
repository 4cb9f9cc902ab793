import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { PropCheck, SecureApiConfigError } from '../../lib/model/config-error';
import {
  AlarmThresholds,
  DEFAULT_ALARM_THRESHOLDS,
  resolveAlarmThresholds,
  ResolvedAlarmThresholds,
} from '../../lib/observability/alarm-thresholds';
import { errorThrownBy } from '../support/thrown-error';

/** Each AlarmThresholds prop's `@default`, as its doc comment states it. */
const DOCUMENTED_DEFAULTS = new Map(
  [
    ...readFileSync(path.join(__dirname, '..', '..', 'lib', 'observability', 'alarm-thresholds.ts'), 'utf8').matchAll(
      /@default (.+)\n\s*\*\/\n\s*readonly (\w+)\?:/g,
    ),
  ].map((m) => [m[2], m[1].trim()]),
);

/** A Duration written as a doc comment writes it: `Duration.seconds(2)`. */
function durationOf(text: string): Duration {
  const [, unit, amount] = /^Duration\.(millis|seconds|minutes|hours|days)\((\d+)\)$/.exec(text) ?? [];
  if (unit === undefined) throw new Error(`not a Duration: ${text}`);
  return Duration[unit as 'millis' | 'seconds' | 'minutes' | 'hours' | 'days'](Number(amount));
}

const PERCENT_KEYS = [
  'serverErrorRatePercent',
  'clientErrorRatePercent',
  'throttleRatePercent',
  'authFailureRatePercent',
  'wafBlockRatePercent',
  'authorizerErrorRatePercent',
  'lambdaErrorRatePercent',
  'lambdaThrottleRatePercent',
] as const;

/** The error resolving `thresholds` throws, or a failure when it resolves. */
const errorOf = (thresholds: AlarmThresholds): SecureApiConfigError =>
  errorThrownBy(SecureApiConfigError, () => resolveAlarmThresholds(thresholds));

// The props' doc comments are the API reference's figures, checked here; the README's table is checked in readme.test.ts.
describe("AlarmThresholds' doc comments", () => {
  it('state a @default for every prop that has one', () => {
    expect([...DOCUMENTED_DEFAULTS.keys()].sort()).toEqual(Object.keys(DEFAULT_ALARM_THRESHOLDS).sort());
  });

  it.each(Object.keys(DEFAULT_ALARM_THRESHOLDS).map((k) => [k]))('state the default of %s the code uses', (key) => {
    const documented = DOCUMENTED_DEFAULTS.get(key);
    const value = DEFAULT_ALARM_THRESHOLDS[key as keyof ResolvedAlarmThresholds];
    expect(documented).toBeDefined();
    if (value instanceof Duration) expect(durationOf(documented!).toMilliseconds()).toBe(value.toMilliseconds());
    else expect(Number(documented)).toBe(value);
  });
});

describe('resolveAlarmThresholds', () => {
  it('resolves to the defaults when nothing is given', () => {
    expect(resolveAlarmThresholds()).toEqual(DEFAULT_ALARM_THRESHOLDS);
    expect(resolveAlarmThresholds({})).toEqual(DEFAULT_ALARM_THRESHOLDS);
  });

  it('puts what the user gives over the defaults, one prop at a time', () => {
    const resolved = resolveAlarmThresholds({ serverErrorRatePercent: 0.5, evaluationPeriods: 5, datapointsToAlarm: 5 });
    expect(resolved).toEqual({ ...DEFAULT_ALARM_THRESHOLDS, serverErrorRatePercent: 0.5, evaluationPeriods: 5, datapointsToAlarm: 5 });
  });

  it('treats a prop set to undefined as not given', () => {
    expect(resolveAlarmThresholds({ serverErrorRatePercent: undefined, period: undefined })).toEqual(DEFAULT_ALARM_THRESHOLDS);
  });

  it('accepts the edges of each range', () => {
    expect(() =>
      resolveAlarmThresholds({
        serverErrorRatePercent: 100,
        clientErrorRatePercent: 0.01,
        latencyP99: Duration.seconds(29),
        minimumRequests: 1,
        period: Duration.minutes(1),
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      }),
    ).not.toThrow();
    expect(() => resolveAlarmThresholds({ period: Duration.hours(1), evaluationPeriods: 24, datapointsToAlarm: 24 })).not.toThrow();
  });

  describe.each(PERCENT_KEYS.map((k) => [k]))('%s', (key) => {
    it.each([0, -1, 100.5, NaN, Infinity])('refuses %p, naming the prop', (value) => {
      const error = errorOf({ [key]: value });
      expect(error.propPath).toBe(`monitoring.alarmThresholds.${key}`);
      expect(error.problem).toBe(`must be a percentage greater than 0 and at most 100, got ${value}`);
    });
  });

  it.each([
    ['zero', Duration.millis(0), 'got 0 ms'],
    ["beyond API Gateway's 29 s integration timeout", Duration.seconds(30), 'got 30000 ms'],
  ])('refuses a latencyP99 of %s', (_what, latencyP99, got) => {
    const error = errorOf({ latencyP99 });
    expect(error.propPath).toBe('monitoring.alarmThresholds.latencyP99');
    expect(error.problem).toContain(got);
  });

  it.each([0, -5, 1.5, NaN])('refuses minimumRequests of %p', (minimumRequests) => {
    expect(errorOf({ minimumRequests }).propPath).toBe('monitoring.alarmThresholds.minimumRequests');
  });

  it.each([
    ['shorter than a minute', Duration.seconds(30)],
    ['not a whole number of minutes', Duration.seconds(90)],
    ['zero', Duration.seconds(0)],
  ])('refuses a period %s', (_what, period) => {
    expect(errorOf({ period }).propPath).toBe('monitoring.alarmThresholds.period');
  });

  // Found by this test (issue 16), fixed: a period that is not a whole number of seconds makes
  // Duration.toSeconds() throw aws-cdk-lib's own error ("'60500 millis' cannot be converted into a whole
  // number of seconds"), which names neither SecureApi nor the prop, instead of a SecureApiConfigError.
  it('refuses a period that is not a whole number of seconds with a config error naming the prop', () => {
    expect(errorOf({ period: Duration.millis(60_500) }).propPath).toBe('monitoring.alarmThresholds.period');
  });

  it.each([0, 2.5, -1])('refuses evaluationPeriods of %p', (evaluationPeriods) => {
    expect(errorOf({ evaluationPeriods, datapointsToAlarm: 1 }).propPath).toBe('monitoring.alarmThresholds.evaluationPeriods');
  });

  it('refuses more datapoints to alarm than periods evaluated', () => {
    const error = errorOf({ evaluationPeriods: 3, datapointsToAlarm: 4 });
    expect(error.propPath).toBe('monitoring.alarmThresholds.datapointsToAlarm');
    expect(error.problem).toBe('must be a whole number from 1 to evaluationPeriods (3), got 4');
  });

  it.each([0, 1.5])('refuses datapointsToAlarm of %p', (datapointsToAlarm) => {
    expect(errorOf({ datapointsToAlarm }).propPath).toBe('monitoring.alarmThresholds.datapointsToAlarm');
  });

  it('refuses an evaluation range longer than one day (CloudWatch evaluates at most a day)', () => {
    const error = errorOf({ period: Duration.hours(1), evaluationPeriods: 25, datapointsToAlarm: 1 });
    expect(error.propPath).toBe('monitoring.alarmThresholds');
    expect(error.problem).toBe('period × evaluationPeriods must not exceed one day, got 90000 s');
  });

  it('names the construct and the prefix of the check it is given', () => {
    expect(() => resolveAlarmThresholds({ wafBlockRatePercent: 0 }, new PropCheck('Stack/Api', 'monitoring.alarms'))).toThrow(
      "SecureApi 'Stack/Api': monitoring.alarms.wafBlockRatePercent must be a percentage",
    );
  });
});
