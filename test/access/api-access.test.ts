import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { evaluateInvoke, InvokeOutcome, SigningPrincipal } from '../../lib/access/authorization-flow';
import { Auth, BodyPlacement, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { concrete, PolicyJson, StatementJson } from './support/concrete';
import { OWN_ROLE, PARTNER, PARTNER_GRANT_STATEMENTS, REPORTS_API, methodArn, signedRequest, STRANGER } from './support/reports-callers';

const REPORTS = join(__dirname, '..', 'fixtures', 'access', 'reports-iam.yaml');
const { account: ACCOUNT, apiId: API_ID } = REPORTS_API;
const JWT = Auth.jwt({ issuer: 'https://idp.example.com/realms/reports', audience: ['https://reports.example.com'] });

function synth(props: Partial<SecureApiProps> = {}, grant?: (api: SecureApi, stack: Stack) => void) {
  const app = new App();
  const stack = new Stack(app, 'Reports', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(REPORTS),
    defaultIntegration: OperationIntegration.mock(),
    auth: JWT,
    ...props,
  });
  grant?.(api, stack);
  const template = Template.fromStack(stack);
  const [restApiId, restApi] = Object.entries(template.findResources('AWS::ApiGateway::RestApi'))[0];
  const refs = { [restApiId]: API_ID };
  return { app, stack, api, template, restApi, refs, body: restApi.Properties.Body };
}

/** The statements of the policies attached to a role, with their intrinsics resolved. */
function roleStatements(template: Template, roleLogicalId: string, refs: { [id: string]: string }): StatementJson[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))
    .flatMap((p) => concrete(p.Properties.PolicyDocument.Statement, refs) as StatementJson[]);
}

describe('grantExecute to a role of the same account', () => {
  const { template, refs, restApi, body } = synth({}, (api, stack) => {
    const role = new iam.Role(stack, 'ReportReader', { assumedBy: new iam.AccountPrincipal(ACCOUNT) });
    api.grantExecute(role, 'getReport');
  });
  const roleId = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('ReportReader'))!;
  const statements = roleStatements(template, roleId, refs);

  it("allows execute-api:Invoke on exactly getReport's method ARN and denies the deeper IAM route it also matches", () => {
    expect(statements).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn('GET/reports/*') },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: methodArn('GET/reports/*/audit') },
    ]);
  });

  it('abuse: the principal granted getReport cannot invoke deleteReport, the audit route or any other IAM operation', () => {
    const outcome = (suffix: string): InvokeOutcome =>
      evaluateInvoke(
        undefined,
        { methodArn: methodArn(suffix), mechanism: 'iam', principal: OWN_ROLE, identityStatements: statements },
        REPORTS_API,
      );
    expect(outcome('GET/reports/42')).toBe('allow');
    expect(outcome('DELETE/reports/42')).toBe('implicitDeny');
    expect(outcome('GET/reports/42/audit')).toBe('explicitDeny');
    expect(outcome('POST/reports')).toBe('implicitDeny');
    expect(outcome('GET/files/a/owner')).toBe('implicitDeny');
  });

  it('leaves the API without a resource policy: nothing restricts callers and no other account is granted', () => {
    expect(restApi.Properties.Policy).toBeUndefined();
    expect(body['x-amazon-apigateway-policy']).toBeUndefined();
  });
});

