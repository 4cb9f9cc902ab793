import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TRUSTSTORE_VERSION_ATTRIBUTE, TruststoreUploadProperties } from '../../contracts/truststore-upload';
import { acknowledgeFindings, CUSTOM_RESOURCE_NO_DLQ_REASON, HandlerFunction, ruleInPacks } from '../common';

/** The settings every bucket of this concern shares: private, TLS-only (TLS 1.2+), versioned, retained. */
function hardenedBucketProps(): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** One reason for the packs' cross-region replication rule, which fits every bucket here. */
function acknowledgeReplication(bucket: s3.IBucket, what: string): void {
  acknowledgeFindings(
    bucket,
    ruleInPacks('S3BucketReplicationEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
    `${what}; versioning keeps every earlier object, and a replica in a second region would protect nothing the single-region API could use.`,
  );
}

/**
 * The destination of the server access logs of this concern's buckets. It cannot log to itself, and
 * S3 delivers server access logs only to SSE-S3 buckets, which is why it is not encrypted with KMS.
 */
export class AccessLogsBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: { readonly retention: Duration }) {
    super(scope, id, {
      ...hardenedBucketProps(),
      // No ACLs: S3's log delivery is allowed by the bucket policy (allowLogsFrom), whatever the app's feature flags.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: props.retention, noncurrentVersionExpiration: Duration.days(30) }],
    });
    acknowledgeFindings(
      this,
      ['AwsSolutions-S1', ...ruleInPacks('S3BucketLoggingEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'])],
      'This bucket is the server access log destination of the other buckets; logging it into itself would log its own log deliveries without end.',
    );
    acknowledgeFindings(
      this,
      ruleInPacks('S3DefaultEncryptionKMS', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
      'Amazon S3 delivers server access logs only to buckets encrypted with SSE-S3; SSE-KMS is not supported for a log destination bucket.',
    );
    acknowledgeReplication(this, 'It holds access logs that expire after the retention period');
  }

  /**
   * Turns on server access logging of `source` into this bucket under `prefix`, granted by this bucket's
   * policy to S3's log delivery for that source bucket only. (aws-cdk-lib's `serverAccessLogsBucket` would
   * fall back to the deprecated LogDeliveryWrite ACL in apps without the serverAccessLogsUseBucketPolicy flag.)
   */
  public allowLogsFrom(source: s3.Bucket, prefix: string): void {
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `S3ServerAccessLogs${prefix.replace(/[^A-Za-z0-9]/g, '')}`,
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.arnForObjects(`${prefix}*`)],
        conditions: { ArnLike: { 'aws:SourceArn': source.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    (source.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: this.bucketName, logFilePrefix: prefix };
  }
}

export interface TruststoreStoreProps {
  /** The truststore, already validated (`validateTruststore`). */
  readonly pem: string;
  readonly accessLogs: AccessLogsBucket;
  /** The upload function's own log group (`ApiLogs.functionLogGroup`). */
  readonly handlerLogGroup: logs.ILogGroup;
}

/**
 * A mutual TLS truststore in a bucket of its own: versioned, SSE-S3, TLS-only, public access blocked,
 * server access logs on. A small custom resource writes the PEM and returns the object version, which
 * the custom domain pins, so a changed truststore reaches API Gateway as a new version.
 */
export class TruststoreStore extends Construct {
  public static readonly KEY = 'truststore/truststore.pem';
  public readonly bucket: s3.Bucket;
  public readonly uri: string;
  public readonly version: string;

  constructor(scope: Construct, id: string, props: TruststoreStoreProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...hardenedBucketProps(),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    });
    props.accessLogs.allowLogsFrom(this.bucket, 'truststore/');
    acknowledgeFindings(
      this.bucket,
      ruleInPacks('S3DefaultEncryptionKMS', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
      'The bucket holds only the truststore, public CA certificates that every client may see; it is encrypted with SSE-S3, and a KMS key would protect no secret.',
    );
    acknowledgeReplication(this.bucket, 'It holds the truststore, which is rebuilt from the stack on every deployment');

    const handler = new HandlerFunction(this, 'Upload', {
      handlerName: 'truststore-upload',
      purpose: 'writes the mutual TLS truststore into its versioned bucket',
      logGroup: props.handlerLogGroup,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 1,
      noDeadLetterQueueReason: CUSTOM_RESOURCE_NO_DLQ_REASON,
    });
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(TruststoreStore.KEY)] }));

    const properties: TruststoreUploadProperties = { Bucket: this.bucket.bucketName, Key: TruststoreStore.KEY, Pem: props.pem };
    const upload = new CustomResource(this, 'Object', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::SecureApiTruststore',
      properties: { ...properties },
    });
    // The bucket policy (TLS-only) must exist before the first write.
    upload.node.addDependency(this.bucket.policy!);
    this.uri = `s3://${this.bucket.bucketName}/${TruststoreStore.KEY}`;
    this.version = upload.getAttString(TRUSTSTORE_VERSION_ATTRIBUTE);
  }
}
