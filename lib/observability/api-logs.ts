import { Annotations, ArnFormat, Aws, Lazy, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { createSecureKey } from '../common/secure-key';
import { buildAccessLogFormat } from './access-log-format';
import { ILogGroupFactory, LogPipeline, LogPipelineResources, LogPipelineSource } from './log-pipeline';
import { PropCheck, SecureApiConfigError } from '../model/config-error';

/** Where and how long the API's logs are kept, and where else they go. */
export interface LoggingOptions {
  /**
   * How long every log group the library creates (access, execution, WAF, Lambda, Firehose) keeps its events.
   * @default RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What happens to the log groups and their key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The KMS key that encrypts every log group the library creates. A key defined in the same app gets
   * the scoped CloudWatch Logs statement added; an imported key's policy must already allow
   * CloudWatch Logs for the groups under `logGroupNamePrefix`.
   * @default - a new key with rotation on, usable by CloudWatch Logs for this API's log groups only
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * An existing log group for the stage's access log (for example one a platform team ships centrally).
   * @default - a new KMS-encrypted group named `<logGroupNamePrefix>/access`
   */
  readonly accessLogGroup?: logs.ILogGroup;
  /**
   * The name prefix of every log group the library creates. The log key's policy allows CloudWatch
   * Logs to use the key for groups under this prefix only.
   * @default `/cdk-secure-api/<unique name of this API>`
   */
  readonly logGroupNamePrefix?: string;
  /**
   * More access-log fields, e.g. `{ clientId: '$context.authorizer.clientId' }`. Variables that carry
   * secrets or payloads (`$context.identity.apiKey`, `$input.*`, `$method.request.*`, claims ...) are rejected.
   * @default - none
   */
  readonly extraAccessLogFields?: { [name: string]: string };
  /**
   * Ship the access log (and the WAF log) to a central destination: `LogPipeline.s3()`,
   * `LogPipeline.openSearch({...})`, `LogPipeline.httpEndpoint({...})` or `LogPipeline.crossAccount({...})`.
   * @default - no pipeline: logs stay in CloudWatch Logs
   */
  readonly pipeline?: LogPipeline;
}

/** Props of {@link ApiLogs}. */
export interface ApiLogsProps extends LoggingOptions {
  /**
   * The API's path, for messages.
   * @default - this construct's path
   */
  readonly label?: string;
}

/** The settings SecureApi's own Lambda functions log with: JSON into their own encrypted group. */
export interface FunctionLogging {
  /** The function's own log group. */
  readonly logGroup: logs.ILogGroup;
  /** Always JSON, so the lines are queryable and filterable by field. */
  readonly loggingFormat: lambda.LoggingFormat;
}

/**
 * The API's log groups and the KMS key that encrypts them. Every group the library creates is named
 * under one prefix, and the key's policy lets CloudWatch Logs use the key for exactly those groups
 * (an encryption-context condition on their ARNs), so the key cannot encrypt anyone else's logs.
 */
export class ApiLogs extends Construct implements ILogGroupFactory {
  /** The key that encrypts every log group the library creates. */
  public readonly encryptionKey: kms.IKey;
  /** The stage's access log. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** Retention of every group the library creates. */
  public readonly retention: logs.RetentionDays;
  /** Removal policy of every group the library creates, and of the key. */
  public readonly removalPolicy: RemovalPolicy;
  /** The name prefix of every log group the library creates. */
  public readonly logGroupNamePrefix: string;
  /** The access-log format string (JSON). */
  public readonly accessLogFormatString: string;
  /** The key of the execution log group, when SecureApi created the log key (see {@link addExecutionLogGroup}). */
  public executionLogKey?: kms.IKey;

  /** What the central log pipeline created, once {@link shipLogs} ran with a pipeline configured. */
  public pipelineResources?: LogPipelineResources;

  private readonly label: string;
  private readonly pipeline?: LogPipeline;
  private readonly uniqueName: string;
  private readonly keyCreatedHere: boolean;
  /** Log-group name patterns the key's policy allows (`*` wildcards). */
  private readonly allowedNamePatterns: string[] = [];
  private readonly createdGroups = new Map<string, logs.LogGroup>();
  private wafGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiLogsProps = {}) {
    super(scope, id);
    const label = props.label ?? this.node.path;
    this.label = label;
    this.pipeline = props.pipeline;
    this.retention = props.retention ?? logs.RetentionDays.ONE_YEAR;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.uniqueName = Names.uniqueResourceName(this, { maxLength: 96, separator: '-' }).toLowerCase();
    this.logGroupNamePrefix = props.logGroupNamePrefix ?? `/cdk-secure-api/${this.uniqueName}`;
    if (!Token.isUnresolved(this.logGroupNamePrefix) && !/^\/?[A-Za-z0-9._\-/#]{1,400}$/.test(this.logGroupNamePrefix)) {
      throw new SecureApiConfigError(
        label,
        'logging.logGroupNamePrefix',
        `may hold only letters, digits and . _ - / # (at most 400), got '${this.logGroupNamePrefix}'`,
      );
    }
    if (this.retention === logs.RetentionDays.INFINITE) {
      Annotations.of(this).addWarningV2(
        'cdk-secure-api:log-retention',
        `SecureApi '${label}': logging.retention is INFINITE: logs are never deleted, so they grow without bound and personal data in them (IPs, user agents) is kept forever.`,
      );
    }
    this.accessLogFormatString = buildAccessLogFormat(props.extraAccessLogFields, new PropCheck(label, 'logging.extraAccessLogFields'));

    this.allowedNamePatterns.push(`${this.logGroupNamePrefix}/*`);
    this.encryptionKey =
      props.encryptionKey ??
      createSecureKey(this, 'LogKey', {
        description: `Encrypts the logs of ${label} (cdk-secure-api)`,
        enableKeyRotation: true,
        removalPolicy: this.removalPolicy,
      });
    // A key defined in this app (ours or the user's) gets the scoped statement; an imported key is left alone.
    this.encryptionKey.addToResourcePolicy(this.logsServiceStatement());
    this.keyCreatedHere = props.encryptionKey === undefined;

    this.accessLogGroup = props.accessLogGroup ?? this.createLogGroup(this, 'AccessLogs', 'access');
    this.node.addValidation({ validate: () => this.unscopedGroups() });
  }

  /** The stage's access log destination. */
  public accessLogDestination(): apigw.IAccessLogDestination {
    return new apigw.LogGroupLogDestination(this.accessLogGroup);
  }

  /** The JSON access log format. */
  public accessLogFormat(): apigw.AccessLogFormat {
    return apigw.AccessLogFormat.custom(this.accessLogFormatString);
  }

  /**
   * A new log group named `<prefix>/<name>`, encrypted with the log key, with the library's retention
   * and removal policy. Use it for every log group SecureApi creates.
   */
  public createLogGroup(scope: Construct, id: string, name: string): logs.LogGroup {
    // Invariant (a bug, not configuration): SecureApi's own code names the log groups.
    if (!/^[A-Za-z0-9._\-/#]+$/.test(name))
      throw new Error(`ApiLogs: log group name part '${name}' may hold only letters, digits and . _ - / #`);
    const logGroupName = `${this.logGroupNamePrefix}/${name}`;
    const existing = this.createdGroups.get(logGroupName);
    // Invariant (a bug, not configuration): each log group is created once by SecureApi's own code.
    if (existing !== undefined) throw new Error(`ApiLogs: the log group '${logGroupName}' is already created (at ${existing.node.path})`);
    const group = new logs.LogGroup(scope, id, {
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention: this.retention,
      removalPolicy: this.removalPolicy,
    });
    this.createdGroups.set(logGroupName, group);
    return group;
  }

  /**
   * The log group of one of SecureApi's Lambda functions (`<prefix>/lambda/<name>`). Give the function
   * `logGroup` and `loggingFormat: JSON` from {@link functionLogging}.
   */
  public functionLogGroup(scope: Construct, name: string): logs.LogGroup {
    return this.createLogGroup(scope, `${name}Logs`, `lambda/${name}`);
  }

  /**
   * Everything a SecureApi Lambda function needs to log like the others: spread it into the function's
   * props (`new lambda.Function(this, 'Fn', { ...logging, runtime, ... })`).
   */
  public functionLogging(scope: Construct, name: string): FunctionLogging {
    return { logGroup: this.functionLogGroup(scope, name), loggingFormat: lambda.LoggingFormat.JSON };
  }

  /**
   * The log group for AWS WAF's logs: WAF requires the name to start with `aws-waf-logs-`, so it sits
   * outside the prefix and the key's policy names it explicitly. One per API.
   */
  public wafLogGroup(scope: Construct = this, id = 'WafLogs'): logs.LogGroup {
    if (this.wafGroup !== undefined) return this.wafGroup;
    const logGroupName = `aws-waf-logs-${this.uniqueName}`.slice(0, 512);
    this.allowedNamePatterns.push(logGroupName);
    this.wafGroup = new logs.LogGroup(scope, id, {
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention: this.retention,
      removalPolicy: this.removalPolicy,
    });
    this.createdGroups.set(logGroupName, this.wafGroup);
    return this.wafGroup;
  }

  /**
   * Creates the stage's execution log group (`API-Gateway-Execution-Logs_<apiId>/<stage>`) before the
   * stage exists, so it is encrypted and has retention; otherwise API Gateway would create it, plain
   * and kept forever, on the first logged request.
   *
   * Its name holds the REST API id, and the API's body references SecureApi's functions, whose log
   * groups use the log key: naming the API in the log key's policy would be a dependency cycle. So
   * when SecureApi created the log key, the execution log gets a key of its own whose policy names
   * exactly this group; with a key the user brought, the key's statement allows this stage name of
   * any API in the account (`API-Gateway-Execution-Logs_*` + `/<stage>`).
   */
  public addExecutionLogGroup(api: apigw.IRestApi, stage: apigw.Stage): logs.LogGroup {
    // The literal stage name: `stage.stageName` is a reference to the stage, which must depend on this group.
    const stageName = (stage.node.defaultChild as apigw.CfnStage).stageName;
    // Invariant (a bug, not configuration): the stage SecureApi creates always has a name.
    if (stageName === undefined) throw new Error(`ApiLogs: the stage ${stage.node.path} has no name`);
    const logGroupName = `API-Gateway-Execution-Logs_${api.restApiId}/${stageName}`;
    let key = this.encryptionKey;
    if (this.keyCreatedHere) {
      const executionLogKey = createSecureKey(this, 'ExecutionLogKey', {
        description: `Encrypts the execution log of ${this.label} (cdk-secure-api)`,
        enableKeyRotation: true,
        removalPolicy: this.removalPolicy,
      });
      executionLogKey.addToResourcePolicy(this.logsServiceStatement(() => [this.logGroupArn(logGroupName)]));
      this.executionLogKey = executionLogKey;
      key = executionLogKey;
    } else {
      this.allowedNamePatterns.push(`API-Gateway-Execution-Logs_*/${stageName}`);
    }
    const group = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName,
      encryptionKey: key,
      retention: this.retention,
      removalPolicy: this.removalPolicy,
    });
    this.createdGroups.set(logGroupName, group);
    stage.node.addDependency(group);
    return group;
  }

  /**
   * Ships the access log, and the WAF log when there is one, through the configured central log pipeline.
   * Call once, after the WAF is wired. Does nothing when no pipeline is configured.
   * @param wafLogGroup AWS WAF's log group, when the WAF created its own (default: the one from {@link wafLogGroup}, if any)
   */
  public shipLogs(wafLogGroup?: logs.ILogGroup): LogPipelineResources | undefined {
    if (this.pipeline === undefined) return undefined;
    // Invariant (a bug, not configuration): the root ships the logs once.
    if (this.pipelineResources !== undefined) throw new Error('ApiLogs: shipLogs was already called');
    const sources: LogPipelineSource[] = [{ name: 'access', logGroup: this.accessLogGroup }];
    const waf = wafLogGroup ?? this.wafGroup;
    if (waf !== undefined) sources.push({ name: 'waf', logGroup: waf });
    this.pipelineResources = this.pipeline.bind(new Construct(this, 'Pipeline'), {
      label: this.label,
      sources,
      logGroups: this,
      removalPolicy: this.removalPolicy,
    });
    return this.pipelineResources;
  }

  /** The ARNs (with wildcards) of the log groups the key may encrypt: what its policy condition lists. */
  public allowedLogGroupArnPatterns(): string[] {
    return this.allowedNamePatterns.map((name) => this.logGroupArn(name));
  }

  private logGroupArn(name: string): string {
    return Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private logsServiceStatement(arns: () => string[] = () => this.allowedLogGroupArnPatterns()): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsForThisApisLogGroupsOnly',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Lazy.list({ produce: arns }) },
      },
    });
  }

  /**
   * Log groups in this stack encrypted with our key but named outside the allowed patterns: CloudWatch
   * Logs would be refused the key at deploy time, so say so at synth, naming the group.
   */
  private unscopedGroups(): string[] {
    if (!(this.encryptionKey instanceof kms.Key)) return [];
    const stack = Stack.of(this);
    const keyArn = stack.resolve(this.encryptionKey.keyArn);
    const ours = new Set([...this.createdGroups.values()].map((g) => g.node.defaultChild));
    const errors: string[] = [];
    const visit = (node: IConstruct) => {
      if (node instanceof logs.CfnLogGroup && !ours.has(node) && JSON.stringify(stack.resolve(node.kmsKeyId)) === JSON.stringify(keyArn)) {
        errors.push(
          `the log group ${node.node.path} is encrypted with SecureApi's log key but was not created through ApiLogs (createLogGroup / functionLogGroup), so the key's policy does not allow CloudWatch Logs to use it`,
        );
      }
      for (const child of node.node.children) visit(child);
    };
    visit(stack);
    return errors;
  }
}
