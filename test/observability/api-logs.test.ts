import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiLogs, LoggingOptions } from '../../lib/observability';
import { resources } from './support/template';

const env = { account: '111111111111', region: 'eu-west-1' };

/** A stack with ApiLogs, a stage using it, a WAF group and a function group, as SecureApi wires them. */
function synth(options: LoggingOptions = {}, extra?: (stack: Stack, apiLogs: ApiLogs) => void) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const apiLogs = new ApiLogs(stack, 'Logs', { ...options, label: 'Stack/Api' });
  const api = new apigw.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    deployOptions: { stageName: 'v1', accessLogDestination: apiLogs.accessLogDestination(), accessLogFormat: apiLogs.accessLogFormat() },
  });
  api.root.addMethod('GET', new apigw.MockIntegration());
  apiLogs.addExecutionLogGroup(api, api.deploymentStage);
  apiLogs.wafLogGroup(stack, 'WafLogs');
  const fn = new lambda.Function(stack, 'Fn', {
    ...apiLogs.functionLogging(stack, 'authorizer'),
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  extra?.(stack, apiLogs);
  return { app, stack, apiLogs, api, fn, template: Template.fromStack(stack) };
}

describe('ApiLogs defaults', () => {
  const { template, apiLogs, stack } = synth();
  const groups = resources(template, 'AWS::Logs::LogGroup');
  const prefix = apiLogs.logGroupNamePrefix;

  it('names every group under one per-API prefix (WAF and execution logs where AWS dictates the name)', () => {
    expect(prefix).toMatch(/^\/cdk-secure-api\/stack-logs-[a-z0-9-]+$/);
    const names = Object.values(groups)
      .map((g) => g.Properties.LogGroupName)
      .sort();
    expect(names).toEqual(
      [
        `${prefix}/access`,
        `${prefix}/lambda/authorizer`,
        'API-Gateway-Execution-Logs_<ApiF70053CD>/v1',
        `aws-waf-logs-${prefix.split('/')[2]}`,
      ].sort(),
    );
  });

  const keyIds = Object.keys(template.findResources('AWS::KMS::Key'));
  const logKeyId = keyIds.find((id) => id.startsWith('LogsLogKey'))!;
  const executionKeyId = keyIds.find((id) => id.startsWith('LogsExecutionLogKey'))!;
  const isExecution = (g: { Properties: any }) => String(g.Properties.LogGroupName).startsWith('API-Gateway-Execution-Logs_');

  it('encrypts every group with the log key (the execution log with a key of its own), keeps events one year and retains them', () => {
    expect(Object.keys(groups)).toHaveLength(4);
    for (const group of Object.values(groups)) {
      expect(group.Properties.KmsKeyId).toBe(`<${isExecution(group) ? executionKeyId : logKeyId}.Arn>`);
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it('creates rotating keys, retained like the logs', () => {
    expect(keyIds).toHaveLength(2);
    for (const key of Object.values(resources(template, 'AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  const logsStatementOf = (keyId: string) => {
    const key = resources(template, 'AWS::KMS::Key')[keyId];
    const statements = key.Properties.KeyPolicy.Statement.filter((s: any) => JSON.stringify(s.Principal ?? {}).includes('logs.'));
    expect(statements).toHaveLength(1);
    expect(statements[0].Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(JSON.stringify(statements[0])).not.toContain('log-group:*');
    return statements[0];
  };

  it("lets CloudWatch Logs use the log key only for this API's log groups (encryption-context condition on their ARNs)", () => {
    expect(logsStatementOf(logKeyId).Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': [
          `arn:aws:logs:eu-west-1:111111111111:log-group:${prefix}/*`,
          `arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-${prefix.split('/')[2]}`,
        ],
      },
    });
  });

  it('lets CloudWatch Logs use the execution log key for exactly this API and stage', () => {
    expect(logsStatementOf(executionKeyId).Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': ['arn:aws:logs:eu-west-1:111111111111:log-group:API-Gateway-Execution-Logs_<ApiF70053CD>/v1'],
      },
    });
  });

  it('points the stage at the access log with the JSON format', () => {
    const stage = Object.values(resources(template, 'AWS::ApiGateway::Stage'))[0];
    expect(JSON.parse(stage.Properties.AccessLogSetting.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
    expect(stage.Properties.AccessLogSetting.DestinationArn).toMatch(/^<LogsAccessLogs.*\.Arn>$/);
  });

  it('creates the execution log group before the stage, so API Gateway never creates it unencrypted', () => {
    const stage = Object.values(resources(template, 'AWS::ApiGateway::Stage'))[0] as any;
    const execId = Object.entries(groups).find(([, g]) => String(g.Properties.LogGroupName).startsWith('API-Gateway-Execution-Logs_'))![0];
    expect(stage.DependsOn).toContain(execId);
  });

  it('makes functions log JSON into their own group', () => {
    const fn = Object.values(resources(template, 'AWS::Lambda::Function'))[0];
    expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: expect.stringMatching(/^<authorizerLogs[0-9A-F]+>$/) });
  });

  it('leaves no warning with the defaults', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-secure-api'))).toEqual([]);
  });
});

describe('ApiLogs options', () => {
  it('applies a retention and removal policy to every group and the key', () => {
    const { template } = synth({ retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    for (const group of Object.values(resources(template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(90);
      expect(group.DeletionPolicy).toBe('Delete');
    }
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  it('warns when logs are kept forever', () => {
    const { stack } = synth({ retention: logs.RetentionDays.INFINITE });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('logging.retention is INFINITE'))).toHaveLength(1);
  });

  it('uses a key the user brings and adds the scoped statement when the key is defined in the app', () => {
    const app = new App();
    const stack = new Stack(app, 'Own', { env });
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    new ApiLogs(stack, 'Logs', { encryptionKey: key });
    const own = Template.fromStack(stack);
    own.resourceCountIs('AWS::KMS::Key', 1);
    own.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] } });
    own.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsForThisApisLogGroupsOnly' })]) },
    });
  });

  it("has no dependency cycle when the API's integrations call functions whose log groups use the log key", () => {
    const app = new App();
    const stack = new Stack(app, 'Cycle', { env });
    const apiLogs = new ApiLogs(stack, 'Logs');
    const fn = new lambda.Function(stack, 'Backend', {
      ...apiLogs.functionLogging(stack, 'backend'),
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
    });
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: { stageName: 'v1' } });
    api.root.addMethod('GET', new apigw.LambdaIntegration(fn));
    apiLogs.addExecutionLogGroup(api, api.deploymentStage);
    // Template.fromStack fails on a dependency cycle.
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  it('with a key defined in the app, allows the stage name of any API for the execution log', () => {
    const app = new App();
    const stack = new Stack(app, 'OwnKey', { env });
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const apiLogs = new ApiLogs(stack, 'Logs', { encryptionKey: key });
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: { stageName: 'prod' } });
    api.root.addMethod('GET', new apigw.MockIntegration());
    apiLogs.addExecutionLogGroup(api, api.deploymentStage);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    const statement = Object.values(resources(template, 'AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement.find(
      (st: any) => st.Sid === 'AllowCloudWatchLogsForThisApisLogGroupsOnly',
    );
    expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toContain(
      'arn:aws:logs:eu-west-1:111111111111:log-group:API-Gateway-Execution-Logs_*/prod',
    );
  });

  it('uses an imported key as is', () => {
    const app = new App();
    const stack = new Stack(app, 'Imported', { env });
    const key = kms.Key.fromKeyArn(stack, 'Central', 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new ApiLogs(stack, 'Logs', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  it('uses an access log group the user brings', () => {
    const app = new App();
    const stack = new Stack(app, 'Byo', { env });
    const group = logs.LogGroup.fromLogGroupName(stack, 'Central', 'central-access-logs');
    const apiLogs = new ApiLogs(stack, 'Logs', { accessLogGroup: group });
    expect(apiLogs.accessLogGroup).toBe(group);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  it('uses the prefix the user gives', () => {
    const { template } = synth({ logGroupNamePrefix: '/platform/orders-api' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/platform/orders-api/access' });
  });

  it('rejects a prefix CloudWatch Logs would refuse', () => {
    expect(() => synth({ logGroupNamePrefix: '/orders api' })).toThrow(
      "SecureApi 'Stack/Api': logging.logGroupNamePrefix may hold only letters, digits and . _ - / # (at most 400), got '/orders api'",
    );
  });

  it('adds extra access-log fields and rejects sensitive ones with the prop path', () => {
    const { apiLogs } = synth({ extraAccessLogFields: { clientId: '$context.authorizer.clientId' } });
    expect(JSON.parse(apiLogs.accessLogFormatString).clientId).toBe('$context.authorizer.clientId');
    expect(() => synth({ extraAccessLogFields: { key: '$context.identity.apiKey' } })).toThrow(
      "SecureApi 'Stack/Api': logging.extraAccessLogFields.key $context.identity.apiKey must not be logged",
    );
  });

  it('refuses to create the same group twice', () => {
    expect(() => synth({}, (stack, apiLogs) => apiLogs.functionLogGroup(stack, 'authorizer'))).toThrow(
      /the log group '.*\/lambda\/authorizer' is already created/,
    );
  });

  it('fails synth for a group encrypted with the log key but created around ApiLogs, naming it', () => {
    const stray = (stack: Stack, apiLogs: ApiLogs) => {
      new logs.LogGroup(stack, 'Stray', { encryptionKey: apiLogs.encryptionKey, retention: logs.RetentionDays.ONE_YEAR });
    };
    expect(() => synth({}, stray)).toThrow(
      /Stack\/Stray\/Resource is encrypted with SecureApi's log key but was not created through ApiLogs/,
    );
  });
});
