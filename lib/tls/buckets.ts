import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TRUSTSTORE_VERSION_ATTRIBUTE, TruststoreUploadProperties } from '../../contracts/truststore-upload';
import {
  acknowledgeFindings,
  acknowledgeReplication,
  AccessLogsBucket,
  CUSTOM_RESOURCE_NO_DLQ_REASON,
  HandlerFunction,
  hardenedBucketProps,
  ruleInPacks,
} from '../common';

export { AccessLogsBucket } from '../common';

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
    handler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(TruststoreStore.KEY)] }),
    );

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
