import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { ORIGIN_SECRET_ROTATION_ENV, ORIGIN_VERIFY_HEADER } from '../../contracts/origin-secret-rotation';
import { ApiModel, evaluateSecurityHub } from '../../lib/report';

const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1' },
  paths: { '/pets': { get: { operationId: 'listPets', security: [], responses: { '200': { description: 'ok' } } } } },
};

function synth(props: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
  });
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(DOCUMENT),
    defaultIntegration: OperationIntegration.mock(),
    domain: { name: 'api.example.com', hostedZone },
    edge: {},
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

function only(template: Template, type: string): [string, any] {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

function rotationFunction(template: Template): [string, any] {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, f]) => f.Properties.Environment?.Variables?.[ORIGIN_SECRET_ROTATION_ENV.distributionId] !== undefined,
  );
  expect(found).toHaveLength(1);
  return found[0];
}

function policyOf(template: Template, functionResource: any): any[] {
  const role = functionResource.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === role))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('automatic rotation of the origin secret', () => {
  const { template } = synth();
  const [secretId] = only(template, 'AWS::SecretsManager::Secret');
  const [distributionId] = only(template, 'AWS::CloudFront::Distribution');
  const webAcls = Object.entries(template.findResources('AWS::WAFv2::WebACL'));
  const [regionalWebAclId] = webAcls.find(([, w]) => w.Properties.Scope === 'REGIONAL')!;
  const [functionId, fn] = rotationFunction(template);

  it('rotates the origin secret every 30 days by default, the first time one period after deployment', () => {
    const [, schedule] = only(template, 'AWS::SecretsManager::RotationSchedule');
    expect(schedule.Properties).toEqual({
      SecretId: { Ref: secretId },
      RotationLambdaARN: { 'Fn::GetAtt': [functionId, 'Arn'] },
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediatelyOnUpdate: false,
    });
  });

  it('tells the function which secret, distribution and regional web ACL to rotate, by reference', () => {
    expect(fn.Properties.Environment.Variables).toEqual({
      [ORIGIN_SECRET_ROTATION_ENV.secretArn]: { Ref: secretId },
      [ORIGIN_SECRET_ROTATION_ENV.distributionId]: { Ref: distributionId },
      [ORIGIN_SECRET_ROTATION_ENV.webAclArn]: { 'Fn::GetAtt': [regionalWebAclId, 'Arn'] },
      [ORIGIN_SECRET_ROTATION_ENV.wafPropagationSeconds]: '120',
    });
    expect(fn.Properties.Timeout).toBe(900);
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('lets only Secrets Manager invoke it, for this secret, from this account', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '111111111111',
      SourceArn: { Ref: secretId },
    });
  });

  it('cannot touch another secret, distribution or web ACL: each statement names this front’s own resources', () => {
    const statements = policyOf(template, fn).filter((s) => !JSON.stringify(s.Action).match(/xray:|logs:/));
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    // No IP set without auth or lists: no statement for referenced resources either.
    expect(Object.keys(bySid).sort()).toEqual([
      'SecretEncryptionThroughSecretsManager',
      'TheFrontsOriginHeader',
      'TheWebAclsOriginRule',
      'ThisOriginSecret',
    ]);
    expect(bySid.ThisOriginSecret.Resource).toEqual({ Ref: secretId });
    expect(bySid.ThisOriginSecret.Action).not.toContain('secretsmanager:ListSecrets');
    expect(bySid.TheWebAclsOriginRule).toMatchObject({
      Action: ['wafv2:GetWebACL', 'wafv2:UpdateWebACL'],
      Resource: { 'Fn::GetAtt': [regionalWebAclId, 'Arn'] },
    });
    expect(bySid.TheFrontsOriginHeader.Resource).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }],
      ],
    });
    expect(bySid.SecretEncryptionThroughSecretsManager.Condition.StringEquals['kms:EncryptionContext:SecretARN']).toEqual({
      Ref: secretId,
    });
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toContain('*');
  });

  it('may reference, in the rules it rewrites, exactly the IP sets the web ACL references, and change none of them', () => {
    const { template } = synth({ waf: { ipBlockList: ['192.0.2.0/24', '2001:db8::/32'] } });
    const [, fn] = rotationFunction(template);
    const statement = policyOf(template, fn).find((s) => s.Sid === 'ResourcesTheWebAclReferences');
    const ipSets = Object.keys(template.findResources('AWS::WAFv2::IPSet')).sort();
    expect(ipSets.length).toBeGreaterThan(0);
    expect(statement.Action).toBe('wafv2:UpdateWebACL');
    expect(statement.Resource.map((r: any) => r['Fn::GetAtt'][0]).sort()).toEqual(ipSets);
    expect(JSON.stringify(policyOf(template, fn))).not.toContain('wafv2:UpdateIPSet');
  });

  it('keeps the origin secret out of the regional web ACL’s sampled requests, which every request through the front carries it in', () => {
    const [, webAcl] = webAcls.find(([, w]) => w.Properties.Scope === 'REGIONAL')!;
    expect(webAcl.Properties.DataProtectionConfig.DataProtections).toContainEqual({
      Field: { FieldType: 'SINGLE_HEADER', FieldKeys: [ORIGIN_VERIFY_HEADER] },
      Action: 'SUBSTITUTION',
    });
  });

  it('alarms when a rotation step fails', () => {
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((id) => id.includes('OriginSecretRotationFunctionErrorRate'))).toHaveLength(1);
  });

  it('needs no acknowledgment of the rotation findings any more', () => {
    const [, secret] = only(template, 'AWS::SecretsManager::Secret');
    expect(JSON.stringify(secret.Metadata ?? {})).not.toContain('SMG4');
  });
});

