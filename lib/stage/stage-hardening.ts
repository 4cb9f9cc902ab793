import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { ApiOperation } from '../model';
import { PropCheck, SecureApiConfigError } from '../model/config-error';
import { OperationCacheOptions, planResponseCache, ResponseCachePlan } from './response-cache';

/** The stage name when `stage.stageName` is not set. */
export const DEFAULT_STAGE_NAME = 'v1';

/** A rate and burst limit. */
export interface ThrottleSettings {
  /**
   * Steady-state requests per second.
   * @default 100 at the stage level
   */
  readonly rateLimit?: number;
  /**
   * Maximum concurrent burst of requests.
   * @default 200 at the stage level
   */
  readonly burstLimit?: number;
}

/** Throttling of the stage and of single operations. */
export interface ThrottlingOptions extends ThrottleSettings {
  /**
   * Per-operation overrides by operationId. An operation may also declare
   * `x-secureapi-throttling: { rateLimit, burstLimit }` in the document; props win.
   * @default - no per-operation overrides
   */
  readonly operations?: { [operationId: string]: ThrottleSettings };
  /**
   * Let `x-secureapi-throttling` in the document raise an operation's limit above the stage's. The
   * document's author is not always the stack's owner, so a document alone may only lower limits; a
   * raise it asks for is a synth error unless this is set, and a synth warning when it is.
   * @default false
   */
  readonly allowDocumentToRaiseLimits?: boolean;
}

/** Response caching. Off unless given; when on, cached data is always encrypted. */
export interface StageCacheOptions {
  /**
   * Cache cluster size in GB: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237.
   * @default '0.5'
   */
  readonly size?: string;
  /**
   * Time to live of cached responses (0 to 3600 s), for every cached operation without its own.
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
  /**
   * Caching of single operations, by operationId: turn it on for an operation that is not a GET or HEAD,
   * off for one that is, or give it its own TTL. An operation may also declare
   * `x-secureapi-cache: { enabled, ttlSeconds }` in the document; props win. Operations with a request
   * body are never cached. The stage as a whole (`/*` + `/*`) never caches.
   * @default - every GET and HEAD operation without a request body is cached with `ttl`
   */
  readonly operations?: { [operationId: string]: OperationCacheOptions };
}

/** The hardened stage. */
export interface SecureStageOptions {
  /**
   * The stage name.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Stage-wide and per-operation throttling.
   * @default rate 100 requests/s, burst 200
   */
  readonly throttling?: ThrottlingOptions;
  /**
   * X-Ray tracing of every request.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Execution logging level. `OFF` leaves a synth warning.
   * @default MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigw.MethodLoggingLevel;
  /**
   * Log full requests and responses in the execution log. This writes payloads and tokens to the logs:
   * turning it on leaves a synth warning.
   * @default false
   */
  readonly dataTrace?: boolean;
  /**
   * Generate a client certificate that API Gateway presents to HTTP backends, so they can
   * authenticate it (Security Hub APIGateway.2).
   * @default true
   */
  readonly clientCertificate?: boolean;
  /**
   * Response caching. When set, the cache is encrypted.
   * @default - no cache
   */
  readonly cache?: StageCacheOptions;
}

export const DEFAULT_STAGE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;
/** The account-level defaults of API Gateway: no stage or method limit may exceed them. */
const MAX_RATE = 10_000;
const MAX_BURST = 5_000;
const DEFAULT_CACHE_TTL_SECONDS = 300;
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** Checks one throttle setting and names the prop when it is out of range. */
export function validateThrottle(settings: ThrottleSettings, check: PropCheck): void {
  const { rateLimit, burstLimit } = settings;
  if (rateLimit !== undefined && (!Number.isFinite(rateLimit) || rateLimit <= 0 || rateLimit > MAX_RATE)) {
    check.fail('rateLimit', `must be a number greater than 0 and at most ${MAX_RATE} (API Gateway's account default), got ${rateLimit}`);
  }
  if (burstLimit !== undefined && (!Number.isInteger(burstLimit) || burstLimit < 0 || burstLimit > MAX_BURST)) {
    check.fail('burstLimit', `must be a whole number from 0 to ${MAX_BURST} (API Gateway's account default), got ${burstLimit}`);
  }
}

/** The check of an operation's extensions: a failure names the document's operation, not a stage prop. */
function operationCheck(apiName: string, operation: ApiOperation): PropCheck {
  return new PropCheck(apiName, `openApi operation '${operation.operationId}'`);
}

