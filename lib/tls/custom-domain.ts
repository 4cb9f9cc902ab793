import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings, controlTowerRule } from '../common';
import { TlsPlan } from './tls-plan';

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

    new apigw.CfnBasePathMapping(this, 'Mapping', {
      domainName: this.domainName.ref,
      restApiId: props.api.restApiId,
      stage: props.stage.stageName,
      basePath: plan.basePath,
    });

    if (plan.createAliasRecords && props.hostedZone !== undefined) {
      const target = route53.RecordTarget.fromAlias({
        bind: () => ({ dnsName: this.targetDomainName, hostedZoneId: this.targetHostedZoneId }),
      });
      new route53.ARecord(this, 'AliasA', { zone: props.hostedZone, recordName: plan.name, target });
      new route53.AaaaRecord(this, 'AliasAAAA', { zone: props.hostedZone, recordName: plan.name, target });
    }
  }
}
