import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFindings, controlTowerRule, ruleInPacks } from './acknowledge';

/** The settings every bucket SecureApi creates shares: private, TLS-only (TLS 1.2+), versioned, SSE-S3, retained. */
export function hardenedBucketProps(): s3.BucketProps {
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
export function acknowledgeReplication(bucket: s3.IBucket, what: string): void {
  acknowledgeFindings(
    bucket,
    ruleInPacks('S3BucketReplicationEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
    `${what}; versioning keeps every earlier object, and a replica in a second region would protect nothing the single-region API could use.`,
  );
}

/**
 * The two Control Tower S3 controls that do not fit a bucket that holds logs (CT.S3.PR.9 Object Lock,
 * CT.S3.PR.4 event notifications), acknowledged on each log bucket SecureApi creates with one reason each.
 */
export function acknowledgeLogBucketControls(bucket: s3.IBucket): void {
  acknowledgeFindings(
    bucket,
    [controlTowerRule('s3_bucket_object_lock_enabled_check')],
    'Object Lock is a records-retention decision with legal weight that the construct cannot make for its user: locked versions would outlive the configured log retention and the removal policy, while versioning already keeps every overwritten or deleted log object recoverable.',
  );
  acknowledgeFindings(
    bucket,
    [controlTowerRule('s3_event_notifications_enabled_check')],
    'Only AWS log delivery writes to this bucket and nothing processes its objects as they arrive, so an event notification would have no consumer.',
  );
}

/**
 * The destination of the server access logs of SecureApi's buckets. It cannot log to itself, and
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
      [
        'AwsSolutions-S1',
        ...ruleInPacks('S3BucketLoggingEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
        controlTowerRule('s3_bucket_logging_enabled_check'),
      ],
      'This bucket is the server access log destination of the other buckets; logging it into itself would log its own log deliveries without end.',
    );
    acknowledgeFindings(
      this,
      [
        ...ruleInPacks('S3DefaultEncryptionKMS', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
        controlTowerRule('s3_bucket_default_encryption_kms_check'),
      ],
      'Amazon S3 delivers server access logs only to buckets encrypted with SSE-S3; SSE-KMS is not supported for a log destination bucket.',
    );
    acknowledgeLogBucketControls(this);
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
