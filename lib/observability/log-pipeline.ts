import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createSecureKey } from '../common/secure-key';
import { acknowledgeFindings, controlTowerRule, ruleInPacks } from '../common/acknowledge';
import { acknowledgeLogBucketControls } from '../common/hardened-buckets';
import { LeastPrivilegeRole } from '../common/least-privilege-role';
import { PropCheck, SecureApiConfigError } from '../model/config-error';

/** How the central archive in S3 keeps the logs. */
export interface LogArchiveOptions {
  /**
   * When objects move to S3 Glacier Flexible Retrieval.
   * @default Duration.days(90)
   */
  readonly transitionToGlacierAfter?: Duration;
  /**
   * When objects are deleted. Must be later than `transitionToGlacierAfter`.
   * @default Duration.days(730)
   */
  readonly expireAfter?: Duration;
  /**
   * How long Firehose buffers records before writing a file (60 to 900 s).
   * @default Duration.minutes(5)
   */
  readonly bufferingInterval?: Duration;
  /**
   * An existing bucket to receive the archive bucket's S3 server access logs.
   * @default - a new bucket (SSE-S3, which server access logging requires), kept as long as the archive
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/** An existing Amazon OpenSearch Service domain (the ELK option) to index the logs into. */
export interface OpenSearchPipelineOptions extends LogArchiveOptions {
  /** ARN of the domain (public endpoint, fine-grained access control mapping Firehose's role). */
  readonly domainArn: string;
  /**
   * Index name prefix; the source (`access`, `waf`) and the rotation date are appended.
   * @default 'api-logs'
   */
  readonly indexName?: string;
  /**
   * Index rotation: NoRotation, OneHour, OneDay, OneWeek or OneMonth.
   * @default 'OneDay'
   */
  readonly indexRotation?: string;
  /**
   * Also keep every record in the S3 archive, not only those OpenSearch rejected.
   * @default true
   */
  readonly archiveAllRecords?: boolean;
}

/** An HTTPS endpoint such as Splunk HEC, Datadog or Elastic, reached by Firehose. */
export interface HttpEndpointPipelineOptions extends LogArchiveOptions {
  /** The endpoint URL (https only). */
  readonly url: string;
  /**
   * The secret holding the endpoint's access key, as Firehose expects it: a JSON object `{"api_key": "..."}`.
   * Firehose reads it at delivery time; the key never appears in the template.
   */
  readonly accessKeySecret: secretsmanager.ISecret;
  /**
   * A display name for the endpoint.
   * @default - none
   */
  readonly name?: string;
  /**
   * Also keep every record in the S3 archive, not only those the endpoint rejected.
   * @default true
   */
  readonly archiveAllRecords?: boolean;
}

/** A CloudWatch Logs destination in a central logging account. */
export interface CrossAccountPipelineOptions {
  /** `arn:aws:logs:<region>:<account>:destination:<name>`; its access policy must allow this account. */
  readonly destinationArn: string;
}

/** One log group to ship. */
export interface LogPipelineSource {
  /** Short name: the S3 prefix, index suffix and construct id part (`access`, `waf`). */
  readonly name: string;
  /** The log group. */
  readonly logGroup: logs.ILogGroup;
}

/** Creates log groups named, encrypted and retained like every other SecureApi log group (`ApiLogs` is one). */
export interface ILogGroupFactory {
  /** A new log group named `<prefix>/<name>`. */
  createLogGroup(scope: Construct, id: string, name: string): logs.LogGroup;
}

/** What a pipeline needs from the API's logging. */
export interface LogPipelineBindOptions {
  /** The API's path, for messages. */
  readonly label: string;
  /** The log groups to ship. */
  readonly sources: LogPipelineSource[];
  /** Creates the pipeline's own log groups (Firehose delivery errors) the way every SecureApi group is created. */
  readonly logGroups: ILogGroupFactory;
  /** Removal policy of the archive and its key. */
  readonly removalPolicy: RemovalPolicy;
}

/** What a pipeline created. */
export interface LogPipelineResources {
  /** The destination kind: s3, opensearch, http-endpoint or cross-account. */
  readonly kind: string;
  /** The archive bucket, for Firehose pipelines. */
  readonly archiveBucket?: s3.IBucket;
  /** One delivery stream a source, for Firehose pipelines. */
  readonly deliveryStreams: firehose.CfnDeliveryStream[];
  /** One subscription filter a source. */
  readonly subscriptionFilters: logs.CfnSubscriptionFilter[];
}

/**
 * Where the API's logs go besides CloudWatch Logs. Off unless chosen, because it costs money; one prop away:
 * `logging: { pipeline: LogPipeline.s3() }`.
 */
export abstract class LogPipeline {
  /** Amazon Data Firehose into a KMS-encrypted, versioned, TLS-only S3 archive, partitioned by date. */
  public static s3(options: LogArchiveOptions = {}): LogPipeline {
    return new FirehosePipeline('s3', options);
  }

