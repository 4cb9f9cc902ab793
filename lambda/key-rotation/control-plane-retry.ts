/**
 * Retries API Gateway and Secrets Manager calls that were throttled, with exponential back-off
 * that respects the control-plane quotas. Only throttled calls are retried here: the server
 * rejected them, so repeating them cannot create a second key. Any other error (a conflict, a
 * lost response) goes back to the rotation step, which re-reads the state before acting again.
 */

/** Time and randomness, injected so tests run without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * The smallest spacing between two calls of an operation, from API Gateway's control-plane quotas:
 * CreateApiKey and DeleteApiKey 5 per second; UpdateUsagePlan 1 per 20 seconds (attaching a key
 * changes the usage plan, so CreateUsagePlanKey gets the same spacing); everything else 10 per second.
 */
export const MIN_INTERVAL_MS: { readonly [operation: string]: number } = {
  CreateApiKey: 200,
  DeleteApiKey: 200,
  UpdateUsagePlan: 20_000,
  CreateUsagePlanKey: 20_000,
  DeleteUsagePlanKey: 20_000,
};
const DEFAULT_MIN_INTERVAL_MS = 100;
const MAX_DELAY_MS = 60_000;

/** Whether an SDK error says the request was throttled (and therefore not applied). */
export function isThrottled(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e === undefined || e === null) return false;
  return e.$metadata?.httpStatusCode === 429 || e.name === 'TooManyRequestsException' || e.name === 'ThrottlingException';
}

function retryAfterMs(error: unknown): number {
  const seconds = Number((error as { retryAfterSeconds?: string }).retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** The wait before retry number `attempt` (0-based) of `operation` after `error`. */
export function backoffDelayMs(operation: string, attempt: number, error: unknown, random: number): number {
  const base = MIN_INTERVAL_MS[operation] ?? DEFAULT_MIN_INTERVAL_MS;
  const exponential = Math.min(MAX_DELAY_MS, base * 2 ** attempt);
  // Never sooner than the server asked or the quota allows; jitter spreads consumers that rotate together.
  return Math.max(retryAfterMs(error), exponential) + Math.floor(random * base);
}

/**
 * Runs `call`, retrying while it is throttled and the next attempt still fits before `deadline`
 * (epoch ms). When it does not, the throttling error is rethrown and Secrets Manager retries the step later.
 */
export async function withBackoff<T>(operation: string, call: () => Promise<T>, clock: Clock, deadline: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottled(error)) throw error;
      const delay = backoffDelayMs(operation, attempt, error, clock.random());
      if (clock.now() + delay > deadline) throw error;
      console.log(JSON.stringify({ level: 'WARN', message: 'throttled; backing off', operation, attempt: attempt + 1, delayMs: delay }));
      await clock.sleep(delay);
    }
  }
}
