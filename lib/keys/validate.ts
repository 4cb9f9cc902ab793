import { Duration, Token } from 'aws-cdk-lib';
import { PropCheck } from '../model/config-error';
import { concreteSeconds } from '../common/concrete-seconds';
import { ApiOperation } from '../model';
import { ApiConsumer, ApiKeysOptions, KeyRotationOptions, UsageQuota, UsageThrottle } from './api-keys-options';

/** API Gateway quotas the options are checked against (REST APIs, per account and region). */
export const API_GATEWAY_KEY_LIMITS = {
  /** Method-level throttles per stage in one usage plan. */
  methodThrottlesPerStage: 20,
  /** API keys per account and region (not increasable). */
  apiKeys: 10_000,
  /** Usage plans per account and region. */
  usagePlans: 300,
  /** Default account-level throttle (raisable); a plan above it is capped by the account limit. */
  accountRateLimit: 10_000,
  accountBurstLimit: 5_000,
} as const;

/** Keys a consumer holds at most at once: the current one and, during the grace period, the previous one. */
export const KEYS_PER_CONSUMER = 2;

/**
 * CloudFormation resources each consumer adds: secret, rotation schedule, function, role, managed policy,
 * log group, sweep rule, two invoke permissions, cleanup resource, and the two alarms SecureApi's
 * monitoring puts on every function of its own.
 */
export const RESOURCES_PER_CONSUMER = 12;

export const DEFAULT_ROTATION = { period: Duration.days(90), gracePeriod: Duration.days(7), deleteAfter: Duration.days(7) };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const QUOTA_OFFSET_MAX: { [period: string]: number } = { DAY: 0, WEEK: 6, MONTH: 27 };

/** Rotation settings after defaults, in the units the rotation schedule and the function use. */
export interface ResolvedRotation {
  readonly periodDays: number;
  readonly gracePeriodSeconds: number;
  readonly deleteAfterSeconds: number;
}

/**
 * Checks the options against API Gateway's and Secrets Manager's limits and against the document.
 * Throws an error naming the prop for anything that cannot deploy or work; returns warnings for
 * settings that deploy but probably do not do what was meant.
 */
