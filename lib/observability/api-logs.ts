import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Where and how long the API's logs are kept. */
export interface LoggingOptions {
  /**
   * How long every log group the library creates keeps its events.
   * @default RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What happens to the log groups and their key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The KMS key that encrypts the log groups. Its policy must let CloudWatch Logs use it.
   * @default - a new key with rotation on, usable by CloudWatch Logs for this account's log groups only
   */
  readonly encryptionKey?: kms.IKey;
}

/** The access-log fields SecureApi writes, as JSON (never the Authorization header, key values or bodies). */
export const ACCESS_LOG_FIELDS: { readonly [field: string]: string } = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
};

/** The KMS-encrypted log group that receives the stage's JSON access log. */
export class ApiLogs extends Construct {
  public readonly encryptionKey: kms.IKey;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly retention: logs.RetentionDays;
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: LoggingOptions = {}) {
    super(scope, id);
    this.retention = props.retention ?? logs.RetentionDays.ONE_YEAR;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? this.createLogKey();
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey: this.encryptionKey,
      retention: this.retention,
      removalPolicy: this.removalPolicy,
    });
  }

  /** The stage's access log destination. */
  public accessLogDestination(): apigw.IAccessLogDestination {
    return new apigw.LogGroupLogDestination(this.accessLogGroup);
  }

  /** The JSON access log format. */
  public accessLogFormat(): apigw.AccessLogFormat {
    return apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
  }

  private createLogKey(): kms.Key {
    const key = new kms.Key(this, 'LogKey', {
      description: `Encrypts the logs of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: this.removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Stack.of(this).account}:log-group:*` },
        },
      }),
    );
    return key;
  }
}
