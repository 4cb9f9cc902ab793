import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  KEY_OWNER_TAG,
  KEY_ROTATION_ENV,
  parseUsageIdentifierMapping,
  RETIRE_KEYS_EVENT,
  USAGE_IDENTIFIER_ENV,
} from '../../contracts/api-keys';
import {
  ApiKeysOptions,
  ApiKeySource,
  Auth,
  DocsAccess,
  JwtIssuer,
  OpenApi,
  OperationIntegration,
  SecureApi,
  SecureApiProps,
} from '../../lib';
import { SecureApiConfigError } from '../../lib/model/config-error';
import { validateApiKeysOptions } from '../../lib/keys';
import { ApiOperation } from '../../lib/model';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { findKeyMaterial } from './key-material';

/** A document whose operations declare an apiKey header scheme, plus a public and an undeclared one. */
function document(): Record<string, unknown> {
  const ok = { '200': { description: 'ok' } };
  const keyed = [{ PartnerKey: [] }];
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1' },
    components: { securitySchemes: { PartnerKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    paths: {
      '/health': { get: { operationId: 'getHealth', security: [], responses: ok } },
      '/pets': {
        get: { operationId: 'listPets', security: keyed, responses: ok },
        post: {
          operationId: 'createPet',
          security: keyed,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } },
          },
          responses: ok,
        },
      },
      '/pets/{petId}': {
        get: {
          operationId: 'getPet',
          parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: ok,
        },
      },
    },
  };
}

const TIERS: ApiKeysOptions['tiers'] = [
  { name: 'free', throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: apigw.Period.DAY } },
  {
    name: 'partner',
    throttle: { rateLimit: 50, burstLimit: 100 },
    quota: { limit: 100_000, period: apigw.Period.MONTH, offset: 1 },
    operationThrottles: { createPet: { rateLimit: 5, burstLimit: 10 } },
  },
];

function synth(apiKeys: (stack: Stack) => ApiKeysOptions, extra: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document()),
    defaultIntegration: OperationIntegration.mock(),
    apiKeys: apiKeys(stack),
    ...extra,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

function partnerReader(stack: Stack): iam.Role {
  return new iam.Role(stack, 'PartnerAppRole', { assumedBy: new iam.AccountPrincipal('222222222222') });
}

const DEFAULT_OPTIONS = (stack: Stack): ApiKeysOptions => ({
  tiers: TIERS,
  consumers: [
    { id: 'partner-a', tier: 'partner', readers: [partnerReader(stack)] },
    { id: 'hobbyist', tier: 'free', rotation: { period: Duration.days(30), gracePeriod: Duration.days(3) } },
  ],
});

