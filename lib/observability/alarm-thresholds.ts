import { Duration } from 'aws-cdk-lib';
import { PropCheck } from '../model/config-error';
import { concreteSeconds } from '../common/concrete-seconds';

/**
 * When the alarms fire. Rates are percentages of requests (or invocations) in one period, and a rate
 * is only evaluated when the period saw at least `minimumRequests` requests, so a quiet night with
 * two requests and one 500 does not page anyone.
 */
export interface AlarmThresholds {
  /**
   * 5XX responses, % of requests.
   * @default 1
   */
  readonly serverErrorRatePercent?: number;
  /**
   * 4XX responses, % of requests.
   * @default 10
   */
  readonly clientErrorRatePercent?: number;
  /**
   * p99 latency (API Gateway's `Latency`, gateway plus backend).
   * @default Duration.seconds(2)
   */
  readonly latencyP99?: Duration;
  /**
   * 429 responses (throttling, quota, WAF rate rules), % of requests.
   * @default 5
   */
  readonly throttleRatePercent?: number;
  /**
   * Authentication and authorization failures (401 and non-WAF 403), % of requests: a credential-stuffing or scanning spike.
   * @default 10
   */
  readonly authFailureRatePercent?: number;
  /**
   * Requests blocked by AWS WAF, % of requests.
   * @default 10
   */
  readonly wafBlockRatePercent?: number;
  /**
   * Authorizer failures (AUTHORIZER_FAILURE / AUTHORIZER_CONFIGURATION_ERROR: clients got 500), % of requests.
   * @default 1
   */
  readonly authorizerErrorRatePercent?: number;
  /**
   * Errors of each of SecureApi's Lambda functions, % of its invocations.
   * @default 1
   */
  readonly lambdaErrorRatePercent?: number;
  /**
   * Throttles of each of SecureApi's Lambda functions, % of its invocation attempts.
   * @default 1
   */
  readonly lambdaThrottleRatePercent?: number;
  /**
   * Fewest requests in a period for the API's rates to be evaluated.
   * @default 20
   */
  readonly minimumRequests?: number;
  /**
   * Length of one evaluation period.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * Periods looked at.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods among `evaluationPeriods` that set off an alarm.
   * @default 2
   */
  readonly datapointsToAlarm?: number;
}

/** Every threshold resolved. */
export type ResolvedAlarmThresholds = { readonly [K in keyof AlarmThresholds]-?: NonNullable<AlarmThresholds[K]> };

/** The defaults, in one place (the README's table lists them). */
export const DEFAULT_ALARM_THRESHOLDS: ResolvedAlarmThresholds = {
  serverErrorRatePercent: 1,
  clientErrorRatePercent: 10,
  latencyP99: Duration.seconds(2),
  throttleRatePercent: 5,
  authFailureRatePercent: 10,
  wafBlockRatePercent: 10,
  authorizerErrorRatePercent: 1,
  lambdaErrorRatePercent: 1,
  lambdaThrottleRatePercent: 1,
  minimumRequests: 20,
  period: Duration.minutes(5),
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
};

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

/** Merges the user's thresholds over the defaults and checks them, naming the prop that is wrong. */
export function resolveAlarmThresholds(
  thresholds: AlarmThresholds = {},
  check = new PropCheck('', 'monitoring.alarmThresholds'),
): ResolvedAlarmThresholds {
  const resolved = { ...DEFAULT_ALARM_THRESHOLDS, ...withoutUndefined(thresholds) };
  for (const key of PERCENT_KEYS) {
    const value = resolved[key];
    if (!Number.isFinite(value) || value <= 0 || value > 100)
      check.fail(key, `must be a percentage greater than 0 and at most 100, got ${value}`);
  }
  const latency = resolved.latencyP99.toMilliseconds();
  if (latency <= 0 || latency > 29_000)
    check.fail('latencyP99', `must be between 1 ms and 29 s (API Gateway's integration timeout), got ${latency} ms`);
  if (!Number.isInteger(resolved.minimumRequests) || resolved.minimumRequests < 1) {
    check.fail('minimumRequests', `must be a whole number of at least 1, got ${resolved.minimumRequests}`);
  }
  const period = concreteSeconds(check, 'period', resolved.period);
  if (period < 60 || period % 60 !== 0) check.fail('period', `must be a whole number of minutes, got ${period} s`);
  const { evaluationPeriods, datapointsToAlarm } = resolved;
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)
    check.fail('evaluationPeriods', `must be a whole number of at least 1, got ${evaluationPeriods}`);
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    check.fail('datapointsToAlarm', `must be a whole number from 1 to evaluationPeriods (${evaluationPeriods}), got ${datapointsToAlarm}`);
  }
  if (period * evaluationPeriods > 86_400)
    check.fail('', `period × evaluationPeriods must not exceed one day, got ${period * evaluationPeriods} s`);
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
