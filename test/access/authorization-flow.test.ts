import { ApiIdentity, evaluateInvoke, InvokeRequest, PolicyDecision, tableA, tableB } from '../../lib/access/authorization-flow';

const API: ApiIdentity = { region: 'eu-west-1', account: '111111111111', apiId: 'abc123' };
const arn = (suffix: string) => `arn:aws:execute-api:eu-west-1:111111111111:abc123/v1/${suffix}`;
const statement = (Effect: string, extra: object = {}) => ({
  Effect,
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*',
  ...extra,
});
const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const ALLOW = policy(statement('Allow'));
const DENY = policy(statement('Allow'), statement('Deny'));
const SILENT = policy(statement('Allow', { Resource: 'execute-api:/v1/GET/elsewhere' }));
const IDENTITY_ALLOW = [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn('GET/r') }];
const IDENTITY_DENY = [{ Effect: 'Deny', Action: 'execute-api:*', Resource: '*' }];

describe('the policy evaluation tables', () => {
  const rows: Array<[PolicyDecision, PolicyDecision, string, string]> = [
    ['allow', 'allow', 'allow', 'allow'],
    ['allow', 'neither', 'allow', 'implicitDeny'],
    ['allow', 'deny', 'explicitDeny', 'explicitDeny'],
    ['neither', 'allow', 'allow', 'implicitDeny'],
    ['neither', 'neither', 'implicitDeny', 'implicitDeny'],
    ['neither', 'deny', 'explicitDeny', 'explicitDeny'],
    ['deny', 'allow', 'explicitDeny', 'explicitDeny'],
    ['deny', 'neither', 'explicitDeny', 'explicitDeny'],
    ['deny', 'deny', 'explicitDeny', 'explicitDeny'],
  ];
  it.each(rows)('caller %s, resource policy %s: Table A %s, Table B %s', (caller, resource, a, b) => {
    expect(tableA(caller, resource)).toBe(a);
    expect(tableB(caller, resource)).toBe(b);
  });
});