describe('origin secret rotation options', () => {
  it('rotates on the period given, in whole days', () => {
    const { template } = synth({ edge: { originSecretRotationPeriod: Duration.days(7) } });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { AutomaticallyAfterDays: 7 } });
  });

  it.each([
    [Duration.hours(36), 'must be a whole number of days from 1 to 1000'],
    [Duration.days(0), 'must be a whole number of days from 1 to 1000'],
    [Duration.days(1001), 'must be a whole number of days from 1 to 1000'],
    [Duration.millis(1500), 'must be a whole number of seconds'],
  ])('rejects a rotation period of %s, naming the prop', (period, problem) => {
    expect(() => synth({ edge: { originSecretRotationPeriod: period } })).toThrow(
      `SecureApi 'Test/Api': edge.originSecretRotationPeriod ${problem}`,
    );
  });

  it('refuses a pinned version with automatic rotation, which a later deployment would put back', () => {
    expect(() => synth({ edge: { originSecretVersionId: 'v1' } })).toThrow(
      "SecureApi 'Test/Api': edge.originSecretVersionId pins a version of the origin secret, which automatic rotation replaces",
    );
    expect(() => synth({ edge: { previousOriginSecretVersionId: 'v0' } })).toThrow(
      "SecureApi 'Test/Api': edge.previousOriginSecretVersionId pins a version of the origin secret",
    );
  });

  it('refuses a rotation period with rotation turned off', () => {
    expect(() => synth({ edge: { rotateOriginSecret: false, originSecretRotationPeriod: Duration.days(7) } })).toThrow(
      "SecureApi 'Test/Api': edge.originSecretRotationPeriod applies to automatic rotation, which edge.rotateOriginSecret: false turns off",
    );
  });

  it('warns when rotation is turned off, and then creates no rotation function or schedule', () => {
    const { stack, template } = synth({ edge: { rotateOriginSecret: false } });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(
      Object.values(template.findResources('AWS::Lambda::Function')).some(
        (f: any) => f.Properties.Environment?.Variables?.[ORIGIN_SECRET_ROTATION_ENV.distributionId] !== undefined,
      ),
    ).toBe(false);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-secure-api:origin-secret-rotation-off'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('a value a backend logged keeps opening the API until you rotate it by hand');
  });

  it('is what the security report judges: Security Hub SecretsManager.1 passes with rotation and fails without it', () => {
    const originSecretRotation = (template: Template) => {
      const json = template.toJSON();
      const model = { template: json, owned: new Set(Object.keys(json.Resources)) } as unknown as ApiModel;
      return evaluateSecurityHub(model).find((f) => f.id === 'SecretsManager.1')!;
    };
    const rotated = originSecretRotation(synth().template);
    expect(rotated.status).toBe('pass');
    expect(rotated.resources.map((r) => r.evidence)).toEqual([expect.stringContaining('RotationRules = {"AutomaticallyAfterDays":30}')]);
    const byHand = originSecretRotation(synth({ edge: { rotateOriginSecret: false } }).template);
    expect(byHand.status).toBe('fail');
    expect(byHand.resources[0].evidence).toBe('AWS::SecretsManager::RotationSchedule (none refers to this secret)');
  });

  it('creates no rotation without the front', () => {
    const app = new App();
    const stack = new Stack(app, 'Plain', { env: { account: '111111111111', region: 'us-east-1' } });
    new SecureApi(stack, 'Api', { openApi: OpenApi.fromObject(DOCUMENT), defaultIntegration: OperationIntegration.mock() });
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });
});
