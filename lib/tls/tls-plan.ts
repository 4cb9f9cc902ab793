import { buildCallerRestrictions, CallerRestriction } from './resource-policy';
import { AccessMode, chooseSecurityPolicy, TlsEndpointKind } from './security-policy';
import { inConstruct, PropCheck } from '../model/config-error';

/**
 * Every HTTPS decision of a SecureApi in one pure function: which security policy the API and its
 * custom domain get, where the domain lives (API Gateway or our CloudFront front), whether a
 * certificate is created, whether the default endpoint stays open, and the resource policy.
 * Incompatible combinations are errors here, before any construct exists, so a template that
 * would fail at deploy time is never produced.
 */

export const US_EAST_1 = 'us-east-1';

/** CloudFront viewer policies we accept: TLSv1.2_2021 and newer. */
export const EDGE_VIEWER_POLICIES = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'] as const;
/** TLS 1.3 only at the edge, matching the regional default. */
export const DEFAULT_EDGE_VIEWER_POLICY = 'TLSv1.3_2025';

export interface TlsPlanInput {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  readonly apiEndpoint: TlsEndpointKind;
  /** The stack's region when it is known at synth time. */
  readonly stackRegion?: string;
  readonly tls?: { readonly securityPolicy?: string; readonly endpointAccessMode?: string };
  readonly domain?: {
    /** `domain.name`, when given. */
    readonly name?: string;
    /** `domain.existingDomain`: its name, and the security policy the user states it has. */
    readonly existing?: { readonly name: string; readonly securityPolicy?: string };
    /** `domain.existingDomainSecurityPolicy` is set. */
    readonly statesExistingPolicy?: boolean;
    readonly hasHostedZone: boolean;
    /** The hosted zone's name when known at synth time. */
    readonly hostedZoneName?: string;
    /** Present when the user gives a certificate; `region` when it is known at synth time. */
    readonly certificate?: { readonly region?: string };
    readonly basePath?: string;
    readonly mutualTls?: { readonly ownershipVerificationCertificate: boolean };
    readonly disableExecuteApiEndpoint?: boolean;
  };
  readonly edge?: { readonly webAclArn?: string; readonly minimumProtocolVersion?: string };
  readonly resourcePolicy?: { readonly allowedSourceIps?: string[]; readonly allowedVpcEndpoints?: string[] };
  /** What the WAF concern does: our managed web ACL, a user's imported ACL, or none. */
  readonly waf: 'managed' | 'imported' | 'off';
}

export interface TlsPlan {
  /** Settings of the REST API itself (its default endpoint). */
  readonly api: {
    readonly securityPolicy: string;
    readonly endpointAccessMode?: AccessMode;
    readonly disableExecuteApiEndpoint: boolean;
    /** The resource policy's Denies of callers by network origin (source IP, VPC endpoint); empty when none. */
    readonly callerRestrictions: CallerRestriction[];
  };
  /** The custom domain, when there is one. */
  readonly domain?: {
    readonly name: string;
    /** API_GATEWAY: an API Gateway custom domain. CLOUDFRONT: the name is served by our distribution. */
    readonly servedBy: 'API_GATEWAY' | 'CLOUDFRONT';
    /** For API_GATEWAY domains: REGIONAL or EDGE. */
    readonly endpoint: 'REGIONAL' | 'EDGE';
    readonly securityPolicy: string;
    readonly endpointAccessMode?: AccessMode;
    /** Create a DNS-validated ACM certificate (else the user's is used). */
    readonly createCertificate: boolean;
    /** The region the certificate must be in; `undefined` means the stack's own region. */
    readonly certificateRegion?: string;
    readonly basePath?: string;
    /**
     * How the stage is mapped under `basePath`: BASE_PATH (`AWS::ApiGateway::BasePathMapping`, the root or one
     * segment) or API_MAPPING (`AWS::ApiGatewayV2::ApiMapping`, several segments; regional TLS 1.2+ domains only).
     */
    readonly mapping: 'BASE_PATH' | 'API_MAPPING';
    /** The domain was made elsewhere (`existingDomain`): only the mapping is created. */
    readonly existing: boolean;
    readonly createAliasRecords: boolean;
    readonly mutualTls: boolean;
  };
  /** The CloudFront front, when there is one. */
  readonly edge?: { readonly minimumProtocolVersion: string; readonly webAclArn?: string };
  /** Protections turned down, each a synth warning. */
  readonly weakened: string[];
  /** Things we could not check at synth time, each a synth warning. */
  readonly unverified: string[];
}

