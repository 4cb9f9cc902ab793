import { SecureApiConfigError } from '../model/config-error';

/**
 * Which TLS security policy and endpoint access mode an API endpoint gets. Pure decisions on
 * strings (the values of aws-cdk-lib's `SecurityPolicy` and `EndpointAccessMode`), so they are
 * tested without synthesizing anything.
 *
 * What can be set (checked in aws-cdk-lib 2.276.0 and its bundled CloudFormation schemas):
 * `AWS::ApiGateway::DomainName` and `AWS::ApiGateway::RestApi` both take `SecurityPolicy` and
 * `EndpointAccessMode`; the body import takes `x-amazon-apigateway-security-policy` and
 * `x-amazon-apigateway-endpoint-access-mode`. Enhanced policies (`SecurityPolicy_*`) need an
 * access mode, legacy ones (`TLS_1_0`, `TLS_1_2`) must not have one, and mutual TLS works with
 * legacy policies only.
 */

/** Where an endpoint terminates TLS. */
export type TlsEndpointKind = 'REGIONAL' | 'EDGE' | 'PRIVATE';

export const LEGACY_POLICIES = ['TLS_1_0', 'TLS_1_2'] as const;

/** Enhanced policies for regional and private endpoints (aws-cdk-lib `SecurityPolicy` values). */
export const REGIONAL_ENHANCED_POLICIES = [
  'SecurityPolicy_TLS13_1_3_2025_09',
  'SecurityPolicy_TLS13_1_3_FIPS_2025_09',
  'SecurityPolicy_TLS13_1_2_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_2021_06',
] as const;

/** Enhanced policies for edge-optimized endpoints. */
export const EDGE_ENHANCED_POLICIES = [
  'SecurityPolicy_TLS13_2025_EDGE',
  'SecurityPolicy_TLS12_PFS_2025_EDGE',
  'SecurityPolicy_TLS12_2018_EDGE',
] as const;

/** TLS 1.3 only, for regional and private endpoints: the strongest policy they support. */
export const STRONGEST_REGIONAL_POLICY = 'SecurityPolicy_TLS13_1_3_2025_09';
/** TLS 1.3 only, for edge-optimized endpoints. */
export const STRONGEST_EDGE_POLICY = 'SecurityPolicy_TLS13_2025_EDGE';
/**
 * TLS 1.3, and TLS 1.2 with forward-secret ciphers only: for an API behind our CloudFront front,
 * because CloudFront's connection to a custom origin is configured with `OriginSSLProtocols`, whose
 * highest value is TLSv1.2. A TLS 1.3-only origin would risk every request failing with 502.
 */
export const CLOUDFRONT_ORIGIN_POLICY = 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09';
/** The strongest legacy policy: the one mutual TLS requires. */
export const MUTUAL_TLS_POLICY = 'TLS_1_2';

export type AccessMode = 'STRICT' | 'BASIC';

/** What the policy decision is based on. */
export interface SecurityPolicyInput {
  /** The endpoint the policy applies to. */
  readonly endpoint: TlsEndpointKind;
  /** Mutual TLS is configured on the endpoint. */
  readonly mutualTls: boolean;
  /** Our CloudFront distribution is the endpoint's only client. */
  readonly behindCloudFront: boolean;
  /** The policy the user asked for, if any. */
  readonly requested?: string;
  /** The access mode the user asked for, if any. */
  readonly requestedAccessMode?: string;
  /** The prop path used in messages, e.g. `tls.securityPolicy`. */
  readonly propPath: string;
}

export interface SecurityPolicyDecision {
  readonly securityPolicy: string;
  /** Set for enhanced policies only. */
  readonly endpointAccessMode?: AccessMode;
  /** Protections the user turned down (each becomes a synth warning). */
  readonly weakened: string[];
}

export function isEnhancedPolicy(policy: string): boolean {
  return policy.startsWith('SecurityPolicy_');
}

/** The strongest policy an endpoint supports, given what else is configured on it. */
export function defaultSecurityPolicy(input: Pick<SecurityPolicyInput, 'endpoint' | 'mutualTls' | 'behindCloudFront'>): string {
  if (input.mutualTls) return MUTUAL_TLS_POLICY;
  if (input.endpoint === 'EDGE') return STRONGEST_EDGE_POLICY;
  if (input.behindCloudFront) return CLOUDFRONT_ORIGIN_POLICY;
  return STRONGEST_REGIONAL_POLICY;
}

