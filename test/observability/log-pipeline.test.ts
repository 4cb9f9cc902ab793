import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ApiLogs, LoggingOptions, LogPipeline } from '../../lib/observability';
import { resources } from './support/template';

const env = { account: '111111111111', region: 'eu-west-1' };
const DOMAIN_ARN = 'arn:aws:es:eu-west-1:111111111111:domain/central-logs';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:splunk-hec-AbCdEf';

function synth(pipeline: LogPipeline | ((stack: Stack) => LogPipeline), options: LoggingOptions = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const apiLogs = new ApiLogs(stack, 'Logs', {
    ...options,
    pipeline: typeof pipeline === 'function' ? pipeline(stack) : pipeline,
    label: 'Stack/Api',
  });
  apiLogs.wafLogGroup();
  apiLogs.shipLogs();
  return { stack, apiLogs, template: Template.fromStack(stack) };
}

const streams = (template: Template) => Object.values(resources(template, 'AWS::KinesisFirehose::DeliveryStream')).map((r) => r.Properties);
const policyStatements = (template: Template) =>
  Object.values(resources(template, 'AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);

describe('no pipeline (the default)', () => {
  it('creates no Firehose, bucket or subscription filter', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env });
    const apiLogs = new ApiLogs(stack, 'Logs');
    expect(apiLogs.shipLogs()).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
  });
});

