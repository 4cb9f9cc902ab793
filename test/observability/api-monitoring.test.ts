import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AUTHORIZER_METRICS } from '../../contracts/authorizer-metrics';
import {
  ACCESS_LOG_FIELDS,
  ACCESS_LOG_METRIC_FILTERS,
  ApiMonitoring,
  ApiMonitoringProps,
  MonitoringOptions,
} from '../../lib/observability';
import { resources } from './support/template';

const env = { account: '111111111111', region: 'eu-west-1' };

function synth(options: MonitoringOptions = {}, more: Partial<ApiMonitoringProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const accessLogGroup = logs.LogGroup.fromLogGroupName(stack, 'Access', '/cdk-secure-api/x/access');
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>({})'),
    });
  const monitoring = new ApiMonitoring(stack, 'Monitoring', {
    label: 'Stack/Api',
    apiName: 'orders-api',
    restApiId: 'a1b2c3d4e5',
    stageName: 'v1',
    accessLogGroup,
    options,
    functions: [
      { label: 'Authorizer', function: fn('AuthorizerFn') },
      { label: 'IpBlocker', function: fn('IpBlockerFn') },
    ],
    ...more,
  });
  return { stack, monitoring, template: Template.fromStack(stack) };
}

/** Alarm by id prefix, flattened. */
function alarm(template: Template, id: string) {
  const found = Object.entries(resources(template, 'AWS::CloudWatch::Alarm')).filter(([logicalId]) =>
    logicalId.startsWith(`Monitoring${id}Alarm`),
  );
  if (found.length !== 1) throw new Error(`alarm ${id}: found ${found.length}`);
  return found[0][1].Properties;
}

const expressionOf = (props: any) => props.Metrics.find((m: any) => m.Expression !== undefined).Expression as string;

describe('metric filters', () => {
  const { template } = synth();

  it.each(ACCESS_LOG_METRIC_FILTERS.map((f) => [f.metricName, f.pattern]))('counts %s with %s', (metricName, pattern) => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: '/cdk-secure-api/x/access',
      FilterPattern: pattern,
      MetricTransformations: [
        {
          MetricNamespace: 'CdkSecureApi/AccessLog',
          MetricName: metricName,
          MetricValue: '1',
          Unit: 'Count',
          Dimensions: Match.arrayWith([
            { Key: 'ApiId', Value: '$.apiId' },
            { Key: 'Stage', Value: '$.stage' },
          ]),
        },
      ],
    });
  });

  it('creates exactly one filter a row of the table', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', ACCESS_LOG_METRIC_FILTERS.length + 1); // and the filter counting every line
  });
});

