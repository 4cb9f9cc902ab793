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

  it('states the default thresholds the code uses', () => {
    const d = DEFAULT_ALARM_THRESHOLDS;
    expect(section).toContain(`> ${d.serverErrorRatePercent} %`);
    expect(section).toContain(`> ${d.clientErrorRatePercent} %`);
    expect(section).toContain(`> ${d.latencyP99.toSeconds()} s`);
    expect(section).toContain(`> ${d.throttleRatePercent} %`);
    expect(section).toContain(`${d.minimumRequests} / ${d.period.toMinutes()} minutes / ${d.evaluationPeriods} / ${d.datapointsToAlarm}`);
  });
});
