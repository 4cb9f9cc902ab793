import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { errorName, log, OriginRotationContext, withoutSecrets } from './context';
import { readDistribution, setOriginHeader, waitUntilDeployedWith } from './distribution';
import { readAcceptedValues, setAcceptedValues } from './web-acl';

export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

/** The event Secrets Manager sends to a rotation function. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';

/**
 * Runs one step of Secrets Manager's four-step rotation of the front's origin secret. The invariant, at every
 * moment and whatever fails: every value a CloudFront edge location may send is one the web ACL accepts.
 * - createSecret stores a new value as AWSPENDING;
 * - setSecret makes the web ACL accept the value CloudFront sends now and the new one, waits for WAF to
 *   propagate, then makes CloudFront send the new one;
 * - testSecret waits until every edge location sends it (the distribution is Deployed);
 * - finishSecret makes it AWSCURRENT and then has the web ACL accept it alone, so the old value, however it
 *   leaked, stops opening the API.
 * Every step reads the state first and only does what is missing, so any step may run again after a fault.
 */
export async function runRotationStep(ctx: OriginRotationContext, event: RotationEvent): Promise<void> {
  if (event.SecretId !== ctx.config.secretArn) {
    throw new Error(
      `origin-secret-rotation: refusing to rotate secret ${event.SecretId}; this function rotates only ${ctx.config.secretArn}`,
    );
  }
  const token = event.ClientRequestToken;
  const secret = await ctx.secrets.send(new DescribeSecretCommand({ SecretId: ctx.config.secretArn }));
  if (secret.RotationEnabled !== true) throw new Error(`origin-secret-rotation: rotation is not enabled on secret ${ctx.config.secretArn}`);
  const versions = secret.VersionIdsToStages ?? {};
  const stages = versions[token];
  if (stages === undefined) throw new Error(`origin-secret-rotation: secret version ${token} does not exist`);
  if (stages.includes(CURRENT)) {
    // finishSecret already moved AWSCURRENT; only the web ACL's narrowing may be missing.
    if (event.Step === 'finishSecret') await acceptOnly(ctx, await readValue(ctx, token, CURRENT));
    log('INFO', 'version is already AWSCURRENT', { step: event.Step, versionId: token });
    return;
  }
  if (!stages.includes(PENDING)) throw new Error(`origin-secret-rotation: secret version ${token} is not AWSPENDING`);

  switch (event.Step) {
    case 'createSecret':
      return createSecret(ctx, token);
    case 'setSecret':
      return switchFront(ctx, await readValue(ctx, token, PENDING));
    case 'testSecret':
      return testSecret(ctx, await readValue(ctx, token, PENDING));
    case 'finishSecret':
      return finishSecret(ctx, token, versions);
    default:
      throw new Error(`origin-secret-rotation: unknown step ${String((event as { Step: unknown }).Step)}`);
  }
}

async function createSecret(ctx: OriginRotationContext, token: string): Promise<void> {
  if ((await tryReadValue(ctx, token, PENDING)) !== undefined) return;
  // The version token makes the write idempotent: a retry after a lost response stores nothing new.
  const value = ctx.newSecretValue();
  try {
    await ctx.secrets.send(
      new PutSecretValueCommand({
        SecretId: ctx.config.secretArn,
        ClientRequestToken: token,
        SecretString: value,
        VersionStages: [PENDING],
      }),
    );
  } catch (error) {
    throw withoutSecrets(error, [value]);
  }
  log('INFO', 'new origin secret stored as AWSPENDING', { versionId: token });
}

/**
 * Makes the front send `pending`, never before the web ACL accepts it. When CloudFront already sends it (a
 * retry, or a deployment that reverted the web ACL meanwhile), the web ACL is made to accept it again.
 */
