import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { buildDemoApp } from '../../bin/demo';
import { arnMatches } from '../../lib/access/execute-api-arn';
import { Auth, DocsAccess, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { concrete, StatementJson } from './support/concrete';

/**
 * Wherever SecureApi creates a role or a policy, nothing gets `execute-api:Invoke` on `*`: every identity
 * policy statement that allows invoking names method ARNs with a literal method (so never a whole API, stage
 * or every method), and every resource policy Allow of `Principal: *` is on routes without IAM.
 */
const ANY_API = 'arn:aws:execute-api:eu-west-1:111111111111:abc123';

function invokeAllows(template: Template): Array<{ where: string; resource: string }> {
  const refs = Object.fromEntries(Object.keys(template.toJSON().Resources).map((id) => [id, id === restApiId(template) ? 'abc123' : id]));
  const found: Array<{ where: string; resource: string }> = [];
  const scan = (where: string, document: { Statement?: unknown }) => {
    for (const statement of concrete([document.Statement ?? []].flat(), refs) as StatementJson[]) {
      const actions = [statement.Action].flat();
      // An action pattern (`execute-api:*`, `*`) that matches execute-api:Invoke grants it.
      if (statement.Effect !== 'Allow' || !actions.some((a: string) => arnMatches(a.toLowerCase(), 'execute-api:invoke'))) continue;
      for (const resource of [statement.Resource].flat()) found.push({ where, resource: String(resource) });
    }
  };
  const resources = template.toJSON().Resources as {
    [id: string]: {
      Type: string;
      Properties: { PolicyDocument: { Statement?: unknown }; Policies?: Array<{ PolicyDocument: { Statement?: unknown } }> };
    };
  };
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') scan(id, resource.Properties.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role') for (const policy of resource.Properties.Policies ?? []) scan(id, policy.PolicyDocument);
  }
  return found;
}

function restApiId(template: Template): string {
  return Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0];
}

/** A resource that could reach a whole API, stage or every method: `*`, or a wildcard where the method goes. */
function tooWide(resource: string): boolean {
  return (
    resource === '*' || !/^arn:aws:execute-api:[^:*]+:\d{12}:[^/*]+\/[^/*]+\/(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\//.test(resource)
  );
}

describe('no role or policy SecureApi creates gets execute-api:Invoke on *', () => {
  it('holds for an API with IAM operations, the JWT authorizer, the docs route, the WAF and grants to roles', () => {
    const app = new App();
    const stack = new Stack(app, 'Reports', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromFile(join(__dirname, '..', 'fixtures', 'access', 'reports-iam.yaml')),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: 'https://idp.example.com/realms/reports', audience: ['https://reports.example.com'] }),
      docs: { access: DocsAccess.authorizer() },
    });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountPrincipal('111111111111') });
    api.grantExecute(reader, 'getReport', 'getFileOwner');
    api.grantExecute(new iam.AccountPrincipal('222222222222'), 'createReport');
    const template = Template.fromStack(stack);
    const allows = invokeAllows(template);
    expect(allows.map((a) => a.resource).sort()).toEqual([`${ANY_API}/v1/GET/files/*/owner`, `${ANY_API}/v1/GET/reports/*`]);
    expect(allows.filter((a) => tooWide(a.resource))).toEqual([]);
  });

  it('holds for the demo app', () => {
    const template = Template.fromStack(buildDemoApp(new App(), false));
    expect(invokeAllows(template).filter((a) => tooWide(a.resource))).toEqual([]);
  });

  it('would catch a wildcard grant (the check can fail)', () => {
    expect(tooWide('*')).toBe(true);
    expect(tooWide(`${ANY_API}/*`)).toBe(true);
    expect(tooWide(`${ANY_API}/v1/*`)).toBe(true);
    expect(tooWide(`${ANY_API}/v1/*/reports`)).toBe(true);
    expect(tooWide(`${ANY_API}/v1/GET/reports/*`)).toBe(false);
  });
});