const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const BASE_PATH_SEGMENT = /^[a-zA-Z0-9$_.+!*'()-]+$/;
const CLOUDFRONT_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/;

export function planTls(input: TlsPlanInput): TlsPlan {
  const check = new PropCheck(input.label);
  const { domain, edge } = input;
  const mutualTls = domain?.mutualTls !== undefined;
  const behindCloudFront = edge !== undefined;
  const weakened: string[] = [];
  const unverified: string[] = [];

  // Combinations that cannot work, whatever else is set.
  if (edge !== undefined) {
    if (domain === undefined) {
      check.fail(
        'edge',
        "needs domain: a distribution on CloudFront's default *.cloudfront.net certificate accepts TLS 1.0 whatever minimum is configured. Set domain: { name, hostedZone } so the front serves your name with its own certificate",
      );
    }
    if (input.apiEndpoint === 'PRIVATE')
      check.fail(
        'edge',
        'cannot front a PRIVATE endpoint: CloudFront reaches origins over the internet, and a private API answers only inside a VPC',
      );
    if (input.apiEndpoint === 'EDGE') {
      check.fail(
        'edge',
        'cannot front an EDGE endpoint: an edge-optimized API already sits behind an AWS-managed CloudFront distribution; use endpointType REGIONAL behind the front',
      );
    }
    if (mutualTls) {
      check.fail(
        'domain.mutualTls',
        "cannot be combined with edge: CloudFront terminates the client's TLS connection, so the client certificate never reaches API Gateway. Remove edge to use mTLS on the API's own custom domain",
      );
    }
    if (input.waf !== 'managed') {
      check.fail(
        'edge',
        `needs SecureApi's own web ACL (waf is ${input.waf === 'off' ? 'turned off' : 'an imported ACL'}): its rule rejecting requests without the front's secret origin header is what stops clients from bypassing CloudFront. Keep the default waf with edge`,
      );
    }
    if (domain!.existing !== undefined)
      check.fail(
        'domain.existingDomain',
        'cannot be combined with edge: the CloudFront front serves domain.name with its own certificate and distribution; map the API on the shared domain without edge',
      );
    if (domain!.basePath !== undefined)
      check.fail(
        'domain.basePath',
        'applies to API Gateway custom domains; with edge the distribution serves the API at the root of domain.name',
      );
    if (domain!.disableExecuteApiEndpoint === true) {
      check.fail(
        'domain.disableExecuteApiEndpoint',
        'cannot be true with edge: the front reaches the API through its default endpoint, which the secret origin header check protects',
      );
    }
    if (edge.minimumProtocolVersion !== undefined && !(EDGE_VIEWER_POLICIES as readonly string[]).includes(edge.minimumProtocolVersion)) {
      check.fail(
        'edge.minimumProtocolVersion',
        `must be TLSv1.2_2021 or newer (${EDGE_VIEWER_POLICIES.join(', ')}), got '${edge.minimumProtocolVersion}'`,
      );
    }
    if (edge.webAclArn !== undefined && !isUnresolved(edge.webAclArn) && !CLOUDFRONT_WEB_ACL_ARN.test(edge.webAclArn)) {
      check.fail(
        'edge.webAclArn',
        `must be a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), got '${edge.webAclArn}'`,
      );
    }
  }
  if (domain !== undefined) {
    if (input.apiEndpoint === 'PRIVATE') {
      check.fail(
        'domain',
        'is not supported with endpointType PRIVATE: private custom domain names need AWS::ApiGateway::DomainNameV2 and access associations; call the private API through its VPC endpoint',
      );
    }
    if (mutualTls && input.apiEndpoint === 'EDGE')
      check.fail('domain.mutualTls', 'needs endpointType REGIONAL: API Gateway supports mutual TLS on regional custom domains only');
    checkExistingDomain(domain, check);
    const name =
      domain.existing?.name ??
      domain.name ??
      check.fail('domain.name', 'is required: the host name clients call (or pass existingDomain, a domain made elsewhere)');
    if (!isUnresolved(name) && !DOMAIN_NAME.test(name)) {
      check.fail(
        'domain.name',
        `'${name}' is not a valid lower-case host name (API Gateway does not accept upper-case letters or wildcards here)`,
      );
    }
    if (domain.hostedZoneName !== undefined && !isUnresolved(domain.hostedZoneName) && !isUnresolved(name)) {
      const zone = domain.hostedZoneName.replace(/\.$/, '').toLowerCase();
      if (name !== zone && !name.endsWith(`.${zone}`)) check.fail('domain.name', `'${name}' is not in domain.hostedZone '${zone}'`);
    }
    if (domain.basePath !== undefined) checkBasePath(domain.basePath, check);
    if (domain.existing === undefined && domain.certificate === undefined && !domain.hasHostedZone) {
      check.fail('domain', 'needs a hostedZone (to validate the certificate SecureApi creates and to add alias records) or a certificate');
    }
  }

  // The security policy: one decision for the API and its API Gateway domain, as AWS recommends.
  const decision = inConstruct(input.label, () =>
    chooseSecurityPolicy({
      endpoint: input.apiEndpoint,
      mutualTls,
      behindCloudFront,
      requested: input.tls?.securityPolicy,
      requestedAccessMode: input.tls?.endpointAccessMode,
      propPath: 'tls.securityPolicy',
    }),
  );
  weakened.push(...decision.weakened);

  let planDomain: TlsPlan['domain'];
  if (domain !== undefined) {
    const servedBy = behindCloudFront ? 'CLOUDFRONT' : 'API_GATEWAY';
    const needsUsEast1 = servedBy === 'CLOUDFRONT' || input.apiEndpoint === 'EDGE';
    const why = servedBy === 'CLOUDFRONT' ? 'CloudFront (edge)' : 'an edge-optimized custom domain';
    const stackRegion = input.stackRegion;
    const mapping = (domain.basePath ?? '').includes('/') ? 'API_MAPPING' : 'BASE_PATH';
    if (mapping === 'API_MAPPING') checkApiMapping(domain, servedBy, input.apiEndpoint, decision.securityPolicy, check);
    if (domain.existing !== undefined) {
      const stated = domain.existing.securityPolicy;
      const label = isUnresolved(domain.existing.name) ? 'domain.existingDomain' : `domain.existingDomain (${domain.existing.name})`;
      if (stated === undefined) {
        unverified.push(
          `SecureApi cannot check the TLS policy of ${label}, which it did not make${mapping === 'API_MAPPING' ? ` (the multi-segment basePath needs a regional domain with TLS 1.2 or later)` : ''}; state it with domain.existingDomainSecurityPolicy`,
        );
      } else if (stated === 'TLS_1_0') {
        weakened.push(
          `${label} has the security policy TLS_1_0 (by domain.existingDomainSecurityPolicy): clients may connect with TLS 1.0 and 1.1`,
        );
      }
    } else if (domain.certificate !== undefined) {
      const region = domain.certificate.region;
      if (region === undefined) {
        unverified.push(
          `the region of domain.certificate is not known at synth time; ${needsUsEast1 ? `${why} needs it in us-east-1` : "a regional custom domain needs it in the API's region"}`,
        );
      } else if (needsUsEast1 && region !== US_EAST_1) {
        check.fail(
          'domain.certificate',
          `is in ${region}, but ${why} only accepts ACM certificates from us-east-1. Issue or import the certificate in us-east-1 and pass that one`,
        );
      } else if (!needsUsEast1 && stackRegion !== undefined && region !== stackRegion) {
        check.fail(
          'domain.certificate',
          `is in ${region}, but a regional custom domain needs an ACM certificate in the API's region (${stackRegion})`,
        );
      }
    } else if (needsUsEast1 && stackRegion !== US_EAST_1) {
      check.fail(
        'domain.certificate',
        `must be given: ${why} needs an ACM certificate in us-east-1, and this stack is in ${stackRegion ?? 'a region unknown at synth time (an environment-agnostic stack)'}, so SecureApi cannot create it here. ` +
          "Create the certificate in a us-east-1 stack (acm.Certificate with CertificateValidation.fromDns(zone), in a Stack with env: { region: 'us-east-1' } and crossRegionReferences: true on both stacks) or import an existing one with acm.Certificate.fromCertificateArn, and pass it as domain.certificate",
      );
    }
    if (mutualTls && domain.certificate !== undefined && !domain.mutualTls!.ownershipVerificationCertificate) {
      unverified.push(
        'domain.mutualTls: if domain.certificate was imported into ACM or issued by a private CA, API Gateway also needs mutualTls.ownershipVerificationCertificate (a public ACM certificate for the same name); an ACM-issued public certificate needs none',
      );
    }
    const disable = servedBy === 'API_GATEWAY' ? (domain.disableExecuteApiEndpoint ?? true) : false;
    if (servedBy === 'API_GATEWAY' && !disable) {
      weakened.push(
        `domain.disableExecuteApiEndpoint is false: clients can bypass ${domain.name} and its TLS policy${mutualTls ? ' and mutual TLS' : ''} through the default execute-api endpoint`,
      );
    }
    planDomain = {
      name: (domain.existing?.name ?? domain.name)!,
      servedBy,
      endpoint: input.apiEndpoint === 'EDGE' ? 'EDGE' : 'REGIONAL',
      securityPolicy: decision.securityPolicy,
      endpointAccessMode: decision.endpointAccessMode,
      createCertificate: domain.existing === undefined && domain.certificate === undefined,
      certificateRegion: needsUsEast1 ? US_EAST_1 : undefined,
      basePath: domain.basePath,
      mapping,
      existing: domain.existing !== undefined,
      createAliasRecords: domain.existing === undefined && domain.hasHostedZone,
      mutualTls,
    };
  }

  const callerRestrictions = inConstruct(input.label, () =>
    buildCallerRestrictions({
      endpoint: input.apiEndpoint,
      behindCloudFront,
      allowedSourceIps: input.resourcePolicy?.allowedSourceIps,
      allowedVpcEndpoints: input.resourcePolicy?.allowedVpcEndpoints,
    }),
  );

  return {
    api: {
      securityPolicy: decision.securityPolicy,
      endpointAccessMode: decision.endpointAccessMode,
      disableExecuteApiEndpoint: planDomain?.servedBy === 'API_GATEWAY' && (domain?.disableExecuteApiEndpoint ?? true),
      callerRestrictions,
    },
    domain: planDomain,
    edge:
      edge === undefined
        ? undefined
        : { minimumProtocolVersion: edge.minimumProtocolVersion ?? DEFAULT_EDGE_VIEWER_POLICY, webAclArn: edge.webAclArn },
    weakened,
    unverified,
  };
}

/** A shared domain made elsewhere gets a mapping only: nothing that would create or change the domain itself. */
function checkExistingDomain(domain: NonNullable<TlsPlanInput['domain']>, check: PropCheck): void {
  if (domain.existing === undefined) {
    if (domain.statesExistingPolicy === true)
      check.fail('domain.existingDomainSecurityPolicy', 'states the policy of existingDomain, which is not set');
    return;
  }
  const made = 'SecureApi creates no domain, certificate or DNS records for existingDomain; they belong where the domain is made';
  if (domain.certificate !== undefined) check.fail('domain.certificate', `cannot be combined with existingDomain: ${made}`);
  if (domain.hasHostedZone) check.fail('domain.hostedZone', `cannot be combined with existingDomain: ${made}`);
  if (domain.mutualTls !== undefined)
    check.fail('domain.mutualTls', `cannot be combined with existingDomain: mutual TLS is a setting of the domain, made elsewhere`);
  const { name } = domain;
  if (name !== undefined && !isUnresolved(name) && !isUnresolved(domain.existing.name) && name !== domain.existing.name) {
    check.fail(
      'domain.name',
      `'${name}' differs from existingDomain's name '${domain.existing.name}'; leave name out, it is taken from the domain`,
    );
  }
}

/** One or more segments, none empty: `orders`, `orders/v2`; not `/orders`, `orders//v2` or `orders/`. */
function checkBasePath(basePath: string, check: PropCheck): void {
  const segments = basePath.split('/');
  if (segments.some((segment) => segment === '')) {
    check.fail(
      'domain.basePath',
      `'${basePath}' has an empty segment: write segments separated by single '/', with none at either end (e.g. 'orders/v2')`,
    );
  }
  const bad = segments.find((segment) => !BASE_PATH_SEGMENT.test(segment));
  if (bad !== undefined) check.fail('domain.basePath', `'${basePath}': segment '${bad}' may contain only letters, digits and $_.+!*'()-`);
}

/**
 * A multi-segment base path is an `AWS::ApiGatewayV2::ApiMapping`, which API Gateway accepts only on regional
 * domains whose policy is TLS 1.2 or later (API Gateway developer guide, "API mappings for custom domain names").
 */
function checkApiMapping(
  domain: NonNullable<TlsPlanInput['domain']>,
  servedBy: string,
  apiEndpoint: TlsEndpointKind,
  chosenPolicy: string,
  check: PropCheck,
): void {
  const why = `'${domain.basePath}' has several segments, which API Gateway maps only on regional custom domains with TLS 1.2 or later`;
  if (servedBy !== 'API_GATEWAY') check.fail('domain.basePath', `${why}, not behind edge`);
  if (domain.existing === undefined) {
    if (apiEndpoint === 'EDGE') check.fail('domain.basePath', `${why}; this domain is edge-optimized (endpointType EDGE)`);
    if (chosenPolicy === 'TLS_1_0') check.fail('domain.basePath', `${why}; tls.securityPolicy is TLS_1_0`);
    return;
  }
  const stated = domain.existing.securityPolicy;
  if (stated === 'TLS_1_0') check.fail('domain.basePath', `${why}; domain.existingDomainSecurityPolicy says the domain has TLS_1_0`);
  if (stated !== undefined && stated.endsWith('_EDGE'))
    check.fail('domain.basePath', `${why}; domain.existingDomainSecurityPolicy ${stated} is an edge-optimized domain's policy`);
}

/** CDK tokens look like `${Token[...]}`; this module stays free of aws-cdk-lib, so it checks the shape. */
function isUnresolved(value: string): boolean {
  return value.includes('${Token[') || value.includes('#{Token[');
}