describe('LogPipeline.s3()', () => {
  const { template, apiLogs } = synth(LogPipeline.s3());
  const errorGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) =>
    id.startsWith('LogsPipelineDeliveryErrorLogs'),
  )!;
  const buckets = resources(template, 'AWS::S3::Bucket');
  const [archiveId, archive] = Object.entries(buckets).find(([id]) => id.includes('ArchiveBucket'))!;
  const [accessLogsId, accessLogs] = Object.entries(buckets).find(([id]) => id.includes('ServerAccessLogs'))!;

  it('subscribes the access log and the WAF log, each to its own delivery stream', () => {
    const filters = Object.values(resources(template, 'AWS::Logs::SubscriptionFilter')).map((f) => f.Properties);
    expect(filters).toHaveLength(2);
    const streamIds = Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    expect(filters.map((f) => f.FilterPattern)).toEqual(['', '']);
    expect(filters.map((f) => f.DestinationArn).sort()).toEqual(streamIds.map((id) => `<${id}.Arn>`).sort());
    const groupIds = Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) => /^Logs(AccessLogs|WafLogs)/.test(id));
    expect(filters.map((f) => f.LogGroupName).sort()).toEqual(groupIds.map((id) => `<${id}>`).sort());
  });

  it('lets CloudWatch Logs put records into those two streams only', () => {
    const firehoseStatements = policyStatements(template).filter((s) => JSON.stringify(s.Action).includes('firehose:'));
    for (const statement of firehoseStatements) expect(statement.Action).toEqual(['firehose:PutRecord', 'firehose:PutRecordBatch']);
    const granted = firehoseStatements.flatMap((s) => [s.Resource].flat()).sort();
    expect(granted).toEqual(
      Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'))
        .map((id) => `<${id}.Arn>`)
        .sort(),
    );
    const role = Object.values(resources(template, 'AWS::IAM::Role')).find((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('logs.amazonaws.com'),
    )!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:111111111111:*' },
    });
  });

  it('encrypts the streams with a customer key and delivers gzip files into date-partitioned prefixes, errors apart', () => {
    const [access, waf] = streams(template).sort((a, b) =>
      a.ExtendedS3DestinationConfiguration.Prefix.localeCompare(b.ExtendedS3DestinationConfiguration.Prefix),
    );
    for (const [stream, source] of [
      [access, 'access'],
      [waf, 'waf'],
    ] as const) {
      expect(stream.DeliveryStreamEncryptionConfigurationInput).toEqual({
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: expect.stringMatching(/^<LogsPipelineArchiveKey.*\.Arn>$/),
      });
      const s3Dest = stream.ExtendedS3DestinationConfiguration;
      expect(s3Dest.BucketARN).toBe(`<${archiveId}.Arn>`);
      expect(s3Dest.Prefix).toBe(`${source}-logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`);
      expect(s3Dest.ErrorOutputPrefix).toBe(
        `errors/${source}-logs/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`,
      );
      expect(s3Dest.CompressionFormat).toBe('GZIP');
      expect(s3Dest.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toMatch(/^<LogsPipelineArchiveKey.*\.Arn>$/);
      expect(s3Dest.BufferingHints).toEqual({ IntervalInSeconds: 300, SizeInMBs: 5 });
      expect(s3Dest.CloudWatchLoggingOptions).toEqual({
        Enabled: true,
        LogGroupName: `<${errorGroupId}>`,
        LogStreamName: 'delivery-errors',
      });
      expect(s3Dest.ProcessingConfiguration.Processors.map((p: any) => p.Type)).toEqual(['Decompression', 'CloudWatchLogProcessing']);
    }
  });

  it('keeps the archive KMS-encrypted, versioned, private, access-logged, moving to Glacier after 90 days and expiring after 730', () => {
    expect(archive.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
      ServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: expect.stringMatching(/^<LogsPipelineArchiveKey.*\.Arn>$/),
      },
      BucketKeyEnabled: true,
    });
    expect(archive.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(archive.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(archive.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: `<${accessLogsId}>`, LogFilePrefix: 'log-archive/' });
    expect(archive.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
      ExpirationInDays: 730,
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
    expect(archive.DeletionPolicy).toBe('Retain');
    expect(accessLogs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
  });

  it('denies every request to either bucket that is not TLS 1.2 or newer', () => {
    const policies = Object.values(resources(template, 'AWS::S3::BucketPolicy')).map((p) => p.Properties);
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const statements = policy.PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
    }
  });

  it("scopes Firehose's role to the archive, its key through S3, and its error log stream", () => {
    const statements = policyStatements(template).filter((s) => !JSON.stringify(s.Action).includes('firehose:'));
    expect(statements).toEqual([
      expect.objectContaining({
        Action: expect.arrayContaining(['s3:PutObject', 's3:GetBucketLocation']),
        Resource: [`<${archiveId}.Arn>`, `<${archiveId}.Arn>/*`],
      }),
      expect.objectContaining({
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
          ArnLike: { 'kms:EncryptionContext:aws:s3:arn': [`<${archiveId}.Arn>`, `<${archiveId}.Arn>/*`] },
        },
      }),
      expect.objectContaining({
        Action: 'logs:PutLogEvents',
        Resource: expect.stringMatching(
          /^arn:aws:logs:eu-west-1:111111111111:log-group:<LogsPipelineDeliveryErrorLogs[0-9A-F]+>:log-stream:<LogsPipelineDeliveryErrorStream[0-9A-F]+>$/,
        ),
      }),
    ]);
  });

  it('logs delivery errors into an encrypted group of its own, with retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `${apiLogs.logGroupNamePrefix}/firehose`, RetentionInDays: 365 });
  });
});

describe('LogPipeline.s3() options', () => {
  it('applies the lifecycle, buffering and removal policy the user sets', () => {
    const { template } = synth(
      LogPipeline.s3({
        transitionToGlacierAfter: Duration.days(30),
        expireAfter: Duration.days(3650),
        bufferingInterval: Duration.seconds(60),
      }),
      { removalPolicy: RemovalPolicy.DESTROY },
    );
    const archive = Object.entries(resources(template, 'AWS::S3::Bucket')).find(([id]) => id.includes('ArchiveBucket'))![1];
    expect(archive.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
      Transitions: [{ TransitionInDays: 30 }],
      ExpirationInDays: 3650,
    });
    expect(archive.DeletionPolicy).toBe('Delete');
    expect(streams(template)[0].ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds).toBe(60);
  });

  it('sends server access logs to a bucket the user brings', () => {
    const { template } = synth((stack) =>
      LogPipeline.s3({ serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Central', 'central-s3-access-logs') }),
    );
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: 'central-s3-access-logs' } });
  });

  it.each([
    [
      LogPipeline.s3({ transitionToGlacierAfter: Duration.days(90), expireAfter: Duration.days(60) }),
      'logging.pipeline.expireAfter (60 days) must be later than transitionToGlacierAfter (90 days)',
    ],
    [
      LogPipeline.s3({ bufferingInterval: Duration.seconds(30) }),
      'logging.pipeline.bufferingInterval must be between 60 and 900 seconds, got 30',
    ],
  ])('rejects bad options: %#', (pipeline, message) => {
    expect(() => synth(pipeline)).toThrow(`SecureApi 'Stack/Api': ${message}`);
  });
});

