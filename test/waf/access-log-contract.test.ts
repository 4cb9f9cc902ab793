// The ip-blocker reads the access log that lib/observability writes: this checks the two agree,
// using the real format string, realistic rendered lines and CloudWatch's filter-pattern semantics.
import { IP_BLOCKER_ACCESS_LOG_FIELDS } from '../../contracts/access-log';
import { readLogEvent } from '../../lambda/ip-blocker/log-events';
import { buildAccessLogFormat } from '../../lib/observability/access-log-format';
import { failureFilterPattern } from '../../lib/waf/auto-blocker';
import { ALL_SAMPLE_NAMES, SAMPLE_LINES, SampleName } from '../observability/support/access-log-lines';
import { matchesFilterPattern } from '../observability/support/filter-pattern';

const NOW = 1_764_370_100_000;

const EXPECTED: { [name in SampleName]?: 'authentication' | 'validation' } = {
  missingToken: 'authentication',
  invalidToken: 'authentication',
  insufficientScope: 'authentication',
  invalidApiKey: 'authentication',
  unknownPath: 'authentication',
  badBody: 'validation',
  badParameters: 'validation',
};

describe('the access log contract', () => {
  it('is met by the access log format: every field the ip-blocker reads, with the agreed $context variable', () => {
    const format = JSON.parse(buildAccessLogFormat());
    for (const field of IP_BLOCKER_ACCESS_LOG_FIELDS) expect(format[field.name]).toBe(field.variable);
  });

  it.each(ALL_SAMPLE_NAMES)('classifies the %s line as the blocker should', (name) => {
    const reading = readLogEvent({ id: '1', timestamp: NOW, message: SAMPLE_LINES[name].line }, NOW);
    if (EXPECTED[name] === undefined) {
      expect(reading).toEqual({ ignored: true });
    } else {
      expect(reading).toEqual({ failure: { kind: EXPECTED[name], client: { version: 'IPV4', address: '203.0.113.17', prefix: 32, key: '203.0.113.17/32' }, timeMs: 1764370000123 } });
    }
  });

  it('lets through the subscription filter every line the blocker counts, and no successful request', () => {
    const pattern = failureFilterPattern();
    for (const name of ALL_SAMPLE_NAMES) {
      const { line } = SAMPLE_LINES[name];
      if (EXPECTED[name] !== undefined) expect({ name, matches: matchesFilterPattern(pattern, line) }).toEqual({ name, matches: true });
    }
    for (const name of ['ok', 'created', 'throttled', 'integrationTimeout'] as SampleName[]) {
      expect({ name, matches: matchesFilterPattern(pattern, SAMPLE_LINES[name].line) }).toEqual({ name, matches: false });
    }
  });

  it('also matches a hand-written format that logs the status as a number', () => {
    expect(matchesFilterPattern(failureFilterPattern(), JSON.stringify({ ip: '203.0.113.17', status: 401 }))).toBe(true);
    expect(matchesFilterPattern(failureFilterPattern(), JSON.stringify({ ip: '203.0.113.17', status: 200 }))).toBe(false);
  });
});