describe('grantExecute to another account', () => {
  const setup = (props: Partial<SecureApiProps> = {}) =>
    synth(props, (api) => {
      api.grantExecute(new iam.AccountPrincipal('222222222222'), 'createReport', 'GET /reports/{reportId}');
    });
  const { stack, template, refs, restApi, body } = setup();
  const policy = concrete(restApi.Properties.Policy, refs) as PolicyJson;

  it('allows that account exactly those operations in the resource policy, in the body and on the RestApi alike', () => {
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Sid: 'AllowOperationsWithoutIam',
        Principal: '*',
        Resource: ['execute-api:/v1/GET/files/*', 'execute-api:/v1/GET/health', 'execute-api:/v1/GET/reports'],
        Condition: { Null: { 'aws:PrincipalAccount': 'true' } },
      }),
      ...PARTNER_GRANT_STATEMENTS,
    ]);
    expect(body['x-amazon-apigateway-policy']).toEqual(restApi.Properties.Policy);
    // No identity policy of ours: the other account's administrator writes that half.
    expect(
      template.findResources('AWS::IAM::Policy', { Properties: { PolicyDocument: { Statement: [{ Action: 'execute-api:Invoke' }] } } }),
    ).toEqual({});
  });

  it('abuse: the granted account reaches nothing else, and an account not granted reaches no IAM operation', () => {
    const outcome = (principal: SigningPrincipal, suffix: string) => evaluateInvoke(policy, signedRequest(principal, suffix), REPORTS_API);
    expect(outcome(PARTNER, 'POST/reports')).toBe('allow');
    expect(outcome(PARTNER, 'GET/reports/42')).toBe('allow');
    expect(outcome(PARTNER, 'DELETE/reports/42')).toBe('implicitDeny');
    expect(outcome(PARTNER, 'GET/reports/42/audit')).toBe('explicitDeny');
    expect(outcome(PARTNER, 'GET/files/a/owner')).toBe('implicitDeny');
    for (const suffix of ['POST/reports', 'GET/reports/42', 'DELETE/reports/42', 'GET/reports/42/audit', 'GET/files/a/owner'])
      expect([suffix, outcome(STRANGER, suffix)]).toEqual([suffix, 'implicitDeny']);
  });

  it('still serves the public and OAuth operations to everyone', () => {
    expect(evaluateInvoke(policy, { methodArn: methodArn('GET/health'), mechanism: 'none' }, REPORTS_API)).toBe('allow');
    expect(evaluateInvoke(policy, { methodArn: methodArn('GET/files/a'), mechanism: 'none' }, REPORTS_API)).toBe('allow');
    expect(
      evaluateInvoke(policy, { methodArn: methodArn('GET/reports'), mechanism: 'lambdaAuthorizer', authorizer: 'allow' }, REPORTS_API),
    ).toBe('allow');
  });

  it('is clean under the five cdk-nag packs, CloudFormation Validate and the Control Tower rules', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });

  it('redeploys the stage when a grant changes the policy', () => {
    const deployment = (t: Template) => Object.keys(t.findResources('AWS::ApiGateway::Deployment'))[0];
    const ungranted = synth();
    expect(deployment(template)).not.toEqual(deployment(ungranted.template));
  });
});

