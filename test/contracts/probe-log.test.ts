import { REJECTION_REASONS, RejectionReason } from '../../contracts/authorizer-config';
import { AUTHORIZER_METRICS } from '../../contracts/authorizer-metrics';
import { isProbingReason, PROBE_FILTER_PATTERN, PROBE_LOG_FIELDS, PROBING_REJECTION_REASONS } from '../../contracts/probe-log';
import { matchesFilterPattern } from '../observability/support/filter-pattern';

/** Reasons an honest client or the authorizer itself can cause: they must never count towards a block. */
const NOT_PROBING: RejectionReason[] = [
  'no_token',
  'malformed_header',
  'expired',
  'not_yet_valid',
  'issued_in_future',
  'missing_claim',
  'bad_claim',
  'wrong_client',
  'wrong_token_type',
  'insufficient_scope',
  'unknown_operation',
  'jwks_unavailable',
  'bad_event',
  'config_invalid',
  'internal_error',
];

describe('PROBING_REJECTION_REASONS', () => {
  it('holds only reasons the authorizer can give', () => {
    for (const reason of PROBING_REJECTION_REASONS) expect(REJECTION_REASONS).toContain(reason);
  });

  it('holds no reason twice', () => {
    expect(new Set(PROBING_REJECTION_REASONS).size).toBe(PROBING_REJECTION_REASONS.length);
  });

  it('classifies every rejection reason: each is probing or named here as not', () => {
    const classified = new Set<string>([...PROBING_REJECTION_REASONS, ...NOT_PROBING]);
    expect([...REJECTION_REASONS].filter((r) => !classified.has(r))).toEqual([]);
    expect(PROBING_REJECTION_REASONS.filter((r) => NOT_PROBING.includes(r))).toEqual([]);
  });

  it('counts forged and tampered tokens as probing', () => {
    for (const reason of [
      'bad_signature',
      'kid_unknown',
      'alg_not_allowed',
      'unknown_issuer',
      'malformed_token',
      'ambiguous_token',
    ] as const)
      expect(PROBING_REJECTION_REASONS).toContain(reason);
  });
});

describe('isProbingReason', () => {
  it.each(PROBING_REJECTION_REASONS.map((r) => [r]))('is true for %s', (reason) => {
    expect(isProbingReason(reason)).toBe(true);
  });

  it.each(NOT_PROBING.map((r) => [r]))('is false for %s (an honest client or the authorizer itself can cause it)', (reason) => {
    expect(isProbingReason(reason)).toBe(false);
  });

  it.each([
    ['a different letter case', 'BAD_SIGNATURE'],
    ['surrounding space', ' bad_signature'],
    ['an unknown reason', 'made_up'],
    ['an empty string', ''],
    ['a prototype member name', 'constructor'],
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['an array holding a probing reason', ['bad_signature']],
    ['an object', { reason: 'bad_signature' }],
  ])('is false for %s', (_what, value) => {
    expect(isProbingReason(value)).toBe(false);
  });
});

describe('PROBE_LOG_FIELDS', () => {
  it('names the reason with the metric dimension, so one line is both the log record and the metric', () => {
    expect(PROBE_LOG_FIELDS).toEqual({ sourceIp: 'sourceIp', probe: 'probe', reason: AUTHORIZER_METRICS.reasonDimension });
  });
});

describe('PROBE_FILTER_PATTERN', () => {
  it('is a JSON filter on the probe flag', () => {
    expect(PROBE_FILTER_PATTERN).toBe('{ $.probe IS TRUE }');
  });

  it('passes a line whose probe flag is true', () => {
    expect(
      matchesFilterPattern(PROBE_FILTER_PATTERN, JSON.stringify({ sourceIp: '203.0.113.7', probe: true, Reason: 'bad_signature' })),
    ).toBe(true);
  });

  it.each([
    ['probe false', { sourceIp: '203.0.113.7', probe: false }],
    ['probe the string "true"', { sourceIp: '203.0.113.7', probe: 'true' }],
    ['probe 1', { sourceIp: '203.0.113.7', probe: 1 }],
    ['no probe key', { sourceIp: '203.0.113.7', Reason: 'bad_signature' }],
    ['probe nested one level down', { detail: { probe: true } }],
  ])('does not pass a line with %s', (_what, line) => {
    expect(matchesFilterPattern(PROBE_FILTER_PATTERN, JSON.stringify(line))).toBe(false);
  });
});
