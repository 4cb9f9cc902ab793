import { Duration } from 'aws-cdk-lib';
import { PropCheck } from '../model';

/**
 * A duration prop in whole seconds, or a configuration error naming the prop: a token (whose value is known
 * only at deploy time) and a duration that is not a whole number of seconds (`Duration.millis(60_500)`) are
 * refused with SecureApi's error instead of the one aws-cdk-lib's `toSeconds()` would throw.
 */
export function concreteSeconds(check: PropCheck, path: string, duration: Duration): number {
  if (duration.isUnresolved()) check.fail(path, 'must be a concrete duration, not a token');
  const millis = duration.toMilliseconds();
  if (millis % 1000 !== 0) check.fail(path, `must be a whole number of seconds, got ${duration.toHumanString()}`);
  return millis / 1000;
}
