import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { ORIGIN_SECRET_LENGTH } from '../../contracts/origin-secret-rotation';
import { Clock, log, OriginRotationConfig, OriginRotationContext, readConfig, systemClock } from './context';
import { RotationEvent, runRotationStep } from './rotation-steps';
import { randomAlphanumeric } from '../shared/random-alphanumeric';

/** A new origin secret: 64 alphanumeric characters from the platform CSPRNG. */
export function newOriginSecret(): string {
  return randomAlphanumeric(ORIGIN_SECRET_LENGTH);
}

/** Leave this long before the Lambda timeout, so a step that is still waiting fails with its own message. */
const DEADLINE_MARGIN_MS = 30_000;

export interface HandlerDependencies {
  readonly config: OriginRotationConfig;
  readonly secrets: SecretsManagerClient;
  readonly waf: WAFV2Client;
  readonly cloudFront: CloudFrontClient;
  readonly clock: Clock;
  readonly newSecretValue: () => string;
}

export async function dispatch(event: RotationEvent, deps: HandlerDependencies, remainingTimeMs: number): Promise<void> {
  if (!('Step' in event)) throw new Error('origin-secret-rotation: unrecognized event');
  const ctx: OriginRotationContext = { ...deps, deadline: deps.clock.now() + Math.max(0, remainingTimeMs - DEADLINE_MARGIN_MS) };
  log('INFO', 'rotation step', { step: event.Step, versionId: event.ClientRequestToken });
  return runRotationStep(ctx, event);
}

let deps: HandlerDependencies | undefined;

/** The CloudFront front's origin-secret rotation function; only Secrets Manager invokes it. */
export async function handler(event: RotationEvent, context?: { getRemainingTimeInMillis(): number }): Promise<void> {
  deps ??= {
    config: readConfig(process.env),
    secrets: new SecretsManagerClient({}),
    waf: new WAFV2Client({}),
    // CloudFront's control plane is global: the SDK's endpoint rules send every region of a partition to it.
    cloudFront: new CloudFrontClient({}),
    clock: systemClock,
    newSecretValue: newOriginSecret,
  };
  return dispatch(event, deps, context?.getRemainingTimeInMillis() ?? 60_000);
}