describe('grantExecute with the caller restrictions', () => {
  const evaluateAll = (policy: unknown, sources: Array<{ sourceIp?: string; sourceVpce?: string }>) =>
    sources.map((source) => ({
      partnerCreates: evaluateInvoke(policy, signedRequest(PARTNER, 'POST/reports', source), REPORTS_API),
      partnerDeletes: evaluateInvoke(policy, signedRequest(PARTNER, 'DELETE/reports/1', source), REPORTS_API),
      strangerCreates: evaluateInvoke(policy, signedRequest(STRANGER, 'POST/reports', source), REPORTS_API),
      ownRoleCreates: evaluateInvoke(policy, signedRequest(OWN_ROLE, 'POST/reports', source), REPORTS_API),
      publicHealth: evaluateInvoke(policy, { methodArn: methodArn('GET/health'), mechanism: 'none', ...source }, REPORTS_API),
      jwtList: evaluateInvoke(
        policy,
        { methodArn: methodArn('GET/reports'), mechanism: 'lambdaAuthorizer', authorizer: 'allow', ...source },
        REPORTS_API,
      ),
    }));
  const grant = (api: SecureApi) => api.grantExecute(new iam.AccountPrincipal('222222222222'), 'createReport');
  /** From an allowed source, the grant decides: the partner creates only, the API's own account and the public routes are served. */
  const fromAllowedSource = {
    partnerCreates: 'allow',
    partnerDeletes: 'implicitDeny',
    strangerCreates: 'implicitDeny',
    ownRoleCreates: 'allow',
    publicHealth: 'allow',
    jwtList: 'allow',
  };

  it('abuse: source IP rules still deny everyone else, the granted account included', () => {
    const { restApi, refs } = synth({ resourcePolicy: { allowedSourceIps: ['203.0.113.0/24'] } }, grant);
    const [inside, outside] = evaluateAll(concrete(restApi.Properties.Policy, refs), [
      { sourceIp: '203.0.113.9' },
      { sourceIp: '198.51.100.9' },
    ]);
    expect(inside).toEqual(fromAllowedSource);
    expect(Object.values(outside).every((o) => o === 'explicitDeny')).toBe(true);
  });

  it('abuse: VPC endpoint rules of a PRIVATE API still deny every other endpoint', () => {
    const { restApi, refs, stack } = synth(
      { endpointType: apigw.EndpointType.PRIVATE, resourcePolicy: { allowedVpcEndpoints: ['vpce-0123456789abcdef0'] } },
      grant,
    );
    const [inside, outside] = evaluateAll(concrete(restApi.Properties.Policy, refs), [
      { sourceVpce: 'vpce-0123456789abcdef0' },
      { sourceVpce: 'vpce-99999999' },
    ]);
    expect(inside).toEqual(fromAllowedSource);
    expect(Object.values(outside).every((o) => o === 'explicitDeny')).toBe(true);
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('the resource policy with a native Cognito authorizer beside IAM', () => {
  it('allows the Cognito operations explicitly (they need it once a policy exists) and still keeps other accounts off the IAM one', () => {
    const app = new App();
    const stack = new Stack(app, 'Profiles', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_AbCdEf123`);
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromFile(join(__dirname, '..', 'fixtures', 'auth', 'mixed-api.yaml')),
      defaultIntegration: OperationIntegration.mock(),
      excludeOperations: ['listOrders', 'listPartnerOrders', 'createPartnerOrder', 'deletePartnerOrder'],
      auth: Auth.schemes({ pool: Auth.cognitoUserPool(pool) }),
      resourcePolicy: { allowedSourceIps: ['203.0.113.0/24'] },
    });
    const template = Template.fromStack(stack);
    const [restApiId, restApi] = Object.entries(template.findResources('AWS::ApiGateway::RestApi'))[0];
    const policy = concrete(restApi.Properties.Policy, { [restApiId]: API_ID }) as PolicyJson;
    const source = { sourceIp: '203.0.113.9' };
    const profile = (validToken: boolean) =>
      evaluateInvoke(policy, { methodArn: methodArn('GET/profile'), mechanism: 'cognitoUserPools', validToken, ...source }, REPORTS_API);
    expect(profile(true)).toBe('allow');
    expect(profile(false)).toBe('implicitDeny');
    expect(evaluateInvoke(policy, { methodArn: methodArn('GET/health'), mechanism: 'none', ...source }, REPORTS_API)).toBe('allow');
    const report = (principal: SigningPrincipal) => evaluateInvoke(policy, signedRequest(principal, 'GET/reports/7', source), REPORTS_API);
    expect(report(OWN_ROLE)).toBe('allow');
    expect(report(STRANGER)).toBe('implicitDeny');
  });
});

describe('grantExecute refuses', () => {
  const api = () => synth().api;
  const reader = (a: SecureApi) => new iam.Role(Stack.of(a), 'Reader', { assumedBy: new iam.AccountPrincipal(ACCOUNT) });

  it('an operation the document does not define, naming it', () => {
    const a = api();
    const role = reader(a);
    expect(() => a.grantExecute(role, 'getReport', 'getReprot')).toThrow(
      "SecureApi 'Reports/Api': grantExecute names operation(s) the document does not define: 'getReprot'",
    );
    // Route keys name the path as the document writes it.
    expect(() => a.grantExecute(role, 'GET /reports/{id}')).toThrow("the document does not define: 'GET /reports/{id}'");
    expect(a.grantExecute(role, 'GET /reports/{reportId}').success).toBe(true);
  });

  it('an operation IAM does not authorize, and a grant of nothing', () => {
    const a = api();
    const role = reader(a);
    expect(() => a.grantExecute(role, 'listReports')).toThrow(
      "SecureApi 'Reports/Api': grantExecute names operation 'listReports' (GET /reports), which is not authorized by IAM (a Lambda authorizer decides)",
    );
    expect(() => a.grantExecute(role, 'getHealth')).toThrow('(it has no authorizer)');
    expect(() => a.grantExecute(role)).toThrow('grantExecute names no operation');
  });

  it('a principal of this account it cannot give a policy', () => {
    const a = api();
    expect(() => a.grantExecute(new iam.AccountRootPrincipal(), 'getReport')).toThrow(
      "SecureApi 'Reports/Api': grantExecute cannot add the permission to",
    );
  });

  it('a cross-account grant once the body, which carries the policy, went to S3', () => {
    const { api: a } = synth({ bodyPlacement: BodyPlacement.s3() });
    expect(() => a.grantExecute(new iam.AccountPrincipal('222222222222'), 'getReport')).toThrow(
      "SecureApi 'Reports/Api': grantExecute to account 222222222222 needs the API's resource policy, but the API body (which carries it) was published to S3",
    );
  });
});