/** Reads an operation's `x-secureapi-throttling` extension. */
function throttleFromExtension(operation: ApiOperation, apiName: string): ThrottleSettings | undefined {
  const raw = operation.extensions['x-secureapi-throttling'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    operationCheck(apiName, operation).fail('x-secureapi-throttling', 'must be an object');
  }
  const { rateLimit, burstLimit } = raw as { rateLimit?: unknown; burstLimit?: unknown };
  for (const [key, value] of Object.entries({ rateLimit, burstLimit })) {
    if (value !== undefined && typeof value !== 'number') {
      operationCheck(apiName, operation).fail(`x-secureapi-throttling.${key}`, 'must be a number');
    }
  }
  return { rateLimit: rateLimit as number | undefined, burstLimit: burstLimit as number | undefined };
}

/** The key CDK's `methodOptions` uses for one method: `/<path>/<METHOD>`. */
export function methodOptionsKey(operation: ApiOperation): string {
  return `${operation.path}/${operation.method.toUpperCase()}`;
}

export interface StageHardeningInput {
  readonly apiName: string;
  readonly options: SecureStageOptions;
  readonly operations: ApiOperation[];
  /**
   * The headers that carry each operation's credentials (`callerHeadersOf`), so a cached response is
   * keyed on its caller. @default - none: every operation is treated as public
   */
  readonly callerHeaders?: { readonly [operationId: string]: ReadonlyArray<string> };
  readonly accessLogDestination: apigw.IAccessLogDestination;
  readonly accessLogFormat: apigw.AccessLogFormat;
  readonly clientCertificateId?: string;
}

export interface StageHardening {
  readonly stageOptions: apigw.StageOptions;
  /** Protections the user turned off, each to become a synth warning. */
  readonly weakened: string[];
  /** The operations the response cache serves, and their keys, when `cache` is set. */
  readonly cachePlan?: ResponseCachePlan;
}

/**
 * The per-method settings of every throttled operation. A `MethodSettings` entry does not inherit the
 * stage-wide entry: the AWS CLI reference's `update-stage` example shows a new per-method entry with
 * the service defaults (`metricsEnabled: false`, logging off). So each entry repeats the stage's logging
 * level, data trace, metrics and caching, or the operation someone singled out would lose its logs and
 * metrics.
 */
export function methodSettingsOf(
  settings: { readonly rateLimit: number; readonly burstLimit: number },
  stage: Pick<apigw.MethodDeploymentOptions, 'loggingLevel' | 'dataTraceEnabled' | 'metricsEnabled' | 'cachingEnabled'>,
): apigw.MethodDeploymentOptions {
  return {
    throttlingRateLimit: settings.rateLimit,
    throttlingBurstLimit: settings.burstLimit,
    loggingLevel: stage.loggingLevel,
    dataTraceEnabled: stage.dataTraceEnabled,
    metricsEnabled: stage.metricsEnabled,
    cachingEnabled: stage.cachingEnabled,
  };
}

/**
 * Which of an operation's document-set limits exceed the stage's: a document may lower limits freely,
 * but a raise needs the stack owner's opt-in.
 */
export function documentRaises(settings: ThrottleSettings, stage: { readonly rateLimit: number; readonly burstLimit: number }): string[] {
  const raises: string[] = [];
  if (settings.rateLimit !== undefined && settings.rateLimit > stage.rateLimit)
    raises.push(`rateLimit ${settings.rateLimit} > stage ${stage.rateLimit}`);
  if (settings.burstLimit !== undefined && settings.burstLimit > stage.burstLimit)
    raises.push(`burstLimit ${settings.burstLimit} > stage ${stage.burstLimit}`);
  return raises;
}

