import { buildCallerRestrictions, normalizeCidr } from '../../lib/tls/resource-policy';

describe('normalizeCidr', () => {
  it('turns single addresses into host ranges', () => {
    expect(normalizeCidr('203.0.113.7', 'p')).toBe('203.0.113.7/32');
    expect(normalizeCidr('2001:db8::1', 'p')).toBe('2001:db8::1/128');
  });

  it('keeps valid ranges of both families', () => {
    expect(normalizeCidr('198.51.100.0/24', 'p')).toBe('198.51.100.0/24');
    expect(normalizeCidr('2001:db8::/32', 'p')).toBe('2001:db8::/32');
  });

  it('rejects what is not an address, a bad prefix, and allow-everything ranges', () => {
    expect(() => normalizeCidr('example.com', 'ips[0]')).toThrow(
      "SecureApi: ips[0] 'example.com' is not an IPv4 or IPv6 address or CIDR range",
    );
    expect(() => normalizeCidr('10.0.0.0/33', 'ips[1]')).toThrow(
      "SecureApi: ips[1] '10.0.0.0/33' has an invalid prefix length (0-32 for IPv4)",
    );
    expect(() => normalizeCidr('0.0.0.0/0', 'ips[2]')).toThrow(
      "SecureApi: ips[2] '0.0.0.0/0' allows every address; leave allowedSourceIps unset instead of allowing the whole internet",
    );
  });
});

describe('buildCallerRestrictions', () => {
  it('restricts nothing when nothing is configured', () => {
    expect(buildCallerRestrictions({ endpoint: 'REGIONAL', behindCloudFront: false })).toEqual([]);
  });

  it('denies every source address outside the allow-list', () => {
    const restrictions = buildCallerRestrictions({
      endpoint: 'REGIONAL',
      behindCloudFront: false,
      allowedSourceIps: ['203.0.113.7', '2001:db8::/32', '203.0.113.7/32'],
    });
    expect(restrictions).toEqual([
      {
        Sid: 'DenyOtherSourceIps',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['2001:db8::/32', '203.0.113.7/32'] } },
      },
    ]);
  });

  it('allows a PRIVATE API only through the given VPC endpoints', () => {
    const restrictions = buildCallerRestrictions({
      endpoint: 'PRIVATE',
      behindCloudFront: false,
      allowedVpcEndpoints: ['vpce-0123456789abcdef0', 'vpce-1a2b3c4d'],
    });
    expect(restrictions).toEqual([
      {
        Sid: 'DenyOtherVpcEndpoints',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0', 'vpce-1a2b3c4d'] } },
      },
    ]);
  });

  it('requires VPC endpoints for a PRIVATE API, which API Gateway will not deploy without a policy', () => {
    expect(() => buildCallerRestrictions({ endpoint: 'PRIVATE', behindCloudFront: false })).toThrow(
      'endpointType PRIVATE needs resourcePolicy.allowedVpcEndpoints',
    );
  });

  it('rejects VPC endpoints on a public endpoint, where they would deny everyone', () => {
    expect(() =>
      buildCallerRestrictions({ endpoint: 'REGIONAL', behindCloudFront: false, allowedVpcEndpoints: ['vpce-1a2b3c4d'] }),
    ).toThrow('resourcePolicy.allowedVpcEndpoints applies to PRIVATE endpoints only');
  });

  it('rejects source addresses on a PRIVATE endpoint and behind CloudFront', () => {
    expect(() =>
      buildCallerRestrictions({
        endpoint: 'PRIVATE',
        behindCloudFront: false,
        allowedSourceIps: ['10.0.0.0/8'],
        allowedVpcEndpoints: ['vpce-1a2b3c4d'],
      }),
    ).toThrow('resourcePolicy.allowedSourceIps cannot restrict a PRIVATE endpoint');
    expect(() => buildCallerRestrictions({ endpoint: 'REGIONAL', behindCloudFront: true, allowedSourceIps: ['10.0.0.0/8'] })).toThrow(
      "resourcePolicy.allowedSourceIps cannot be combined with edge: behind CloudFront, API Gateway sees CloudFront's addresses",
    );
  });

  it('rejects empty lists, malformed endpoint ids and policies over 8,192 characters', () => {
    expect(() => buildCallerRestrictions({ endpoint: 'REGIONAL', behindCloudFront: false, allowedSourceIps: [] })).toThrow(
      'resourcePolicy.allowedSourceIps is empty',
    );
    expect(() => buildCallerRestrictions({ endpoint: 'PRIVATE', behindCloudFront: false, allowedVpcEndpoints: ['vpc-123'] })).toThrow(
      "SecureApi: resourcePolicy.allowedVpcEndpoints 'vpc-123' is not a VPC endpoint id (vpce- followed by 8 or 17 hex digits)",
    );
    const many = Array.from({ length: 600 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
    expect(() => buildCallerRestrictions({ endpoint: 'REGIONAL', behindCloudFront: false, allowedSourceIps: many })).toThrow(
      /resourcePolicy is \d+ characters, over API Gateway's limit of 8192/,
    );
  });
});
