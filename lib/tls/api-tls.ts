import { Annotations, Arn, ArnFormat, CfnOutput, Duration, Resource, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { BodyContribution } from '../openapi';
import { AccessLogsBucket, TruststoreStore } from './buckets';
import { ApiCustomDomain, BoundMutualTls, IApiCustomDomain, SharedDomainMapping } from './custom-domain';
import { EdgeFront, IEdgeFront, OriginVerifySecret } from './edge-front';
import { OriginRuleWebAcl, OriginSecretRotation } from './origin-secret-rotation';
import { planOriginSecretRotation } from './origin-secret-rotation-plan';
import { CustomDomainOptions, EdgeFrontOptions, ResourcePolicyOptions, TlsOptions } from './tls-options';
import { OriginVerification, originVerificationRule } from './origin-verification';
import { TlsEndpointKind } from './security-policy';
import { planTls, TlsPlan } from './tls-plan';
import { validateTruststore } from './truststore';
import { inConstruct } from '../model/config-error';

/** What the composition root gives the TLS concern. */
export interface ApiTlsProps {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  readonly endpointType: apigw.EndpointType;
  readonly domain?: CustomDomainOptions;
  readonly edge?: EdgeFrontOptions;
  readonly tls?: TlsOptions;
  readonly resourcePolicy?: ResourcePolicyOptions;
  /** What the WAF concern does: our managed ACL, an imported one, or none. */
  readonly waf: 'managed' | 'imported' | 'off';
  /** Creates the log group of one of our Lambda functions (`ApiLogs.functionLogGroup`). */
  readonly functionLogGroup: (scope: Construct, name: string) => logs.ILogGroup;
}

/** What {@link ApiTls.attach} created. */
export interface AttachedTls {
  /**
   * The API Gateway custom domain, when `domain` is served by API Gateway.
   * @default - none
   */
  readonly customDomain?: IApiCustomDomain;
  /**
   * The CloudFront front, when `edge` is set.
   * @default - none
   */
  readonly front?: IEdgeFront;
  /** The URL clients call: the custom domain (with its base path) when there is one. */
  readonly url?: string;
}

/**
 * The HTTPS concern of a SecureApi. Constructed before the body is emitted, it decides everything
 * (`planTls`) and offers the body contributions and the origin-verify secret the WAF concern needs;
 * {@link attach}, called once the API and stage exist, creates the custom domain or the CloudFront front.
 */
export class ApiTls extends Construct {
  public readonly plan: TlsPlan;
  /** Root-level body extensions: security policy and access mode (the resource policy is the access concern's). */
  public readonly rootExtensions: { [key: string]: unknown };
  /** Fields for the body's `x-amazon-apigateway-endpoint-configuration`. */
  public readonly endpointConfiguration: { [key: string]: unknown };
  /** What TLS adds to the imported body: the root extensions and, with the default endpoint disabled, the endpoint configuration. */
  public readonly bodyContribution: BodyContribution;
  /** The URL clients call when a custom domain or the CloudFront front serves the API (as {@link attach} outputs it). */
  public readonly publicUrl?: string;
  /**
   * What the CloudFront front asks of the web ACL (lib/waf): a first rule rejecting requests that bypass
   * the front, the header with the viewer's address, and the headers to redact. Absent without a front.
   */
  public readonly wafFront?: {
    readonly originRule: wafv2.CfnWebACL.RuleProperty;
    readonly clientIpHeader: string;
    readonly redactedHeaders: string[];
  };
  /**
   * Request headers that only the front and the web ACL need, which no backend should receive: the
   * origin-verify secret, when the CloudFront front is on.
   */
  public readonly withheldHeaders: string[] = [];
  /** For the WAF concern, when the CloudFront front is on: the rule that rejects requests bypassing it. */
  public readonly originVerification?: OriginVerification;
  private readonly originSecret?: OriginVerifySecret;
  /** Days between automatic rotations of the origin secret; undefined without the front or with rotation off. */
  private readonly originSecretRotationDays?: number;
  private front?: EdgeFront;
  private readonly props: ApiTlsProps;

  constructor(scope: Construct, id: string, props: ApiTlsProps) {
    super(scope, id);
    this.props = props;
    const stackRegion = Stack.of(this).region;
    const mutualTls = props.domain?.mutualTls?.source;
    this.plan = planTls({
      label: props.label,
      apiEndpoint: props.endpointType as TlsEndpointKind,
      stackRegion: Token.isUnresolved(stackRegion) ? undefined : stackRegion,
      tls: props.tls,
      domain:
        props.domain === undefined
          ? undefined
          : {
              name: props.domain.name,
              existing:
                props.domain.existingDomain === undefined
                  ? undefined
                  : { name: props.domain.existingDomain.domainName, securityPolicy: props.domain.existingDomainSecurityPolicy },
              statesExistingPolicy: props.domain.existingDomainSecurityPolicy !== undefined,
              hasHostedZone: props.domain.hostedZone !== undefined,
              hostedZoneName: props.domain.hostedZone?.zoneName,
              certificate: props.domain.certificate === undefined ? undefined : { region: certificateRegion(props.domain.certificate) },
              basePath: props.domain.basePath,
              mutualTls:
                mutualTls === undefined
                  ? undefined
                  : { ownershipVerificationCertificate: mutualTls.ownershipVerificationCertificate !== undefined },
              disableExecuteApiEndpoint: props.domain.disableExecuteApiEndpoint,
            },
      edge:
        props.edge === undefined
          ? undefined
          : { webAclArn: props.edge.webAclArn, minimumProtocolVersion: props.edge.minimumProtocolVersion },
      resourcePolicy: props.resourcePolicy,
      waf: props.waf,
    });
    for (const message of this.plan.weakened) {
      Annotations.of(scope).addWarningV2('cdk-secure-api:tls-weakened', `SecureApi '${props.label}': ${message}`);
    }
    for (const message of this.plan.unverified) {
      Annotations.of(scope).addWarningV2('cdk-secure-api:tls-unverified', `SecureApi '${props.label}': ${message}`);
    }

    const api = this.plan.api;
    this.rootExtensions = {
      'x-amazon-apigateway-security-policy': api.securityPolicy,
      ...(api.endpointAccessMode === undefined ? {} : { 'x-amazon-apigateway-endpoint-access-mode': api.endpointAccessMode }),
    };
    this.endpointConfiguration = api.disableExecuteApiEndpoint ? { disableExecuteApiEndpoint: true } : {};
    this.bodyContribution = {
      rootExtensions: {
        // For OpenAPI 3.0, API Gateway reads the endpoint configuration from a Server object's extensions.
        ...(Object.keys(this.endpointConfiguration).length > 0
          ? { servers: [{ url: '/', 'x-amazon-apigateway-endpoint-configuration': this.endpointConfiguration }] }
          : {}),
        ...this.rootExtensions,
      },
    };

    if (this.plan.edge !== undefined) {
      this.originSecretRotationDays = planOriginSecretRotation(props.label, props.edge ?? {});
      if (this.originSecretRotationDays === undefined) {
        Annotations.of(scope).addWarningV2(
          'cdk-secure-api:origin-secret-rotation-off',
          `SecureApi '${props.label}': edge.rotateOriginSecret is false: the CloudFront origin secret is not rotated automatically, so a value a backend logged keeps opening the API until you rotate it by hand (README: "Rotating the origin secret")`,
        );
      }
      this.originSecret = new OriginVerifySecret(this, 'OriginVerify', {
        versionId: props.edge?.originSecretVersionId,
        previousVersionId: props.edge?.previousOriginSecretVersionId,
        rotatedAutomatically: this.originSecretRotationDays !== undefined,
      });
      this.originVerification = this.originSecret.verification;
      this.withheldHeaders = [this.originVerification.headerName];
      this.wafFront = {
        originRule: originVerificationRule(this.originVerification, 0, 'RequireCloudFrontOriginHeader'),
        clientIpHeader: this.originVerification.clientIpHeader,
        redactedHeaders: this.originVerification.redactedHeaders,
      };
    }
    const domainPlan = this.plan.domain;
    if (domainPlan !== undefined)
      this.publicUrl =
        domainPlan.servedBy === 'CLOUDFRONT' ? `https://${domainPlan.name}` : `https://${domainPlan.name}/${domainPlan.basePath ?? ''}`;
  }

  /**
   * Sets the API's own TLS policy, access mode and default-endpoint switch on the
   * CloudFormation resource, with the same values as the body extensions, so the result does not
   * depend on which of the two API Gateway applies last.
   */
  public applyTo(api: apigw.SpecRestApi): void {
    const resource = api.node.defaultChild as apigw.CfnRestApi;
    const settings = this.plan.api;
    resource.securityPolicy = settings.securityPolicy;
    resource.endpointAccessMode = settings.endpointAccessMode;
    resource.disableExecuteApiEndpoint = settings.disableExecuteApiEndpoint ? true : undefined;
    // SpecRestApi always outputs the execute-api URL; with that endpoint disabled it would advertise a dead URL.
    if (settings.disableExecuteApiEndpoint) api.node.tryRemoveChild('Endpoint');
  }

  /** Creates the custom domain or the CloudFront front for the deployed stage. */
  public attach(api: apigw.IRestApi, stage: apigw.Stage): AttachedTls {
    const domainPlan = this.plan.domain;
    const domain = this.props.domain;
    if (domainPlan === undefined || domain === undefined) return {};
    if (domainPlan.existing) {
      new SharedDomainMapping(this, 'SharedDomain', {
        plan: domainPlan,
        domain: domain.existingDomain!,
        api,
        stage,
        label: this.props.label,
      });
      return { url: this.output(`https://${domainPlan.name}/${domainPlan.basePath ?? ''}`) };
    }
    const needsAccessLogs = this.plan.edge !== undefined || domain.mutualTls?.source.kind === 'file';
    const accessLogs = needsAccessLogs
      ? new AccessLogsBucket(this, 'AccessLogs', { retention: this.props.edge?.accessLogRetention ?? Duration.days(365) })
      : undefined;

    if (domainPlan.servedBy === 'CLOUDFRONT') {
      const front = new EdgeFront(this, 'Front', {
        domain: domainPlan,
        edge: this.plan.edge!,
        options: this.props.edge ?? {},
        api,
        stage,
        label: this.props.label,
        originSecret: this.originSecret!,
        accessLogs: accessLogs!,
        hostedZone: domain.hostedZone,
        certificate: domain.certificate,
      });
      this.front = front;
      return { front, url: this.output(`https://${domainPlan.name}/`) };
    }

    const customDomain = new ApiCustomDomain(this, 'Domain', {
      plan: domainPlan,
      api,
      stage,
      hostedZone: domain.hostedZone,
      certificate: domain.certificate,
      mutualTls: this.bindMutualTls(accessLogs),
    });
    return { customDomain, url: this.output(`https://${domainPlan.name}/${domainPlan.basePath ?? ''}`) };
  }

  /**
   * Rotates the front's origin secret on its schedule, once the web ACL holding the origin rule exists (the WAF
   * concern's, handed over by the root). Returns the rotation function, for monitoring; undefined without the front
   * or with rotation off.
   */
  public rotateOriginSecret(webAcl: OriginRuleWebAcl): lambda.IFunction | undefined {
    if (this.front === undefined || this.originSecret === undefined || this.originSecretRotationDays === undefined) return undefined;
    const rotation = new OriginSecretRotation(this, 'OriginSecretRotation', {
      secret: this.originSecret.secret,
      encryptionKey: this.originSecret.encryptionKey,
      distribution: this.front.distribution,
      webAcl,
      periodDays: this.originSecretRotationDays,
      logGroup: this.props.functionLogGroup(this, 'origin-secret-rotation'),
    });
    return rotation.rotationFunction;
  }

  /** The URL clients call, as a stack output (the default endpoint's URL is disabled or only the front's origin). */
  private output(url: string): string {
    new CfnOutput(this, 'Url', { value: url, description: 'The HTTPS URL clients call' });
    return url;
  }

  private bindMutualTls(accessLogs: AccessLogsBucket | undefined): BoundMutualTls | undefined {
    const source = this.props.domain?.mutualTls?.source;
    if (source === undefined) return undefined;
    const ownershipVerificationCertificateArn = source.ownershipVerificationCertificate?.certificateArn;
    if (source.kind === 'bucket') {
      const object = source.object!;
      if (object.version === undefined) {
        Annotations.of(this).addWarningV2(
          'cdk-secure-api:tls-unverified',
          `SecureApi '${this.props.label}': domain.mutualTls uses the latest version of s3://${object.bucket.bucketName}/${object.key}; pin a version so a later upload cannot change who may connect without a deployment`,
        );
      }
      return {
        truststoreUri: `s3://${object.bucket.bucketName}/${object.key}`,
        truststoreVersion: object.version,
        ownershipVerificationCertificateArn,
      };
    }
    const report = inConstruct(this.props.label, () => validateTruststore(source.pem!.content, `truststore '${source.pem!.source}'`));
    for (const warning of report.warnings)
      Annotations.of(this).addWarningV2('cdk-secure-api:truststore', `SecureApi '${this.props.label}': ${warning}`);
    const store = new TruststoreStore(this, 'Truststore', {
      pem: report.pem,
      accessLogs: accessLogs!,
      handlerLogGroup: this.props.functionLogGroup(this, 'TruststoreUpload'),
    });
    return { truststoreUri: store.uri, truststoreVersion: store.version, ownershipVerificationCertificateArn };
  }
}

/**
 * The region of a certificate when it is known at synth time: from a literal ARN, or from the stack
 * that creates it (which may be another stack, passed with cross-region references).
 */
export function certificateRegion(certificate: acm.ICertificate): string | undefined {
  if (!Token.isUnresolved(certificate.certificateArn)) {
    return Arn.split(certificate.certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
  }
  if (Resource.isOwnedResource(certificate)) {
    const region = Stack.of(certificate).region;
    return Token.isUnresolved(region) ? undefined : region;
  }
  return undefined;
}
