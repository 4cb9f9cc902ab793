import { Duration } from 'aws-cdk-lib';
import { DEFAULT_ORIGIN_SECRET_ROTATION_PERIOD, planOriginSecretRotation } from '../../lib/tls/origin-secret-rotation-plan';

describe('planOriginSecretRotation', () => {
  it('rotates every 30 days by default', () => {
    expect(DEFAULT_ORIGIN_SECRET_ROTATION_PERIOD.toDays()).toBe(30);
    expect(planOriginSecretRotation('S/Api', {})).toBe(30);
  });

  it('takes a period in whole days, from 1 to 1000', () => {
    expect(planOriginSecretRotation('S/Api', { originSecretRotationPeriod: Duration.days(1) })).toBe(1);
    expect(planOriginSecretRotation('S/Api', { originSecretRotationPeriod: Duration.hours(48) })).toBe(2);
    expect(planOriginSecretRotation('S/Api', { originSecretRotationPeriod: Duration.days(1000) })).toBe(1000);
    expect(() => planOriginSecretRotation('S/Api', { originSecretRotationPeriod: Duration.hours(25) })).toThrow(
      "SecureApi 'S/Api': edge.originSecretRotationPeriod must be a whole number of days from 1 to 1000 (Secrets Manager's rotation schedule), got 1 day 1 hour",
    );
  });

  it('plans no rotation when it is turned off, and allows pinned versions then', () => {
    expect(
      planOriginSecretRotation('S/Api', { rotateOriginSecret: false, originSecretVersionId: 'v2', previousOriginSecretVersionId: 'v1' }),
    ).toBeUndefined();
  });

  it('refuses a pinned version with automatic rotation, naming the prop', () => {
    expect(() => planOriginSecretRotation('S/Api', { originSecretVersionId: 'v2' })).toThrow(
      "SecureApi 'S/Api': edge.originSecretVersionId pins a version",
    );
  });
});