export function validateApiKeysOptions(
  options: ApiKeysOptions,
  operations: ApiOperation[],
  label: string,
  trustedIssuers: string[] = [],
): string[] {
  const check = new PropCheck(label, 'apiKeys');
  const warnings: string[] = [];
  const byId = new Map(operations.map((op) => [op.operationId, op]));

  if (options.tiers.length === 0) check.fail('tiers', 'must declare at least one tier (usage plan)');
  if (options.tiers.length > API_GATEWAY_KEY_LIMITS.usagePlans) {
    check.fail(
      'tiers',
      `declares ${options.tiers.length} tiers; API Gateway allows ${API_GATEWAY_KEY_LIMITS.usagePlans} usage plans per account and region`,
    );
  }
  const tierNames = new Set<string>();
  options.tiers.forEach((tier, i) => {
    const path = `tiers[${i}]`;
    if (!NAME.test(tier.name))
      check.fail(`${path}.name`, `must be 1–64 letters, digits, '.', '_' or '-' starting with a letter or digit, got '${tier.name}'`);
    if (tierNames.has(tier.name)) check.fail(`${path}.name`, `'${tier.name}' is declared twice`);
    tierNames.add(tier.name);
    checkThrottle(tier.throttle, `${path}.throttle`, check, warnings, label);
    if (tier.quota === undefined) {
      warnings.push(
        `SecureApi '${label}': apiKeys.${path} ('${tier.name}') has no quota: a key of this tier may make unlimited requests per period`,
      );
    } else {
      checkQuota(tier.quota, `${path}.quota`, check);
    }
    const throttled = Object.keys(tier.operationThrottles ?? {});
    if (throttled.length > API_GATEWAY_KEY_LIMITS.methodThrottlesPerStage) {
      check.fail(
        `${path}.operationThrottles`,
        `has ${throttled.length} entries; API Gateway allows at most ${API_GATEWAY_KEY_LIMITS.methodThrottlesPerStage} method throttles per stage in a usage plan`,
      );
    }
    for (const operationId of throttled) {
      const opPath = `${path}.operationThrottles.${operationId}`;
      if (!byId.has(operationId))
        check.fail(opPath, `names an operationId that is not in the document (known: ${[...byId.keys()].sort().join(', ')})`);
      const throttle = tier.operationThrottles![operationId];
      checkThrottle(throttle, opPath, check, warnings, label);
      if (throttle.rateLimit > tier.throttle.rateLimit || throttle.burstLimit > tier.throttle.burstLimit) {
        warnings.push(
          `SecureApi '${label}': apiKeys.${opPath} is looser than the tier's stage throttle (${tier.throttle.rateLimit}/s, burst ${tier.throttle.burstLimit}); the tighter limit applies`,
        );
      }
    }
  });

  if (options.consumers.length === 0) {
    warnings.push(
      `SecureApi '${label}': apiKeys.consumers is empty: no API key exists, so operations that require a key answer 403 to everyone`,
    );
  }
  const maxConsumers = API_GATEWAY_KEY_LIMITS.apiKeys / KEYS_PER_CONSUMER;
  if (options.consumers.length > maxConsumers) {
    check.fail(
      'consumers',
      `declares ${options.consumers.length} consumers; each holds up to ${KEYS_PER_CONSUMER} keys during a rotation's grace period and API Gateway allows ${API_GATEWAY_KEY_LIMITS.apiKeys} keys per account and region, so at most ${maxConsumers}`,
    );
  }
  if (options.consumers.length * RESOURCES_PER_CONSUMER > 400) {
    warnings.push(
      `SecureApi '${label}': apiKeys.consumers declares ${options.consumers.length} consumers, about ${options.consumers.length * RESOURCES_PER_CONSUMER} CloudFormation resources; a stack holds at most 500, so split consumers across stacks`,
    );
  }
  const consumerIds = new Set<string>();
  const identities = new Set<string>();
  options.consumers.forEach((consumer, i) => {
    const path = `consumers[${i}]`;
    if (!NAME.test(consumer.id))
      check.fail(`${path}.id`, `must be 1–64 letters, digits, '.', '_' or '-' starting with a letter or digit, got '${consumer.id}'`);
    if (consumerIds.has(consumer.id)) check.fail(`${path}.id`, `'${consumer.id}' is declared twice`);
    consumerIds.add(consumer.id);
    if (!tierNames.has(consumer.tier))
      check.fail(`${path}.tier`, `'${consumer.tier}' is not a declared tier (declared: ${[...tierNames].join(', ')})`);
    if (options.source?.type === 'AUTHORIZER') {
      const { issuer, clientId } = consumerIdentity(consumer, trustedIssuers, path, check);
      const identity = JSON.stringify([issuer, clientId]);
      check.that(
        !identities.has(identity),
        `${path}.clientId`,
        `'${clientId}' of issuer '${issuer}' identifies two consumers; the authorizer could not tell them apart`,
      );
      identities.add(identity);
    } else {
      for (const field of ['clientId', 'issuer'] as const) {
        if (consumer[field] !== undefined)
          warnings.push(`SecureApi '${label}': apiKeys.${path}.${field} is ignored: it is used only with ApiKeySource.authorizer()`);
      }
    }
    resolveRotation(consumer, options, label);
  });
  return warnings;
}

function checkThrottle(throttle: UsageThrottle, path: string, check: PropCheck, warnings: string[], label: string): void {
  if (!Number.isFinite(throttle.rateLimit) || throttle.rateLimit <= 0)
    check.fail(`${path}.rateLimit`, `must be a number > 0, got ${throttle.rateLimit}`);
  if (!Number.isInteger(throttle.burstLimit) || throttle.burstLimit < 1)
    check.fail(`${path}.burstLimit`, `must be a whole number >= 1, got ${throttle.burstLimit}`);
  if (throttle.rateLimit > API_GATEWAY_KEY_LIMITS.accountRateLimit || throttle.burstLimit > API_GATEWAY_KEY_LIMITS.accountBurstLimit) {
    warnings.push(
      `SecureApi '${label}': apiKeys.${path} (${throttle.rateLimit}/s, burst ${throttle.burstLimit}) exceeds API Gateway's default account throttle (${API_GATEWAY_KEY_LIMITS.accountRateLimit}/s, burst ${API_GATEWAY_KEY_LIMITS.accountBurstLimit}); unless the account limit was raised, it caps the plan`,
    );
  }
}