  /** Amazon Data Firehose into an existing OpenSearch domain, with the S3 archive for failed (and by default all) records. */
  public static openSearch(options: OpenSearchPipelineOptions): LogPipeline {
    return new FirehosePipeline('opensearch', options, options);
  }

  /** Amazon Data Firehose into an HTTPS endpoint (for example Splunk HEC), its access key from Secrets Manager, with the S3 archive for failed (and by default all) records. */
  public static httpEndpoint(options: HttpEndpointPipelineOptions): LogPipeline {
    return new FirehosePipeline('http-endpoint', options, undefined, options);
  }

  /** A subscription filter straight into a CloudWatch Logs destination in a central logging account. */
  public static crossAccount(options: CrossAccountPipelineOptions): LogPipeline {
    return new CrossAccountPipeline(options);
  }

  /** The destination kind. */
  public abstract readonly kind: string;

  /** Creates the pipeline's resources under `scope`. Called by SecureApi. */
  public abstract bind(scope: Construct, options: LogPipelineBindOptions): LogPipelineResources;
}

const DATE_PARTITION = 'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';

class CrossAccountPipeline extends LogPipeline {
  public readonly kind = 'cross-account';

  constructor(private readonly options: CrossAccountPipelineOptions) {
    super();
  }

  public bind(scope: Construct, options: LogPipelineBindOptions): LogPipelineResources {
    const arn = this.options.destinationArn;
    if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:destination:[^:\s]+$/.test(arn)) {
      throw new SecureApiConfigError(
        options.label,
        'logging.pipeline.destinationArn',
        `must be a CloudWatch Logs destination ARN (arn:aws:logs:<region>:<account>:destination:<name>), got '${arn}'`,
      );
    }
    const subscriptionFilters = options.sources.map(
      // A destination in another account authorizes this account in its own access policy: no role here.
      (source) =>
        new logs.CfnSubscriptionFilter(scope, `Ship${pascal(source.name)}Logs`, {
          logGroupName: source.logGroup.logGroupName,
          destinationArn: arn,
          filterPattern: '',
        }),
    );
    return { kind: this.kind, deliveryStreams: [], subscriptionFilters };
  }
}

class FirehosePipeline extends LogPipeline {
  constructor(
    public readonly kind: string,
    private readonly archive: LogArchiveOptions,
    private readonly openSearch?: OpenSearchPipelineOptions,
    private readonly http?: HttpEndpointPipelineOptions,
  ) {
    super();
  }

