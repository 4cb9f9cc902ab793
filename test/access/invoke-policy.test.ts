import { evaluateInvoke, InvokeOutcome, InvokeRequest, SigningPrincipal } from '../../lib/access/authorization-flow';
import { sampleRequestSuffix } from '../../lib/access/execute-api-arn';
import { grantScope } from '../../lib/access/grant-scope';
import {
  AccountGrant,
  ALL_METHODS,
  buildInvokePolicy,
  checkPolicySize,
  invokeStatement,
  PolicyStatementJson,
} from '../../lib/access/invoke-policy';
import { InvokeRoute } from '../../lib/access/invoke-routes';
import { PropCheck } from '../../lib/model';
import {
  IDENTITY_ALLOWS_ALL,
  methodArn,
  OWN_ROLE,
  PARTNER,
  PARTNER_GRANT_STATEMENTS,
  REPORTS_API,
  REPORTS_STAGE,
  STRANGER,
} from './support/reports-callers';
import { REPORTS_ROUTES } from './support/reports-routes';

const check = new PropCheck('Stack/Api');

const IP_RULES = invokeStatement('DenyOtherSourceIps', 'Deny', '*', ALL_METHODS, {
  NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
});
const VPCE_RULES = invokeStatement('DenyOtherVpcEndpoints', 'Deny', '*', ALL_METHODS, {
  StringNotEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d'] },
});

const AUDITOR: SigningPrincipal = { account: '444444444444', arn: 'arn:aws:iam::444444444444:role/auditor' };

function accountGrant(routes: InvokeRoute[], principal: string, operationIds: string[], wholeAccount: boolean): AccountGrant {
  const account = /::(\d{12}):/.exec(principal)![1];
  return { principal, name: principal, account, wholeAccount, scope: grantScope(routes, operationIds, check) };
}

/** The partner account is granted createReport and getReport; one auditor role of another account deleteReport. */
const GRANTS = [
  accountGrant(REPORTS_ROUTES, 'arn:aws:iam::222222222222:root', ['createReport', 'getReport'], true),
  accountGrant(REPORTS_ROUTES, AUDITOR.arn, ['getReportAudit'], false),
];

/** What SecureApi wrote before: anyone on every method, then the restriction. */
const previousPolicy = (restriction: PolicyStatementJson) => ({
  Version: '2012-10-17',
  Statement: [invokeStatement('AllowInvoke', 'Allow', '*', ALL_METHODS), restriction],
});

interface Caller {
  readonly name: string;
  /** The request this caller sends to a route. */
  readonly request: (route: InvokeRoute) => Partial<InvokeRequest> | undefined;
  /** Whether the caller is entitled to the route (before the source restriction). */
  readonly entitled: (route: InvokeRoute) => boolean;
}

const granted = (principal: SigningPrincipal, ids: string[]): Caller => ({
  name: principal.arn,
  request: (route) => (route.mechanism === 'iam' ? { principal, identityStatements: IDENTITY_ALLOWS_ALL } : undefined),
  entitled: (route) => ids.includes(route.operationId ?? ''),
});

const CALLERS: Caller[] = [
  { name: 'anonymous', request: (r) => (r.mechanism === 'none' ? {} : undefined), entitled: () => true },
  { name: 'valid JWT', request: (r) => (r.mechanism === 'lambdaAuthorizer' ? { authorizer: 'allow' } : undefined), entitled: () => true },
  { name: 'JWT refused', request: (r) => (r.mechanism === 'lambdaAuthorizer' ? { authorizer: 'deny' } : undefined), entitled: () => false },
  { name: 'Cognito token', request: (r) => (r.mechanism === 'cognitoUserPools' ? { validToken: true } : undefined), entitled: () => true },
  {
    name: 'own role allowed by its identity policy',
    request: (r) => (r.mechanism === 'iam' ? { principal: OWN_ROLE, identityStatements: IDENTITY_ALLOWS_ALL } : undefined),
    entitled: () => true,
  },
  {
    name: 'own role without any permission',
    request: (r) => (r.mechanism === 'iam' ? { principal: OWN_ROLE, identityStatements: [] } : undefined),
    entitled: () => false,
  },
  granted(PARTNER, ['createReport', 'getReport']),
  granted(AUDITOR, ['getReportAudit']),
  granted(STRANGER, []),
];

