import { Duration } from 'aws-cdk-lib';
import { PropCheck, SecureApiConfigError } from '../../lib/model/config-error';
import { AlarmThresholds, DEFAULT_ALARM_THRESHOLDS, resolveAlarmThresholds } from '../../lib/observability/alarm-thresholds';

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
function errorOf(thresholds: AlarmThresholds): SecureApiConfigError {
  try {
    resolveAlarmThresholds(thresholds);
  } catch (error) {
    if (error instanceof SecureApiConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(thresholds)} to be refused`);
}

describe('resolveAlarmThresholds', () => {
  it('resolves to the defaults when nothing is given', () => {
    expect(resolveAlarmThresholds()).toEqual(DEFAULT_ALARM_THRESHOLDS);
    expect(resolveAlarmThresholds({})).toEqual(DEFAULT_ALARM_THRESHOLDS);
  });

  it('keeps the documented defaults', () => {
    expect({ ...DEFAULT_ALARM_THRESHOLDS, latencyP99: undefined, period: undefined }).toEqual({
      serverErrorRatePercent: 1,
      clientErrorRatePercent: 10,
      latencyP99: undefined,
      throttleRatePercent: 5,
      authFailureRatePercent: 10,
      wafBlockRatePercent: 10,
      authorizerErrorRatePercent: 1,
      lambdaErrorRatePercent: 1,
      lambdaThrottleRatePercent: 1,
      minimumRequests: 20,
      period: undefined,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    expect(DEFAULT_ALARM_THRESHOLDS.latencyP99.toMilliseconds()).toBe(2000);
    expect(DEFAULT_ALARM_THRESHOLDS.period.toSeconds()).toBe(300);
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
