import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import { ORIGIN_SECRET_ROTATION_ENV } from '../../contracts/origin-secret-rotation';

/** The front this function rotates the origin secret of, from its environment. */
export interface OriginRotationConfig {
  readonly secretArn: string;
  readonly distributionId: string;
  readonly webAcl: { readonly name: string; readonly id: string; readonly scope: 'REGIONAL' | 'CLOUDFRONT' };
  readonly wafPropagationMs: number;
}

/** Time, injected so tests run without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Everything a step needs; tests pass mocked clients and a fake clock. */
export interface OriginRotationContext {
  readonly config: OriginRotationConfig;
  readonly secrets: SecretsManagerClient;
  readonly waf: WAFV2Client;
  readonly cloudFront: CloudFrontClient;
  readonly clock: Clock;
  /** Epoch ms by which a step must have finished waiting (before the Lambda timeout). */
  readonly deadline: number;
  /** A new random origin secret. */
  readonly newSecretValue: () => string;
}

export function readConfig(env: NodeJS.ProcessEnv): OriginRotationConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`origin-secret-rotation: environment variable ${name} is not set`);
    return value;
  };
  const seconds = Number(required(ORIGIN_SECRET_ROTATION_ENV.wafPropagationSeconds));
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(
      `origin-secret-rotation: environment variable ${ORIGIN_SECRET_ROTATION_ENV.wafPropagationSeconds} must be a number of seconds`,
    );
  }
  return {
    secretArn: required(ORIGIN_SECRET_ROTATION_ENV.secretArn),
    distributionId: required(ORIGIN_SECRET_ROTATION_ENV.distributionId),
    webAcl: webAclFromArn(required(ORIGIN_SECRET_ROTATION_ENV.webAclArn)),
    wafPropagationMs: seconds * 1000,
  };
}

/** A WAFv2 web ACL's name, id and scope, from its ARN (`arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`). */
export function webAclFromArn(arn: string): OriginRotationConfig['webAcl'] {
  const match = /^arn:aws[\w-]*:wafv2:[a-z0-9-]+:\d{12}:(regional|global)\/webacl\/([\w-]+)\/([\w-]+)$/.exec(arn);
  if (match === null) throw new Error(`origin-secret-rotation: ${arn} is not the ARN of a WAFv2 web ACL`);
  return { scope: match[1] === 'regional' ? 'REGIONAL' : 'CLOUDFRONT', name: match[2], id: match[3] };
}

/** One structured log line. Callers never pass secret values. */
export function log(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level, message, ...fields }));
}

/**
 * `error` with every occurrence of `values` in its message, stack and other text fields replaced by
 * `[redacted]`. A service that refuses a request may quote it in its message (WAF's "…, parameter: …"), and the
 * Lambda runtime logs a thrown error's message and stack: every call that sends an origin secret rethrows through
 * this. The error keeps its name, so retries still recognise it.
 */
export function withoutSecrets(error: unknown, values: readonly string[]): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const redact = (text: string) => values.reduce((t, v) => (v === '' ? t : t.split(v).join('[redacted]')), text);
  const fields = error as Record<string, unknown>;
  for (const key of [...Object.getOwnPropertyNames(error), 'message', 'stack']) {
    const value = fields[key];
    if (typeof value === 'string' && redact(value) !== value) fields[key] = redact(value);
  }
  return error;
}

export function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}