/** Every caller against every route it can send a request to, from an allowed and a refused source. */
function outcomes(policy: unknown, sources: Array<Partial<InvokeRequest>>) {
  const rows: Array<{ caller: string; route: string; source: string; outcome: InvokeOutcome; entitled: boolean }> = [];
  for (const route of REPORTS_ROUTES) {
    for (const caller of CALLERS) {
      const specific = caller.request(route);
      if (specific === undefined) continue;
      for (const source of sources) {
        const request = { methodArn: methodArn(sampleRequestSuffix(route.key, '42')), mechanism: route.mechanism, ...source, ...specific };
        const outcome = evaluateInvoke(policy, request, REPORTS_API);
        rows.push({ caller: caller.name, route: route.key, source: JSON.stringify(source), outcome, entitled: caller.entitled(route) });
      }
    }
  }
  return rows;
}

describe('buildInvokePolicy', () => {
  it('writes no policy when nothing restricts callers and no other account is granted', () => {
    expect(buildInvokePolicy({ stageName: REPORTS_STAGE, routes: REPORTS_ROUTES, restrictions: [], grants: [] }, check)).toBeUndefined();
  });

  it('keeps the Allow of every method when the API has no IAM route', () => {
    const routes = REPORTS_ROUTES.filter((r) => r.mechanism !== 'iam');
    expect(buildInvokePolicy({ stageName: REPORTS_STAGE, routes, restrictions: [IP_RULES], grants: [] }, check)).toEqual(
      previousPolicy(IP_RULES),
    );
  });

  it('allows anyone only the routes without IAM, only unsigned, and another account only what it was granted', () => {
    const policy = buildInvokePolicy(
      { stageName: REPORTS_STAGE, routes: REPORTS_ROUTES, restrictions: [IP_RULES], grants: GRANTS },
      check,
    )!;
    expect(policy.Statement).toEqual([
      {
        Sid: 'AllowOperationsWithoutIam',
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [
          'execute-api:/v1/GET/catalog',
          'execute-api:/v1/GET/files/*',
          'execute-api:/v1/GET/health',
          'execute-api:/v1/GET/profile',
          'execute-api:/v1/GET/reports',
          'execute-api:/v1/OPTIONS/reports',
        ],
        Condition: { Null: { 'aws:PrincipalAccount': 'true' } },
      },
      ...PARTNER_GRANT_STATEMENTS,
      {
        Sid: 'AllowGrant2',
        Effect: 'Allow',
        Principal: { AWS: AUDITOR.arn },
        Action: 'execute-api:Invoke',
        Resource: ['execute-api:/v1/GET/reports/*/audit'],
      },
      IP_RULES,
    ]);
    expect(() => checkPolicySize(policy, check)).not.toThrow();
  });

  describe.each([
    ['a REGIONAL API with source IP rules', IP_RULES, [{ sourceIp: '203.0.113.7' }, { sourceIp: '198.51.100.7' }]],
    ['a PRIVATE API with VPC endpoint rules', VPCE_RULES, [{ sourceVpce: 'vpce-1a2b3c4d' }, { sourceVpce: 'vpce-99999999' }]],
    [
      'both rules at once',
      [IP_RULES, VPCE_RULES],
      [
        { sourceIp: '203.0.113.7', sourceVpce: 'vpce-1a2b3c4d' },
        { sourceIp: '198.51.100.7', sourceVpce: 'vpce-1a2b3c4d' },
        { sourceIp: '203.0.113.7', sourceVpce: 'vpce-99999999' },
      ],
    ],
  ] as Array<[string, PolicyStatementJson | PolicyStatementJson[], Array<Partial<InvokeRequest>>]>)(
    'evaluated with a cross-account grant on %s',
    (_name, restriction, [allowedSource, ...refusedSources]) => {
      const restrictions = Array.isArray(restriction) ? restriction : [restriction];
      const policy = buildInvokePolicy({ stageName: REPORTS_STAGE, routes: REPORTS_ROUTES, restrictions, grants: GRANTS }, check);
      const previous = { Version: '2012-10-17', Statement: [invokeStatement('AllowInvoke', 'Allow', '*', ALL_METHODS), ...restrictions] };
      const now = outcomes(policy, [allowedSource, ...refusedSources]);
      const before = outcomes(previous, [allowedSource, ...refusedSources]);

      it('locks out nobody the API served before: every entitled caller gets the same answer', () => {
        const entitled = now.flatMap((row, i) => (row.entitled ? [{ row, previously: before[i].outcome }] : []));
        expect(entitled.length).toBeGreaterThan(20);
        expect(entitled.filter(({ row, previously }) => row.outcome !== previously)).toEqual([]);
        expect(entitled.filter(({ row }) => row.source === JSON.stringify(allowedSource) && row.outcome !== 'allow')).toEqual([]);
      });

      it('lets no principal of another account reach an IAM operation it was not granted', () => {
        const foreign = now.filter((row) => [PARTNER.arn, AUDITOR.arn, STRANGER.arn].includes(row.caller) && !row.entitled);
        expect(foreign.map((row) => `${row.caller} ${row.route}`)).toContain(`${PARTNER.arn} GET /reports/{id}/audit`);
        expect(foreign.map((row) => `${row.caller} ${row.route}`)).toContain(`${PARTNER.arn} DELETE /reports/{id}`);
        expect(foreign.map((row) => `${row.caller} ${row.route}`)).toContain(`${AUDITOR.arn} GET /reports/{id}`);
        expect(foreign.map((row) => `${row.caller} ${row.route}`)).toContain(`${STRANGER.arn} GET /files/{name}/owner`);
        expect(foreign.filter((row) => row.outcome === 'allow')).toEqual([]);
        // The previous policy let every one of them through from an allowed source: the hole this closes.
        const previously = now.flatMap((row, i) =>
          foreign.includes(row) && row.source === JSON.stringify(allowedSource) ? [before[i].outcome] : [],
        );
        expect(previously.length).toBeGreaterThan(5);
        expect(previously.every((outcome) => outcome === 'allow')).toBe(true);
      });

      it('no longer lets a role of this account without permission in through the Allow of everyone', () => {
        const own = now.filter((row) => row.caller === 'own role without any permission');
        expect(own.length).toBeGreaterThan(0);
        expect(own.filter((row) => row.outcome === 'allow')).toEqual([]);
      });

      it('still denies every caller from a refused source, explicitly', () => {
        const refused = now.filter((row) => row.source !== JSON.stringify(allowedSource));
        expect(refused.length).toBeGreaterThan(20);
        expect(refused.filter((row) => row.outcome !== 'explicitDeny')).toEqual([]);
      });
    },
  );

  it('refuses an account-wide grant that would deny what one of its roles was granted', () => {
    const grants = [
      accountGrant(REPORTS_ROUTES, 'arn:aws:iam::222222222222:root', ['getReport'], true),
      accountGrant(REPORTS_ROUTES, PARTNER.arn, ['getReportAudit'], false),
    ];
    expect(() => buildInvokePolicy({ stageName: REPORTS_STAGE, routes: REPORTS_ROUTES, restrictions: [], grants }, check)).toThrow(
      `SecureApi 'Stack/Api': grantExecute grants GET /reports/{id}/audit to ${PARTNER.arn} but not to its account arn:aws:iam::222222222222:root`,
    );
  });

  it("refuses a policy over API Gateway's 8,192 characters", () => {
    const routes: InvokeRoute[] = Array.from({ length: 300 }, (_, i) => ({
      key: `GET /resource-number-${i}`,
      operationId: `op${i}`,
      mechanism: i === 0 ? 'iam' : 'none',
    }));
    const policy = buildInvokePolicy({ stageName: REPORTS_STAGE, routes, restrictions: [IP_RULES], grants: [] }, check);
    expect(() => checkPolicySize(policy, check)).toThrow("SecureApi 'Stack/Api': resourcePolicy is 1");
  });
});
