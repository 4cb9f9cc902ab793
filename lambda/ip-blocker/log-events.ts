import { gunzipSync } from 'node:zlib';
import {
  ACCESS_LOG_REQUEST_TIME,
  ACCESS_LOG_RESPONSE_TYPE,
  ACCESS_LOG_SOURCE_IP,
  ACCESS_LOG_STATUS,
  AccessLogContractField,
  AUTH_FAILURE_RESPONSE_TYPES,
  VALIDATION_FAILURE_RESPONSE_TYPES,
} from '../../contracts/access-log';
import { Cidr, parseClientAddress } from '../../contracts/cidr';

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
export type SkipReason = 'not-json' | 'no-source-ip' | 'invalid-source-ip' | 'no-status' | 'not-an-event';

export type FailureKind = 'authentication' | 'validation';

/** A failure attributed to a client address. */
export interface ClientFailure {
  readonly client: Cidr;
  readonly kind: FailureKind;
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

/** A field's value by its contract name or an alias (dotted aliases are nested); API Gateway's `-` means absent. */
export function fieldValue(line: { [key: string]: unknown }, field: AccessLogContractField): string | undefined {
  for (const name of [field.name, ...field.aliases]) {
    let value: unknown = line;
    for (const part of name.split('.')) {
      value = typeof value === 'object' && value !== null ? (value as { [key: string]: unknown })[part] : undefined;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string' && value.trim() !== '' && value.trim() !== '-') return value.trim();
  }
  return undefined;
}

/**
 * Which failure, if any, a request was. The gateway response type decides when the log has it
 * (so a backend's own 403 is not an authentication failure); without it, only a 401 counts,
 * because only authentication answers 401 and a bare 403 or 400 may come from the backend.
 */
export function classifyFailure(status: string, responseType: string | undefined): FailureKind | undefined {
  if (responseType !== undefined) {
    if (AUTH_FAILURE_RESPONSE_TYPES.includes(responseType) && (status === '401' || status === '403')) return 'authentication';
    if (VALIDATION_FAILURE_RESPONSE_TYPES.includes(responseType) && status === '400') return 'validation';
    return undefined;
  }
  return status === '401' ? 'authentication' : undefined;
}

/** Reads one access-log event: a failure to count, a request to ignore, or a reason to skip it. */
export function readLogEvent(event: SubscriptionLogEvent, nowMs: number): LineReading {
  if (typeof event !== 'object' || event === null || typeof event.message !== 'string') return { skipped: 'not-an-event' };
  let line: unknown;
  try {
    line = JSON.parse(event.message);
  } catch {
    return { skipped: 'not-json' };
  }
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return { skipped: 'not-json' };
  const record = line as { [key: string]: unknown };
  const status = fieldValue(record, ACCESS_LOG_STATUS);
  if (status === undefined) return { skipped: 'no-status' };
  const kind = classifyFailure(status, fieldValue(record, ACCESS_LOG_RESPONSE_TYPE));
  if (kind === undefined) return { ignored: true };
  const rawIp = fieldValue(record, ACCESS_LOG_SOURCE_IP);
  if (rawIp === undefined) return { skipped: 'no-source-ip' };
  const client = parseClientAddress(rawIp);
  if (client === undefined) return { skipped: 'invalid-source-ip' };
  const requestTime = Number(fieldValue(record, ACCESS_LOG_REQUEST_TIME));
  const timeMs = Number.isFinite(requestTime) && requestTime > 0 ? requestTime : typeof event.timestamp === 'number' ? event.timestamp : nowMs;
  return { failure: { client, kind, timeMs } };
}