describe('LogPipeline.openSearch()', () => {
  const { template } = synth(LogPipeline.openSearch({ domainArn: DOMAIN_ARN, indexName: 'orders' }));
  const configs = streams(template).map((s) => s.AmazonopensearchserviceDestinationConfiguration);

  it('indexes each source into its own daily index of the domain, archiving every record to S3', () => {
    expect(configs.map((c) => c.IndexName).sort()).toEqual(['orders-access', 'orders-waf']);
    for (const config of configs) {
      expect(config).toMatchObject({
        DomainARN: DOMAIN_ARN,
        IndexRotationPeriod: 'OneDay',
        S3BackupMode: 'AllDocuments',
        RetryOptions: { DurationInSeconds: 300 },
      });
      expect(config.S3Configuration.Prefix).toMatch(/^opensearch\/(access|waf)-logs\/year=/);
      expect(config.S3Configuration.ErrorOutputPrefix).toMatch(/^errors\/(access|waf)-logs\/!\{firehose:error-output-type\}\//);
      expect(config.ProcessingConfiguration.Processors.map((p: any) => p.Type)).toEqual(['Decompression', 'CloudWatchLogProcessing']);
    }
    expect(streams(template).every((s) => s.ExtendedS3DestinationConfiguration === undefined)).toBe(true);
  });

  it('lets Firehose write to that domain only', () => {
    const es = policyStatements(template).filter((s) => JSON.stringify(s.Action).includes('es:'));
    expect(es).toEqual([
      expect.objectContaining({ Action: ['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig'], Resource: DOMAIN_ARN }),
      expect.objectContaining({ Action: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut'], Resource: [DOMAIN_ARN, `${DOMAIN_ARN}/*`] }),
    ]);
  });

  it('backs up only failed documents when asked', () => {
    const { template: failedOnly } = synth(LogPipeline.openSearch({ domainArn: DOMAIN_ARN, archiveAllRecords: false }));
    for (const s of streams(failedOnly)) {
      expect(s.AmazonopensearchserviceDestinationConfiguration.S3BackupMode).toBe('FailedDocumentsOnly');
      expect(s.AmazonopensearchserviceDestinationConfiguration.IndexName).toMatch(/^api-logs-(access|waf)$/);
    }
  });

  it.each([
    [
      { domainArn: 'arn:aws:s3:::bucket' },
      "logging.pipeline.domainArn must be an OpenSearch domain ARN (arn:aws:es:<region>:<account>:domain/<name>), got 'arn:aws:s3:::bucket'",
    ],
    [
      { domainArn: DOMAIN_ARN, indexRotation: 'Hourly' },
      "logging.pipeline.indexRotation must be one of NoRotation, OneHour, OneDay, OneWeek, OneMonth, got 'Hourly'",
    ],
  ])('rejects bad options: %#', (options, message) => {
    expect(() => synth(LogPipeline.openSearch(options))).toThrow(`SecureApi 'Stack/Api': ${message}`);
  });
});

describe('LogPipeline.httpEndpoint() (Splunk HEC)', () => {
  const secretOf = (stack: Stack) => secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hec', SECRET_ARN);
  const url = 'https://http-inputs-firehose-example.splunkcloud.com:443/services/collector/raw';
  const { template } = synth((stack) => LogPipeline.httpEndpoint({ url, name: 'Splunk', accessKeySecret: secretOf(stack) }));
  const configs = streams(template).map((s) => s.HttpEndpointDestinationConfiguration);

  it('posts gzip batches to the endpoint with its access key read from Secrets Manager, archiving every record to S3', () => {
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config.EndpointConfiguration).toEqual({ Url: url, Name: 'Splunk' });
      expect(config.SecretsManagerConfiguration).toEqual({
        Enabled: true,
        SecretARN: SECRET_ARN,
        RoleARN: expect.stringMatching(/^<LogsPipelineDeliveryRole.*\.Arn>$/),
      });
      expect(config.RequestConfiguration.ContentEncoding).toBe('GZIP');
      expect(config.S3BackupMode).toBe('AllData');
      expect(config.S3Configuration.Prefix).toMatch(/^http-endpoint\/(access|waf)-logs\/year=/);
    }
    expect(
      configs
        .map((c) => c.RequestConfiguration.CommonAttributes[0])
        .sort((a: any, b: any) => a.AttributeValue.localeCompare(b.AttributeValue)),
    ).toEqual([
      { AttributeName: 'source', AttributeValue: 'access' },
      { AttributeName: 'source', AttributeValue: 'waf' },
    ]);
  });

  it('never puts the access key in the template', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/AccessKey/);
  });

  it('lets Firehose read that one secret', () => {
    expect(policyStatements(template)).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }),
    );
  });

  it('backs up only failed records when asked, and refuses plain http', () => {
    const { template: failedOnly } = synth((stack) =>
      LogPipeline.httpEndpoint({ url, accessKeySecret: secretOf(stack), archiveAllRecords: false }),
    );
    expect(streams(failedOnly).map((s) => s.HttpEndpointDestinationConfiguration.S3BackupMode)).toEqual([
      'FailedDataOnly',
      'FailedDataOnly',
    ]);
    expect(() =>
      synth((stack) => LogPipeline.httpEndpoint({ url: 'http://splunk.internal:8088', accessKeySecret: secretOf(stack) })),
    ).toThrow("SecureApi 'Stack/Api': logging.pipeline.url must be an https:// URL, got 'http://splunk.internal:8088'");
  });
});