describe('alarms with the default thresholds', () => {
  const { template, monitoring } = synth();

  it.each([
    ['ServerErrorRate', 1, 'IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)'],
    ['ClientErrorRate', 10, 'IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)'],
    ['ThrottleRate', 5, 'IF(requests >= 20, 100 * FILL(throttles, 0) / requests, 0)'],
    ['AuthFailureRate', 10, 'IF(requests >= 20, 100 * (FILL(authn, 0) + FILL(authz, 0)) / requests, 0)'],
    ['WafBlockRate', 10, 'IF(requests >= 20, 100 * FILL(blocked, 0) / requests, 0)'],
    ['AuthorizerFailureRate', 1, 'IF(requests >= 20, 100 * FILL(failures, 0) / requests, 0)'],
  ])('alarms on %s above %s%% as the rate %s', (id, threshold, expression) => {
    const props = alarm(template, id);
    expect(props.Threshold).toBe(threshold);
    expect(props.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(expressionOf(props)).toBe(expression);
    expect(props.EvaluationPeriods).toBe(3);
    expect(props.DatapointsToAlarm).toBe(2);
    expect(props.TreatMissingData).toBe('notBreaching');
  });

  it('divides the API Gateway error counts by its request count for the same API and stage', () => {
    const metrics = alarm(template, 'ServerErrorRate').Metrics.filter((m: any) => m.MetricStat);
    expect(metrics.map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.MetricStat.Period]).sort()).toEqual([
      ['errors', '5XXError', 'Sum', 300],
      ['requests', 'Count', 'Sum', 300],
    ]);
    for (const m of metrics) {
      expect(m.MetricStat.Metric.Namespace).toBe('AWS/ApiGateway');
      expect(m.MetricStat.Metric.Dimensions).toEqual([
        { Name: 'ApiName', Value: 'orders-api' },
        { Name: 'Stage', Value: 'v1' },
      ]);
    }
  });

  it('takes the class rates from the access-log metrics of this API id and stage', () => {
    const metrics = alarm(template, 'AuthFailureRate').Metrics.filter((m: any) => m.MetricStat);
    expect(metrics.map((m: any) => m.MetricStat.Metric.MetricName).sort()).toEqual([
      'AuthenticationFailures',
      'AuthorizationFailures',
      'Requests',
    ]);
    for (const m of metrics) {
      expect(m.MetricStat.Metric.Namespace).toBe('CdkSecureApi/AccessLog');
      expect(m.MetricStat.Metric.Dimensions).toEqual([
        { Name: 'ApiId', Value: 'a1b2c3d4e5' },
        { Name: 'Stage', Value: 'v1' },
      ]);
    }
  });

  it('alarms on p99 latency above 2 seconds', () => {
    const props = alarm(template, 'LatencyP99');
    expect(props).toMatchObject({
      MetricName: 'Latency',
      Namespace: 'AWS/ApiGateway',
      ExtendedStatistic: 'p99',
      Threshold: 2000,
      Period: 300,
    });
  });

  it.each(['Authorizer', 'IpBlocker'])('alarms on the error and throttle rates of the %s function', (label) => {
    const errors = alarm(template, `${label}FunctionErrorRate`);
    expect(errors.Threshold).toBe(1);
    expect(expressionOf(errors)).toBe('IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)');
    expect(
      errors.Metrics.filter((m: any) => m.MetricStat)
        .map((m: any) => m.MetricStat.Metric.MetricName)
        .sort(),
    ).toEqual(['Errors', 'Invocations']);
    const throttles = alarm(template, `${label}FunctionThrottleRate`);
    expect(expressionOf(throttles)).toContain('100 * FILL(throttles, 0) / (FILL(invocations, 0) + FILL(throttles, 0))');
  });

  it('has 8 API alarms (one on unreadable access-log lines) and 2 a function, each notifying the topic on ALARM and OK', () => {
    const all = Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    expect(all).toHaveLength(8 + 2 * 2);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    for (const a of all) {
      expect(a.Properties.AlarmActions).toEqual([`<${topicId}>`]);
      expect(a.Properties.OKActions).toEqual([`<${topicId}>`]);
    }
    expect(Object.keys(monitoring.alarms).sort()).toEqual(
      [
        'AuthFailureRate',
        'AuthorizerFailureRate',
        'AuthorizerFunctionErrorRate',
        'AuthorizerFunctionThrottleRate',
        'ClientErrorRate',
        'IpBlockerFunctionErrorRate',
        'IpBlockerFunctionThrottleRate',
        'LatencyP99',
        'ServerErrorRate',
        'ThrottleRate',
        'UnreadableAccessLogLines',
        'WafBlockRate',
      ].sort(),
    );
  });
});

describe('the alarm topic', () => {
  const { template, monitoring } = synth();

  it('is encrypted with a rotating customer key that CloudWatch may use', () => {
    const topic = Object.values(resources(template, 'AWS::SNS::Topic'))[0];
    const [keyId, key] = Object.entries(resources(template, 'AWS::KMS::Key'))[0];
    expect(topic.Properties.KmsMasterKeyId).toBe(`<${keyId}.Arn>`);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Effect: 'Allow',
      }),
    );
  });

  it('accepts publishing over TLS only, from CloudWatch alarms of this account', () => {
    const policy = Object.values(resources(template, 'AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(policy).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' } },
      }),
    );
  });

  it('is exposed for subscriptions', () => {
    expect(monitoring.alarmTopic).toBeInstanceOf(sns.Topic);
  });

  it('can be brought by the user, and then no topic or key is created', () => {
    const app = new App();
    const stack = new Stack(app, 'Byo', { env });
    const topic = sns.Topic.fromTopicArn(stack, 'OnCall', 'arn:aws:sns:eu-west-1:111111111111:on-call');
    new ApiMonitoring(stack, 'Monitoring', {
      label: 'Byo/Api',
      apiName: 'a',
      restApiId: 'id',
      stageName: 'v1',
      accessLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Access', 'g'),
      options: { alarmTopic: topic },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:on-call'] });
  });
});

