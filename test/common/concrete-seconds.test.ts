import { Duration, Lazy } from 'aws-cdk-lib';
import { concreteSeconds } from '../../lib/common/concrete-seconds';
import { PropCheck, SecureApiConfigError } from '../../lib/model';
import { errorThrownBy } from '../support/thrown-error';

const check = new PropCheck('Stack/Api', 'monitoring');
const errorOf = (duration: Duration): SecureApiConfigError =>
  errorThrownBy(SecureApiConfigError, () => concreteSeconds(check, 'period', duration));

describe('concreteSeconds', () => {
  it.each([
    [Duration.minutes(5), 300],
    [Duration.days(30), 2_592_000],
    [Duration.millis(2000), 2],
    [Duration.seconds(0), 0],
  ])('reads %s as %d seconds', (duration, seconds) => {
    expect(concreteSeconds(check, 'period', duration)).toBe(seconds);
  });

  it.each([
    ['seconds', Duration.seconds(Lazy.number({ produce: () => 60 }))],
    ['days', Duration.days(Lazy.number({ produce: () => 30 }))],
  ])('refuses a token in %s with an error naming the prop', (_unit, duration) => {
    const error = errorOf(duration);
    expect(error).toBeInstanceOf(SecureApiConfigError);
    expect([error.propPath, error.problem]).toEqual(['monitoring.period', 'must be a concrete duration, not a token']);
  });

  it('refuses a duration that is not a whole number of seconds, naming the prop and the value', () => {
    const error = errorOf(Duration.millis(60_500));
    expect([error.propPath, error.problem]).toEqual(['monitoring.period', 'must be a whole number of seconds, got 1 minute 500 millis']);
  });
});