describe('LogPipeline.crossAccount()', () => {
  const destinationArn = 'arn:aws:logs:eu-west-1:999999999999:destination:central-api-logs';
  const { template } = synth(LogPipeline.crossAccount({ destinationArn }));

  it('subscribes both logs straight to the central destination, with no role, stream or bucket here', () => {
    const filters = Object.values(resources(template, 'AWS::Logs::SubscriptionFilter')).map((f) => f.Properties);
    expect(filters).toHaveLength(2);
    for (const filter of filters) {
      expect(filter.DestinationArn).toBe(destinationArn);
      expect(filter.RoleArn).toBeUndefined();
    }
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  it('rejects an ARN that is not a CloudWatch Logs destination', () => {
    expect(() => synth(LogPipeline.crossAccount({ destinationArn: 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/x' }))).toThrow(
      "SecureApi 'Stack/Api': logging.pipeline.destinationArn must be a CloudWatch Logs destination ARN (arn:aws:logs:<region>:<account>:destination:<name>), got 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/x'",
    );
  });
});

describe('server access logging of the archive', () => {
  const { template } = synth(LogPipeline.s3());
  const buckets = resources(template, 'AWS::S3::Bucket');
  const [archiveId] = Object.entries(buckets).find(([id]) => id.includes('ArchiveBucket'))!;
  const [accessLogsId, accessLogs] = Object.entries(buckets).find(([id]) => id.includes('ServerAccessLogs'))!;

  it('grants the S3 logging service by bucket policy, for the archive of this account only, and uses no ACL', () => {
    expect(accessLogs.Properties.AccessControl).toBeUndefined();
    expect(accessLogs.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const policy = Object.values(resources(template, 'AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket === `<${accessLogsId}>`)!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `<${accessLogsId}.Arn>/log-archive/*`,
        Condition: { ArnLike: { 'aws:SourceArn': `<${archiveId}.Arn>` }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    );
  });
});