describe('thresholds', () => {
  it('applies every threshold the user sets', () => {
    const { template } = synth({
      alarmThresholds: {
        serverErrorRatePercent: 0.5,
        clientErrorRatePercent: 25,
        latencyP99: Duration.millis(800),
        throttleRatePercent: 2,
        authFailureRatePercent: 30,
        wafBlockRatePercent: 40,
        authorizerErrorRatePercent: 3,
        lambdaErrorRatePercent: 4,
        lambdaThrottleRatePercent: 6,
        minimumRequests: 100,
        period: Duration.minutes(1),
        evaluationPeriods: 5,
        datapointsToAlarm: 4,
      },
    });
    const expected: [string, number][] = [
      ['ServerErrorRate', 0.5],
      ['ClientErrorRate', 25],
      ['LatencyP99', 800],
      ['ThrottleRate', 2],
      ['AuthFailureRate', 30],
      ['WafBlockRate', 40],
      ['AuthorizerFailureRate', 3],
      ['IpBlockerFunctionErrorRate', 4],
      ['IpBlockerFunctionThrottleRate', 6],
    ];
    for (const [id, threshold] of expected) {
      const props = alarm(template, id);
      expect(props.Threshold).toBe(threshold);
      expect(props.EvaluationPeriods).toBe(5);
      expect(props.DatapointsToAlarm).toBe(4);
    }
    expect(expressionOf(alarm(template, 'ServerErrorRate'))).toBe('IF(requests >= 100, 100 * FILL(errors, 0) / requests, 0)');
    expect(alarm(template, 'LatencyP99').Period).toBe(60);
  });

  it.each([
    [
      { serverErrorRatePercent: 0 },
      'monitoring.alarmThresholds.serverErrorRatePercent must be a percentage greater than 0 and at most 100, got 0',
    ],
    [
      { wafBlockRatePercent: 150 },
      'monitoring.alarmThresholds.wafBlockRatePercent must be a percentage greater than 0 and at most 100, got 150',
    ],
    [
      { latencyP99: Duration.seconds(30) },
      "monitoring.alarmThresholds.latencyP99 must be between 1 ms and 29 s (API Gateway's integration timeout), got 30000 ms",
    ],
    [{ minimumRequests: 0.5 }, 'monitoring.alarmThresholds.minimumRequests must be a whole number of at least 1, got 0.5'],
    [{ period: Duration.seconds(90) }, 'monitoring.alarmThresholds.period must be a whole number of minutes, got 90 s'],
    [
      { evaluationPeriods: 2, datapointsToAlarm: 3 },
      'monitoring.alarmThresholds.datapointsToAlarm must be a whole number from 1 to evaluationPeriods (2), got 3',
    ],
    [
      { period: Duration.hours(1), evaluationPeriods: 25, datapointsToAlarm: 1 },
      'monitoring.alarmThresholds period × evaluationPeriods must not exceed one day, got 90000 s',
    ],
  ])('rejects a bad threshold: %#', (thresholds, message) => {
    expect(() => synth({ alarmThresholds: thresholds })).toThrow(`SecureApi 'Stack/Api': ${message}`);
  });
});

describe('turning monitoring parts off', () => {
  it('creates no alarm or topic and warns when alarms are off', () => {
    const { template, stack } = synth({ alarms: false });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('alarms are off \\(monitoring.alarms: false\\)')),
    ).toHaveLength(1);
  });

  it('creates no dashboard and warns when the dashboard is off', () => {
    const { template, stack } = synth({ dashboard: false });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('the dashboard is off'))).toHaveLength(1);
  });
});

