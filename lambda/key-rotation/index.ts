import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { API_KEY_VALUE_LENGTH, RETIRE_KEYS_EVENT } from '../../contracts/api-keys';
import { Clock, systemClock } from './control-plane-retry';
import { log, readConfig, RotationConfig, RotationContext } from './context';
import { CustomResourceEvent, handleCustomResource, ResponseSender, sendResponse } from './custom-resource';
import { retireSupersededKeys, SweepReport } from './retire-keys';
import { RotationEvent, runRotationStep } from './rotation-steps';
import { randomAlphanumeric } from '../shared/random-alphanumeric';

/**
 * One consumer's API-key rotation function. Three callers, told apart by the event's shape:
 * Secrets Manager (a rotation step), the scheduled sweep (retire superseded keys) and CloudFormation
 * (the consumer's cleanup custom resource).
 */
export type KeyRotationEvent = RotationEvent | CustomResourceEvent | typeof RETIRE_KEYS_EVENT;

/**
 * A new API key value: 40 alphanumeric characters (about 238 random bits) from the platform CSPRNG.
 * API Gateway wants 20–128 alphanumeric characters.
 */
export function newKeyValue(): string {
  return randomAlphanumeric(API_KEY_VALUE_LENGTH);
}

/** Stop retrying throttled calls this long before the Lambda timeout, so the step can fail cleanly. */
const DEADLINE_MARGIN_MS = 10_000;

export interface HandlerDependencies {
  readonly config: RotationConfig;
  readonly apiGateway: APIGatewayClient;
  readonly secrets: SecretsManagerClient;
  readonly clock: Clock;
  readonly respond: ResponseSender;
  readonly newKeyValue: () => string;
}

export async function dispatch(event: KeyRotationEvent, deps: HandlerDependencies, remainingTimeMs: number): Promise<SweepReport | void> {
  const ctx: RotationContext = {
    config: deps.config,
    apiGateway: deps.apiGateway,
    secrets: deps.secrets,
    clock: deps.clock,
    deadline: deps.clock.now() + Math.max(0, remainingTimeMs - DEADLINE_MARGIN_MS),
    newKeyValue: deps.newKeyValue,
  };
  if ('Step' in event) {
    log('INFO', 'rotation step', { step: event.Step, versionId: event.ClientRequestToken, consumerId: deps.config.consumerId });
    return runRotationStep(ctx, event);
  }
  if ('RequestType' in event) return handleCustomResource(ctx, event, deps.respond);
  if ('action' in event && event.action === RETIRE_KEYS_EVENT.action) {
    const report = await retireSupersededKeys(ctx);
    log('INFO', 'sweep done', {
      consumerId: deps.config.consumerId,
      kept: report.kept.length,
      disabled: report.disabled.length,
      deleted: report.deleted.length,
    });
    return report;
  }
  throw new Error('key-rotation: unrecognized event');
}

let deps: HandlerDependencies | undefined;

export async function handler(event: KeyRotationEvent, context?: { getRemainingTimeInMillis(): number }): Promise<SweepReport | void> {
  deps ??= {
    config: readConfig(process.env),
    // No SDK retries for API Gateway: CreateApiKey is not idempotent, so a blind retry after a lost
    // response could make a second key. Throttling is retried by control-plane-retry.ts, which knows
    // the quotas; anything else fails the step, and Secrets Manager retries it from a fresh read.
    apiGateway: new APIGatewayClient({ maxAttempts: 1 }),
    // Secrets Manager calls are idempotent (PutSecretValue carries the version token): SDK retries are safe.
    secrets: new SecretsManagerClient({}),
    clock: systemClock,
    respond: sendResponse,
    newKeyValue,
  };
  return dispatch(event, deps, context?.getRemainingTimeInMillis() ?? 60_000);
}