describe('evaluateInvoke', () => {
  const request = (extra: Partial<InvokeRequest>): InvokeRequest => ({ methodArn: arn('GET/r'), mechanism: 'none', ...extra });

  it('serves a route with no authorizer without a policy, and only on an explicit Allow once there is one', () => {
    expect(evaluateInvoke(undefined, request({}), API)).toBe('allow');
    expect(evaluateInvoke(ALLOW, request({}), API)).toBe('allow');
    expect(evaluateInvoke(SILENT, request({}), API)).toBe('implicitDeny');
    expect(evaluateInvoke(DENY, request({}), API)).toBe('explicitDeny');
  });

  it('needs an explicit Allow for Cognito too, after a valid token', () => {
    expect(evaluateInvoke(SILENT, request({ mechanism: 'cognitoUserPools', validToken: true }), API)).toBe('implicitDeny');
    expect(evaluateInvoke(ALLOW, request({ mechanism: 'cognitoUserPools', validToken: true }), API)).toBe('allow');
    expect(evaluateInvoke(ALLOW, request({ mechanism: 'cognitoUserPools', validToken: false }), API)).toBe('implicitDeny');
  });

  it('combines a Lambda authorizer with the resource policy by Table A, an explicit Deny first', () => {
    const lambda = (authorizer: PolicyDecision) => request({ mechanism: 'lambdaAuthorizer', authorizer });
    expect(evaluateInvoke(SILENT, lambda('allow'), API)).toBe('allow');
    expect(evaluateInvoke(undefined, lambda('allow'), API)).toBe('allow');
    expect(evaluateInvoke(ALLOW, lambda('deny'), API)).toBe('explicitDeny');
    expect(evaluateInvoke(DENY, lambda('allow'), API)).toBe('explicitDeny');
    expect(evaluateInvoke(ALLOW, lambda('neither'), API)).toBe('allow');
  });

  it('lets either policy allow an IAM caller of the same account (Table A), and needs both for another account (Table B)', () => {
    const same = { account: '111111111111', arn: 'arn:aws:iam::111111111111:role/r' };
    const other = { account: '222222222222', arn: 'arn:aws:iam::222222222222:role/r' };
    const iam = (principal: typeof same | undefined, identityStatements: object[] = []) =>
      request({ mechanism: 'iam', principal, identityStatements: identityStatements as InvokeRequest['identityStatements'] });
    expect(evaluateInvoke(undefined, iam(same, IDENTITY_ALLOW), API)).toBe('allow');
    expect(evaluateInvoke(undefined, iam(same), API)).toBe('implicitDeny');
    expect(evaluateInvoke(ALLOW, iam(same), API)).toBe('allow');
    expect(evaluateInvoke(undefined, iam(other, IDENTITY_ALLOW), API)).toBe('implicitDeny');
    expect(evaluateInvoke(ALLOW, iam(other), API)).toBe('implicitDeny');
    expect(evaluateInvoke(ALLOW, iam(other, IDENTITY_ALLOW), API)).toBe('allow');
    expect(evaluateInvoke(ALLOW, iam(other, IDENTITY_DENY), API)).toBe('explicitDeny');
    expect(evaluateInvoke(ALLOW, iam(undefined), API)).toBe('implicitDeny');
  });

  it('matches resource policy principals: anyone, an account, one role', () => {
    const byPrincipal = (AWS: string) => policy({ ...statement('Allow'), Principal: { AWS } });
    const caller = { account: '222222222222', arn: 'arn:aws:iam::222222222222:role/reader' };
    const iam = request({ mechanism: 'iam', principal: caller, identityStatements: IDENTITY_ALLOW });
    expect(evaluateInvoke(byPrincipal('222222222222'), iam, API)).toBe('allow');
    expect(evaluateInvoke(byPrincipal('arn:aws:iam::222222222222:root'), iam, API)).toBe('allow');
    expect(evaluateInvoke(byPrincipal('arn:aws:iam::222222222222:role/reader'), iam, API)).toBe('allow');
    expect(evaluateInvoke(byPrincipal('arn:aws:iam::222222222222:role/writer'), iam, API)).toBe('implicitDeny');
    expect(evaluateInvoke(byPrincipal('333333333333'), iam, API)).toBe('implicitDeny');
    // A named principal never matches an unsigned request.
    expect(evaluateInvoke(byPrincipal('222222222222'), request({}), API)).toBe('implicitDeny');
  });

  it('evaluates source IP, VPC endpoint and principal-account conditions, absent keys as IAM does', () => {
    const ips = policy(
      statement('Allow'),
      statement('Deny', { Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } }),
    );
    expect(evaluateInvoke(ips, request({ sourceIp: '203.0.113.9' }), API)).toBe('allow');
    expect(evaluateInvoke(ips, request({ sourceIp: '2001:db8::7' }), API)).toBe('allow');
    expect(evaluateInvoke(ips, request({ sourceIp: '198.51.100.1' }), API)).toBe('explicitDeny');
    expect(evaluateInvoke(ips, request({}), API)).toBe('explicitDeny');
    const vpce = policy(statement('Allow'), statement('Deny', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }));
    expect(evaluateInvoke(vpce, request({ sourceVpce: 'vpce-1a2b3c4d' }), API)).toBe('allow');
    expect(evaluateInvoke(vpce, request({ sourceVpce: 'vpce-99999999' }), API)).toBe('explicitDeny');
    const unsigned = policy(statement('Allow', { Condition: { Null: { 'aws:PrincipalAccount': 'true' } } }));
    expect(evaluateInvoke(unsigned, request({}), API)).toBe('allow');
    const signed = request({
      mechanism: 'iam',
      principal: { account: '222222222222', arn: 'arn:aws:iam::222222222222:role/r' },
      identityStatements: IDENTITY_ALLOW,
    });
    expect(evaluateInvoke(unsigned, signed, API)).toBe('implicitDeny');
  });

  it('refuses what it does not model instead of guessing', () => {
    expect(() => evaluateInvoke(policy({ ...statement('Allow'), NotResource: 'x' }), request({}), API)).toThrow(
      'does not evaluate NotResource',
    );
    expect(() =>
      evaluateInvoke(policy(statement('Allow', { Condition: { DateGreaterThan: { 'aws:CurrentTime': 'x' } } })), request({}), API),
    ).toThrow('does not evaluate the condition operator DateGreaterThan');
  });
});
