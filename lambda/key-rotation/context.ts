import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KEY_ROTATION_ENV } from '../../contracts/api-keys';
import { Clock, withBackoff } from './control-plane-retry';

/** The consumer this function rotates keys for, from its environment. */
export interface RotationConfig {
  readonly secretArn: string;
  readonly usagePlanId: string;
  readonly consumerId: string;
  readonly keyNamePrefix: string;
  readonly gracePeriodMs: number;
  readonly deleteAfterMs: number;
}

/** Everything a step needs; tests pass mocked clients and a fake clock. */
export interface RotationContext {
  readonly config: RotationConfig;
  readonly apiGateway: APIGatewayClient;
  readonly secrets: SecretsManagerClient;
  readonly clock: Clock;
  /** Epoch ms after which throttled calls are no longer retried (before the Lambda timeout). */
  readonly deadline: number;
  /** A new random API key value. */
  readonly newKeyValue: () => string;
}

export function readConfig(env: NodeJS.ProcessEnv): RotationConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`key-rotation: environment variable ${name} is not set`);
    return value;
  };
  const seconds = (name: string): number => {
    const value = Number(required(name));
    if (!Number.isFinite(value) || value < 0) throw new Error(`key-rotation: environment variable ${name} must be a number of seconds`);
    return value * 1000;
  };
  return {
    secretArn: required(KEY_ROTATION_ENV.secretArn),
    usagePlanId: required(KEY_ROTATION_ENV.usagePlanId),
    consumerId: required(KEY_ROTATION_ENV.consumerId),
    keyNamePrefix: required(KEY_ROTATION_ENV.keyNamePrefix),
    gracePeriodMs: seconds(KEY_ROTATION_ENV.gracePeriodSeconds),
    deleteAfterMs: seconds(KEY_ROTATION_ENV.deleteAfterSeconds),
  };
}

/** Sends one control-plane call with back-off on throttling. */
export function send<T>(ctx: RotationContext, operation: string, call: () => Promise<T>): Promise<T> {
  return withBackoff(operation, call, ctx.clock, ctx.deadline);
}

/** One structured log line. Callers never pass key values or secret strings. */
export function log(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level, message, ...fields }));
}

export function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}
