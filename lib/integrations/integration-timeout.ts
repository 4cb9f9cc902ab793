import { Duration } from 'aws-cdk-lib';
import { SecureApiConfigError } from '../model/config-error';

/** API Gateway's integration timeout when an operation sets none: its maximum. */
export const DEFAULT_TIMEOUT_MS = 29_000;

/** An integration's timeout in milliseconds, within API Gateway's 50 ms to 29 s, or a configuration error naming `what`. */
export function timeoutMillis(timeout: Duration | undefined, what: string): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = timeout.toMilliseconds();
  if (ms < 50 || ms > 29_000) {
    throw new SecureApiConfigError(
      '',
      'integrations',
      `${what} timeout must be between 50 ms and 29 s (API Gateway's integration limits), got ${ms} ms`,
    );
  }
  return ms;
}
