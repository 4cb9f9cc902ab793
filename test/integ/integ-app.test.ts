// The integration test app (integ/integ.secure-api.ts) synthesizes: the SecureApi stack and the assertion
// stack with one assertion per case, and no secret in either template (the probe reads them at run time).
// Deploying it needs an AWS account (README: "Integration tests on an AWS account").
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildSecureApiInteg } from '../../integ/integ.secure-api';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const root = path.join(__dirname, '..', '..');

describe('integration test app', () => {
  let out: string;
  let templates: Record<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-api-integ-'));
    const result = spawnSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'integ/integ.secure-api.ts'], {
      cwd: root,
      env: { ...process.env, CDK_OUTDIR: out },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`the integ app failed to synthesize:\n${result.stderr}`);
    templates = Object.fromEntries(
      fs
        .readdirSync(out)
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => [f.replace(/\.template\.json$/, ''), JSON.parse(fs.readFileSync(path.join(out, f), 'utf8'))]),
    );
  }, 240_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('synthesizes the SecureApi stack with Cognito and an API key consumer, and the assertions', () => {
    const names = Object.keys(templates).sort();
    expect(names).toEqual(['SecureApiInteg', expect.stringMatching(/^SecureApiIntegTestDefaultTestDeployAssert/)]);
    const types = Object.values(templates.SecureApiInteg.Resources).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::ApiGateway::RestApi',
        'AWS::Cognito::UserPool',
        'AWS::Cognito::UserPoolClient',
        'AWS::WAFv2::WebACL',
        'AWS::SecretsManager::RotationSchedule',
      ]),
    );
    // 16 cases: 6 HTTP calls (no token, forged token, SQL injection, 17 KB body, docs, unsigned call to the IAM
    // operation), 8 probe invocations (missing scope, valid token, invalid body, undeclared Content-Type, burst,
    // key rotation, a SigV4 call from the probe's role, a valid OAuth token at the IAM operation) and 2 API Gateway
    // reads (the imported cache key, the stage's cache invalidation settings), each with its expectation.
    const calls = Object.values(templates[names[1]].Resources).filter((r) => /^Custom::DeployAssert@(HttpCall|SdkCall)/.test(r.Type));
    expect(calls.map((c) => c.Type).sort()).toEqual([
      ...Array(6).fill('Custom::DeployAssert@HttpCall'),
      'Custom::DeployAssert@SdkCallAPIGatewaygetResources',
      'Custom::DeployAssert@SdkCallAPIGatewaygetStage',
      ...Array(8).fill('Custom::DeployAssert@SdkCallLambdainvoke'),
    ]);
    expect(calls.every((c) => typeof c.Properties?.expected === 'string')).toBe(true);
  });

  it('caches listPets keyed on the Authorization header it declares, whose survival of the import the assertions check', () => {
    const restApi = Object.values(templates.SecureApiInteg.Resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi')!;
    const get = ((restApi.Properties!.Body as { paths: Record<string, Record<string, any>> }).paths['/pets'] ?? {}).get;
    expect(get['x-amazon-apigateway-integration'].cacheKeyParameters).toEqual(['method.request.header.Authorization']);
    expect(get.parameters).toContainEqual({ name: 'Authorization', in: 'header', required: false, schema: { type: 'string' } });
    const stage = Object.values(templates.SecureApiInteg.Resources).find((r) => r.Type === 'AWS::ApiGateway::Stage')!;
    expect(stage.Properties!.MethodSettings).toContainEqual(
      expect.objectContaining({ ResourcePath: '/~1pets', HttpMethod: 'GET', CachingEnabled: true, CacheDataEncrypted: true }),
    );
    const assertions = JSON.stringify(Object.entries(templates).filter(([name]) => name !== 'SecureApiInteg'));
    expect(assertions).toContain('method.request.header.Authorization');
    expect(assertions).toContain('SUCCEED_WITH_RESPONSE_HEADER');
  });

  it('puts no secret in a template: the probe gets ids and ARNs, never a key or client secret', () => {
    const probe = Object.values(templates.SecureApiInteg.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('KEY_SECRET_ARN'),
    );
    const variables = (probe!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables).sort()).toEqual(['API_URL', 'CLIENT_ID', 'KEY_SECRET_ARN', 'TOKEN_URL', 'USER_POOL_ID']);
    const all = JSON.stringify(templates);
    // The consumer's secret is generated by Secrets Manager (GenerateSecretString); no value is written anywhere.
    expect(all).not.toMatch(/"SecretString"\s*:|ClientSecret|"x-api-key"\s*:\s*"[A-Za-z0-9]{20,}"/);
  });

  it('gives no CloudFormation Validate, Control Tower or cdk-nag finding in the whole app', () => {
    // Nothing filtered: the backend, the probe, their roles and log groups, and the assertion stack count as much as
    // the SecureApi. The stack is environment-agnostic, as integ-runner deploys it.
    const { stack } = buildSecureApiInteg(new App());
    expect(templateFindings(stack)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });
});
