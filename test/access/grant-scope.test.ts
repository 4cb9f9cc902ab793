import { arnMatches, sampleRequestSuffix } from '../../lib/access/execute-api-arn';
import { grantScope } from '../../lib/access/grant-scope';
import { InvokeRoute } from '../../lib/access/invoke-routes';
import { PropCheck } from '../../lib/model';
import { REPORTS_ROUTES } from './support/reports-routes';

const check = new PropCheck('Stack/Api', 'grantExecute');

/** Whether a policy of the scope's Allow and Deny lets a request through (IAM: an explicit Deny wins). */
function allows(scope: { allow: string[]; deny: string[] }, request: string): boolean {
  return scope.allow.some((p) => arnMatches(p, request)) && !scope.deny.some((p) => arnMatches(p, request));
}

describe('grantScope', () => {
  it('allows exactly the granted operation and denies the deeper IAM route its pattern also matches', () => {
    const scope = grantScope(REPORTS_ROUTES, ['getReport'], check);
    expect(scope).toEqual({
      routes: ['GET /reports/{id}'],
      allow: ['GET/reports/*'],
      deny: ['GET/reports/*/audit'],
      undeniable: [],
    });
  });

  it('lets a principal granted getReport invoke getReport and nothing else (abuse: deleteReport, the audit route)', () => {
    const scope = grantScope(REPORTS_ROUTES, ['getReport'], check);
    expect(allows(scope, 'GET/reports/42')).toBe(true);
    expect(allows(scope, 'DELETE/reports/42')).toBe(false);
    expect(allows(scope, 'GET/reports/42/audit')).toBe(false);
    expect(allows(scope, 'POST/reports')).toBe(false);
    for (const route of REPORTS_ROUTES.filter((r) => r.operationId !== 'getReport')) {
      expect([route.key, allows(scope, sampleRequestSuffix(route.key, '42'))]).toEqual([route.key, false]);
    }
  });

  it('needs no Deny when the deeper route is granted too', () => {
    expect(grantScope(REPORTS_ROUTES, ['getReport', 'getReportAudit'], check).deny).toEqual([]);
    expect(grantScope(REPORTS_ROUTES, ['deleteReport'], check)).toMatchObject({ allow: ['DELETE/reports/*'], deny: [] });
  });

  it('reports a shallower route reachable only through a slash inside a parameter value, which it cannot deny', () => {
    const scope = grantScope(REPORTS_ROUTES, ['getReportAudit'], check);
    expect(scope).toMatchObject({
      allow: ['GET/reports/*/audit'],
      deny: [],
      undeniable: ["'GET /reports/{id}' (through 'GET /reports/{id}/audit')"],
    });
    expect(allows(scope, 'GET/reports/42')).toBe(false);
    expect(allows(scope, 'GET/reports/42/audit')).toBe(true);
  });

  it('refuses a grant that cannot be written exactly, naming both operations', () => {
    const routes: InvokeRoute[] = [
      { key: 'GET /reports/{id}/audit', operationId: 'getAudit', mechanism: 'iam' },
      { key: 'GET /reports/{id}/{section}', operationId: 'getSection', mechanism: 'iam' },
    ];
    expect(() => grantScope(routes, ['getAudit'], check)).toThrow(
      "SecureApi 'Stack/Api': grantExecute cannot grant 'getAudit' without 'getSection': the grant's pattern 'GET/reports/*/audit' also matches requests of GET /reports/{id}/{section}",
    );
    expect(grantScope(routes, ['getAudit', 'getSection'], check).deny).toEqual([]);
  });

  it('ignores routes that are not IAM: no identity policy is evaluated for them', () => {
    const routes: InvokeRoute[] = [
      { key: 'GET /a/{id}', operationId: 'getA', mechanism: 'iam' },
      { key: 'GET /a/{id}/public', operationId: 'getPublic', mechanism: 'none' },
    ];
    expect(grantScope(routes, ['getA'], check).deny).toEqual([]);
  });

  it('refuses an operation that IAM does not authorize, an unknown one, and a grant of nothing', () => {
    expect(() => grantScope(REPORTS_ROUTES, ['listReports'], check)).toThrow(
      "SecureApi 'Stack/Api': grantExecute names operation 'listReports' (GET /reports), which is not authorized by IAM (a Lambda authorizer decides)",
    );
    expect(() => grantScope(REPORTS_ROUTES, ['getHealth'], check)).toThrow('which is not authorized by IAM (it has no authorizer)');
    expect(() => grantScope(REPORTS_ROUTES, ['nope'], check)).toThrow("grantExecute names operation 'nope', which the API does not have");
    expect(() => grantScope(REPORTS_ROUTES, [], check)).toThrow('grantExecute names no operation');
  });
});
