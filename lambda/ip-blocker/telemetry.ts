import { IP_BLOCKER_METRICS } from '../../contracts/ip-blocker';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** A metric value carried by a log line. */
export interface MetricValue {
  readonly name: string;
  readonly value: number;
}

/**
 * Structured log lines, each optionally carrying metrics in CloudWatch's embedded metric format:
 * one line is both the log record and the metric, with no PutMetricData call or permission.
 * Lines are written to stdout directly so Lambda passes them through unchanged in both log formats.
 */
export class Telemetry {
  constructor(
    private readonly namespace: string,
    private readonly apiName: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    private readonly now: () => number = Date.now,
  ) {}

  public log(level: LogLevel, message: string, fields: { [key: string]: unknown } = {}, metrics: MetricValue[] = []): void {
    const record: { [key: string]: unknown } = { level, message, ...fields };
    if (metrics.length > 0) {
      record._aws = {
        Timestamp: this.now(),
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: [[IP_BLOCKER_METRICS.dimension]],
            Metrics: metrics.map((m) => ({ Name: m.name, Unit: 'Count' })),
          },
        ],
      };
      record[IP_BLOCKER_METRICS.dimension] = this.apiName;
      for (const metric of metrics) record[metric.name] = metric.value;
    }
    this.write(`${JSON.stringify(record)}\n`);
  }
}
