/** A consumer's world for the rotation tests: the modelled services, a fake clock and the handler's dependencies. */
import { KEY_ID_TAG_PREFIX, KEY_OWNER_TAG, KEY_VERSION_TAG, parseApiKeySecret, SUPERSEDED_TAG_PREFIX } from '../../../contracts/api-keys';
import { dispatch, HandlerDependencies, KeyRotationEvent } from '../../../lambda/key-rotation/index';
import { RotationStep } from '../../../lambda/key-rotation/rotation-steps';
import { ApiGatewayModel, FakeClock, GatewayKey, ModelledServices, SecretsManagerModel } from './service-models';
import { captureLogs as captureSecretFreeLogs } from '../../support/captured-logs';

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:DemoApiKeysPartnerA-AbCdEf';
export const PLAN = 'plan-partner';
export const OTHER_PLAN = 'plan-free';
export const PREFIX = 'DemoApiKeysPartnerA.';
export const DAY = 24 * 3600 * 1000;
export const START = Date.parse('2026-03-01T00:00:00Z');
export const STEPS: RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

export class World {
  readonly gateway = new ApiGatewayModel([PLAN, OTHER_PLAN]);
  readonly secrets = new SecretsManagerModel(SECRET_ARN);
  readonly services = new ModelledServices(this.gateway, this.secrets);
  readonly clock = new FakeClock(START);
  readonly responses: Array<{ url: string; body: any }> = [];
  private generated = 0;
  readonly deps: HandlerDependencies = {
    config: {
      secretArn: SECRET_ARN,
      usagePlanId: PLAN,
      consumerId: 'partner-a',
      keyNamePrefix: PREFIX,
      gracePeriodMs: 7 * DAY,
      deleteAfterMs: 7 * DAY,
    },
    apiGateway: this.services.apiGateway,
    secrets: this.services.secrets,
    clock: this.clock,
    respond: async (url, body) => {
      this.responses.push({ url, body: JSON.parse(body) });
    },
    newKeyValue: () => `generated-key-value-${String(++this.generated).padStart(4, '0')}-abcdefghij`,
  };

  /** A consumer in steady state: version v1 is current and its key is enabled and attached. */
  static steady(): World {
    const world = new World();
    world.secrets.addVersion('v1', secretString('initial-key-value-0000-abcdefghij'), ['AWSCURRENT']);
    world.addOwnedKey('v1', 'initial-key-value-0000-abcdefghij');
    return world;
  }

  /** A consumer right after deploy: CloudFormation wrote a placeholder secret, no key exists yet. */
  static freshlyDeployed(): World {
    const world = new World();
    world.secrets.addVersion('v0', JSON.stringify({ consumerId: 'partner-a', awaitingFirstRotation: 'Xy7pQ2' }), ['AWSCURRENT']);
    return world;
  }

  /** A key the function created earlier: in API Gateway, attached, and registered on the secret. */
  addOwnedKey(versionId: string, value: string, enabled = true): GatewayKey {
    const key = this.gateway.addKey(
      { name: PREFIX + versionId, value, enabled, tags: { [KEY_OWNER_TAG]: SECRET_ARN, [KEY_VERSION_TAG]: versionId } },
      PLAN,
    );
    this.secrets.tags.set(KEY_ID_TAG_PREFIX + versionId, key.id);
    return key;
  }

  /** When version `versionId` was recorded as superseded, as the secret's tag says. */
  supersededAt(versionId: string): string | undefined {
    return this.secrets.tags.get(SUPERSEDED_TAG_PREFIX + versionId);
  }

  run(event: KeyRotationEvent, remainingTimeMs = 300_000): Promise<unknown> {
    return dispatch(event, this.deps, remainingTimeMs);
  }

  step(step: RotationStep, token: string): Promise<unknown> {
    return this.run({ SecretId: SECRET_ARN, ClientRequestToken: token, Step: step });
  }

  /**
   * Runs a step the way Secrets Manager does: on failure it calls the step again, here up to
   * `attempts` times. `afterFailure` runs between attempts (for invariant checks). Returns the errors seen.
   */
  async stepWithRetries(step: RotationStep, token: string, afterFailure: () => void = () => {}, attempts = 4): Promise<Error[]> {
    const errors: Error[] = [];
    for (let i = 0; i < attempts; i++) {
      try {
        await this.step(step, token);
        return errors;
      } catch (error) {
        errors.push(error as Error);
        afterFailure();
      }
    }
    throw new Error(`step ${step} still failing after ${attempts} attempts: ${errors.map((e) => e.message).join(' | ')}`);
  }

  /** A complete rotation to version `token`, as Secrets Manager drives it. */
  async rotate(token: string, afterFailure?: () => void): Promise<void> {
    this.secrets.startRotation(token);
    for (const step of STEPS) await this.stepWithRetries(step, token, afterFailure);
    this.secrets.endRotation(token);
  }

  ownedKeys(): GatewayKey[] {
    return [...this.gateway.keys.values()].filter((k) => k.tags[KEY_OWNER_TAG] === SECRET_ARN);
  }

  keysOfVersion(versionId: string): GatewayKey[] {
    return this.ownedKeys().filter((k) => k.tags[KEY_VERSION_TAG] === versionId);
  }

  keyValueOf(stage: string): string | undefined {
    return parseApiKeySecret(this.secrets.valueOf(stage))?.apiKey;
  }

  /** Values a client can use right now: keys that are enabled and attached to the consumer's plan. */
  servedValues(): Set<string> {
    return new Set(
      this.gateway
        .attachedKeys(PLAN)
        .filter((k) => k.enabled)
        .map((k) => k.value),
    );
  }

  /**
   * The lock-out invariant: the plan holds at least one enabled key whose value is in AWSCURRENT or
   * AWSPREVIOUS, so a client holding either secret value still gets through.
   */
  clientCanStillCall(): boolean {
    const served = this.servedValues();
    return ['AWSCURRENT', 'AWSPREVIOUS'].map((stage) => this.keyValueOf(stage)).some((v) => v !== undefined && served.has(v));
  }

  /** A comparable picture of the state (for "retried equals once"). */
  snapshot(): unknown {
    return {
      keys: [...this.gateway.keys.values()]
        .map((k) => ({ name: k.name, value: k.value, enabled: k.enabled }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      plans: [...this.gateway.planKeys].map(([plan, ids]) => [plan, [...ids].map((id) => this.gateway.keys.get(id)!.name).sort()]),
      versions: [...this.secrets.versions].map(([id, v]) => [id, v.value, [...v.stages].sort()]),
      tags: [...this.secrets.tags],
    };
  }
}

/**
 * Captures the handler's log lines for the current test file and fails a test whose logs contain
 * a key value (every value the tests use contains 'key-value' or 'someone-elses-key').
 */
export function captureLogs(): string[] {
  return captureSecretFreeLogs(/key-value|someone-elses-key|tampered-value/);
}

export function secretString(apiKey: string): string {
  return JSON.stringify({ consumerId: 'partner-a', apiKey });
}