describe('dashboard', () => {
  const body = (template: Template) => {
    const dashboard = Object.values(resources(template, 'AWS::CloudWatch::Dashboard'))[0];
    return JSON.parse(dashboard.Properties.DashboardBody as string) as { widgets: { type: string; properties: any }[] };
  };
  const titled = (b: ReturnType<typeof body>, title: string) => {
    const widget = b.widgets.find((w) => w.properties.title === title);
    if (!widget) throw new Error(`no widget '${title}' in ${b.widgets.map((w) => w.properties.title).join(', ')}`);
    return widget.properties;
  };

  describe('with an authorizer and a web ACL', () => {
    const { template } = synth(
      { dashboardName: 'orders-api' },
      {
        authorizerMetricNamespace: AUTHORIZER_METRICS.defaultNamespace,
        webAclMetricName: 'ordersAcl',
        wafLogGroup: undefined,
      },
    );
    const b = body(template);

    it('has the name the user gave', () => {
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-api' });
    });

    it('graphs traffic', () => {
      expect(titled(b, 'Traffic').metrics[0].slice(0, 6)).toEqual(['AWS/ApiGateway', 'Count', 'ApiName', 'orders-api', 'Stage', 'v1']);
    });

    it('graphs errors by class from the access log', () => {
      const names = titled(b, 'Errors by class').metrics.map((m: any[]) => m[1]);
      expect(names).toEqual([
        'AuthenticationFailures',
        'AuthorizationFailures',
        'ValidationFailures',
        'Throttles',
        'WafBlocks',
        'ServerErrors',
      ]);
    });

    it('graphs latency percentiles', () => {
      const stats = titled(b, 'Latency percentiles (ms)').metrics.map((m: any[]) => [m[1], m.at(-1).stat]);
      expect(stats).toEqual([
        ['Latency', 'p50'],
        ['Latency', 'p90'],
        ['Latency', 'p99'],
        ['IntegrationLatency', 'p99'],
      ]);
    });

    it("graphs authorizer rejections by reason from the authorizer's metric contract", () => {
      const [[expression]] = titled(b, 'Authorizer rejections by reason').metrics;
      expect(expression.expression).toBe(
        `SEARCH('{CdkSecureApi/Authorizer,Api,Reason} MetricName="Rejections" Api="orders-api"', 'Sum', 300)`,
      );
    });

    it("graphs WAF's own allowed and blocked counts for the web ACL", () => {
      const metrics = titled(b, 'AWS WAF: allowed and blocked').metrics;
      expect(metrics.map((m: any[]) => m.slice(0, 8))).toEqual([
        ['AWS/WAFV2', 'AllowedRequests', 'Region', 'eu-west-1', 'Rule', 'ALL', 'WebACL', 'ordersAcl'],
        ['AWS/WAFV2', 'BlockedRequests', 'Region', 'eu-west-1', 'Rule', 'ALL', 'WebACL', 'ordersAcl'],
      ]);
    });

    it('queries the top rejected client IPs from the access log, using fields the log writes', () => {
      const widget = b.widgets.find((w) => w.type === 'log')!.properties;
      expect(widget.query).toContain("SOURCE '/cdk-secure-api/x/access'");
      expect(widget.query).toContain('stats count(*) as rejected by sourceIp');
      const fields = new Set(ACCESS_LOG_FIELDS.map((f) => f.name));
      for (const used of ['sourceIp', 'status', 'errorResponseType', 'wafResponseCode']) expect(fields).toContain(used);
    });

    it('shows the alarms and the functions', () => {
      expect(titled(b, 'Alarms').alarms).toHaveLength(12);
      expect(titled(b, 'SecureApi functions: errors and throttles').metrics).toHaveLength(4);
    });
  });

  it('without a web ACL metric name, graphs WAF blocks from the access log; with a WAF log group, queries the top blocked IPs', () => {
    const app = new App();
    const stack = new Stack(app, 'Waf', { env });
    const wafLogGroup = logs.LogGroup.fromLogGroupName(stack, 'WafLogs', 'aws-waf-logs-orders');
    new ApiMonitoring(stack, 'Monitoring', {
      label: 'Waf/Api',
      apiName: 'a',
      restApiId: 'id',
      stageName: 'v1',
      accessLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Access', 'g'),
      wafLogGroup,
    });
    const b = body(Template.fromStack(stack));
    expect(titled(b, 'AWS WAF: allowed and blocked').metrics.map((m: any[]) => m[1])).toEqual(['WafBlocks']);
    const waf = titled(b, 'Top blocked client IPs (AWS WAF log)');
    expect(waf.query).toContain("SOURCE 'aws-waf-logs-orders'");
    expect(waf.query).toContain('filter action = "BLOCK"');
    expect(b.widgets.some((w) => w.properties.title === 'Authorizer rejections by reason')).toBe(false);
  });
});
