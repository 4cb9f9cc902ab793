import { gunzipSync } from 'node:zlib';
import { Cidr, parseClientAddress } from '../../contracts/cidr';
import { ACCESS_LOG_PROBE_FIELDS, isAccessLogProbe, isProbingReason, PROBE_LOG_FIELDS } from '../../contracts/probe-log';
import { parseStrictObject } from './strict-json';

/** One log event of a CloudWatch Logs subscription delivery. */
export interface SubscriptionLogEvent {
  readonly id?: string;
  readonly timestamp?: number;
  readonly message?: unknown;
}

/** The decoded `awslogs.data` of a subscription delivery. */
export interface SubscriptionPayload {
  readonly messageType: string;
  readonly logGroup?: string;
  readonly logEvents: SubscriptionLogEvent[];
}

/** Why a log event could not be used. */
export type SkipReason = 'not-json' | 'duplicate-key' | 'no-source-ip' | 'invalid-source-ip' | 'not-an-event';

/** Every counted failure shows probing: a forged or malformed token, or a forged SigV4 signature (contracts/probe-log.ts). */
export type FailureKind = 'probing';

/** A failure attributed to a client address. */
export interface ClientFailure {
  readonly client: Cidr;
  readonly kind: FailureKind;
  /** The authorizer's rejection reason, or `gateway:<response type>` for an access-log line. */
  readonly reason: string;
  /** When the request happened, epoch milliseconds. */
  readonly timeMs: number;
}

export type LineReading = { readonly failure: ClientFailure } | { readonly ignored: true } | { readonly skipped: SkipReason };

/**
 * Decodes `awslogs.data` (base64 of gzip of JSON). Throws with a short reason when the delivery
 * cannot be read; the caller counts it as malformed.
 */
export function decodeSubscriptionData(data: unknown): SubscriptionPayload {
  if (typeof data !== 'string' || data.length === 0) throw new Error('awslogs.data is missing');
  let json: string;
  try {
    json = gunzipSync(new Uint8Array(Buffer.from(data, 'base64'))).toString('utf8');
  } catch {
    throw new Error('awslogs.data is not base64-encoded gzip');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    throw new Error('awslogs.data does not hold JSON');
  }
  if (typeof payload !== 'object' || payload === null) throw new Error('awslogs.data does not hold an object');
  const { messageType, logGroup, logEvents } = payload as { [key: string]: unknown };
  return {
    messageType: typeof messageType === 'string' ? messageType : 'UNKNOWN',
    logGroup: typeof logGroup === 'string' ? logGroup : undefined,
    logEvents: Array.isArray(logEvents) ? (logEvents as SubscriptionLogEvent[]) : [],
  };
}

/**
 * Reads one log event: a probe to count, a line to ignore, or a reason to skip it. Only the
 * authorizer's probe lines count (contracts/probe-log.ts); every other line, an access-log line
 * included, is ignored, so no missing credential, expired token, validation error or gateway
 * response type ever counts. A line that is not one JSON object with unique keys is skipped and
 * counted as malformed: a broken or duplicated line can never choose the address.
 */
export function readLogEvent(event: SubscriptionLogEvent, nowMs: number): LineReading {
  if (typeof event !== 'object' || event === null || typeof event.message !== 'string') return { skipped: 'not-an-event' };
  const parsed = parseStrictObject(event.message);
  if ('problem' in parsed) return { skipped: parsed.problem };
  const line = parsed.value;
  // The authorizer decides `probe` from the reason; the blocker checks the reason again. An access-log
  // line counts only for a forged SigV4 signature, never for a verified IAM principal (contracts/probe-log.ts).
  const authorizerProbe = line[PROBE_LOG_FIELDS.probe] === true && isProbingReason(line[PROBE_LOG_FIELDS.reason]);
  const gatewayProbe = !authorizerProbe && isAccessLogProbe(line);
  if (!authorizerProbe && !gatewayProbe) return { ignored: true };
  const reason = authorizerProbe ? line[PROBE_LOG_FIELDS.reason] : `gateway:${String(line[ACCESS_LOG_PROBE_FIELDS.responseType])}`;
  const rawIp = line[authorizerProbe ? PROBE_LOG_FIELDS.sourceIp : ACCESS_LOG_PROBE_FIELDS.sourceIp];
  if (typeof rawIp !== 'string' || rawIp === '') return { skipped: 'no-source-ip' };
  const client = parseClientAddress(rawIp);
  if (client === undefined) return { skipped: 'invalid-source-ip' };
  const timeMs = typeof event.timestamp === 'number' && Number.isFinite(event.timestamp) && event.timestamp > 0 ? event.timestamp : nowMs;
  return { failure: { client, kind: 'probing', reason: reason as string, timeMs } };
}
