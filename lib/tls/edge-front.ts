import { Aws, Duration, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings, acknowledgeLogBucketControls, controlTowerRule, createSecureKey, ruleInPacks } from '../common';
import { AccessLogsBucket } from './buckets';
import { EdgeFrontOptions } from './tls-options';
import { CLIENT_IP_HEADER, ORIGIN_VERIFY_HEADER, OriginVerification } from './origin-verification';
import { TlsPlan } from './tls-plan';
import { SecureApiConfigError } from '../model/config-error';

/** HSTS must last at least a year (the preload list's minimum, and what the issue asks). */
export const MIN_HSTS_MAX_AGE = Duration.days(365);

/**
 * The shared secret CloudFront sends to the API in {@link ORIGIN_VERIFY_HEADER}. Secrets Manager
 * generates it; the distribution and the web ACL both hold only a `{{resolve:secretsmanager:...}}`
 * dynamic reference, so no plaintext value is ever in the template or the cloud assembly.
 */
export class OriginVerifySecret extends Construct {
  public readonly secret: secretsmanager.Secret;
  public readonly encryptionKey: kms.IKey;
  public readonly verification: OriginVerification;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly versionId?: string; readonly previousVersionId?: string; readonly rotatedAutomatically: boolean },
  ) {
    super(scope, id);
    this.encryptionKey = createSecureKey(this, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the CloudFront origin-verify secret of ${scope.node.path}`,
    });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Value of the header the CloudFront front adds to every request; the API rejects requests without it',
      encryptionKey: this.encryptionKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    if (!props.rotatedAutomatically) {
      acknowledgeFindings(
        this.secret,
        ['AwsSolutions-SMG4', ...ruleInPacks('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'])],
        'Automatic rotation was turned off (edge.rotateOriginSecret: false, a synth warning): the value is rotated by hand, by putting a new value and deploying with edge.originSecretVersionId (see the README).',
      );
    }
    this.verification = {
      headerName: ORIGIN_VERIFY_HEADER,
      // A dynamic reference, resolved by CloudFormation at deploy time: not a plaintext value.
      expectedValue: reference(this.secret, props.versionId),
      previousValue: props.previousVersionId === undefined ? undefined : reference(this.secret, props.previousVersionId),
      clientIpHeader: CLIENT_IP_HEADER,
      redactedHeaders: [ORIGIN_VERIFY_HEADER],
    };
  }
}

/** A dynamic reference to the secret's value (a given version, or AWSCURRENT): never the value itself. */
function reference(secret: secretsmanager.ISecret, versionId?: string): string {
  return SecretValue.secretsManager(secret.secretArn, { versionId }).unsafeUnwrap();
}

/** The CloudFront front of a SecureApi, as `SecureApi.https.front` exposes it. */
export interface IEdgeFront extends IConstruct {
  /** The distribution that serves the custom domain. */
  readonly distribution: cloudfront.Distribution;
  /** The distribution's us-east-1 certificate: created and DNS-validated, or the one you gave. */
  readonly certificate: acm.ICertificate;
  /** The bucket that receives the distribution's access logs. */
  readonly logBucket: s3.Bucket;
}

export interface EdgeFrontProps {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  readonly domain: NonNullable<TlsPlan['domain']>;
  readonly edge: NonNullable<TlsPlan['edge']>;
  readonly options: EdgeFrontOptions;
  readonly api: apigw.IRestApi;
  readonly stage: apigw.Stage;
  readonly originSecret: OriginVerifySecret;
  readonly accessLogs: AccessLogsBucket;
  readonly hostedZone?: route53.IHostedZone;
  /** The user's us-east-1 certificate; created in this (us-east-1) stack when absent. */
  readonly certificate?: acm.ICertificate;
}

/**
 * A CloudFront distribution in front of the API: HTTP is redirected to HTTPS, viewers need TLS 1.2
 * (2021 ciphers) or newer, responses carry HSTS, nosniff, frame and referrer headers, nothing is cached,
 * every viewer header except Host (so Authorization and x-api-key too) reaches the API over HTTPS only,
 * with the secret origin header the API's web ACL checks. Access logs go to a bucket of their own.
 */
export class EdgeFront extends Construct implements IEdgeFront {
  public readonly distribution: cloudfront.Distribution;
  public readonly certificate: acm.ICertificate;
  public readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EdgeFrontProps) {
    super(scope, id);
    const hstsMaxAge = props.options.hstsMaxAge ?? Duration.days(730);
    if (!Token.isUnresolved(hstsMaxAge.toSeconds()) && hstsMaxAge.toSeconds() < MIN_HSTS_MAX_AGE.toSeconds()) {
      throw new SecureApiConfigError(
        props.label,
        'edge.hstsMaxAge',
        `must be at least 365 days, got ${hstsMaxAge.toDays({ integral: false })} days`,
      );
    }
    const logRetention = props.options.accessLogRetention ?? Duration.days(365);

    this.certificate =
      props.certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: props.domain.name,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront's standard log delivery writes through bucket ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: logRetention, noncurrentVersionExpiration: Duration.days(30) }],
    });
    props.accessLogs.allowLogsFrom(this.logBucket, 'cloudfront-logs/');
    acknowledgeFindings(
      this.logBucket,
      [
        ...ruleInPacks('S3DefaultEncryptionKMS', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
        controlTowerRule('s3_bucket_default_encryption_kms_check'),
      ],
      "The access logs are encrypted at rest with SSE-S3: CloudFront's standard log delivery writes through bucket ACLs from AWS's log-delivery account, and SSE-S3 keeps that delivery independent of a KMS key policy that, if it drifted, would drop access logs silently.",
    );
    acknowledgeFindings(
      this.logBucket,
      ruleInPacks('S3BucketReplicationEnabled', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
      'It holds access logs that expire after the retention period; versioning keeps overwritten objects, and a replica in a second region would protect nothing the single-region API could use.',
    );

    acknowledgeLogBucketControls(this.logBucket);

    // Sets the viewer's address in a header the API's web ACL can trust: a client's own value is overwritten.
    const clientIp = new cloudfront.Function(this, 'ViewerAddress', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Passes the viewer address to the API; drops any client-supplied origin-verify header',
      code: cloudfront.FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          `  delete request.headers['${ORIGIN_VERIFY_HEADER}'];`,
          `  request.headers['${CLIENT_IP_HEADER}'] = { value: event.viewer.ip };`,
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'SecureApi: HSTS, nosniff, frame and referrer policies on every response',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: hstsMaxAge, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const region = Token.isUnresolved(Stack.of(this).region) ? Aws.REGION : Stack.of(this).region;
    const origin = new origins.HttpOrigin(`${props.api.restApiId}.execute-api.${region}.${Aws.URL_SUFFIX}`, {
      originPath: `/${props.stage.stageName}`,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originSecret.verification.expectedValue },
      // API Gateway's integration timeout is at most 29 s.
      readTimeout: Duration.seconds(30),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `SecureApi front of ${props.domain.name}`,
      domainNames: [props.domain.name],
      certificate: this.certificate,
      minimumProtocolVersion: props.edge.minimumProtocolVersion as cloudfront.SecurityPolicyProtocol,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.options.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
      geoRestriction: props.options.geoRestriction,
      webAclId: props.edge.webAclArn,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        // Nothing is cached: responses depend on Authorization and x-api-key. CloudFront forwards the
        // Authorization header through an origin request policy only when caching is off.
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: clientIp, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
    });
    // AwsSolutions-CFR2 is answered by a real CLOUDFRONT-scope web ACL: edge.webAclArn, or the one the
    // WAF concern creates with the viewer-facing reputation rules (attached by the root).
    acknowledgeFindings(
      this.distribution,
      [controlTowerRule('cloudfront_default_root_object_configured_check')],
      'The distribution fronts a REST API whose every path, the root included, is a route the API answers (or denies); a default root object would rewrite GET / to an object key the API does not serve.',
    );
    acknowledgeFindings(
      this.distribution,
      [controlTowerRule('cloudfront_origin_failover_enabled_check')],
      "The only origin is this stack's regional API; an origin group needs a second deployment of the API in another region, an architecture decision that belongs to the user, not to the construct.",
    );
    if (props.options.geoRestriction === undefined) {
      acknowledgeFindings(
        this.distribution,
        ['AwsSolutions-CFR1'],
        "The API serves clients in every country; country allow and block lists belong to the regional web ACL's geo rules, which see every request the front forwards.",
      );
    }

    if (props.domain.createAliasRecords && props.hostedZone !== undefined) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'AliasA', { zone: props.hostedZone, recordName: props.domain.name, target });
      new route53.AaaaRecord(this, 'AliasAAAA', { zone: props.hostedZone, recordName: props.domain.name, target });
    }
  }
}
