import { ApiIdentity, InvokeRequest, SigningPrincipal } from '../../../lib/access/authorization-flow';

// The reports API as the access tests deploy it (fixtures/access/reports-iam.yaml, REPORTS_ROUTES), and the
// signed callers they send to it: the construct's tests and the pure policy builder's tests evaluate the same ones.

/** The deployed API: account 111111111111 in eu-west-1, id abc123. */
export const REPORTS_API: ApiIdentity = { region: 'eu-west-1', account: '111111111111', apiId: 'abc123' };

/** The stage every access test deploys. */
export const REPORTS_STAGE = 'v1';

/** The method ARN of a request to `suffix` (`METHOD/path`) on the deployed stage. */
export function methodArn(suffix: string): string {
  return `arn:aws:execute-api:${REPORTS_API.region}:${REPORTS_API.account}:${REPORTS_API.apiId}/${REPORTS_STAGE}/${suffix}`;
}

/** A role of the API's own account. */
export const OWN_ROLE: SigningPrincipal = { account: REPORTS_API.account, arn: `arn:aws:iam::${REPORTS_API.account}:role/ReportReader` };
/** A role of the partner account, the account the tests grant operations to. */
export const PARTNER: SigningPrincipal = { account: '222222222222', arn: 'arn:aws:iam::222222222222:role/partner-app' };
/** A role of an account granted nothing. */
export const STRANGER: SigningPrincipal = { account: '333333333333', arn: 'arn:aws:iam::333333333333:role/anything' };

/** Everyone's own account lets them invoke anything (a foreign administrator can always write that). */
export const IDENTITY_ALLOWS_ALL = [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }];

/** A request to `suffix` signed by `principal`, whose identity policy allows every invoke; `more` adds its source. */
export function signedRequest(principal: SigningPrincipal, suffix: string, more: Partial<InvokeRequest> = {}): InvokeRequest {
  return { methodArn: methodArn(suffix), mechanism: 'iam', principal, identityStatements: IDENTITY_ALLOWS_ALL, ...more };
}

/**
 * The resource policy's statements for the partner account granted createReport and getReport: those two,
 * and a Deny of the IAM route below getReport's path that its pattern also matches.
 */
export const PARTNER_GRANT_STATEMENTS = [
  {
    Sid: 'AllowGrant1',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::222222222222:root' },
    Action: 'execute-api:Invoke',
    Resource: ['execute-api:/v1/GET/reports/*', 'execute-api:/v1/POST/reports'],
  },
  {
    Sid: 'DenyGrant1OtherIamOperations',
    Effect: 'Deny',
    Principal: { AWS: 'arn:aws:iam::222222222222:root' },
    Action: 'execute-api:Invoke',
    Resource: ['execute-api:/v1/GET/reports/*/audit'],
  },
];
