// The evaluator the metric-filter tests rely on, checked against CloudWatch's documented semantics.
import { FilterPatternSyntaxError, matchesFilterPattern } from './support/filter-pattern';

const event = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '123.123.0.7',
  status: '403',
  latency: 250,
  bandwidth: 0,
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }],
  actions: ['GET', 'PUT'],
  nothing: null,
  ok: true,
});

describe('CloudWatch Logs JSON filter-pattern evaluator', () => {
  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = UpdateTrail }', true],
    ['{ $.eventType = "updatetrail" }', false],
    ['{ $.eventType != "UpdateTrail" }', false],
    ['{ $.eventType = "Update*" }', true],
    ['{ $.eventType = "*Trail" }', true],
    ['{ $.eventType = "Delete*" }', false],
    ['{ $.sourceIPAddress != 123.123.* }', false],
    ['{ $.sourceIPAddress != 10.0.* }', true],
    ['{ $.user.id = 1 }', true],
    ['{ $.users[0].email = "John.Doe@example.com" }', true],
    ['{ $.actions[1] = "PUT" }', true],
    ['{ $.latency > 200 }', true],
    ['{ $.latency >= 250 }', true],
    ['{ $.latency < 250 }', false],
    ['{ $.latency <= 250 && $.bandwidth = 0 }', true],
    ['{ $.nothing IS NULL }', true],
    ['{ $.ok IS TRUE }', true],
    ['{ $.ok IS FALSE }', false],
    ['{ $.absent NOT EXISTS }', true],
    ['{ $.status NOT EXISTS }', false],
    ['{ ($.user.id = 2) || ($.latency > 100 && $.eventType = "UpdateTrail") }', true],
    ['{ $.user.id = 2 || $.latency > 100 && $.eventType = "X" }', false],
    ['{ ($.user.id = 2 || $.latency > 100) && $.eventType = "X" }', false],
  ])('%s → %s', (pattern, expected) => {
    expect(matchesFilterPattern(pattern, event)).toBe(expected);
  });

  it('compares types strictly: a number does not match a numeric string', () => {
    expect(matchesFilterPattern('{ $.status = 403 }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.status = "403" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.latency = "250" }', event)).toBe(false);
  });

  it('makes every comparison on a missing field false, including !=', () => {
    expect(matchesFilterPattern('{ $.absent = "x" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.absent != "x" }', event)).toBe(false);
  });

  it('never matches a message that is not JSON', () => {
    expect(matchesFilterPattern('{ $.status = "403" }', 'status=403')).toBe(false);
  });

  it.each(['$.a = 1', '{ $.a = }', '{ $.a > "x" }', '{ ($.a = 1 }', '{ $.a IS MAYBE }', '{ = 1 }', '{ $.a = "open }'])(
    'rejects the malformed pattern %s',
    (pattern) => {
      expect(() => matchesFilterPattern(pattern, event)).toThrow(FilterPatternSyntaxError);
    },
  );
});
