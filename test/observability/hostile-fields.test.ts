// Issue 19 #5: API Gateway writes client-chosen values (User-Agent, path) into the JSON access log,
// and AWS does not document that it escapes quotes in them. Here they are rendered raw, the worst case.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ATTACKER_CONTROLLED_FIELDS, buildAccessLogFormat } from '../../lib/observability/access-log-format';
import { REQUESTS_FILTER } from '../../lib/observability/access-log-metrics';
import { ApiMonitoring } from '../../lib/observability/api-monitoring';
import { renderAccessLogLine } from './support/access-log-lines';
import { matchesFilterPattern } from './support/filter-pattern';

describe('hostile fields in the access log', () => {
  it('puts no client-chosen value before a field that a reader trusts', () => {
    const keys = Object.keys(JSON.parse(buildAccessLogFormat({ clientId: '$context.authorizer.client_id' })));
    const hostile = ATTACKER_CONTROLLED_FIELDS.map((f) => f.name);
    const firstHostile = Math.min(...hostile.map((name) => keys.indexOf(name)));
    expect(keys.slice(firstHostile).filter((k) => !hostile.includes(k))).toEqual(['clientId']);
    for (const trusted of ['requestId', 'apiId', 'stage', 'sourceIp', 'status', 'errorResponseType', 'wafResponseCode'])
      expect(keys.indexOf(trusted)).toBeLessThan(firstHostile);
  });

  it('counts a line broken by a bare quote in the User-Agent or the path as unreadable, with an alarm', () => {
    const broken = [
      renderAccessLogLine({ '$context.identity.userAgent': '"', '$context.status': '401' }),
      renderAccessLogLine({ '$context.path': '/v1/orders/"', '$context.status': '401' }),
    ];
    for (const line of broken) {
      expect(() => JSON.parse(line)).toThrow();
      expect(matchesFilterPattern(REQUESTS_FILTER.pattern, line)).toBe(false);
      // The lines filter has no pattern: it counts every line.
    }
    const stack = new Stack(new App(), 'S');
    new ApiMonitoring(stack, 'M', {
      label: 'S/Api',
      apiName: 'a',
      restApiId: 'id1',
      stageName: 'v1',
      accessLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Access', 'g'),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '',
      MetricTransformations: [
        { MetricName: 'AccessLogLines-id1-v1', MetricNamespace: 'CdkSecureApi/AccessLog', MetricValue: '1', Unit: 'Count' },
      ],
    });
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a: any) =>
      String(a.Properties.AlarmDescription).includes('access-log lines that are not one JSON object'),
    ) as any;
    expect(alarm.Properties.Threshold).toBe(0);
    expect(alarm.Properties.Metrics[0].Expression).toBe('MAX([0, FILL(lines, 0) - FILL(requests, 0)])');
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});
