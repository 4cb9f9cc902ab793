// The README's "Logging and monitoring" section documents the real tables, not a copy that drifts.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ACCESS_LOG_FIELDS, ACCESS_LOG_METRIC_FILTERS, DEFAULT_ALARM_THRESHOLDS } from '../../lib/observability';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Logging and monitoring'),
  readme.indexOf('\n## ', readme.indexOf('## Logging and monitoring') + 5),
);

describe('README: Logging and monitoring', () => {
  it('exists', () => {
    expect(section.length).toBeGreaterThan(1000);
  });

  it.each(ACCESS_LOG_FIELDS.map((f) => [f.name]))('lists the access-log field %s', (name) => {
    expect(section).toContain(`\`${name}\``);
  });

  it.each(ACCESS_LOG_METRIC_FILTERS.map((f) => [f.metricName, f.pattern]))('documents the %s pattern exactly', (_name, pattern) => {
    expect(section).toContain(`\`${pattern.replace(/\|\|/g, '\\|\\|')}\``);
  });

  /** The figure the README's alarm table gives in the row that names `alarm`. */
  function documentedThreshold(alarm: string): string | undefined {
    const cells = section
      .split('\n')
      .map((line) => line.split('|'))
      .find((row) => row.length > 2 && row[1].includes(`\`${alarm}\``));
    return cells?.[cells.length - 2].trim();
  }

  const d = DEFAULT_ALARM_THRESHOLDS;
  it.each([
    ['ServerErrorRate', `> ${d.serverErrorRatePercent} %`],
    ['ClientErrorRate', `> ${d.clientErrorRatePercent} %`],
    ['LatencyP99', `> ${d.latencyP99.toSeconds()} s`],
    ['ThrottleRate', `> ${d.throttleRatePercent} %`],
    ['AuthFailureRate', `> ${d.authFailureRatePercent} %`],
    ['WafBlockRate', `> ${d.wafBlockRatePercent} %`],
    ['AuthorizerFailureRate', `> ${d.authorizerErrorRatePercent} %`],
    ['<Function>FunctionErrorRate', `> ${d.lambdaErrorRatePercent} % of invocations`],
    ['<Function>FunctionThrottleRate', `> ${d.lambdaThrottleRatePercent} % of invocations`],
    ['minimumRequests', `${d.minimumRequests} / ${d.period.toMinutes()} minutes / ${d.evaluationPeriods} / ${d.datapointsToAlarm}`],
  ])('states the default threshold of %s the code uses: %s', (alarm, figure) => {
    expect(documentedThreshold(alarm)).toBe(figure);
  });
});
