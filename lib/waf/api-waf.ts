import { Annotations, ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnIPSet, CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { SecureApiConfigError } from '../model/config-error';
import { ApiOperation } from '../model';
import { CorsOptions, corsStaticResponseGap } from '../openapi';
import { IIpAutoBlocker, IpAutoBlocker } from './auto-blocker';
import { CapacityBudget, checkCapacity, webAclCapacity } from './capacity';
import { AddressLists, resolveWafConfig, ResolvedWafConfig, WafFront } from './waf-config';
import { WafOptions } from './waf-options';
import { referencedResourceArns } from './referenced-arns';
import { buildWebAclRules, customResponseBodies, edgeWebAclRules, IpSetArns, wafDescription } from './web-acl-rules';
import { PropCheck } from '../model/config-error';

/** Where the WAF's log groups come from: the API's logs, so every group shares their key and retention. */
export interface IWafLogGroups {
  /** The log group WAF logs to (its name must start with `aws-waf-logs-`). */
  wafLogGroup(scope: Construct): logs.ILogGroup;
  /** The log group of one of SecureApi's functions. */
  functionLogGroup(scope: Construct, name: string): logs.ILogGroup;
}

/** Props of {@link ApiWaf}. */
export interface ApiWafProps {
  /** The user's options. */
  readonly options?: WafOptions;
  /** `SecureApi '<path>'` label part for messages: the construct path. */
  readonly label: string;
  /** The value of the automatic blocker's `Api` metric dimension. */
  readonly apiName: string;
  /** The stage the web ACL protects. */
  readonly stage: apigw.Stage;
  /** The API's operations (for per-operation rate limits and body sizes). */
  readonly operations: ApiOperation[];
  /**
   * The JWT authorizer's log group: automatic blocking counts its probe lines (contracts/probe-log.ts).
   * @default - no authorizer: nothing shows probing, so no automatic blocking
   */
  readonly authorizerLogGroup?: logs.ILogGroup;
  /**
   * The stage's access log group when some operation uses IAM: automatic blocking counts its forged SigV4 signatures.
   * @default - none: no operation uses IAM
   */
  readonly signatureLogGroup?: logs.ILogGroup;
  /** The API's log groups. */
  readonly logGroups: IWafLogGroups;
  /**
   * Path prefixes in front of the API's paths in request URIs (a custom domain's base path).
   * @default - the stage name
   */
  readonly pathPrefixes?: string[];
  /**
   * The CloudFront front's requirements (lib/tls), when the API sits behind it.
   * @default - no front
   */
  readonly front?: WafFront;
  /**
   * The API's CORS options: the web ACL's own error answers carry the static CORS headers they allow.
   * @default - no CORS
   */
  readonly cors?: CorsOptions;
  /** Removal policy of the blocker's state. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The web application firewall of a SecureApi stage, as `SecureApi.waf` exposes it. */
export interface IApiWaf extends IConstruct {
  /**
   * The ARN of the web ACL associated with the stage.
   * @default - none when `waf.enabled` is false
   */
  readonly webAclArn?: string;
  /**
   * The web ACL SecureApi created.
   * @default - none when `waf.enabled` is false or `waf.webAclArn` brings your own
   */
  readonly webAcl?: CfnWebACL;
  /**
   * The CloudWatch metric name of the web ACL SecureApi created (the `Rule=ALL` metrics of `AWS/WAFV2`).
   * @default - none when SecureApi created no web ACL
   */
  readonly metricName?: string;
  /**
   * The CLOUDFRONT-scope web ACL in front of the CloudFront front, with the viewer-facing IP reputation rules.
   * @default - none without the front, or when `edge.webAclArn` brings your own
   */
  readonly edgeWebAcl?: CfnWebACL;
  /**
   * The web ACL's capacity (WCUs), rule by rule.
   * @default - none when SecureApi created no web ACL
   */
  readonly capacity?: CapacityBudget;
  /**
   * Automatic blocking of clients that keep failing authentication or validation.
   * @default - none when `waf.autoBlock.enabled` is false or SecureApi created no web ACL
   */
  readonly autoBlocker?: IIpAutoBlocker;
  /**
   * The WAF log group.
   * @default - none when `waf.logging.enabled` is false or SecureApi created no web ACL
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * The ARNs of the IP sets, regex pattern sets and rule groups the managed web ACL's rules reference: whoever
   * rewrites its rules (the origin-secret rotation) needs `wafv2:UpdateWebACL` on each.
   */
  readonly referencedArns: string[];
}

/**
 * The web application firewall of one SecureApi stage: a REGIONAL WAFv2 web ACL built from the
 * rule table (lib/waf/web-acl-rules.ts), associated with the stage, logged with redaction, and fed
 * by automatic blocking. Or the association of a web ACL the user brings. Or nothing, with a warning.
 */
export class ApiWaf extends Construct implements IApiWaf {
  /** The ARN of the web ACL associated with the stage, when there is one. */
  public readonly webAclArn?: string;
  /** The web ACL SecureApi created. */
  public readonly webAcl?: CfnWebACL;
  /** The CloudWatch metric name of the web ACL SecureApi created. */
  public readonly metricName?: string;
  /** The web ACL's capacity, rule by rule. */
  public readonly capacity?: CapacityBudget;
  /** The resolved configuration (for tests and documentation). */
  public readonly config?: ResolvedWafConfig;
  /** Automatic blocking, when on. */
  public readonly autoBlocker?: IpAutoBlocker;
  /** The WAF log group, when logging is on. */
  public readonly logGroup?: logs.ILogGroup;
  /** The CLOUDFRONT-scope web ACL with the viewer-facing rules, when SecureApi made it (edge mode). */
  public readonly edgeWebAcl?: CfnWebACL;
  /** The IP sets, regex pattern sets and rule groups the managed web ACL's rules reference (none without it). */
  public readonly referencedArns: string[] = [];

  constructor(scope: Construct, id: string, props: ApiWafProps) {
    super(scope, id);
    const options = props.options ?? {};
    const label = props.label;
    if (options.enabled === false) {
      Annotations.of(this).addWarningV2(
        'cdk-secure-api:waf-disabled',
        `SecureApi '${label}': waf.enabled is false: the stage has no web application firewall (no managed rules against injection, no rate limits, no IP blocking)`,
      );
      return;
    }

    if (options.webAclArn !== undefined) {
      const check = new PropCheck(label, 'waf');
      const shaping = (Object.keys(options) as (keyof WafOptions)[]).filter(
        (k) => k !== 'webAclArn' && k !== 'enabled' && options[k] !== undefined,
      );
      if (shaping.length > 0) {
        check.fail(
          'webAclArn',
          `brings your own web ACL, so waf.${shaping.sort().join(', waf.')} cannot apply; configure them in that web ACL`,
        );
      }
      if (
        !Token.isUnresolved(options.webAclArn) &&
        !/^arn:aws[\w-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[\w-]+$/.test(options.webAclArn)
      ) {
        check.fail(
          'webAclArn',
          `must be the ARN of a REGIONAL WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got '${options.webAclArn}'`,
        );
      }
      this.webAclArn = options.webAclArn;
      new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: options.webAclArn });
      Annotations.of(this).addInfo(
        `SecureApi '${label}': waf.webAclArn: the stage uses your web ACL; SecureApi's managed rules, rate limits, logging and automatic blocking are not added to it`,
      );
      return;
    }

    const config = resolveWafConfig(options, {
      label,
      operations: props.operations,
      pathPrefixes: props.pathPrefixes ?? [props.stage.stageName],
      front: props.front,
      cors: props.cors,
    });
    this.config = config;
    for (const warning of config.warnings) Annotations.of(this).addWarningV2('cdk-secure-api:waf', warning);
    const corsGap = corsStaticResponseGap(props.cors, label);
    if (corsGap !== undefined) Annotations.of(this).addInfo(corsGap);

    const blockList = this.ipSets('BlockList', config.blockList, `Always blocked by ${label}`);
    const allowList = this.ipSets(
      'AllowList',
      config.allowList,
      `Trusted by ${label}: exempt from reputation lists, rate limits and automatic blocking`,
    );
    if (config.autoBlock !== undefined && props.authorizerLogGroup === undefined && props.signatureLogGroup === undefined) {
      Annotations.of(this).addInfo(
        `SecureApi '${label}': waf.autoBlock: no automatic blocking without auth: it counts only the JWT authorizer's rejections of forged or malformed tokens, and a missing credential or an API key failure never shows probing`,
      );
    } else if (config.autoBlock !== undefined) {
      this.autoBlocker = new IpAutoBlocker(this, 'AutoBlock', {
        label,
        apiName: props.apiName,
        settings: config.autoBlock,
        probeLogGroup: props.authorizerLogGroup,
        accessLogGroup: props.signatureLogGroup,
        functionLogGroup: props.logGroups.functionLogGroup(this, 'ip-blocker'),
        removalPolicy: props.removalPolicy,
      });
    }
    const arns: IpSetArns = {
      blockList,
      allowList,
      autoBlock: this.autoBlocker ? { ipv4: this.autoBlocker.ipv4Set.attrArn, ipv6: this.autoBlocker.ipv6Set.attrArn } : undefined,
    };

    const rules = buildWebAclRules(config, arns);
    this.capacity = webAclCapacity(rules);
    const overBasePrice = checkCapacity(this.capacity, label);
    if (overBasePrice !== undefined) Annotations.of(this).addWarningV2('cdk-secure-api:waf-capacity', overBasePrice);

    const metricPrefix = `SecureApi-${props.apiName}`.replace(/[^\w#:.\-/]/g, '-').slice(0, 200);
    const webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: wafDescription(`cdk-secure-api web ACL of ${label}, ${this.capacity.total} WCU`),
      defaultAction: { allow: {} },
      rules: rules.map((r) => ({
        ...r,
        visibilityConfig: {
          ...(r.visibilityConfig as CfnWebACL.VisibilityConfigProperty),
          metricName: `${metricPrefix}-${r.name}`.slice(0, 255),
        },
      })),
      customResponseBodies: customResponseBodies(),
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metricPrefix },
      dataProtectionConfig: dataProtection(config.logging.redactedHeaders),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: config.body.inspectionLimit } } },
    });
    this.webAcl = webAcl;
    this.referencedArns = referencedResourceArns(rules);
    this.metricName = metricPrefix;
    this.webAclArn = webAcl.attrArn;
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: webAcl.attrArn });

    if (props.front?.createEdgeWebAcl === true) {
      // A CLOUDFRONT-scope web ACL exists only in us-east-1 (AWS WAF developer guide, "Creating a web ACL":
      // for CloudFront, the web ACL is in US East (N. Virginia)).
      const region = Stack.of(this).region;
      if (Token.isUnresolved(region) || region !== 'us-east-1') {
        throw new SecureApiConfigError(
          label,
          'edge.webAclArn',
          `is required when the stack is not in us-east-1 (it is in ${Token.isUnresolved(region) ? 'an unresolved region' : region}): the IP reputation rules must see the viewer's address, which only a CLOUDFRONT-scope web ACL in front of the distribution sees, and such a web ACL exists only in us-east-1. Create one there (with AWSManagedRulesAmazonIpReputationList) and pass its ARN, or deploy this stack to us-east-1`,
        );
      }
      this.edgeWebAcl = new CfnWebACL(this, 'EdgeWebAcl', {
        scope: 'CLOUDFRONT',
        description: wafDescription(`cdk-secure-api viewer-facing web ACL of the CloudFront front of ${label}`),
        defaultAction: { allow: {} },
        rules: edgeWebAclRules(config).map((r) => ({
          ...r,
          visibilityConfig: {
            ...(r.visibilityConfig as CfnWebACL.VisibilityConfigProperty),
            metricName: `${metricPrefix}-Edge-${r.name}`.slice(0, 255),
          },
        })),
        visibilityConfig: {
          cloudWatchMetricsEnabled: true,
          sampledRequestsEnabled: true,
          metricName: `${metricPrefix}-Edge`.slice(0, 255),
        },
        dataProtectionConfig: dataProtection(config.logging.redactedHeaders),
      });
    }

    if (config.logging.enabled) {
      const group = props.logGroups.wafLogGroup(this);
      this.logGroup = group;
      const logTo = (id: string, webAclArn: string) =>
        new CfnLoggingConfiguration(this, id, {
          resourceArn: webAclArn,
          // WAF wants the log group's ARN without the `:*` suffix of logGroupArn.
          logDestinationConfigs: [
            Stack.of(this).formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: group.logGroupName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
          redactedFields: config.logging.redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
          loggingFilter: config.logging.logAllRequests ? undefined : wafLoggingFilter(),
          // The ARN above is built from the group's literal name, which carries no dependency.
        }).node.addDependency(group);
      if (this.edgeWebAcl !== undefined) logTo('EdgeLogging', this.edgeWebAcl.attrArn);
      logTo('Logging', webAcl.attrArn);
    }
  }

  private ipSets(id: string, lists: AddressLists, description: string): { ipv4?: string; ipv6?: string } {
    const make = (version: 'IPV4' | 'IPV6', addresses: string[]) =>
      addresses.length === 0
        ? undefined
        : new CfnIPSet(this, `${id}${version === 'IPV4' ? 'Ipv4' : 'Ipv6'}`, {
            scope: 'REGIONAL',
            ipAddressVersion: version,
            addresses,
            description: wafDescription(description),
          }).attrArn;
    return { ipv4: make('IPV4', lists.ipv4), ipv6: make('IPV6', lists.ipv6) };
  }
}

/** Keep blocked and counted requests (including managed rules switched to count); drop the rest. */
export function wafLoggingFilter(): object {
  return {
    DefaultBehavior: 'DROP',
    Filters: [
      {
        Behavior: 'KEEP',
        Requirement: 'MEETS_ANY',
        Conditions: [
          { ActionCondition: { Action: 'BLOCK' } },
          { ActionCondition: { Action: 'COUNT' } },
          { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
        ],
      },
    ],
  };
}

/**
 * The credential headers replaced by `REDACTED` in everything WAF outputs: logs, and also the sampled requests
 * (GetSampledRequests, the console), which the logging configuration's redacted fields do not reach (AWS WAF
 * developer guide, "Logging web ACL traffic": they have "no impact on request sampling"; web ACL data protection
 * "applies across all output destinations"). Without it, whoever may read sampled requests reads tokens, API keys
 * and the CloudFront origin secret, which every request through the front carries.
 */
function dataProtection(headers: readonly string[]): CfnWebACL.DataProtectionConfigProperty | undefined {
  if (headers.length === 0) return undefined;
  return {
    dataProtections: headers.map((name) => ({ field: { fieldType: 'SINGLE_HEADER', fieldKeys: [name] }, action: 'SUBSTITUTION' })),
  };
}
