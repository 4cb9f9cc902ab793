import { isIP } from 'node:net';
import { SecureApiConfigError } from '../model/config-error';

/**
 * Who may call the API at all, by network origin: the source IP allow-list and the VPC endpoints of a
 * PRIVATE API, as explicit Denies of the API's resource policy. Pure. The policy itself (who may invoke
 * which route) is the access concern's (`lib/access/invoke-policy.ts`); it appends these statements.
 */

/** API Gateway's limit on a resource policy's size (characters). */
export const RESOURCE_POLICY_MAX_CHARS = 8192;

/** `execute-api:/*` is API Gateway's shorthand for every method of every stage of this API. */
const ALL_METHODS = 'execute-api:/*';

/** A policy statement as JSON. */
export type CallerRestriction = { [key: string]: unknown };

export interface ResourcePolicyInput {
  /** Client addresses or CIDR ranges (IPv4 and IPv6) allowed to call the API; all others are denied. */
  readonly allowedSourceIps?: string[];
  /** VPC endpoint ids (`vpce-...`) allowed to call a PRIVATE API; all others are denied. */
  readonly allowedVpcEndpoints?: string[];
  /** The API's endpoint type. */
  readonly endpoint: 'REGIONAL' | 'EDGE' | 'PRIVATE';
  /** Our CloudFront distribution is the API's only direct client. */
  readonly behindCloudFront: boolean;
}

/** Normalizes an address to CIDR form (`10.0.0.1` → `10.0.0.1/32`) or explains what is wrong with it. */
export function normalizeCidr(value: string, propPath: string): string {
  const [address, prefix, ...rest] = value.trim().split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) {
    throw new SecureApiConfigError('', propPath, `'${value}' is not an IPv4 or IPv6 address or CIDR range`);
  }
  const max = family === 4 ? 32 : 128;
  if (prefix === undefined) return `${address}/${max}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    throw new SecureApiConfigError('', propPath, `'${value}' has an invalid prefix length (0-${max} for IPv${family})`);
  }
  if (Number(prefix) === 0) {
    throw new SecureApiConfigError(
      '',
      propPath,
      `'${value}' allows every address; leave allowedSourceIps unset instead of allowing the whole internet`,
    );
  }
  return `${address}/${Number(prefix)}`;
}

/**
 * The restrictions of callers by network origin, none when nothing restricts them. Each is an explicit
 * Deny of every method, which no Allow (and no authorizer) can override.
 */
export function buildCallerRestrictions(input: ResourcePolicyInput): CallerRestriction[] {
  const ips = input.allowedSourceIps;
  const vpces = input.allowedVpcEndpoints;
  if (ips !== undefined && ips.length === 0) {
    throw new SecureApiConfigError(
      '',
      'resourcePolicy.allowedSourceIps',
      'is empty, which would deny every caller; leave it unset to allow all addresses',
    );
  }
  if (vpces !== undefined && vpces.length === 0) {
    throw new SecureApiConfigError('', 'resourcePolicy.allowedVpcEndpoints', 'is empty, which would deny every caller of the private API');
  }
  if (input.endpoint === 'PRIVATE' && vpces === undefined) {
    throw new SecureApiConfigError(
      '',
      'endpointType',
      "PRIVATE needs resourcePolicy.allowedVpcEndpoints: API Gateway refuses to deploy a private API without a resource policy, and the policy must name the VPC endpoints ('vpce-...') allowed to call it",
    );
  }
  if (vpces !== undefined && input.endpoint !== 'PRIVATE') {
    throw new SecureApiConfigError(
      '',
      'resourcePolicy.allowedVpcEndpoints',
      `applies to PRIVATE endpoints only; on a ${input.endpoint} endpoint requests carry no aws:SourceVpce and the policy would deny every caller`,
    );
  }
  if (ips !== undefined && input.endpoint === 'PRIVATE') {
    throw new SecureApiConfigError(
      '',
      'resourcePolicy.allowedSourceIps',
      'cannot restrict a PRIVATE endpoint: traffic through a VPC endpoint carries no aws:SourceIp; restrict callers with allowedVpcEndpoints',
    );
  }
  if (ips !== undefined && input.behindCloudFront) {
    throw new SecureApiConfigError(
      '',
      'resourcePolicy.allowedSourceIps',
      "cannot be combined with edge: behind CloudFront, API Gateway sees CloudFront's addresses, not the clients'. Use the web ACL's IP allow list, which reads the client address CloudFront forwards",
    );
  }
  if (vpces !== undefined) {
    for (const id of vpces) {
      if (!/^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id))
        throw new SecureApiConfigError(
          '',
          'resourcePolicy.allowedVpcEndpoints',
          `'${id}' is not a VPC endpoint id (vpce- followed by 8 or 17 hex digits)`,
        );
    }
  }
  const statements: CallerRestriction[] = [];
  if (ips !== undefined) {
    const cidrs = [...new Set(ips.map((ip, i) => normalizeCidr(ip, `resourcePolicy.allowedSourceIps[${i}]`)))].sort();
    statements.push({
      Sid: 'DenyOtherSourceIps',
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ALL_METHODS,
      Condition: { NotIpAddress: { 'aws:SourceIp': cidrs } },
    });
  }
  if (vpces !== undefined) {
    statements.push({
      Sid: 'DenyOtherVpcEndpoints',
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ALL_METHODS,
      Condition: { StringNotEquals: { 'aws:SourceVpce': [...new Set(vpces)].sort() } },
    });
  }
  // The whole policy is checked again with its Allows (lib/access); this names the cause early.
  const size = JSON.stringify({ Version: '2012-10-17', Statement: statements }).length;
  if (size > RESOURCE_POLICY_MAX_CHARS) {
    throw new SecureApiConfigError(
      '',
      'resourcePolicy',
      `is ${size} characters, over API Gateway's limit of ${RESOURCE_POLICY_MAX_CHARS}; merge addresses into wider CIDR ranges or use the web ACL's IP sets, which hold 10,000 addresses`,
    );
  }
  return statements;
}
