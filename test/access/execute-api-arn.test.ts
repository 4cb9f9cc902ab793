import * as fc from 'fast-check';
import { arnMatches, patternReaches, routePattern, sampleRequestSuffix } from '../../lib/access/execute-api-arn';

const ARN = 'arn:aws:execute-api:eu-west-1:111111111111:abc123/v1';

describe('arnMatches', () => {
  it('matches literally and case-sensitively', () => {
    expect(arnMatches(`${ARN}/GET/reports`, `${ARN}/GET/reports`)).toBe(true);
    expect(arnMatches(`${ARN}/GET/reports`, `${ARN}/GET/Reports`)).toBe(false);
    expect(arnMatches(`${ARN}/GET/reports`, `${ARN}/GET/reports/`)).toBe(false);
  });

  it('lets * match any run of characters, / and the empty run included', () => {
    expect(arnMatches(`${ARN}/GET/reports/*`, `${ARN}/GET/reports/42`)).toBe(true);
    expect(arnMatches(`${ARN}/GET/reports/*`, `${ARN}/GET/reports/42/audit`)).toBe(true);
    expect(arnMatches(`${ARN}/GET/reports/*`, `${ARN}/GET/reports/`)).toBe(true);
    expect(arnMatches(`${ARN}/GET/reports/*`, `${ARN}/DELETE/reports/42`)).toBe(false);
    expect(arnMatches(`${ARN}/*/reports/*`, `${ARN}/GET/x/reports/1`)).toBe(true);
    expect(arnMatches('execute-api:/*', 'execute-api:/')).toBe(true);
  });

  it('lets ? match exactly one character, a / too', () => {
    expect(arnMatches(`${ARN}/GET/r?`, `${ARN}/GET/r1`)).toBe(true);
    expect(arnMatches(`${ARN}/GET/r?`, `${ARN}/GET/r/`)).toBe(true);
    expect(arnMatches(`${ARN}/GET/r?`, `${ARN}/GET/r`)).toBe(false);
    expect(arnMatches(`${ARN}/GET/r?`, `${ARN}/GET/r12`)).toBe(false);
  });

  it('stays fast on many stars that cannot match', () => {
    const started = Date.now();
    expect(arnMatches('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(2000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('routePattern', () => {
  it('writes each path parameter, greedy or not, and the method of ANY as *', () => {
    expect(routePattern('GET /reports/{id}')).toBe('GET/reports/*');
    expect(routePattern('GET /reports/{id}/audit')).toBe('GET/reports/*/audit');
    expect(routePattern('ANY /files/{path+}')).toBe('*/files/*');
    expect(routePattern('GET /')).toBe('GET/');
  });
});

describe('patternReaches', () => {
  it('finds the deeper routes a parameter pattern also matches', () => {
    expect(patternReaches('GET/reports/*', 'GET /reports/{id}/audit', 'segment')).toBe(true);
    expect(patternReaches('GET/reports/*', 'GET /reports/summary', 'segment')).toBe(true);
    expect(patternReaches('GET/reports/*', 'DELETE /reports/{id}', 'segment')).toBe(false);
    expect(patternReaches('GET/reports', 'GET /reports/{id}', 'segment')).toBe(false);
  });

  it('does not let a deeper pattern reach a shallower route when values hold no /', () => {
    expect(patternReaches('GET/reports/*/audit', 'GET /reports/{id}', 'segment')).toBe(false);
    // ...but does when a value may hold a decoded %2F (undocumented either way).
    expect(patternReaches('GET/reports/*/audit', 'GET /reports/{id}', 'any')).toBe(true);
  });

  it('treats a greedy parameter as spanning segments, and ANY as every method', () => {
    expect(patternReaches('GET/files/*/meta', 'GET /files/{path+}', 'segment')).toBe(true);
    expect(patternReaches('DELETE/files/*', 'ANY /files/{path+}', 'segment')).toBe(true);
    expect(patternReaches('GET/files/a/b', 'GET /files/{name}', 'segment')).toBe(false);
  });

  it('agrees with arnMatches on a sample request', () => {
    const request = sampleRequestSuffix('GET /reports/{id}/audit', '42');
    expect(request).toBe('GET/reports/42/audit');
    expect(arnMatches('GET/reports/*', request)).toBe(true);
    expect(arnMatches('GET/reports/*/audit', sampleRequestSuffix('GET /reports/{id}'))).toBe(false);
  });
});

describe('patternReaches agrees with arnMatches on random routes and requests (fast-check)', () => {
  // Small alphabets, so that patterns and requests collide often.
  const segment = fc.constantFrom('a', 'b', 'ab', '{p}', '{q+}');
  const route = fc.record({ method: fc.constantFrom('GET', 'POST', 'ANY'), segments: fc.array(segment, { minLength: 0, maxLength: 4 }) });
  const routeKey = (r: { method: string; segments: string[] }) => `${r.method} /${r.segments.join('/')}`;
  const value = fc.constantFrom('a', 'b', 'x', 'a/b', '');

  it('never misses a pattern that matches a concrete request, under either kind of parameter value', () => {
    fc.assert(
      fc.property(
        route,
        route,
        fc.array(value, { minLength: 4, maxLength: 4 }),
        fc.constantFrom('GET', 'POST'),
        (p, r, values, anyMethod) => {
          const pattern = routePattern(routeKey(p));
          const request = (segmentValues: boolean) => {
            let i = 0;
            const path = r.segments
              .map((s) => {
                if (!s.startsWith('{')) return s;
                const v = values[i++];
                if (!segmentValues) return v;
                return (s.endsWith('+}') ? v : v.replace(/\//g, '')) || 'v';
              })
              .join('/');
            return `${r.method === 'ANY' ? anyMethod : r.method}/${path}`;
          };
          if (arnMatches(pattern, request(true))) expect(patternReaches(pattern, routeKey(r), 'segment')).toBe(true);
          if (arnMatches(pattern, request(false))) expect(patternReaches(pattern, routeKey(r), 'any')).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
