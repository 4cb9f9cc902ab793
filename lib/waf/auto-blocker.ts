import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnIPSet } from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { ACCESS_LOG_PROBE_FILTER_PATTERN, PROBE_FILTER_PATTERN } from '../../contracts/probe-log';
import { IP_BLOCKER_ENV, IP_BLOCKER_EXPIRY_EVENT, IP_BLOCKER_METRICS, IP_BLOCKER_TABLE, IpSetReference } from '../../contracts/ip-blocker';
import { acknowledgeFindings, controlTowerRule, HandlerFunction, ruleInPacks } from '../common';
import { AutoBlockSettings } from './waf-config';
import { wafDescription } from './web-acl-rules';

/** An alarm the monitoring should raise on one of the blocker's metrics (lib/observability wires actions). */
export interface BlockerAlarm {
  readonly id: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  /** The alarm fires above this value. */
  readonly threshold: number;
  /**
   * Alarm on the first period above the threshold (an event that should never happen), not on a sustained rate.
   * @default false
   */
  readonly firstBreach?: boolean;
}

/** Automatic blocking of a SecureApi's stage, as `SecureApi.waf.autoBlocker` exposes it. */
export interface IIpAutoBlocker extends IConstruct {
  /** The IPv4 set the function maintains; the web ACL blocks it. */
  readonly ipv4Set: CfnIPSet;
  /** The IPv6 set the function maintains; the web ACL blocks it. */
  readonly ipv6Set: CfnIPSet;
  /** The function that counts failures and blocks addresses. */
  readonly function: lambda.IFunction;
  /** Failure counters (with TTL) and block records. */
  readonly table: dynamodb.Table;
  /** Deliveries the function failed to process after Lambda's retries. */
  readonly deadLetterQueue: sqs.Queue;
  /** Alarms the monitoring raises: a full block set, and log lines the function could not read. */
  readonly alarms: BlockerAlarm[];
}

export interface IpAutoBlockerProps {
  readonly label: string;
  /** The value of the metrics' `Api` dimension. */
  readonly apiName: string;
  readonly settings: AutoBlockSettings;
  /**
   * The JWT authorizer's log group: the function subscribes to its probe lines (contracts/probe-log.ts),
   * the only failures it counts.
   */
  readonly probeLogGroup?: logs.ILogGroup;
  /**
   * The stage's access log group, when some operation uses IAM: the function subscribes to its forged-signature
   * lines (`INVALID_SIGNATURE`, contracts/probe-log.ts).
   * @default - not subscribed
   */
  readonly accessLogGroup?: logs.ILogGroup;
  /** The function's own log group (KMS-encrypted, with retention). */
  readonly functionLogGroup: logs.ILogGroup;
  /** Removal policy of the state table and the dead-letter queue. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Blocks clients that keep probing with forged or malformed tokens: a subscription filter on the JWT
 * authorizer's log feeds the ip-blocker function with the rejections that show probing (never a
 * missing credential, an expired token or a validation error), which it counts per address (IPv6 per
 * network) in a DynamoDB table; addresses over the threshold go into two WAF IP sets (IPv4, IPv6)
 * that the web ACL blocks. A scheduled run releases expired blocks; a full set evicts the block
 * closest to expiry, and alarms say so.
 */
export class IpAutoBlocker extends Construct implements IIpAutoBlocker {
  /** The IPv4 and IPv6 sets the function maintains; the web ACL blocks both. */
  public readonly ipv4Set: CfnIPSet;
  public readonly ipv6Set: CfnIPSet;
  public readonly function: lambda.IFunction;
  /** Failure counters (with TTL) and block records. */
  public readonly table: dynamodb.Table;
  /** Deliveries the function failed to process after Lambda's retries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Alarms on a full block set and on log lines the function could not read. */
  public readonly alarms: BlockerAlarm[];

