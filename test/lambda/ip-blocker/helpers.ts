import { gzipSync } from 'node:zlib';
import { RejectionReason } from '../../../contracts/authorizer-config';
import { rejectionLogger } from '../../../lambda/authorizer/rejection';

/** One line of the API's JSON access log as lib/observability writes it: every value a string, `-` when empty. */
export function accessLogLine(fields: { ip: string; status: number; responseType?: string; timeMs?: number; userArn?: string }): string {
  return JSON.stringify({
    requestId: 'c0ffee00-0000-4000-8000-000000000000',
    sourceIp: fields.ip,
    requestTimeEpoch: String(fields.timeMs ?? Date.now()),
    httpMethod: 'POST',
    resourcePath: '/token',
    status: String(fields.status),
    errorResponseType: fields.responseType ?? '-',
    userArn: fields.userArn ?? '-',
    caller: fields.userArn === undefined ? '-' : 'AROAEXAMPLE:session',
    wafResponseCode: 'WAF_ALLOW',
  });
}

/** A CloudWatch Logs subscription delivery (`awslogs.data` is base64 of gzip of JSON), as Lambda receives it. */
export function delivery(messages: unknown[], messageType = 'DATA_MESSAGE', timestampMs?: number): { awslogs: { data: string } } {
  const payload = {
    messageType,
    owner: '111122223333',
    logGroup: '/aws/apigateway/access/Api',
    logStream: 'a1b2c3',
    subscriptionFilters: ['IpBlocker'],
    logEvents: messages.map((message, i) => ({
      id: `3659480183473400000000000000000000000000000000000000${String(i).padStart(4, '0')}`,
      timestamp: timestampMs ?? Date.now(),
      message,
    })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

/** The log line the JWT authorizer writes when it rejects a request from `ip` for `reason` (its own writer). */
export function rejectionLine(ip: string, reason: RejectionReason, status: 401 | 403 = 401): string {
  let line = '';
  rejectionLogger('CdkSecureApi/Authorizer', 'PetsApi', (l) => (line = l.trimEnd()))(reason, status, {
    requestId: 'req-1',
    operation: 'GET /pets',
    sourceIp: ip,
  });
  return line;
}

/** `count` forged-token rejections of requests from `ip`, as the authorizer logs them. */
export function failures(ip: string, count: number, reason: RejectionReason = 'bad_signature'): string[] {
  return Array.from({ length: count }, () => rejectionLine(ip, reason));
}

/** Captures the handler's structured log lines (written to stdout) for the duration of a test. */
export function captureLogLines(): { lines: () => Array<{ [key: string]: any }>; restore: () => void } {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    written.push(String(chunk));
    return true;
  });
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l)),
    restore: () => spy.mockRestore(),
  };
}

/** The value of metric `name` in an embedded-metric-format line, checking the EMF declaration is present. */
export function metricValue(line: { [key: string]: any }, name: string): number | undefined {
  const declared = line._aws?.CloudWatchMetrics?.[0]?.Metrics?.some((m: { Name: string }) => m.Name === name);
  return declared ? line[name] : undefined;
}