  public bind(scope: Construct, options: LogPipelineBindOptions): LogPipelineResources {
    const { label } = options;
    const check = new PropCheck(label, 'logging.pipeline');
    const transition = this.archive.transitionToGlacierAfter ?? Duration.days(90);
    const expire = this.archive.expireAfter ?? Duration.days(730);
    if (expire.toDays() <= transition.toDays()) {
      check.fail('expireAfter', `(${expire.toDays()} days) must be later than transitionToGlacierAfter (${transition.toDays()} days)`);
    }
    const interval = this.archive.bufferingInterval?.toSeconds() ?? 300;
    if (interval < 60 || interval > 900) check.fail('bufferingInterval', `must be between 60 and 900 seconds, got ${interval}`);
    if (this.http && !Token.isUnresolved(this.http.url) && !/^https:\/\/[^\s/]+/.test(this.http.url)) {
      check.fail('url', `must be an https:// URL, got '${this.http.url}'`);
    }
    if (
      this.openSearch &&
      !Token.isUnresolved(this.openSearch.domainArn) &&
      !/^arn:aws[a-z-]*:es:[a-z0-9-]+:\d{12}:domain\/[a-z][a-z0-9-]{2,27}$/.test(this.openSearch.domainArn)
    ) {
      check.fail(
        'domainArn',
        `must be an OpenSearch domain ARN (arn:aws:es:<region>:<account>:domain/<name>), got '${this.openSearch.domainArn}'`,
      );
    }
    const rotation = this.openSearch?.indexRotation ?? 'OneDay';
    if (!['NoRotation', 'OneHour', 'OneDay', 'OneWeek', 'OneMonth'].includes(rotation)) {
      check.fail('indexRotation', `must be one of NoRotation, OneHour, OneDay, OneWeek, OneMonth, got '${rotation}'`);
    }

    const stack = Stack.of(scope);
    const archive = new LogArchive(scope, 'Archive', { ...this.archive, transition, expire, removalPolicy: options.removalPolicy });
    const errorLogGroup = options.logGroups.createLogGroup(scope, 'DeliveryErrorLogs', 'firehose');
    const errorLogStream = new logs.LogStream(scope, 'DeliveryErrorStream', {
      logGroup: errorLogGroup,
      logStreamName: ERROR_STREAM,
      removalPolicy: options.removalPolicy,
    });
    const errorLogging = { enabled: true, logGroupName: errorLogGroup.logGroupName, logStreamName: ERROR_STREAM };

    // Firehose's role: a customer-managed policy listing exactly what delivery needs.
    const role = new LeastPrivilegeRole(scope, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `Lets Amazon Data Firehose deliver the logs of ${label}`,
    });
    const statements: iam.PolicyStatement[] = [
      new iam.PolicyStatement({
        actions: [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:GetObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:PutObject',
        ],
        resources: [archive.bucket.bucketArn, archive.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [archive.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
          // With S3 Bucket Keys the encryption context is the bucket's ARN; without, the object's.
          ArnLike: { 'kms:EncryptionContext:aws:s3:arn': [archive.bucket.bucketArn, archive.bucket.arnForObjects('*')] },
        },
      }),
      new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [logStreamArn(stack, errorLogGroup, errorLogStream)] }),
    ];
    if (this.openSearch) {
      const domain = this.openSearch.domainArn;
      statements.push(
        new iam.PolicyStatement({ actions: ['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig'], resources: [domain] }),
        new iam.PolicyStatement({ actions: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut'], resources: [domain, `${domain}/*`] }),
      );
    }
    if (this.http) {
      statements.push(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.http.accessKeySecret.secretArn] }),
      );
      const secretKey = this.http.accessKeySecret.encryptionKey;
      if (secretKey !== undefined) {
        statements.push(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [secretKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
          }),
        );
      }
    }
    const policy = statements.map((statement) => role.addToPrincipalPolicy(statement).policyDependable!)[0];
    const bucketArn = `<${stack.getLogicalId(archive.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    acknowledgeFindings(
      role,
      [`AwsSolutions-IAM5[Resource::${bucketArn}/*]`],
      'Firehose writes date-partitioned objects whose keys are not known in advance; the grant is limited to this one archive bucket, which holds only these logs.',
    );
    if (this.openSearch) {
      acknowledgeFindings(
        role,
        [`AwsSolutions-IAM5[Resource::${this.openSearch.domainArn}/*]`],
        'Firehose creates and writes time-rotated indices whose names are not known in advance; the grant is limited to the one OpenSearch domain the user chose.',
      );
    }

    // CloudWatch Logs' role for the subscription filters: put records into these streams only.
    const subscriptionRole = new LeastPrivilegeRole(scope, 'SubscriptionRole', {
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com', {
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
      description: `Lets CloudWatch Logs send the logs of ${label} to Amazon Data Firehose`,
    });

    const deliveryStreams: firehose.CfnDeliveryStream[] = [];
    const subscriptionFilters: logs.CfnSubscriptionFilter[] = [];
    for (const source of options.sources) {
      const id = pascal(source.name);
      const prefix = `${source.name}-logs/`;
      const s3Destination = (dataPrefix: string): firehose.CfnDeliveryStream.S3DestinationConfigurationProperty => ({
        bucketArn: archive.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: `${dataPrefix}${DATE_PARTITION}`,
        errorOutputPrefix: `errors/${prefix}!{firehose:error-output-type}/${DATE_PARTITION}`,
        compressionFormat: 'GZIP',
        bufferingHints: { intervalInSeconds: interval, sizeInMBs: 5 },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: archive.key.keyArn } },
        cloudWatchLoggingOptions: errorLogging,
      });
      const common = {
        processingConfiguration: CLOUDWATCH_LOGS_DECOMPRESSION,
        cloudWatchLoggingOptions: errorLogging,
      };
      const stream = new firehose.CfnDeliveryStream(scope, `${id}DeliveryStream`, {
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: archive.key.keyArn },
        extendedS3DestinationConfiguration: this.openSearch || this.http ? undefined : { ...s3Destination(prefix), ...common },
        amazonopensearchserviceDestinationConfiguration: this.openSearch
          ? {
              ...common,
              domainArn: this.openSearch.domainArn,
              indexName: `${this.openSearch.indexName ?? 'api-logs'}-${source.name}`,
              indexRotationPeriod: rotation,
              roleArn: role.roleArn,
              s3BackupMode: this.openSearch.archiveAllRecords === false ? 'FailedDocumentsOnly' : 'AllDocuments',
              s3Configuration: s3Destination(`opensearch/${prefix}`),
              bufferingHints: { intervalInSeconds: interval, sizeInMBs: 5 },
              retryOptions: { durationInSeconds: 300 },
            }
          : undefined,
        httpEndpointDestinationConfiguration: this.http
          ? {
              ...common,
              endpointConfiguration: { url: this.http.url, name: this.http.name },
              secretsManagerConfiguration: { enabled: true, secretArn: this.http.accessKeySecret.secretArn, roleArn: role.roleArn },
              requestConfiguration: {
                contentEncoding: 'GZIP',
                commonAttributes: [{ attributeName: 'source', attributeValue: source.name }],
              },
              roleArn: role.roleArn,
              s3BackupMode: this.http.archiveAllRecords === false ? 'FailedDataOnly' : 'AllData',
              s3Configuration: s3Destination(`http-endpoint/${prefix}`),
              bufferingHints: { intervalInSeconds: interval, sizeInMBs: 5 },
              retryOptions: { durationInSeconds: 300 },
            }
          : undefined,
      });
      // The role's policy must exist before Firehose validates its access.
      stream.node.addDependency(policy);
      deliveryStreams.push(stream);

      const putRecords = subscriptionRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [stream.attrArn] }),
      ).policyDependable!;
      const filter = new logs.CfnSubscriptionFilter(scope, `Ship${id}Logs`, {
        logGroupName: source.logGroup.logGroupName,
        destinationArn: stream.attrArn,
        roleArn: subscriptionRole.roleArn,
        filterPattern: '',
      });
      filter.node.addDependency(putRecords);
      subscriptionFilters.push(filter);
    }
    return { kind: this.kind, archiveBucket: archive.bucket, deliveryStreams, subscriptionFilters };
  }
}

/** CloudWatch Logs sends gzip-compressed envelopes: unpack them so destinations receive the JSON log lines. */
const CLOUDWATCH_LOGS_DECOMPRESSION: firehose.CfnDeliveryStream.ProcessingConfigurationProperty = {
  enabled: true,
  processors: [
    { type: 'Decompression', parameters: [{ parameterName: 'CompressionFormat', parameterValue: 'GZIP' }] },
    { type: 'CloudWatchLogProcessing', parameters: [{ parameterName: 'DataMessageExtraction', parameterValue: 'true' }] },
  ],
};

interface LogArchiveProps extends LogArchiveOptions {
  readonly transition: Duration;
  readonly expire: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/** The S3 archive: KMS-encrypted, versioned, TLS-only, private, access-logged, moving to Glacier and expiring. */
class LogArchive extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    this.key = createSecureKey(this, 'Key', {
      description: `Encrypts the central log archive of ${scope.node.path} (cdk-secure-api)`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const lifecycle: s3.LifecycleRule[] = [
      {
        id: 'archive-then-expire',
        transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: props.transition }],
        expiration: props.expire,
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ];
    let serverAccessLogs = props.serverAccessLogsBucket;
    if (serverAccessLogs === undefined) {
      const created = new s3.Bucket(this, 'ServerAccessLogs', {
        // S3 server access logging can deliver only to buckets encrypted with SSE-S3.
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        // No ACLs: the logging service is granted by the bucket policy below, whatever the app's feature flags.
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [
          {
            id: 'expire',
            expiration: props.expire,
            noncurrentVersionExpiration: Duration.days(30),
            abortIncompleteMultipartUploadAfter: Duration.days(7),
          },
        ],
        removalPolicy: props.removalPolicy,
      });
      acknowledgeFindings(
        created,
        [
          ...ruleInPacks('S3DefaultEncryptionKMS', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
          controlTowerRule('s3_bucket_default_encryption_kms_check'),
        ],
        'S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES-256); SSE-KMS is not supported for its target bucket.',
      );
      acknowledgeFindings(
        created,
        [controlTowerRule('s3_bucket_logging_enabled_check')],
        'This bucket is the server access log destination of the log archive; logging it into itself would log its own log deliveries without end.',
      );
      acknowledgeLogBucketControls(created);
      acknowledgeFindings(
        created,
        ruleInPacks('S3BucketReplicationEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
        'These are access logs of the log archive, versioned and retained; cross-region replication is a disaster-recovery choice left to the account owner.',
      );
      serverAccessLogs = created;
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: lifecycle,
      removalPolicy: props.removalPolicy,
    });
    acknowledgeLogBucketControls(this.bucket);
    // Server access logging set here rather than through `serverAccessLogsBucket`, which grants the logging
    // service with a (deprecated) ACL unless the app sets the serverAccessLogsUseBucketPolicy feature flag.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: serverAccessLogs.bucketName,
      logFilePrefix: ACCESS_LOG_PREFIX,
    };
    serverAccessLogs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowS3ServerAccessLogsOfTheLogArchive',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [serverAccessLogs.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    acknowledgeFindings(
      this.bucket,
      ruleInPacks('S3BucketReplicationEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
      'The archive is itself a second copy of logs kept in CloudWatch Logs; it is versioned and KMS-encrypted, and cross-region replication is a disaster-recovery choice left to the account owner.',
    );
  }
}

function logStreamArn(stack: Stack, group: logs.ILogGroup, stream: logs.LogStream): string {
  return Arn.format(
    {
      service: 'logs',
      resource: 'log-group',
      resourceName: `${group.logGroupName}:log-stream:${stream.logStreamName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}

const ERROR_STREAM = 'delivery-errors';
const ACCESS_LOG_PREFIX = 'log-archive/';

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}