/** Builds the stage's options from the secure defaults and the user's overrides, in one place. */
export function hardenStage(input: StageHardeningInput): StageHardening {
  const { options, apiName, operations } = input;
  const weakened: string[] = [];
  const throttling = options.throttling ?? {};
  validateThrottle(throttling, new PropCheck(apiName, 'stage.throttling'));
  const stageLimits = {
    rateLimit: throttling.rateLimit ?? DEFAULT_STAGE_THROTTLE.rateLimit,
    burstLimit: throttling.burstLimit ?? DEFAULT_STAGE_THROTTLE.burstLimit,
  };
  const loggingLevel = options.executionLogLevel ?? apigw.MethodLoggingLevel.ERROR;
  const stageMethodSettings = { loggingLevel, dataTraceEnabled: options.dataTrace ?? false, metricsEnabled: true, cachingEnabled: false };

  const byId = new Map(operations.map((o) => [o.operationId, o]));
  const unknown = Object.keys(throttling.operations ?? {})
    .filter((id) => !byId.has(id))
    .sort();
  if (unknown.length > 0) {
    throw new SecureApiConfigError(apiName, 'stage.throttling.operations', `names unknown operationIds: ${unknown.join(', ')}`);
  }
  const methodOptions: { [key: string]: apigw.MethodDeploymentOptions } = {};
  for (const operation of operations) {
    const fromProps = throttling.operations?.[operation.operationId];
    const fromDocument = fromProps === undefined ? throttleFromExtension(operation, apiName) : undefined;
    const settings = fromProps ?? fromDocument;
    if (settings === undefined) continue;
    validateThrottle(
      settings,
      fromProps !== undefined
        ? new PropCheck(apiName, `stage.throttling.operations.${operation.operationId}`)
        : operationCheck(apiName, operation).under('x-secureapi-throttling'),
    );
    const raises = fromDocument !== undefined ? documentRaises(fromDocument, stageLimits) : [];
    if (raises.length > 0 && throttling.allowDocumentToRaiseLimits !== true) {
      throw new SecureApiConfigError(
        apiName,
        'stage.throttling.allowDocumentToRaiseLimits',
        `is not set, but operation '${operation.operationId}' has x-secureapi-throttling above the stage limit (${raises.join(', ')}); a document may only lower limits unless the stack allows it (or set the limit in stage.throttling.operations)`,
      );
    }
    if (raises.length > 0) {
      weakened.push(
        `operation '${operation.operationId}' is throttled above the stage limit by its x-secureapi-throttling (${raises.join(', ')}), allowed by stage.throttling.allowDocumentToRaiseLimits`,
      );
    }
    methodOptions[methodOptionsKey(operation)] = methodSettingsOf(
      { rateLimit: settings.rateLimit ?? stageLimits.rateLimit, burstLimit: settings.burstLimit ?? stageLimits.burstLimit },
      stageMethodSettings,
    );
  }

  if (loggingLevel === apigw.MethodLoggingLevel.OFF) weakened.push('execution logging is off (stage.executionLogLevel: OFF)');
  if (options.dataTrace === true) {
    weakened.push(
      'data trace is on (stage.dataTrace: true): request and response payloads, including tokens, are written to the execution log',
    );
  }
  if (options.tracing === false) weakened.push('X-Ray tracing is off (stage.tracing: false)');
  if (options.clientCertificate === false) weakened.push('no client certificate is presented to backends (stage.clientCertificate: false)');

  const cache = options.cache;
  let cachePlan: ResponseCachePlan | undefined;
  if (cache !== undefined) {
    const check = new PropCheck(apiName, 'stage.cache');
    if (cache.size !== undefined && !CACHE_SIZES.includes(cache.size))
      check.fail('size', `must be one of ${CACHE_SIZES.join(', ')}, got '${cache.size}'`);
    const ttl = cache.ttl?.toSeconds() ?? DEFAULT_CACHE_TTL_SECONDS;
    if (ttl < 0 || ttl > 3600) check.fail('ttl', `must be between 0 and 3600 seconds, got ${ttl}`);
    cachePlan = planResponseCache(operations, input.callerHeaders ?? {}, { ttlSeconds: ttl, operations: cache.operations }, check);
    const byId = new Map(operations.map((o) => [o.operationId, o]));
    for (const cached of cachePlan.cached) {
      const key = methodOptionsKey(byId.get(cached.operationId)!);
      // One entry per method: the throttle (or the stage's) with the stage's logs and metrics, and the cache.
      methodOptions[key] = {
        ...(methodOptions[key] ?? methodSettingsOf(stageLimits, stageMethodSettings)),
        cachingEnabled: true,
        cacheTtl: Duration.seconds(cached.ttlSeconds),
        cacheDataEncrypted: true,
      };
    }
  }

  return {
    weakened,
    cachePlan,
    stageOptions: {
      stageName: options.stageName ?? DEFAULT_STAGE_NAME,
      throttlingRateLimit: stageLimits.rateLimit,
      throttlingBurstLimit: stageLimits.burstLimit,
      methodOptions: Object.keys(methodOptions).length > 0 ? methodOptions : undefined,
      tracingEnabled: options.tracing ?? true,
      loggingLevel,
      dataTraceEnabled: stageMethodSettings.dataTraceEnabled,
      metricsEnabled: stageMethodSettings.metricsEnabled,
      accessLogDestination: input.accessLogDestination,
      accessLogFormat: input.accessLogFormat,
      clientCertificateId: input.clientCertificateId,
      // The cluster exists when caching is on, but the stage-wide entry never caches: a shared, unkeyed entry
      // would serve one caller's response to another. Each cached operation has its own keyed entry.
      cacheClusterEnabled: cache !== undefined,
      cacheClusterSize: cache !== undefined ? (cache.size ?? '0.5') : undefined,
      cachingEnabled: false,
      cacheDataEncrypted: cache !== undefined ? true : undefined,
    },
  };
}
