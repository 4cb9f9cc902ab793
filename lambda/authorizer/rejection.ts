import { RejectionReason } from '../../contracts/authorizer-config';
import { AUTHORIZER_METRICS } from '../../contracts/authorizer-metrics';
import { isProbingReason } from '../../contracts/probe-log';

/** Why a request is refused. 401 rejections become `Error('Unauthorized')`; 403 ones a Deny policy. */
export class Rejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    readonly status: 401 | 403 = 401,
  ) {
    super(reason);
  }
}

export function reject(reason: RejectionReason): never {
  throw new Rejection(reason);
}

/** What one rejection log line says besides the reason. Never the token, never unverified claims. */
export interface RejectionDetails {
  readonly requestId?: unknown;
  readonly operation?: string;
  /** Verified identity, only for 403 (the token was valid). */
  readonly sub?: unknown;
  readonly clientId?: unknown;
  /** `requestContext.identity.sourceIp` of the event, written by API Gateway: the address the ip-blocker counts. */
  readonly sourceIp?: unknown;
}

export type LineWriter = (line: string) => void;

/** A client address from the event: only a short string of address characters, never anything else. */
function sourceAddress(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9A-Fa-f:.]{2,45}$/.test(value) ? value : undefined;
}

/**
 * Writes one JSON line a rejection that is both the structured log record and a CloudWatch
 * embedded-metric-format document (count of `Rejections` by `Api` and `Reason`). It goes straight
 * to stdout: with Lambda's JSON log format, console.log would wrap it and CloudWatch would not
 * extract the metric.
 */
export function rejectionLogger(namespace: string, apiName: string, write: LineWriter) {
  return (reason: RejectionReason, status: number, details: RejectionDetails): void => {
    const m = AUTHORIZER_METRICS;
    write(
      JSON.stringify({
        // First, so no other key can come before them; JSON.stringify escapes every value.
        sourceIp: sourceAddress(details.sourceIp),
        probe: isProbingReason(reason),
        level: 'WARN',
        message: 'authorizer rejected a request',
        status,
        requestId: typeof details.requestId === 'string' ? details.requestId : undefined,
        operation: details.operation,
        sub: details.sub,
        client_id: details.clientId,
        [m.apiDimension]: apiName,
        [m.reasonDimension]: reason,
        [m.rejections]: 1,
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: namespace, Dimensions: [[m.apiDimension, m.reasonDimension]], Metrics: [{ Name: m.rejections, Unit: 'Count' }] },
          ],
        },
      }) + '\n',
    );
  };
}
