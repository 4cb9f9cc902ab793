// cdk-nag (all five packs) over everything lib/observability creates, with each pipeline option on.
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ApiLogs, ApiMonitoring, LogPipeline } from '../../lib/observability';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const env = { account: '111111111111', region: 'eu-west-1' };

function observabilityStack(pipeline: (stack: Stack) => LogPipeline): Stack {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const apiLogs = new ApiLogs(stack, 'Logs', { pipeline: pipeline(stack), label: 'Stack/Api' });
  const waf = apiLogs.wafLogGroup();
  new ApiMonitoring(stack, 'Monitoring', {
    label: 'Stack/Api',
    apiName: 'orders',
    restApiId: 'a1b2c3d4e5',
    stageName: 'v1',
    accessLogGroup: apiLogs.accessLogGroup,
    wafLogGroup: waf,
  });
  apiLogs.shipLogs();
  return stack;
}

describe('cdk-nag: AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS 3.2.1, Serverless', () => {
  it.each<[string, (stack: Stack) => LogPipeline]>([
    ['S3 archive', () => LogPipeline.s3()],
    ['OpenSearch', () => LogPipeline.openSearch({ domainArn: 'arn:aws:es:eu-west-1:111111111111:domain/central-logs' })],
    [
      'HTTP endpoint',
      (stack) =>
        LogPipeline.httpEndpoint({
          url: 'https://http-inputs-firehose-example.splunkcloud.com/services/collector/raw',
          accessKeySecret: secretsmanager.Secret.fromSecretCompleteArn(
            stack,
            'Hec',
            'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hec-AbCdEf',
          ),
        }),
    ],
    [
      'cross-account destination',
      () => LogPipeline.crossAccount({ destinationArn: 'arn:aws:logs:eu-west-1:999999999999:destination:central' }),
    ],
  ])('finds nothing with the %s pipeline, in cdk-nag nor in CloudFormation Validate and the Control Tower rules', (_name, pipeline) => {
    const stack = observabilityStack(pipeline);
    expect(nagFindings(stack)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });

  it('still flags an unencrypted log group created next to it (the packs are live)', () => {
    const stack = observabilityStack(() => LogPipeline.s3());
    new logs.CfnLogGroup(stack, 'Plain', {});
    expect(nagFindings(stack).some((f) => f.includes('CloudWatchLogGroupEncrypted'))).toBe(true);
  });
});
