import { Duration } from 'aws-cdk-lib';
import { concreteSeconds } from '../common';
import { PropCheck } from '../model/config-error';
import { EdgeFrontOptions } from './tls-options';

/** The origin secret is rotated monthly unless configured otherwise. */
export const DEFAULT_ORIGIN_SECRET_ROTATION_PERIOD = Duration.days(30);

/**
 * Days between automatic rotations of the front's origin secret, or undefined when they are turned off. A pinned
 * version (`originSecretVersionId`, `previousOriginSecretVersionId`) belongs to rotating by hand: with automatic
 * rotation it would put an old value back at the next deployment, so the combination is an error.
 */
export function planOriginSecretRotation(label: string, edge: EdgeFrontOptions): number | undefined {
  const check = new PropCheck(label, 'edge');
  if (edge.rotateOriginSecret === false) {
    check.that(
      edge.originSecretRotationPeriod === undefined,
      'originSecretRotationPeriod',
      'applies to automatic rotation, which edge.rotateOriginSecret: false turns off; remove one of them',
    );
    return undefined;
  }
  for (const pinned of ['originSecretVersionId', 'previousOriginSecretVersionId'] as const) {
    check.that(
      edge[pinned] === undefined,
      pinned,
      'pins a version of the origin secret, which automatic rotation replaces: a later deployment would put the pinned value back. Pin versions only when rotating by hand (edge.rotateOriginSecret: false)',
    );
  }
  const seconds = concreteSeconds(
    check,
    'originSecretRotationPeriod',
    edge.originSecretRotationPeriod ?? DEFAULT_ORIGIN_SECRET_ROTATION_PERIOD,
  );
  const days = seconds / 86_400;
  check.that(
    Number.isInteger(days) && days >= 1 && days <= 1000,
    'originSecretRotationPeriod',
    `must be a whole number of days from 1 to 1000 (Secrets Manager's rotation schedule), got ${Duration.seconds(seconds).toHumanString()}`,
  );
  return days;
}
