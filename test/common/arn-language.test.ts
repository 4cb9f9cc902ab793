import { languagesIntersect, patternLanguage, requestLanguage } from '../../lib/common/arn-language';

const reaches = (pattern: string, routeKey: string, values: 'segment' | 'any') =>
  languagesIntersect(patternLanguage(pattern), requestLanguage(routeKey, values));

describe('requestLanguage', () => {
  it('lets a path parameter hold one segment, or (any) a string with slashes', () => {
    expect(reaches('GET/reports/a/b', 'GET /reports/{id}', 'segment')).toBe(false);
    expect(reaches('GET/reports/a/b', 'GET /reports/{id}', 'any')).toBe(true);
    expect(reaches('GET/reports/a/b', 'GET /reports/{proxy+}', 'segment')).toBe(true);
  });

  it('needs a non-empty segment unless values may be any string', () => {
    expect(reaches('GET/reports/', 'GET /reports/{id}', 'segment')).toBe(false);
    expect(reaches('GET/reports/', 'GET /reports/{id}', 'any')).toBe(true);
  });

  it('reads ANY as any method, never one with a slash', () => {
    expect(reaches('DELETE/a', 'ANY /a', 'segment')).toBe(true);
    expect(reaches('x/y/a', 'ANY /a', 'segment')).toBe(false);
  });
});

describe('languagesIntersect', () => {
  it("finds that IAM's * spans / : GET/reports/* reaches the deeper audit route", () => {
    expect(reaches('GET/reports/*', 'GET /reports/{id}/audit', 'segment')).toBe(true);
    expect(reaches('GET/reports/?', 'GET /reports/{id}/audit', 'segment')).toBe(false);
    expect(reaches('POST/reports/*', 'GET /reports/{id}', 'any')).toBe(false);
  });
});
