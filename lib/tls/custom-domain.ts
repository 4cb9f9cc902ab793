import { Names, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings, controlTowerRule } from '../common';
import { TlsPlan } from './tls-plan';
import { SecureApiConfigError } from '../model/config-error';

/** The mutual TLS settings, resolved to what the domain resource takes. */
export interface BoundMutualTls {
  readonly truststoreUri: string;
  readonly truststoreVersion?: string;
  readonly ownershipVerificationCertificateArn?: string;
}

/** The API Gateway custom domain of a SecureApi, as `SecureApi.https.customDomain` exposes it. */
export interface IApiCustomDomain extends IConstruct {
  /** The domain's certificate: created and DNS-validated, or the one you gave. */
  readonly certificate: acm.ICertificate;
  /** The custom domain resource. */
  readonly domainName: apigw.CfnDomainName;
  /** The host name API Gateway serves the domain from (what the alias records point at). */
  readonly targetDomainName: string;
  /** The hosted zone of `targetDomainName`. */
  readonly targetHostedZoneId: string;
}

export interface ApiCustomDomainProps {
  readonly plan: NonNullable<TlsPlan['domain']>;
  readonly api: apigw.IRestApi;
  readonly stage: apigw.Stage;
  readonly hostedZone?: route53.IHostedZone;
  /** The user's certificate; created when absent (the plan says so). */
  readonly certificate?: acm.ICertificate;
  readonly mutualTls?: BoundMutualTls;
}

/**
 * An API Gateway custom domain: the certificate (created and DNS-validated, or the user's), the domain
 * with its security policy and access mode, the base path mapping to the stage, and A and AAAA alias
 * records. The L1 resource is used because it takes every policy the CloudFormation schema knows.
 */
export class ApiCustomDomain extends Construct implements IApiCustomDomain {
  public readonly certificate: acm.ICertificate;
  public readonly domainName: apigw.CfnDomainName;
  /** The host name API Gateway serves the domain from (what the alias records point at). */
  public readonly targetDomainName: string;
  public readonly targetHostedZoneId: string;

  constructor(scope: Construct, id: string, props: ApiCustomDomainProps) {
    super(scope, id);
    const { plan } = props;
    const edge = plan.endpoint === 'EDGE';
    this.certificate =
      props.certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: plan.name,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });

    this.domainName = new apigw.CfnDomainName(this, 'Resource', {
      domainName: plan.name,
      certificateArn: edge ? this.certificate.certificateArn : undefined,
      regionalCertificateArn: edge ? undefined : this.certificate.certificateArn,
      // dualstack: the AAAA record below must resolve to an endpoint that answers over IPv6.
      endpointConfiguration: { types: [plan.endpoint], ipAddressType: 'dualstack' },
      securityPolicy: plan.securityPolicy,
      endpointAccessMode: plan.endpointAccessMode,
      mutualTlsAuthentication:
        props.mutualTls === undefined
          ? undefined
          : { truststoreUri: props.mutualTls.truststoreUri, truststoreVersion: props.mutualTls.truststoreVersion },
      ownershipVerificationCertificateArn: props.mutualTls?.ownershipVerificationCertificateArn,
    });
    if (plan.securityPolicy !== apigw.SecurityPolicy.TLS_1_0) {
      acknowledgeFindings(
        this.domainName,
        [controlTowerRule('api_gw_domain_tls_check')],
        `The domain's security policy ${plan.securityPolicy} requires TLS 1.2 or later, which is what CT.APIGATEWAY.PR.6 asks for; the rule only knows the legacy name TLS_1_2 and not API Gateway's enhanced security policies.`,
      );
    }
    this.targetDomainName = edge ? this.domainName.attrDistributionDomainName : this.domainName.attrRegionalDomainName;
    this.targetHostedZoneId = edge ? this.domainName.attrDistributionHostedZoneId : this.domainName.attrRegionalHostedZoneId;

    mapStage(this, { plan, domainName: this.domainName.ref, api: props.api, stage: props.stage });

    if (plan.createAliasRecords && props.hostedZone !== undefined) {
      const target = route53.RecordTarget.fromAlias({
        bind: () => ({ dnsName: this.targetDomainName, hostedZoneId: this.targetHostedZoneId }),
      });
      new route53.ARecord(this, 'AliasA', { zone: props.hostedZone, recordName: plan.name, target });
      new route53.AaaaRecord(this, 'AliasAAAA', { zone: props.hostedZone, recordName: plan.name, target });
    }
  }
}

export interface SharedDomainMappingProps {
  readonly plan: NonNullable<TlsPlan['domain']>;
  /** The domain made elsewhere (`domain.existingDomain`). */
  readonly domain: apigw.IDomainName;
  readonly api: apigw.IRestApi;
  readonly stage: apigw.Stage;
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
}

/**
 * This API's stage mapped under its base path on a custom domain made elsewhere and shared by several APIs.
 * Nothing else: no domain, certificate or DNS records. Two SecureApis of one app that claim the same base path
 * on the same domain are refused here, since CloudFormation would fail only at deploy.
 */
export class SharedDomainMapping extends Construct {
  constructor(scope: Construct, id: string, props: SharedDomainMappingProps) {
    super(scope, id);
    const claimed = claimedBasePaths(this, props.domain);
    const key = props.plan.basePath ?? '';
    const holder = claimed.get(key);
    if (holder !== undefined) {
      throw new SecureApiConfigError(
        props.label,
        'domain.basePath',
        `'${key || '(root)'}' is already mapped on this existingDomain by SecureApi '${holder}'; give each API its own base path`,
      );
    }
    claimed.set(key, props.label);
    mapStage(this, { plan: props.plan, domainName: props.domain.domainName, api: props.api, stage: props.stage });
  }
}

/** Per app: the base paths claimed on each shared domain (by its name when literal), and by which SecureApi. */
const CLAIMED = new WeakMap<IConstruct, Map<string, Map<string, string>>>();
function claimedBasePaths(scope: IConstruct, domain: apigw.IDomainName): Map<string, string> {
  const root = scope.node.root;
  let domains = CLAIMED.get(root);
  if (domains === undefined) CLAIMED.set(root, (domains = new Map()));
  const key = Token.isUnresolved(domain.domainName) ? `construct:${Names.nodeUniqueId(domain.node)}` : `name:${domain.domainName}`;
  let claimed = domains.get(key);
  if (claimed === undefined) domains.set(key, (claimed = new Map()));
  return claimed;
}

/**
 * The stage under `plan.basePath`: a base path mapping for the root or one segment, an API mapping (API Gateway V2
 * resource, which also serves REST APIs) for several segments. The plan has checked that the domain can take it.
 */
function mapStage(
  scope: Construct,
  props: { plan: NonNullable<TlsPlan['domain']>; domainName: string; api: apigw.IRestApi; stage: apigw.Stage },
): void {
  if (props.plan.mapping === 'API_MAPPING') {
    new apigwv2.CfnApiMapping(scope, 'ApiMapping', {
      domainName: props.domainName,
      apiId: props.api.restApiId,
      stage: props.stage.stageName,
      apiMappingKey: props.plan.basePath!,
    });
    return;
  }
  new apigw.CfnBasePathMapping(scope, 'Mapping', {
    domainName: props.domainName,
    restApiId: props.api.restApiId,
    stage: props.stage.stageName,
    basePath: props.plan.basePath,
  });
}
