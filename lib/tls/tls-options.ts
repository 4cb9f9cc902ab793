import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MutualTls } from './mutual-tls';

/**
 * A custom domain name for the API (`SecureApiProps.domain`): one SecureApi makes (`name` with `hostedZone` or
 * `certificate`), or one made elsewhere and shared by several APIs (`existingDomain` with `basePath`).
 */
export interface CustomDomainOptions {
  /**
   * The host name clients call, in lower case, e.g. `api.example.com`.
   * @default - required, unless `existingDomain` is given: then the domain's own name
   */
  readonly name?: string;
  /**
   * A custom domain made elsewhere (another stack, another team), shared by several APIs: SecureApi only maps this
   * API's stage under `basePath`. It creates no domain, certificate or DNS records, so `hostedZone`,
   * `certificate` and `mutualTls` cannot be combined with it. Import one with `apigw.DomainName.fromDomainNameAttributes`.
   * @default - SecureApi creates the domain named `name`
   */
  readonly existingDomain?: apigw.IDomainName;
  /**
   * The security policy `existingDomain` was made with, as its owner configured it. SecureApi cannot read the TLS
   * policy of a domain it did not make; stating it here lets SecureApi check it (a multi-segment `basePath` needs
   * TLS 1.2 or later on a regional domain) instead of leaving a synth warning.
   * @default - unknown: a synth warning says the domain's TLS policy was not checked
   */
  readonly existingDomainSecurityPolicy?: apigw.SecurityPolicy;
  /**
   * The Route 53 zone the name belongs to: SecureApi validates the certificate it creates there and adds
   * A and AAAA alias records. Use `HostedZone.fromHostedZoneAttributes` to avoid a lookup.
   * @default - no records; `certificate` is then required
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The certificate for `name`. For a regional domain it must be in the API's region; for an edge-optimized
   * domain or the CloudFront front (`edge`) it must be in us-east-1. Import one by ARN with
   * `acm.Certificate.fromCertificateArn`.
   * @default - an ACM certificate validated by DNS in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The path under which the API is served (`api.example.com/<basePath>`): one segment (`orders`) or several
   * (`orders/v2`). Several segments need a regional domain with a TLS 1.2 or later policy (an
   * `AWS::ApiGatewayV2::ApiMapping`), and API Gateway matches them by longest prefix, not by segment.
   * @default - the API is served at the domain's root
   */
  readonly basePath?: string;
  /**
   * Mutual TLS: clients must present a certificate issued by a CA in the truststore. Regional endpoints only.
   * @default - no client certificates required
   */
  readonly mutualTls?: MutualTls;
  /**
   * Turns off the default `execute-api` endpoint, so clients cannot bypass the domain's TLS policy and
   * mutual TLS. Setting it to false leaves a synth warning.
   * @default true
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

/** TLS settings of the API's endpoints (`SecureApiProps.tls`): its custom domain and its default endpoint. */
export interface TlsOptions {
  /**
   * The security policy (minimum TLS version and cipher suites). Choosing TLS_1_0, or the legacy TLS_1_2
   * without mutual TLS, leaves a synth warning.
   * @default - the strongest policy the endpoint supports: SecurityPolicy_TLS13_1_3_2025_09 (regional,
   * private), SecurityPolicy_TLS13_2025_EDGE (edge-optimized), SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09
   * behind the CloudFront front, TLS_1_2 with mutual TLS
   */
  readonly securityPolicy?: apigw.SecurityPolicy;
  /**
   * The endpoint access mode of an enhanced (`SecurityPolicy_*`) policy. BASIC leaves a synth warning.
   * @default EndpointAccessMode.STRICT for enhanced policies; none for legacy ones
   */
  readonly endpointAccessMode?: apigw.EndpointAccessMode;
}

/** Who may call the API at all (`SecureApiProps.resourcePolicy`), enforced by API Gateway before any authorizer. */
export interface ResourcePolicyOptions {
  /**
   * Client addresses or CIDR ranges, IPv4 or IPv6. Requests from any other address are denied.
   * Not available behind the CloudFront front (use the web ACL's IP lists) or on PRIVATE endpoints.
   * @default - any address
   */
  readonly allowedSourceIps?: string[];
  /**
   * VPC endpoint ids (`vpce-...`) that may call a PRIVATE API; all others are denied. Required for PRIVATE endpoints.
   * @default - none (only valid for REGIONAL and EDGE endpoints)
   */
  readonly allowedVpcEndpoints?: string[];
}

/** The optional CloudFront front (`SecureApiProps.edge`): HTTP→HTTPS redirect, security headers, edge TLS. */
export interface EdgeFrontOptions {
  /**
   * The minimum TLS version and ciphers for viewers: TLSv1.2_2021 or newer.
   * @default SecurityPolicyProtocol.TLS_V1_3_2025
   */
  readonly minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol;
  /**
   * A CLOUDFRONT-scope WAF web ACL (created in us-east-1) to attach to the distribution.
   * @default - none: every request is forwarded uncached to the API, whose regional web ACL inspects it
   */
  readonly webAclArn?: string;
  /**
   * The price class (which edge locations serve the API).
   * @default PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * HSTS max-age sent to browsers; at least one year.
   * @default Duration.days(730)
   */
  readonly hstsMaxAge?: Duration;
  /**
   * How long the distribution's access logs are kept.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;
  /**
   * Rotate the origin-verify secret automatically, every `originSecretRotationPeriod`: the web ACL accepts the new
   * value before CloudFront sends it, and the old value stops opening the API once every edge location sends the new
   * one. `false` leaves a synth warning; rotate by hand then (`originSecretVersionId`).
   * @default true
   */
  readonly rotateOriginSecret?: boolean;
  /**
   * How often the origin-verify secret is rotated: whole days, 1 to 1000 (Secrets Manager's range).
   * @default Duration.days(30)
   */
  readonly originSecretRotationPeriod?: Duration;
  /**
   * The Secrets Manager version of the origin-verify secret that CloudFront sends and the web ACL expects, for
   * rotating by hand (only with `rotateOriginSecret: false`): put a new secret value, set this to its version id
   * and deploy; CloudFormation re-reads the secret only when the reference changes.
   * @default - the secret's AWSCURRENT version at the time each resource is created
   */
  readonly originSecretVersionId?: string;
  /**
   * A version the web ACL still accepts during a rotation by hand (only with `rotateOriginSecret: false`), while
   * CloudFront's edge locations take up the new value (a few minutes). Remove it with the next deployment.
   * @default - only the current version is accepted
   */
  readonly previousOriginSecretVersionId?: string;
  /**
   * Countries to serve or to block at the edge.
   * @default - no geo restriction (the web ACL's geo lists apply at the API)
   */
  readonly geoRestriction?: cloudfront.GeoRestriction;
}