function body(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

function logicalIdOf(template: Template, type: string, predicate: (resource: any) => boolean): string {
  const found = Object.entries(template.findResources(type)).filter(([, r]) => predicate(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][0];
}

describe('API keys: usage plans, keys and rotation', () => {
  const { stack, api, template } = synth(DEFAULT_OPTIONS);
  const imported = body(template);
  const secretOf = (consumer: string) =>
    logicalIdOf(template, 'AWS::SecretsManager::Secret', (r) => r.Properties.Description.includes(`'${consumer}'`));
  const planOf = (tier: string) =>
    logicalIdOf(template, 'AWS::ApiGateway::UsagePlan', (r) => r.Properties.UsagePlanName.endsWith(`-${tier}`));
  const functionOf = (consumer: string) =>
    logicalIdOf(template, 'AWS::Lambda::Function', (r) => r.Properties.Environment?.Variables?.[KEY_ROTATION_ENV.consumerId] === consumer);

  it('creates one usage plan per tier on the API stage, with the tier throttle and quota', () => {
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: Match.stringLikeRegexp('-free$'),
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'DAY', Offset: 0 },
      ApiStages: [
        {
          ApiId: { Ref: Match.stringLikeRegexp('^Api') },
          Stage: { Ref: Match.stringLikeRegexp('DeploymentStage') },
          Throttle: Match.absent(),
        },
      ],
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: Match.stringLikeRegexp('-partner$'),
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 100000, Period: 'MONTH', Offset: 1 },
    });
  });

  it('throttles single operations of a tier, keyed by API Gateway path and method', () => {
    const plan = template.toJSON().Resources[planOf('partner')];
    expect(plan.Properties.ApiStages[0].Throttle).toEqual({ '/pets/POST': { RateLimit: 5, BurstLimit: 10 } });
    expect(plan.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/DeploymentStage/)]));
  });

  it('requires a key on exactly the operations whose security names the apiKey header scheme', () => {
    expect(imported.paths['/pets'].get.security).toEqual([{ api_key: [] }]);
    expect(imported.paths['/pets'].post.security).toEqual([{ api_key: [] }]);
    expect(imported.paths['/pets/{petId}'].get.security).toBeUndefined(); // no requirement: API Gateway checks no key
    expect(imported.paths['/health'].get.security).toBeUndefined();
    expect(imported.components.securitySchemes).toEqual({ api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } });
    expect(imported['x-amazon-apigateway-api-key-source']).toBe('HEADER');
  });

  it('creates no API key resource and no key value in the template: keys come from the rotation function', () => {
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 0);
    for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).not.toHaveProperty('apiKey');
    }
    // The only output is the API endpoint that SpecRestApi adds.
    expect(Object.keys(template.toJSON().Outputs ?? {})).toEqual([expect.stringMatching(/^ApiEndpoint/)]);
    expect(findKeyMaterial(template.toJSON())).toEqual([]);
  });

  it('encrypts each consumer secret with a customer-managed key that rotates', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('API key secrets') });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', (r) => r.Properties.Description.includes('API key secrets'));
    for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });

  it('rotates each consumer key on its own schedule with its own function, starting right after deploy', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: secretOf('partner-a') },
      RotationLambdaARN: { 'Fn::GetAtt': [functionOf('partner-a'), 'Arn'] },
      RotationRules: { AutomaticallyAfterDays: 90 },
      RotateImmediatelyOnUpdate: true,
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: secretOf('hobbyist') },
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [KEY_ROTATION_ENV.secretArn]: { Ref: secretOf('hobbyist') },
          [KEY_ROTATION_ENV.usagePlanId]: { Ref: planOf('free') },
          [KEY_ROTATION_ENV.gracePeriodSeconds]: String(3 * 86400),
          [KEY_ROTATION_ENV.deleteAfterSeconds]: String(7 * 86400),
        }),
      },
    });
  });

  it('lets only Secrets Manager, for this consumer secret, invoke the rotation function', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionOf('partner-a'), 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: { Ref: secretOf('partner-a') },
      SourceAccount: '111111111111',
    });
  });

  it('hardens the rotation function: current runtime, tracing, reserved concurrency, a dead-letter queue, a timeout for back-off', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [KEY_ROTATION_ENV.consumerId]: 'partner-a' }) },
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 2,
      Timeout: 300,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RotationDeadLetters'), 'Arn'] } },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('sweeps superseded keys hourly, with failed deliveries going to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionOf('partner-a'), 'Arn'] },
          Input: JSON.stringify(RETIRE_KEYS_EVENT),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RotationDeadLetters'), 'Arn'] } },
        }),
      ],
    });
  });

  it('deletes a consumer keys when the consumer is removed, through a custom resource served by its function', () => {
    template.hasResource('Custom::SecureApiConsumerKeys', {
      Properties: { ServiceToken: { 'Fn::GetAtt': [functionOf('hobbyist'), 'Arn'] }, ConsumerId: 'hobbyist' },
    });
  });

  it('scopes the rotation function to its own secret, its own keys (owner tag) and its own usage plan', () => {
    const fn = template.toJSON().Resources[functionOf('partner-a')];
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) =>
      p.Properties.Roles?.some((r: any) => r.Ref === roleId),
    );
    expect(policies).toHaveLength(1);
    const statements: any[] = (policies[0] as any).Properties.PolicyDocument.Statement;
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    const secret = { Ref: secretOf('partner-a') };
    expect(bySid('ThisConsumersSecret').Resource).toEqual(secret);
    expect(bySid('KeyRegistryOnTheSecret')).toMatchObject({
      Action: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
      Resource: secret,
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['secureapi:key:*', 'secureapi:superseded:*'] } },
    });
    expect(bySid('SecretEncryptionThroughSecretsManager').Condition.StringEquals['kms:EncryptionContext:SecretARN']).toEqual(secret);
    expect(bySid('CreateOwnedKeys').Condition.StringEquals).toEqual({ [`aws:RequestTag/${KEY_OWNER_TAG}`]: secret });
    expect([...bySid('ManageOwnedKeys').Action].sort()).toEqual(['apigateway:DELETE', 'apigateway:GET', 'apigateway:PATCH']);
    expect(bySid('ManageOwnedKeys').Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${KEY_OWNER_TAG}`]: secret } });
    expect(JSON.stringify(bySid('AttachToThisConsumersPlan').Resource)).toContain(planOf('partner'));
    expect(JSON.stringify(bySid('AttachToThisConsumersPlan').Resource)).not.toContain(planOf('free'));
    const text = JSON.stringify(statements);
    expect(text).not.toContain(secretOf('hobbyist'));
    expect(text).not.toContain('GetRandomPassword');
    const wildcard = statements.filter((s) => s.Resource === '*');
    expect(wildcard.flatMap((s) => [s.Action].flat()).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  describe("one consumer's rotation role cannot read another consumer's key value (issue 13 #10)", () => {
    /** Renders a synthesized value: pseudo parameters as in eu-west-1, other Refs as <LogicalId>. */
    const render = (value: any): any => {
      if (typeof value === 'string') return value;
      if (Array.isArray(value)) return value.map(render);
      if (value?.Ref === 'AWS::Partition') return 'aws';
      if (value?.Ref !== undefined) return `<${value.Ref}>`;
      if (value?.['Fn::Join'] !== undefined) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
      if (value?.['Fn::GetAtt'] !== undefined) return `<${value['Fn::GetAtt'].join('.')}>`;
      if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]));
      return value;
    };
    const glob = (pattern: string, text: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(text);
    const anyOf = (patterns: string | string[], text: string) => [patterns].flat().some((p) => glob(p, text));
    /** IAM's evaluation of identity-policy Allow statements (no Deny in these policies): action, resource, and the conditions they use. */
    function allows(statements: any[], action: string, resource: string, context: { [key: string]: string | string[] }): boolean {
      return statements.some((st) => {
        if (st.Effect !== 'Allow' || !anyOf(st.Action, action) || !anyOf(st.Resource, resource)) return false;
        return Object.entries(st.Condition ?? {}).every(([operator, tests]) =>
          Object.entries(tests as object).every(([key, expected]) => {
            const actual = context[key];
            if (actual === undefined) return operator.startsWith('ForAllValues:');
            const match = operator.endsWith('StringLike') ? anyOf : (e: string | string[], v: string) => [e].flat().includes(v);
            return [actual].flat().every((v) => match(expected as string | string[], v));
          }),
        );
      });
    }
    const statementsOf = (consumer: string): any[] => {
      const fn = template.toJSON().Resources[functionOf(consumer)];
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      const policy: any = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p: any) =>
        p.Properties.Roles?.some((r: any) => r.Ref === roleId),
      );
      return render(policy.Properties.PolicyDocument.Statement);
    };
    const arn = (path: string) => `arn:aws:apigateway:eu-west-1::${path}`;
    const owner = (consumer: string) => ({ [`aws:ResourceTag/${KEY_OWNER_TAG}`]: `<${secretOf(consumer)}>` });

    it('cannot list the account keys (GetApiKeys with includeValues=true returns every value)', () => {
      expect(allows(statementsOf('partner-a'), 'apigateway:GET', arn('/apikeys'), {})).toBe(false);
    });

    it("cannot read another consumer's key by its id, but can read its own", () => {
      expect(allows(statementsOf('partner-a'), 'apigateway:GET', arn('/apikeys/hobbykey01'), owner('hobbyist'))).toBe(false);
      expect(allows(statementsOf('partner-a'), 'apigateway:GET', arn('/apikeys/partnerk01'), owner('partner-a'))).toBe(true);
    });

    it("cannot list its tier's usage plan keys (GetUsagePlanKeys returns the value of every key in the plan)", () => {
      expect(allows(statementsOf('partner-a'), 'apigateway:GET', arn(`/usageplans/<${planOf('partner')}>/keys`), {})).toBe(false);
      expect(allows(statementsOf('partner-a'), 'apigateway:POST', arn(`/usageplans/<${planOf('partner')}>/keys`), {})).toBe(true);
    });

    it("cannot read a same-tier consumer's key value through the shared usage plan (GetUsagePlanKey by id)", () => {
      expect(allows(statementsOf('partner-a'), 'apigateway:GET', arn(`/usageplans/<${planOf('partner')}>/keys/otherkey01`), {})).toBe(
        false,
      );
      expect(allows(statementsOf('partner-a'), 'apigateway:GET', arn('/usageplans'), {})).toBe(true); // GetUsagePlans: plans, no values
    });

    it('may tag its secret only with the registry and supersession tag keys', () => {
      const secret = `<${secretOf('partner-a')}>`;
      expect(allows(statementsOf('partner-a'), 'secretsmanager:TagResource', secret, { 'aws:TagKeys': ['secureapi:key:v2'] })).toBe(true);
      expect(allows(statementsOf('partner-a'), 'secretsmanager:TagResource', secret, { 'aws:TagKeys': ['secureapi:key-owner'] })).toBe(
        false,
      );
      expect(
        allows(statementsOf('partner-a'), 'secretsmanager:TagResource', `<${secretOf('hobbyist')}>`, {
          'aws:TagKeys': ['secureapi:key:v2'],
        }),
      ).toBe(false);
    });
  });

  it('grants read access to a consumer key only to the principals given for that consumer', () => {
    const readerPolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      JSON.stringify(p.Properties.Roles ?? []).includes('PartnerAppRole'),
    );
    expect(readerPolicies).toHaveLength(1);
    const statements: any[] = (readerPolicies[0] as any).Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: { Ref: secretOf('partner-a') },
      }),
    );
    expect(JSON.stringify(statements)).not.toContain(secretOf('hobbyist'));
  });

  it('grantRead adds a reader later; an unknown consumer is an error naming the declared ones', () => {
    const role = new iam.Role(stack, 'LateReader', { assumedBy: new iam.AccountPrincipal('333333333333') });
    api.apiKeys!.grantRead('hobbyist', role);
    const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy;
    expect(JSON.stringify(stack.resolve(policy.document))).toContain(secretOf('hobbyist'));
    expect(() => api.apiKeys!.grantRead('nobody', role)).toThrow(
      "SecureApi 'Test/Api': apiKeys has no consumer 'nobody' (declared: partner-a, hobbyist)",
    );
  });

  it('warns that API-key-only operations are not authenticated', () => {
    Annotations.fromStack(stack).hasWarning(
      '/Test/Api',
      Match.stringLikeRegexp(
        'createPet, listPets are protected by an API key alone; API keys identify and meter clients but do not authenticate them',
      ),
    );
  });

  it('passes the five cdk-nag packs for everything it creates, the rotation functions included', () => {
    // Checked on this concern's subtree: usage plans, KMS key, dead-letter queue, and per consumer the
    // secret, rotation schedule, function, role and policy, log group, sweep rule and cleanup resource.
    expect(
      api.apiKeys!.node.findAll().filter((c) => c.node.defaultChild === undefined && (c as any).cfnResourceType).length,
    ).toBeGreaterThan(20);
    expect(nagFindings(api.apiKeys!)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(api.apiKeys!)).toEqual([]);
  });
});

describe('API keys: options', () => {
  it('requires a key on every non-public operation with requireForAllOperations', () => {
    const { template } = synth((stack) => ({ ...DEFAULT_OPTIONS(stack), requireForAllOperations: true }));
    const imported = body(template);
    expect(imported.paths['/pets/{petId}'].get.security).toEqual([{ api_key: [] }]);
    expect(imported.paths['/health'].get.security).toBeUndefined();
  });

  it('ApiKeySource.authorizer() without auth is a synth error', () => {
    expect(() => synth((stack) => ({ ...DEFAULT_OPTIONS(stack), source: ApiKeySource.authorizer() }))).toThrow(
      "SecureApi 'Test/Api': apiKeys.source is ApiKeySource.authorizer(), which needs the JWT authorizer to return the key; configure auth, or use ApiKeySource.header()",
    );
  });

  it('warns when no operation requires a key, since usage plans then meter nothing', () => {
    const doc = document() as any;
    for (const item of Object.values(doc.paths) as any[]) for (const op of Object.values(item) as any[]) op.security = [];
    const { stack } = synth(DEFAULT_OPTIONS, { openApi: OpenApi.fromObject(doc) });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Api/ApiKeys',
      Match.stringLikeRegexp('no operation requires an API key, so usage plans throttle and meter nothing'),
    );
  });

  it('warns about a tier without quota and about an operation throttle on an operation without a key', () => {
    const { stack } = synth(() => ({
      tiers: [
        {
          name: 'internal',
          throttle: { rateLimit: 100, burstLimit: 200 },
          operationThrottles: { getPet: { rateLimit: 1, burstLimit: 1 } },
        },
      ],
      consumers: [{ id: 'ops', tier: 'internal' }],
    }));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Test/Api/ApiKeys', Match.stringLikeRegexp("tiers\\[0\\] \\('internal'\\) has no quota"));
    annotations.hasWarning('/Test/Api/ApiKeys', Match.stringLikeRegexp('tiers\\[0\\].operationThrottles.getPet has no effect'));
  });

  it('warns that a document apiKey header other than x-api-key is not what API Gateway reads', () => {
    const doc = document() as any;
    doc.components.securitySchemes.PartnerKey.name = 'X-Partner-Key';
    const { stack } = synth(DEFAULT_OPTIONS, { openApi: OpenApi.fromObject(doc) });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Api',
      Match.stringLikeRegexp("names the API key header 'X-Partner-Key', but API Gateway reads API keys only from 'x-api-key'"),
    );
  });

  it('bindAuthorizer gives the authorizer the claim-to-secret mapping and read access to those secrets only', () => {
    // The header source is the only one usable until auth is wired; exercise the seam on the construct directly.
    const app = new App();
    const stack = new Stack(app, 'Seam', { env: { account: '111111111111', region: 'eu-west-1' } });
    const { ApiKeys } = jest.requireActual('../../lib/keys');
    const restApi = new apigw.RestApi(stack, 'Rest', { cloudWatchRole: false });
    restApi.root.addMethod('GET', new apigw.MockIntegration());
    const { ApiLogs } = jest.requireActual('../../lib/observability');
    const logs = new ApiLogs(stack, 'Logs');
    const keys = new ApiKeys(stack, 'Keys', {
      options: {
        tiers: [TIERS[0]],
        consumers: [{ id: 'machine-1', tier: 'free', clientId: '7f1c2d3e4a5b' }],
        source: ApiKeySource.authorizer({ claim: 'client_id' }),
      },
      label: 'Seam',
      restApi,
      stage: restApi.deploymentStage,
      operations: [],
      keyRequiredOperationIds: ['x'],
      logGroups: logs,
      trustedIssuers: ['https://idp.example.com'],
    });
    const authorizer = new lambda.Function(stack, 'Authorizer', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>{}'),
    });
    keys.bindAuthorizer(authorizer);
    const template = Template.fromStack(stack);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f: any) => f.Properties.Environment?.Variables?.[USAGE_IDENTIFIER_ENV],
    ) as any;
    // The variable is a Fn::Join of JSON around the secret's Ref: render the Ref as <id> and parse it.
    const [, parts] = fn.Properties.Environment.Variables[USAGE_IDENTIFIER_ENV]['Fn::Join'];
    const rendered = parts.map((p: any) => (typeof p === 'string' ? p : `<${p.Ref}>`)).join('');
    expect(parseUsageIdentifierMapping(rendered)).toEqual({
      claim: 'client_id',
      consumers: [{ issuer: 'https://idp.example.com', claimValue: '7f1c2d3e4a5b', secretArn: `<${secretId}>` }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: secretId } }),
        ]),
      },
    });
  });
});

describe('API keys together with the JWT authorizer', () => {
  function withAuth(
    source?: ApiKeySource,
    consumersOrOptions?: ApiKeysOptions['consumers'] | { keyOnlyListPets?: boolean; docs?: SecureApiProps['docs'] },
    additionalIssuers: JwtIssuer[] = [],
  ) {
    const consumers = Array.isArray(consumersOrOptions) ? consumersOrOptions : undefined;
    const { keyOnlyListPets = false, docs } =
      Array.isArray(consumersOrOptions) || consumersOrOptions === undefined ? {} : consumersOrOptions;
    const doc = document() as any;
    doc.components.securitySchemes.oauth = {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: 'https://idp.example.com/token', scopes: { 'pets:write': 'write' } } },
    };
    doc.paths['/pets'].post.security = [{ oauth: ['pets:write'], PartnerKey: [] }];
    if (!keyOnlyListPets) doc.paths['/pets'].get.security = [{ oauth: [], PartnerKey: [] }];
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(doc),
      defaultIntegration: OperationIntegration.mock(),
      auth: Auth.jwt({ issuer: 'https://idp.example.com', audience: ['https://pets.example.com'], additionalIssuers }),
      apiKeys: { ...DEFAULT_OPTIONS(stack), ...(consumers === undefined ? {} : { consumers }), source },
      docs,
    });
    return { stack, api, template: Template.fromStack(stack) };
  }

  const keyOnlyWarnings = (stack: Stack) =>
    Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('cdk-secure-api:api-key-only'))
      .map((w) => String(w.entry.data));

  it('the api-key-only warning tells an API that has auth to require a token in the document, not to configure auth', () => {
    const { stack } = withAuth(undefined, { keyOnlyListPets: true });
    const [warning] = keyOnlyWarnings(stack);
    expect(warning).toContain("SecureApi 'Test/Api': listPets is protected by an API key alone");
    expect(warning).toContain(
      'auth is configured but this operation does not ask for a token: add an OAuth 2.0 / OpenID Connect scheme to the same security requirement in the document',
    );
    expect(warning).not.toContain('Configure auth');
  });

  it('the api-key-only warning tells an API without auth to configure auth', () => {
    const { stack } = synth(DEFAULT_OPTIONS);
    const [warning] = keyOnlyWarnings(stack);
    expect(warning).toContain("SecureApi 'Test/Api': createPet, listPets are protected by an API key alone");
    expect(warning).toContain('Configure auth (Auth.jwt or Auth.cognito) and require a token on them in the document as well.');
  });

  it('ApiKeySource.authorizer() with an operation that requires only a key (which would answer 403 forever) is a synth error naming it', () => {
    expect(() => withAuth(ApiKeySource.authorizer(), { keyOnlyListPets: true })).toThrow(
      "SecureApi 'Test/Api': apiKeys.source is ApiKeySource.authorizer(), but listPets requires an API key and no token: no authorizer runs there to supply the key, so API Gateway would answer 403 to every request. Require a token on it as well, or use ApiKeySource.header()",
    );
    expect(() => withAuth(ApiKeySource.authorizer(), { keyOnlyListPets: true })).toThrow(SecureApiConfigError);
  });

  it('ApiKeySource.authorizer() with DocsAccess.apiKey() is a synth error naming the docs route', () => {
    expect(() => withAuth(ApiKeySource.authorizer(), { docs: { access: DocsAccess.apiKey() } })).toThrow(
      "SecureApi 'Test/Api': apiKeys.source is ApiKeySource.authorizer(), but the docs route (docs.access: DocsAccess.apiKey()) requires an API key and no token",
    );
  });

  it('an operation that requires a token AND a key gets both the authorizer and apiKeyRequired', () => {
    const { template } = withAuth();
    const imported = body(template);
    const requirement = imported.paths['/pets'].post.security;
    expect(requirement).toHaveLength(1);
    expect(Object.keys(requirement[0]).sort()).toEqual(['api_key', expect.any(String)].sort());
    expect(imported.components.securitySchemes[Object.keys(requirement[0]).find((k) => k !== 'api_key')!]).toHaveProperty(
      'x-amazon-apigateway-authorizer',
    );
  });

  it('ApiKeySource.authorizer() reads the key from the authorizer, which gets the claim-to-secret mapping and read access', () => {
    const { api, template } = withAuth(ApiKeySource.authorizer({ claim: 'client_id' }), [
      { id: 'partner-a', tier: 'partner', clientId: 'partner-a-app' },
    ]);
    expect(body(template)['x-amazon-apigateway-api-key-source']).toBe('AUTHORIZER');
    const authorizerId = Stack.of(api).getLogicalId(api.auth!.authorizer.function.node.defaultChild as lambda.CfnFunction);
    const env = template.toJSON().Resources[authorizerId].Properties.Environment.Variables;
    const [, parts] = env[USAGE_IDENTIFIER_ENV]['Fn::Join'];
    const rendered = parts.map((p: any) => (typeof p === 'string' ? p : '<secret>')).join('');
    expect(parseUsageIdentifierMapping(rendered)).toEqual({
      claim: 'client_id',
      consumers: [{ issuer: 'https://idp.example.com', claimValue: 'partner-a-app', secretArn: '<secret>' }],
    });
  });

  it('ApiKeySource.authorizer() keys each consumer by its issuer and client id, so two issuers may use the same client id', () => {
    const { api, template } = withAuth(
      ApiKeySource.authorizer(),
      [
        { id: 'partner-a', tier: 'partner', clientId: 'app', issuer: 'https://idp.example.com' },
        { id: 'partner-b', tier: 'partner', clientId: 'app', issuer: 'https://partner.example.net' },
      ],
      [{ issuer: 'https://partner.example.net', audience: ['https://pets.example.com'] }],
    );
    const authorizerId = Stack.of(api).getLogicalId(api.auth!.authorizer.function.node.defaultChild as lambda.CfnFunction);
    const [, parts] = template.toJSON().Resources[authorizerId].Properties.Environment.Variables[USAGE_IDENTIFIER_ENV]['Fn::Join'];
    const rendered = parts.map((p: any) => (typeof p === 'string' ? p : '<secret>')).join('');
    expect(parseUsageIdentifierMapping(rendered)!.consumers.map((c) => [c.issuer, c.claimValue])).toEqual([
      ['https://idp.example.com', 'app'],
      ['https://partner.example.net', 'app'],
    ]);
  });

  it.each([
    [
      'a consumer without clientId (no fallback to the consumer id)',
      [{ id: 'partner-a', tier: 'partner' }],
      [],
      "SecureApi 'Test/Api': apiKeys.consumers[0].clientId must be set with ApiKeySource.authorizer(): it is the token claim value that identifies the consumer, and the consumer's id is not used in its place",
    ],
    [
      'a consumer without issuer when two issuers are trusted',
      [{ id: 'partner-a', tier: 'partner', clientId: 'partner-a' }],
      [{ issuer: 'https://partner.example.net', audience: ['x'] }],
      "SecureApi 'Test/Api': apiKeys.consumers[0].issuer must be set with ApiKeySource.authorizer() when auth trusts more than one issuer (https://idp.example.com, https://partner.example.net): otherwise a client of another issuer with the same clientId would spend this consumer's quota",
    ],
    [
      'a consumer whose issuer is not trusted',
      [{ id: 'partner-a', tier: 'partner', clientId: 'partner-a', issuer: 'https://idp.example.com/' }],
      [],
      "SecureApi 'Test/Api': apiKeys.consumers[0].issuer 'https://idp.example.com/' is not one of the authorizer's trusted issuers (https://idp.example.com)",
    ],
    [
      'two consumers with the same issuer and client id',
      [
        { id: 'partner-a', tier: 'partner', clientId: 'app' },
        { id: 'partner-b', tier: 'partner', clientId: 'app' },
      ],
      [],
      "SecureApi 'Test/Api': apiKeys.consumers[1].clientId 'app' of issuer 'https://idp.example.com' identifies two consumers; the authorizer could not tell them apart",
    ],
  ] as Array<[string, ApiKeysOptions['consumers'], JwtIssuer[], string]>)(
    'ApiKeySource.authorizer() with %s is a synth error',
    (_name, consumers, additionalIssuers, message) => {
      expect(() => withAuth(ApiKeySource.authorizer(), consumers, additionalIssuers)).toThrow(message);
    },
  );
});

describe('API keys: bad options are synth errors naming the prop', () => {
  it('rejects 21 operation throttles', () => {
    const operations = Array.from({ length: 21 }, (_, i) => ({
      operationId: `op${i}`,
      method: 'get',
      path: `/op${i}`,
      sourcePath: `/op${i}`,
      parameters: [],
      extensions: {},
      tags: [],
    })) as ApiOperation[];
    const options: ApiKeysOptions = {
      consumers: [],
      tiers: [
        { ...TIERS[1], operationThrottles: Object.fromEntries(operations.map((o) => [o.operationId, { rateLimit: 1, burstLimit: 1 }])) },
      ],
    };
    expect(() => validateApiKeysOptions(options, operations, 'Test/Api')).toThrow(
      'apiKeys.tiers[0].operationThrottles has 21 entries; API Gateway allows at most 20 method throttles per stage in a usage plan',
    );
  });
  const consumers = [{ id: 'partner-a', tier: 'partner' }];
  const cases: Array<[string, Partial<ApiKeysOptions>, string]> = [
    ['no tier', { tiers: [] }, 'apiKeys.tiers must declare at least one tier (usage plan)'],
    ['a duplicate tier', { tiers: [TIERS[1], TIERS[1]] }, "apiKeys.tiers[1].name 'partner' is declared twice"],
    [
      'a bad tier name',
      { tiers: [{ ...TIERS[1], name: 'partner tier' }] },
      "apiKeys.tiers[0].name must be 1–64 letters, digits, '.', '_' or '-' starting with a letter or digit, got 'partner tier'",
    ],
    [
      'a zero rate',
      { tiers: [{ ...TIERS[1], throttle: { rateLimit: 0, burstLimit: 10 } }] },
      'apiKeys.tiers[0].throttle.rateLimit must be a number > 0, got 0',
    ],
    [
      'a fractional burst',
      { tiers: [{ ...TIERS[1], throttle: { rateLimit: 5, burstLimit: 2.5 } }] },
      'apiKeys.tiers[0].throttle.burstLimit must be a whole number >= 1, got 2.5',
    ],
    [
      'a zero quota',
      { tiers: [{ ...TIERS[1], quota: { limit: 0, period: apigw.Period.DAY } }] },
      'apiKeys.tiers[0].quota.limit must be a whole number >= 1, got 0',
    ],
    [
      'a weekly offset of 7',
      { tiers: [{ ...TIERS[1], quota: { limit: 10, period: apigw.Period.WEEK, offset: 7 } }] },
      'apiKeys.tiers[0].quota.offset must be a whole number from 0 to 6 for period WEEK, got 7',
    ],
    [
      'a daily offset',
      { tiers: [{ ...TIERS[1], quota: { limit: 10, period: apigw.Period.DAY, offset: 1 } }] },
      'apiKeys.tiers[0].quota.offset must be a whole number from 0 to 0 for period DAY, got 1',
    ],
    [
      'an unknown operation',
      { tiers: [{ ...TIERS[1], operationThrottles: { deletePet: { rateLimit: 1, burstLimit: 1 } } }] },
      "apiKeys.tiers[0].operationThrottles names operation(s) the document does not define: 'deletePet'",
    ],
    [
      'an unknown tier',
      { consumers: [{ id: 'partner-a', tier: 'gold' }] },
      "apiKeys.consumers[0].tier 'gold' is not a declared tier (declared: partner)",
    ],
    ['a duplicate consumer', { consumers: [...consumers, ...consumers] }, "apiKeys.consumers[1].id 'partner-a' is declared twice"],
    [
      'a consumer id with a slash',
      { consumers: [{ id: 'partner/a', tier: 'partner' }] },
      "apiKeys.consumers[0].id must be 1–64 letters, digits, '.', '_' or '-' starting with a letter or digit, got 'partner/a'",
    ],
    [
      'too many consumers for the 10,000-key quota',
      { consumers: Array.from({ length: 5001 }, (_, i) => ({ id: `c${i}`, tier: 'partner' })) },
      "apiKeys.consumers declares 5001 consumers; each holds up to 2 keys during a rotation's grace period and API Gateway allows 10000 keys per account and region, so at most 5000",
    ],
    [
      'a rotation period in hours',
      { rotation: { period: Duration.hours(36) } },
      "apiKeys.rotation.period must be a whole number of days from 1 to 1000 (Secrets Manager's rotation schedule), got 1 day 12 hours",
    ],
    [
      'a rotation period over 1000 days',
      { consumers: [{ id: 'partner-a', tier: 'partner', rotation: { period: Duration.days(1001) } }] },
      'apiKeys.consumers[0].rotation.period must be a whole number of days from 1 to 1000',
    ],
    [
      'a grace period as long as the rotation period',
      { rotation: { period: Duration.days(7), gracePeriod: Duration.days(7) } },
      'apiKeys.rotation.gracePeriod (7 days) must be shorter than the rotation period (7 days): otherwise the next rotation supersedes a key that is still in its grace period',
    ],
  ];
  it.each(cases)('%s', (_name, override, message) => {
    expect(() => synth(() => ({ tiers: [TIERS[1]], consumers, ...override }))).toThrow(`SecureApi 'Test/Api': ${message}`);
  });

  it('a document that names an apiKey scheme without apiKeys configured is an error', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    expect(
      () => new SecureApi(stack, 'Api', { openApi: OpenApi.fromObject(document()), defaultIntegration: OperationIntegration.mock() }),
    ).toThrow(/operation 'listPets' requires an API key, but SecureApi has no 'apiKeys' configured/);
  });
});

describe('validateApiKeysOptions', () => {
  const createPet = {
    operationId: 'createPet',
    method: 'post',
    path: '/pets',
    sourcePath: '/pets',
    parameters: [],
    extensions: {},
    tags: [],
  } as const;
  const consumers = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, tier: 'partner' }));

  it('warns when the consumers would take most of a stack (about 12 resources each, 500 per stack)', () => {
    expect(validateApiKeysOptions({ tiers: [TIERS[1]], consumers: consumers(34) }, [createPet as any], 'S')).toContain(
      "SecureApi 'S': apiKeys.consumers declares 34 consumers, about 408 CloudFormation resources; a stack holds at most 500, so split consumers across stacks",
    );
    expect(validateApiKeysOptions({ tiers: [TIERS[1]], consumers: consumers(33) }, [createPet as any], 'S').join('\n')).not.toContain(
      'CloudFormation resources',
    );
  });

  it('warns when a throttle exceeds the default account limit, which would cap it', () => {
    const tiers = [{ ...TIERS[1], throttle: { rateLimit: 20_000, burstLimit: 100 } }];
    expect(validateApiKeysOptions({ tiers, consumers: consumers(1) }, [createPet as any], 'S').join('\n')).toContain(
      "apiKeys.tiers[0].throttle (20000/s, burst 100) exceeds API Gateway's default account throttle (10000/s, burst 5000)",
    );
  });
});

describe('the key-material scan', () => {
  it('finds an API key value planted in a template, and nothing in CDK names and hashes', () => {
    const planted = {
      Resources: { ApiKeyE1F2A3B4: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Value: 'Zq3xV9pL2mN7bR4t-Y8wK1cF6hJ0sD5gA' } } },
    };
    expect(findKeyMaterial(planted)).toEqual(['Zq3xV9pL2mN7bR4t-Y8wK1cF6hJ0sD5gA']);
    // Values shaped like the ones the rotation function generates are found wherever they sit in a string.
    for (const value of ['hR4wT1m9Qx7bLk2VzN0pY6sDf3GjC8eUa5XiWoKq', 'u3Nf8QpZ2xWm7TkLc9RvB4yHd1GsJ6aEo0Ki5Pwn']) {
      expect(value).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(findKeyMaterial({ Outputs: { Leak: { Value: `key=${value};` } } })).toEqual([expect.stringContaining(value)]);
    }
    const innocent = {
      Resources: {
        ApiKeysConsumerpartneraSecret1A2B3C4D: {
          Properties: {
            S3Key: `${'ab12'.repeat(16)}.zip`,
            Name: 'SecureApi-TestApi17E32BCB-AWS-AWSManagedRulesSQLiRuleSet',
            Policy: 'SecurityPolicy_TLS13_1_3_2025_09',
          },
        },
      },
    };
    expect(findKeyMaterial(innocent)).toEqual([]);
  });
});