  constructor(scope: Construct, id: string, props: IpAutoBlockerProps) {
    super(scope, id);
    const { settings } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // The sets start empty; the function owns their content. A set reset by a stack update is
    // refilled from the table by the next scheduled run.
    this.ipv4Set = new CfnIPSet(this, 'Ipv4', {
      scope: 'REGIONAL',
      ipAddressVersion: 'IPV4',
      addresses: [],
      description: wafDescription(`Blocked automatically by ${props.label}, cdk-secure-api ip-blocker`),
    });
    this.ipv6Set = new CfnIPSet(this, 'Ipv6', {
      scope: 'REGIONAL',
      ipAddressVersion: 'IPV6',
      addresses: [],
      description: wafDescription(`Blocked automatically by ${props.label}, cdk-secure-api ip-blocker`),
    });

    this.table = new dynamodb.Table(this, 'State', {
      partitionKey: { name: IP_BLOCKER_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: IP_BLOCKER_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IP_BLOCKER_TABLE.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    acknowledgeFindings(
      this.table,
      ruleInPacks('DynamoDBInBackupPlan', ['NIST.800.53.R5', 'HIPAA.Security']),
      'The table holds short-lived operational state (failure counters that expire with the window, blocks that expire within the block duration) which rebuilds itself from new traffic; point-in-time recovery is on for the rest.',
    );

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledgeFindings(
      this.deadLetterQueue,
      ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy', controlTowerRule('sqs_dlq_check')],
      'This queue is itself the dead-letter queue of the ip-blocker function and its schedule (Lambda DeadLetterConfig, EventBridge target DeadLetterConfig), which cdk-nag does not recognize as a dead-letter queue; a queue for its failures would have no consumer either.',
    );

    const reference = (set: CfnIPSet): string => {
      // Ref of an IP set is `name|id|scope`.
      const parts = Fn.split('|', set.ref, 3);
      return Stack.of(this).toJsonString({
        name: Fn.select(0, parts),
        id: Fn.select(1, parts),
        scope: 'REGIONAL',
      } satisfies IpSetReference);
    };
    const fn = new HandlerFunction(this, 'Function', {
      handlerName: 'ip-blocker',
      purpose: `blocks clients of ${props.label} that keep probing with forged or malformed tokens`,
      logGroup: props.functionLogGroup,
      timeout: Duration.seconds(60),
      memorySize: 256,
      reservedConcurrentExecutions: 5,
      invokedSynchronously: false,
      environment: {
        [IP_BLOCKER_ENV.tableName]: this.table.tableName,
        [IP_BLOCKER_ENV.ipv4Set]: reference(this.ipv4Set),
        [IP_BLOCKER_ENV.ipv6Set]: reference(this.ipv6Set),
        [IP_BLOCKER_ENV.threshold]: String(settings.threshold),
        [IP_BLOCKER_ENV.windowSeconds]: String(settings.windowSeconds),
        [IP_BLOCKER_ENV.blockSeconds]: String(settings.blockSeconds),
        [IP_BLOCKER_ENV.neverBlock]: JSON.stringify(settings.neverBlock),
        [IP_BLOCKER_ENV.maxAddresses]: String(settings.maxAddresses),
        [IP_BLOCKER_ENV.ipv6Prefix]: String(settings.ipv6Prefix),
        [IP_BLOCKER_ENV.metricNamespace]: IP_BLOCKER_METRICS.defaultNamespace,
        [IP_BLOCKER_ENV.apiName]: props.apiName,
      },
    });
    // Subscription deliveries and the schedule invoke asynchronously: what fails after Lambda's two
    // retries lands in the queue instead of being lost.
    (fn.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: this.deadLetterQueue.queueArn };
    this.deadLetterQueue.grantSendMessages(fn);
    this.function = fn;

    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
        resources: [this.ipv4Set.attrArn, this.ipv6Set.attrArn],
      }),
    );
    this.table.grant(fn, 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:DeleteItem');

    // Only the authorizer's probe lines: it alone knows why it refused, and writes the line itself.
    if (props.probeLogGroup !== undefined)
      new logs.SubscriptionFilter(this, 'ProbeLogSubscription', {
        logGroup: props.probeLogGroup,
        destination: new destinations.LambdaDestination(fn),
        filterPattern: logs.FilterPattern.literal(PROBE_FILTER_PATTERN),
      });
    // IAM: forged SigV4 signatures, which API Gateway refuses before any authorizer, from the access log.
    if (props.accessLogGroup !== undefined)
      new logs.SubscriptionFilter(this, 'SignatureProbeSubscription', {
        logGroup: props.accessLogGroup,
        destination: new destinations.LambdaDestination(fn),
        filterPattern: logs.FilterPattern.literal(ACCESS_LOG_PROBE_FILTER_PATTERN),
      });

    const metric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: IP_BLOCKER_METRICS.defaultNamespace,
        metricName,
        dimensionsMap: { [IP_BLOCKER_METRICS.dimension]: props.apiName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    this.alarms = [
      {
        id: 'IpBlockListFull',
        description: `the automatic block set is full (${settings.maxAddresses} entries): new blocks evict the ones closest to expiry`,
        metric: metric(IP_BLOCKER_METRICS.capReached),
        threshold: 0,
        firstBreach: true,
      },
      {
        id: 'IpBlockerUnreadableLogLines',
        description: 'the ip-blocker received log lines it could not read (not JSON, a duplicate key, no address): they are not counted',
        metric: metric(IP_BLOCKER_METRICS.malformed),
        threshold: 0,
        firstBreach: true,
      },
    ];

    new events.Rule(this, 'ExpirySchedule', {
      description: `Releases expired automatic blocks of ${props.label}`,
      schedule: events.Schedule.rate(Duration.minutes(settings.expiryMinutes)),
      targets: [
        new targets.LambdaFunction(fn, {
          event: events.RuleTargetInput.fromObject({ ...IP_BLOCKER_EXPIRY_EVENT }),
          retryAttempts: 2,
          maxEventAge: Duration.minutes(settings.expiryMinutes),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}