/**
 * Chooses the security policy and access mode of one endpoint. Defaults to the strongest policy
 * the endpoint supports with STRICT access mode; validates a requested policy against the
 * endpoint type and mutual TLS, and reports every weakening.
 */
export function chooseSecurityPolicy(input: SecurityPolicyInput): SecurityPolicyDecision {
  const { propPath } = input;
  const policy = input.requested ?? defaultSecurityPolicy(input);
  const known = [...LEGACY_POLICIES, ...REGIONAL_ENHANCED_POLICIES, ...EDGE_ENHANCED_POLICIES] as readonly string[];
  if (!known.includes(policy)) {
    throw new SecureApiConfigError('', propPath, `'${policy}' is not an API Gateway security policy; use one of ${known.join(', ')}`);
  }
  const enhanced = isEnhancedPolicy(policy);
  if (enhanced && input.endpoint === 'EDGE' && !(EDGE_ENHANCED_POLICIES as readonly string[]).includes(policy)) {
    throw new SecureApiConfigError(
      '',
      propPath,
      `'${policy}' is for regional and private endpoints; an edge-optimized endpoint supports ${EDGE_ENHANCED_POLICIES.join(', ')} or TLS_1_2`,
    );
  }
  if (enhanced && input.endpoint !== 'EDGE' && (EDGE_ENHANCED_POLICIES as readonly string[]).includes(policy)) {
    throw new SecureApiConfigError(
      '',
      propPath,
      `'${policy}' is for edge-optimized endpoints; a ${input.endpoint.toLowerCase()} endpoint supports ${REGIONAL_ENHANCED_POLICIES.join(', ')} or TLS_1_2`,
    );
  }
  if (enhanced && input.mutualTls) {
    throw new SecureApiConfigError(
      '',
      propPath,
      `'${policy}' cannot be combined with mutual TLS: API Gateway allows mTLS only with the legacy policy TLS_1_2. Remove ${propPath} (mTLS then uses TLS_1_2) or remove domain.mutualTls`,
    );
  }
  if (!enhanced && input.requestedAccessMode !== undefined) {
    throw new SecureApiConfigError(
      '',
      propPath.replace(/securityPolicy$/, 'endpointAccessMode'),
      `is set, but the legacy policy '${policy}' takes no endpoint access mode; access modes apply to SecurityPolicy_* policies only`,
    );
  }
  if (input.requestedAccessMode !== undefined && input.requestedAccessMode !== 'STRICT' && input.requestedAccessMode !== 'BASIC') {
    throw new SecureApiConfigError(
      '',
      propPath.replace(/securityPolicy$/, 'endpointAccessMode'),
      `must be STRICT or BASIC, got '${input.requestedAccessMode}'`,
    );
  }

  const weakened: string[] = [];
  if (policy === 'TLS_1_0') {
    weakened.push(
      `${propPath} is TLS_1_0: clients may connect with TLS 1.0 and 1.1, which RFC 8996 deprecates and PCI DSS forbids; use the default (${defaultSecurityPolicy(input)})`,
    );
  } else if (policy === 'TLS_1_2' && !input.mutualTls) {
    weakened.push(
      `${propPath} is the legacy TLS_1_2 policy, which still accepts CBC cipher suites and no TLS 1.3-only clients; the default is ${defaultSecurityPolicy(input)}`,
    );
  }
  if (input.behindCloudFront && (policy === 'SecurityPolicy_TLS13_1_3_2025_09' || policy === 'SecurityPolicy_TLS13_1_3_FIPS_2025_09')) {
    weakened.push(
      `${propPath} '${policy}' accepts TLS 1.3 only, but CloudFront connects to custom origins with at most the TLSv1.2 it is configured for; requests through the front may fail with 502. The default behind the front is ${CLOUDFRONT_ORIGIN_POLICY}`,
    );
  }
  let endpointAccessMode: AccessMode | undefined;
  if (enhanced) {
    endpointAccessMode = (input.requestedAccessMode as AccessMode | undefined) ?? 'STRICT';
    if (endpointAccessMode === 'BASIC') {
      weakened.push(
        `${propPath.replace(/securityPolicy$/, 'endpointAccessMode')} is BASIC, which AWS intends for migrations; STRICT, the default and AWS's recommendation for production, applies the endpoint access mode's stricter request checks`,
      );
    }
  }
  return { securityPolicy: policy, endpointAccessMode, weakened };
}
