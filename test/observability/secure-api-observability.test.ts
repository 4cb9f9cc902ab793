// Logging and monitoring as SecureApi wires them: every log group the API creates, the key's scope,
// the execution log, alarms and dashboard on by default, the pipeline one prop away.
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AUTHORIZER_METRICS_ENV } from '../../contracts/authorizer-metrics';
import { Auth, DocsAccess, LogPipeline, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { resources } from './support/template';

const PETSTORE = path.join(__dirname, '..', '..', 'demo', 'petstore.yaml');

function synth(props: Partial<SecureApiProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(PETSTORE),
    defaultIntegration: OperationIntegration.mock(),
    ...props,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

describe('SecureApi logging by default', () => {
  const { template, api } = synth({ docs: { access: DocsAccess.unauthenticated() } });
  const groups = resources(template, 'AWS::Logs::LogGroup');
  const keys = resources(template, 'AWS::KMS::Key');
  /** For each key, the log-group ARN patterns its policy lets CloudWatch Logs use it for. */
  const allowedBy = (keyRef: string): string[] => {
    const keyId = keyRef.replace(/^<|\.Arn>$/g, '');
    const statement = keys[keyId].Properties.KeyPolicy.Statement.find(
      (st: any) => st.Sid === 'AllowCloudWatchLogsForThisApisLogGroupsOnly',
    );
    return statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'];
  };
  const matches = (patterns: string[], name: string) =>
    patterns.some((p) =>
      new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(
        `arn:aws:logs:eu-west-1:111111111111:log-group:${name}`,
      ),
    );

  it('creates the access, execution, WAF and function log groups', () => {
    const names = Object.values(groups).map((g) => g.Properties.LogGroupName as string);
    const prefix = api.logs.logGroupNamePrefix;
    expect(names).toEqual(
      expect.arrayContaining([
        `${prefix}/access`,
        expect.stringMatching(/^API-Gateway-Execution-Logs_<Api[0-9A-F]+>\/v1$/),
        expect.stringMatching(/^aws-waf-logs-/),
        `${prefix}/lambda/api-gateway-account`,
        `${prefix}/lambda/docs`,
      ]),
    );
  });

  it('encrypts every log group in the stack with a SecureApi log key and keeps it one year', () => {
    for (const group of Object.values(groups)) {
      expect(group.Properties.KmsKeyId).toMatch(/^<ApiLogs(LogKey|ExecutionLogKey)[0-9A-F]+\.Arn>$/);
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it("names every group so its key's policy allows it, and no key allows anything account-wide", () => {
    for (const group of Object.values(groups)) {
      const patterns = allowedBy(group.Properties.KmsKeyId);
      expect(matches(patterns, group.Properties.LogGroupName)).toBe(true);
      expect(matches(patterns, '/aws/lambda/someone-elses-function')).toBe(false);
      expect(matches(patterns, 'API-Gateway-Execution-Logs_otherapi/v1')).toBe(false);
    }
  });

  it('makes every function log JSON into its own group', () => {
    const functions = Object.values(resources(template, 'AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
      expect(Object.keys(groups).map((id) => `<${id}>`)).toContain(fn.Properties.LoggingConfig.LogGroup);
    }
  });

  it('writes the full JSON access log', () => {
    const stage = Object.values(resources(template, 'AWS::ApiGateway::Stage'))[0];
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      sourceIp: '$context.identity.sourceIp',
      wafResponseCode: '$context.wafResponseCode',
      errorResponseType: '$context.error.responseType',
    });
  });

  it('logs execution errors only, without data trace', () => {
    const stage = Object.values(resources(template, 'AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({ LoggingLevel: 'ERROR', DataTraceEnabled: false, HttpMethod: '*', ResourcePath: '/*' }),
    );
  });

  it('has metric filters, rate alarms on an encrypted topic and a dashboard', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 9);
    expect(Object.keys(api.monitoring.alarms)).toEqual(
      expect.arrayContaining([
        'ServerErrorRate',
        'LatencyP99',
        'AuthFailureRate',
        'WafBlockRate',
        'DocsFunctionErrorRate',
        'DocsFunctionThrottleRate',
      ]),
    );
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('alarms on the metrics of this API name and stage', () => {
    const alarm = Object.entries(resources(template, 'AWS::CloudWatch::Alarm')).find(([id]) => id.includes('ServerErrorRate'))![1];
    const requests = alarm.Properties.Metrics.find((m: any) => m.Id === 'requests').MetricStat.Metric;
    expect(requests.Dimensions).toEqual([
      { Name: 'ApiName', Value: api.api.restApiName },
      { Name: 'Stage', Value: 'v1' },
    ]);
  });

  it('creates no pipeline', () => {
    expect(api.logs.pipelineResources).toBeUndefined();
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  it('graphs the web ACL and queries the WAF log on the dashboard', () => {
    const dashboard = JSON.stringify(Object.values(resources(template, 'AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(dashboard).toContain('AWS/WAFV2');
    expect(dashboard).toContain('Top blocked client IPs (AWS WAF log)');
  });

  it('leaves cdk-nag nothing to find in the logs and monitoring', () => {
    expect(nagFindings(api.logs)).toEqual([]);
    expect(nagFindings(api.monitoring)).toEqual([]);
  });
});

describe('SecureApi logging options', () => {
  describe('data trace, retention and thresholds set', () => {
    const { stack, template } = synth({
      stage: { dataTrace: true },
      logging: { retention: logs.RetentionDays.SIX_MONTHS },
      monitoring: { alarmThresholds: { serverErrorRatePercent: 2.5 } },
    });

    it('warns when data trace writes payloads and tokens to the execution log', () => {
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('data trace is on'))).toHaveLength(1);
    });

    it('applies the retention the user sets to every group, including the execution log and functions', () => {
      for (const group of Object.values(resources(template, 'AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(180);
    });

    it('passes alarm thresholds through', () => {
      const alarm = Object.entries(resources(template, 'AWS::CloudWatch::Alarm')).find(([id]) => id.includes('ServerErrorRate'))![1];
      expect(alarm.Properties.Threshold).toBe(2.5);
    });
  });

  it('ships the access and WAF logs to the S3 archive with one prop, and stays nag-clean', () => {
    const { template, api } = synth({ logging: { pipeline: LogPipeline.s3() } });
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    const shipped = Object.values(resources(template, 'AWS::Logs::SubscriptionFilter'))
      .filter((f) => /DeliveryStream/.test(f.Properties.DestinationArn))
      .map((f) => f.Properties.LogGroupName)
      .sort();
    expect(shipped).toEqual([expect.stringMatching(/^<ApiLogsAccessLogs/), expect.stringMatching(/^<Api[A-Za-z]*WafLogs/)]);
    expect(api.logs.pipelineResources?.kind).toBe('s3');
    expect(nagFindings(api.logs)).toEqual([]);
  });

  it("graphs the authorizer's rejections by reason for the API name the authorizer labels them with", () => {
    const { template } = synth({ auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['pets-api'] }) });
    const authorizer = Object.values(resources(template, 'AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.[AUTHORIZER_METRICS_ENV.apiName] !== undefined,
    )!;
    const apiName = authorizer.Properties.Environment.Variables[AUTHORIZER_METRICS_ENV.apiName];
    const dashboard = JSON.parse(Object.values(resources(template, 'AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    const widget = dashboard.widgets.find((w: any) => w.properties.title === 'Authorizer rejections by reason');
    expect(widget.properties.metrics[0][0].expression).toBe(
      `SEARCH('{CdkSecureApi/Authorizer,Api,Reason} MetricName="Rejections" Api="${apiName}"', 'Sum', 300)`,
    );
    const alarms = Object.keys(resources(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.some((id) => id.includes('AuthorizerFunctionErrorRate'))).toBe(true);
  });
});
