// Each metric filter pattern against realistic access-log lines rendered from our real format.
import { ACCESS_LOG_METRIC_DIMENSIONS, ACCESS_LOG_METRIC_FILTERS } from '../../lib/observability/access-log-metrics';
import { ACCESS_LOG_FIELDS } from '../../lib/observability/access-log-format';
import { matchesFilterPattern } from './support/filter-pattern';
import { ALL_SAMPLE_NAMES, SAMPLE_LINES, SampleName } from './support/access-log-lines';

/** For each metric, exactly the sample requests it must count. */
const EXPECTED: { [metric: string]: SampleName[] } = {
  Requests: ALL_SAMPLE_NAMES,
  AuthenticationFailures: ['missingToken', 'invalidToken'],
  AuthorizationFailures: ['insufficientScope', 'invalidApiKey', 'unknownPath'],
  ValidationFailures: ['badBody', 'badParameters'],
  Throttles: ['throttled', 'quotaExceeded', 'wafRateLimit'],
  WafBlocks: ['wafBlock', 'wafRateLimit'],
  AuthorizerErrors: ['authorizerCrash', 'authorizerMisconfigured'],
  ServerErrors: ['authorizerCrash', 'authorizerMisconfigured', 'integrationFailure', 'integrationTimeout'],
};

describe('access-log metric filters', () => {
  it('renders every sample line as valid JSON with every field present', () => {
    for (const name of ALL_SAMPLE_NAMES) {
      const parsed = JSON.parse(SAMPLE_LINES[name].line);
      expect(Object.keys(parsed)).toEqual(ACCESS_LOG_FIELDS.map((f) => f.name));
    }
  });

  it('has one expectation for every filter', () => {
    expect(ACCESS_LOG_METRIC_FILTERS.map((f) => f.metricName).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(ACCESS_LOG_METRIC_FILTERS.map((f) => [f.metricName, f] as const))('%s', (metricName, filter) => {
    it.each(ALL_SAMPLE_NAMES.map((name) => [SAMPLE_LINES[name].name, name] as const))('on "%s"', (_label, name) => {
      expect(matchesFilterPattern(filter.pattern, SAMPLE_LINES[name].line)).toBe(EXPECTED[metricName].includes(name));
    });
  });

  it('selects only fields the access log writes', () => {
    const names = new Set(ACCESS_LOG_FIELDS.map((f) => f.name));
    for (const filter of ACCESS_LOG_METRIC_FILTERS) {
      for (const [, field] of filter.pattern.matchAll(/\$\.([A-Za-z0-9_]+)/g)) expect(names).toContain(field);
    }
    for (const selector of Object.values(ACCESS_LOG_METRIC_DIMENSIONS)) expect(names).toContain(selector.slice(2));
  });
});