async function switchFront(ctx: OriginRotationContext, pending: string): Promise<void> {
  const front = await readDistribution(ctx);
  if (front.headerValue === pending) return acceptAlso(ctx, pending);
  // Until the distribution is Deployed, an edge location may still send a value older than the configured one,
  // which the web ACL must keep accepting: wait, and narrow the web ACL only then.
  if (!front.deployed && !(await waitUntilDeployedWith(ctx, front.headerValue))) {
    throw new Error('origin-secret-rotation: setSecret: the distribution is still deploying an earlier change; the step will be retried');
  }
  await setAcceptedValues(ctx, [front.headerValue, pending]);
  await ctx.clock.sleep(ctx.config.wafPropagationMs);
  // A deployment during the wait re-resolves AWSCURRENT (the old value) into the web ACL: switching now would have
  // CloudFront send a value the web ACL refuses. Fail instead; the retried rotation accepts it again and waits anew.
  if (!(await readAcceptedValues(ctx)).includes(pending)) {
    throw new Error(
      'origin-secret-rotation: setSecret: the web ACL no longer accepts the new origin secret (a deployment?); the step will be retried',
    );
  }
  await setOriginHeader(ctx, pending);
}

/** Has the web ACL accept `value`, which CloudFront sends, in addition to what it accepts now. */
async function acceptAlso(ctx: OriginRotationContext, value: string): Promise<void> {
  const accepted = await readAcceptedValues(ctx);
  if (!accepted.includes(value)) {
    log('WARN', 'the web ACL no longer accepted the origin secret CloudFront sends (a deployment?); accepting it again');
    await setAcceptedValues(ctx, [...accepted, value]);
  }
}

async function testSecret(ctx: OriginRotationContext, pending: string): Promise<void> {
  await switchFront(ctx, pending);
  // A deployment during the wait narrows the web ACL to AWSCURRENT (the old value) while CloudFront sends the new
  // one: repair it at the next poll rather than fail and leave requests refused until Secrets Manager retries.
  if (!(await waitUntilDeployedWith(ctx, pending, () => acceptAlso(ctx, pending)))) {
    throw new Error('origin-secret-rotation: testSecret: CloudFront has not yet sent the new origin secret from every edge location');
  }
}

async function finishSecret(ctx: OriginRotationContext, token: string, versions: Record<string, string[]>): Promise<void> {
  const pending = await readValue(ctx, token, PENDING);
  await testSecret(ctx, pending);
  const current = Object.keys(versions).find((id) => versions[id].includes(CURRENT));
  await ctx.secrets.send(
    new UpdateSecretVersionStageCommand({
      SecretId: ctx.config.secretArn,
      VersionStage: CURRENT,
      MoveToVersionId: token,
      RemoveFromVersionId: current,
    }),
  );
  log('INFO', 'new origin secret is AWSCURRENT', { versionId: token, previousVersionId: current });
  await acceptOnly(ctx, pending);
}

/** Narrows the web ACL to `value` alone, once every edge location sends it; otherwise it leaves it as it is. */
async function acceptOnly(ctx: OriginRotationContext, value: string): Promise<void> {
  if (!(await waitUntilDeployedWith(ctx, value))) {
    throw new Error(
      'origin-secret-rotation: finishSecret: CloudFront does not send the current origin secret from every edge location; the web ACL still accepts the older value',
    );
  }
  await setAcceptedValues(ctx, [value]);
}

async function tryReadValue(ctx: OriginRotationContext, versionId: string, stage: string): Promise<string | undefined> {
  try {
    const out = await ctx.secrets.send(
      new GetSecretValueCommand({ SecretId: ctx.config.secretArn, VersionId: versionId, VersionStage: stage }),
    );
    return out.SecretString;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function readValue(ctx: OriginRotationContext, versionId: string, stage: string): Promise<string> {
  const value = await tryReadValue(ctx, versionId, stage);
  if (value === undefined || value === '') throw new Error(`origin-secret-rotation: secret version ${versionId} (${stage}) has no value`);
  return value;
}