function checkQuota(quota: UsageQuota, path: string, check: PropCheck): void {
  if (!Number.isInteger(quota.limit) || quota.limit < 1) check.fail(`${path}.limit`, `must be a whole number >= 1, got ${quota.limit}`);
  const maxOffset = QUOTA_OFFSET_MAX[quota.period];
  if (maxOffset === undefined) check.fail(`${path}.period`, `must be Period.DAY, Period.WEEK or Period.MONTH, got '${quota.period}'`);
  const offset = quota.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > maxOffset) {
    check.fail(`${path}.offset`, `must be a whole number from 0 to ${maxOffset} for period ${quota.period}, got ${offset}`);
  }
}

/** The consumer's rotation settings after defaults; throws naming the prop when they cannot work. */
export function resolveRotation(consumer: ApiConsumer, options: ApiKeysOptions, label: string): ResolvedRotation {
  const index = options.consumers.indexOf(consumer);
  const own = consumer.rotation ?? {};
  const shared: KeyRotationOptions = options.rotation ?? {};
  const pick = (field: keyof KeyRotationOptions): { value: Duration; path: string } => {
    if (own[field] !== undefined) return { value: own[field]!, path: `consumers[${index}].rotation.${field}` };
    if (shared[field] !== undefined) return { value: shared[field]!, path: `rotation.${field}` };
    return { value: DEFAULT_ROTATION[field], path: `rotation.${field}` };
  };
  const check = new PropCheck(label, 'apiKeys');
  const period = pick('period');
  const grace = pick('gracePeriod');
  const deleteAfter = pick('deleteAfter');
  for (const d of [period, grace, deleteAfter]) concreteSeconds(check, d.path, d.value);
  const periodDays = period.value.toSeconds() / 86_400;
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > 1000) {
    check.fail(
      period.path,
      `must be a whole number of days from 1 to 1000 (Secrets Manager's rotation schedule), got ${period.value.toHumanString()}`,
    );
  }
  const graceSeconds = grace.value.toSeconds();
  if (graceSeconds >= period.value.toSeconds()) {
    check.fail(
      grace.path,
      `(${grace.value.toHumanString()}) must be shorter than the rotation period (${period.value.toHumanString()}): otherwise the next rotation supersedes a key that is still in its grace period`,
    );
  }
  return { periodDays, gracePeriodSeconds: graceSeconds, deleteAfterSeconds: deleteAfter.value.toSeconds() };
}

/** The usage plan's key for an operation's method throttle: its API Gateway path and HTTP method, e.g. `/pets/{petId}/GET`. */
export function methodThrottleKey(operation: ApiOperation): string {
  return `${operation.path}/${operation.method.toUpperCase()}`;
}

/**
 * With `ApiKeySource.authorizer()`, who a consumer is: the issuer that signs its tokens AND its client
 * id, both explicit (the issuer may be left out only when one issuer is trusted). Every claim the
 * authorizer trusts is bound to the issuer that signed it, so a client of a partner IdP that picks
 * another consumer's client id is not that consumer.
 */
export function consumerIdentity(
  consumer: ApiConsumer,
  trustedIssuers: string[],
  path: string,
  check: PropCheck,
): { readonly issuer: string; readonly clientId: string } {
  const fail = (prop: string, problem: string): never => check.fail(prop, problem);
  if (consumer.clientId === undefined) {
    fail(
      `${path}.clientId`,
      "must be set with ApiKeySource.authorizer(): it is the token claim value that identifies the consumer, and the consumer's id is not used in its place",
    );
  }
  const clientId = consumer.clientId!;
  if (clientId === '') fail(`${path}.clientId`, 'must not be empty');
  if (consumer.issuer === undefined) {
    if (trustedIssuers.length > 1) {
      fail(
        `${path}.issuer`,
        `must be set with ApiKeySource.authorizer() when auth trusts more than one issuer (${trustedIssuers.map((i) => (Token.isUnresolved(i) ? '<deploy-time value>' : i)).join(', ')}): otherwise a client of another issuer with the same clientId would spend this consumer's quota`,
      );
    }
    return { issuer: trustedIssuers[0] ?? '', clientId };
  }
  const resolved = trustedIssuers.filter((i) => !Token.isUnresolved(i));
  if (!Token.isUnresolved(consumer.issuer) && resolved.length === trustedIssuers.length && !trustedIssuers.includes(consumer.issuer)) {
    fail(`${path}.issuer`, `'${consumer.issuer}' is not one of the authorizer's trusted issuers (${trustedIssuers.join(', ')})`);
  }
  return { issuer: consumer.issuer, clientId };
}
