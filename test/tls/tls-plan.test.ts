import { planTls, TlsPlanInput } from '../../lib/tls/tls-plan';

const base: TlsPlanInput = { label: 'Stack/Api', apiEndpoint: 'REGIONAL', stackRegion: 'eu-west-1', waf: 'managed' };
const domain = { name: 'api.example.com', hasHostedZone: true, hostedZoneName: 'example.com' };

describe('planTls without a custom domain', () => {
  it('gives the API the strongest policy and keeps its default endpoint (the only one it has)', () => {
    expect(planTls(base)).toEqual({
      api: {
        securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
        endpointAccessMode: 'STRICT',
        disableExecuteApiEndpoint: false,
        callerRestrictions: [],
      },
      domain: undefined,
      edge: undefined,
      weakened: [],
      unverified: [],
    });
  });

  it('names the SecureApi in errors from the policy decisions', () => {
    expect(() => planTls({ ...base, tls: { securityPolicy: 'SecurityPolicy_TLS13_2025_EDGE' } })).toThrow(
      "SecureApi 'Stack/Api': tls.securityPolicy 'SecurityPolicy_TLS13_2025_EDGE' is for edge-optimized",
    );
    expect(() => planTls({ ...base, apiEndpoint: 'PRIVATE' })).toThrow(
      "SecureApi 'Stack/Api': endpointType PRIVATE needs resourcePolicy.allowedVpcEndpoints",
    );
  });
});

describe('planTls with a regional custom domain', () => {
  it('creates a certificate in the stack, adds alias records and disables the default endpoint', () => {
    const plan = planTls({ ...base, domain });
    expect(plan.domain).toEqual({
      name: 'api.example.com',
      servedBy: 'API_GATEWAY',
      endpoint: 'REGIONAL',
      securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      endpointAccessMode: 'STRICT',
      createCertificate: true,
      certificateRegion: undefined,
      basePath: undefined,
      mapping: 'BASE_PATH',
      existing: false,
      createAliasRecords: true,
      mutualTls: false,
    });
    expect(plan.api.disableExecuteApiEndpoint).toBe(true);
    expect(plan.weakened).toEqual([]);
  });

  it('creates the certificate even when the stack region is unknown, because it lands in the API region', () => {
    expect(planTls({ ...base, stackRegion: undefined, domain }).domain!.createCertificate).toBe(true);
  });

  it('warns when the default endpoint is kept open next to the domain', () => {
    const plan = planTls({ ...base, domain: { ...domain, disableExecuteApiEndpoint: false } });
    expect(plan.api.disableExecuteApiEndpoint).toBe(false);
    expect(plan.weakened).toEqual([
      'domain.disableExecuteApiEndpoint is false: clients can bypass api.example.com and its TLS policy through the default execute-api endpoint',
    ]);
  });

  it('uses TLS_1_2 on the API and the domain when mutual TLS is on', () => {
    const plan = planTls({ ...base, domain: { ...domain, mutualTls: { ownershipVerificationCertificate: false } } });
    expect(plan.api.securityPolicy).toBe('TLS_1_2');
    expect(plan.domain!.securityPolicy).toBe('TLS_1_2');
    expect(plan.domain!.endpointAccessMode).toBeUndefined();
    expect(plan.domain!.mutualTls).toBe(true);
  });

  it('notes that an imported certificate with mTLS may need an ownership-verification certificate', () => {
    const plan = planTls({
      ...base,
      domain: { ...domain, certificate: { region: 'eu-west-1' }, mutualTls: { ownershipVerificationCertificate: false } },
    });
    expect(plan.unverified).toEqual([expect.stringContaining('API Gateway also needs mutualTls.ownershipVerificationCertificate')]);
  });

  it('rejects a certificate from another region', () => {
    expect(() => planTls({ ...base, domain: { ...domain, certificate: { region: 'us-east-1' } } })).toThrow(
      "SecureApi 'Stack/Api': domain.certificate is in us-east-1, but a regional custom domain needs an ACM certificate in the API's region (eu-west-1)",
    );
  });

  it('warns when the certificate region cannot be known at synth time', () => {
    expect(planTls({ ...base, domain: { ...domain, certificate: {} } }).unverified).toEqual([
      "the region of domain.certificate is not known at synth time; a regional custom domain needs it in the API's region",
    ]);
  });

  it('requires a hosted zone or a certificate, a name inside the zone, and a valid name and base path', () => {
    expect(() => planTls({ ...base, domain: { name: 'api.example.com', hasHostedZone: false } })).toThrow('domain needs a hostedZone');
    expect(() => planTls({ ...base, domain: { ...domain, hostedZoneName: 'example.org.' } })).toThrow(
      "domain.name 'api.example.com' is not in domain.hostedZone 'example.org'",
    );
    expect(() => planTls({ ...base, domain: { ...domain, name: 'API.example.com' } })).toThrow(
      "domain.name 'API.example.com' is not a valid lower-case host name",
    );
    expect(() => planTls({ ...base, domain: { ...domain, basePath: 'v1/pe ts' } })).toThrow(
      "domain.basePath 'v1/pe ts': segment 'pe ts' may contain only letters, digits and $_.+!*'()-",
    );
  });
});

describe('planTls with a multi-segment base path', () => {
  it('maps several segments with an API mapping on a regional domain', () => {
    expect(planTls({ ...base, domain: { ...domain, basePath: 'orders/v2' } }).domain).toMatchObject({
      basePath: 'orders/v2',
      mapping: 'API_MAPPING',
    });
  });

  it.each(['/orders', 'orders/', 'orders//v2', '/', ''])('refuses the base path %j, which has an empty segment', (basePath) => {
    expect(() => planTls({ ...base, domain: { ...domain, basePath } })).toThrow(
      `SecureApi 'Stack/Api': domain.basePath '${basePath}' has an empty segment`,
    );
  });

  it('refuses several segments where API Gateway cannot map them: edge-optimized domains and TLS_1_0', () => {
    expect(() => planTls({ ...base, apiEndpoint: 'EDGE', stackRegion: 'us-east-1', domain: { ...domain, basePath: 'orders/v2' } })).toThrow(
      "domain.basePath 'orders/v2' has several segments, which API Gateway maps only on regional custom domains with TLS 1.2 or later; this domain is edge-optimized",
    );
    expect(() => planTls({ ...base, tls: { securityPolicy: 'TLS_1_0' }, domain: { ...domain, basePath: 'orders/v2' } })).toThrow(
      'tls.securityPolicy is TLS_1_0',
    );
  });
});

describe('planTls with a shared domain made elsewhere (existingDomain)', () => {
  const shared = { existing: { name: 'api.example.com' }, hasHostedZone: false };

  it('maps the API only: no certificate, no alias records, the name from the domain, the default endpoint disabled', () => {
    const plan = planTls({ ...base, domain: { ...shared, basePath: 'orders' } });
    expect(plan.domain).toMatchObject({
      name: 'api.example.com',
      servedBy: 'API_GATEWAY',
      existing: true,
      createCertificate: false,
      createAliasRecords: false,
      basePath: 'orders',
      mapping: 'BASE_PATH',
    });
    expect(plan.api.disableExecuteApiEndpoint).toBe(true);
  });

  it('says that it cannot check the TLS policy of a domain it did not make, unless the user states it', () => {
    expect(planTls({ ...base, domain: { ...shared, basePath: 'orders/v2' } }).unverified).toEqual([
      'SecureApi cannot check the TLS policy of domain.existingDomain (api.example.com), which it did not make (the multi-segment basePath needs a regional domain with TLS 1.2 or later); state it with domain.existingDomainSecurityPolicy',
    ]);
    const stated = planTls({
      ...base,
      domain: {
        ...shared,
        existing: { name: 'api.example.com', securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09' },
        basePath: 'orders/v2',
      },
    });
    expect([stated.unverified, stated.weakened]).toEqual([[], []]);
  });

  it('warns about a stated TLS_1_0 domain, and refuses several segments on it', () => {
    const weak = { ...shared, existing: { name: 'api.example.com', securityPolicy: 'TLS_1_0' } };
    expect(planTls({ ...base, domain: { ...weak, basePath: 'orders' } }).weakened).toEqual([
      'domain.existingDomain (api.example.com) has the security policy TLS_1_0 (by domain.existingDomainSecurityPolicy): clients may connect with TLS 1.0 and 1.1',
    ]);
    expect(() => planTls({ ...base, domain: { ...weak, basePath: 'orders/v2' } })).toThrow(
      'domain.existingDomainSecurityPolicy says the domain has TLS_1_0',
    );
    expect(() =>
      planTls({
        ...base,
        domain: { ...shared, existing: { name: 'api.example.com', securityPolicy: 'SecurityPolicy_TLS13_2025_EDGE' }, basePath: 'a/b' },
      }),
    ).toThrow("is an edge-optimized domain's policy");
  });

  it.each([
    [{ certificate: {} }, 'domain.certificate cannot be combined with existingDomain'],
    [{ hasHostedZone: true }, 'domain.hostedZone cannot be combined with existingDomain'],
    [{ mutualTls: { ownershipVerificationCertificate: false } }, 'domain.mutualTls cannot be combined with existingDomain'],
    [{ name: 'other.example.com' }, "domain.name 'other.example.com' differs from existingDomain's name 'api.example.com'"],
  ])('refuses what would create or change the shared domain: %j', (extra, message) => {
    expect(() => planTls({ ...base, domain: { ...shared, ...extra } })).toThrow(message);
  });

  it('refuses edge with existingDomain, and existingDomainSecurityPolicy without it', () => {
    expect(() => planTls({ ...base, edge: {}, stackRegion: 'us-east-1', domain: shared })).toThrow(
      'domain.existingDomain cannot be combined with edge',
    );
    expect(() => planTls({ ...base, domain: { ...domain, statesExistingPolicy: true } })).toThrow(
      'domain.existingDomainSecurityPolicy states the policy of existingDomain, which is not set',
    );
  });

  it('needs a name when there is no existing domain', () => {
    expect(() => planTls({ ...base, domain: { hasHostedZone: true } })).toThrow("SecureApi 'Stack/Api': domain.name is required");
  });
});

describe('planTls with an edge-optimized API', () => {
  it('uses the edge TLS 1.3 policy and creates the certificate when the stack is in us-east-1', () => {
    const plan = planTls({ ...base, apiEndpoint: 'EDGE', stackRegion: 'us-east-1', domain });
    expect(plan.domain).toMatchObject({
      endpoint: 'EDGE',
      securityPolicy: 'SecurityPolicy_TLS13_2025_EDGE',
      createCertificate: true,
      certificateRegion: 'us-east-1',
    });
    expect(plan.api.securityPolicy).toBe('SecurityPolicy_TLS13_2025_EDGE');
  });

  it('explains how to get a us-east-1 certificate when the stack is elsewhere', () => {
    expect(() => planTls({ ...base, apiEndpoint: 'EDGE', domain })).toThrow(
      /an edge-optimized custom domain needs an ACM certificate in us-east-1, and this stack is in eu-west-1, so SecureApi cannot create it here\. Create the certificate in a us-east-1 stack .* and pass it as domain.certificate/,
    );
    expect(() => planTls({ ...base, apiEndpoint: 'EDGE', stackRegion: undefined, domain })).toThrow(
      'this stack is in a region unknown at synth time',
    );
  });

  it('accepts a us-east-1 certificate from any stack region and rejects one from elsewhere', () => {
    expect(
      planTls({ ...base, apiEndpoint: 'EDGE', domain: { ...domain, certificate: { region: 'us-east-1' } } }).domain!.createCertificate,
    ).toBe(false);
    expect(() => planTls({ ...base, apiEndpoint: 'EDGE', domain: { ...domain, certificate: { region: 'eu-west-1' } } })).toThrow(
      'domain.certificate is in eu-west-1, but an edge-optimized custom domain only accepts ACM certificates from us-east-1',
    );
  });

  it('rejects mutual TLS, which API Gateway supports on regional domains only', () => {
    expect(() =>
      planTls({
        ...base,
        apiEndpoint: 'EDGE',
        stackRegion: 'us-east-1',
        domain: { ...domain, mutualTls: { ownershipVerificationCertificate: false } },
      }),
    ).toThrow('domain.mutualTls needs endpointType REGIONAL');
  });
});

describe('planTls with a PRIVATE API', () => {
  it('restricts the API to its VPC endpoints and keeps the default endpoint', () => {
    const plan = planTls({ ...base, apiEndpoint: 'PRIVATE', resourcePolicy: { allowedVpcEndpoints: ['vpce-1a2b3c4d'] } });
    expect(plan.api.callerRestrictions).toEqual([expect.objectContaining({ Sid: 'DenyOtherVpcEndpoints' })]);
    expect(plan.api.disableExecuteApiEndpoint).toBe(false);
  });

  it('rejects a custom domain', () => {
    expect(() => planTls({ ...base, apiEndpoint: 'PRIVATE', domain, resourcePolicy: { allowedVpcEndpoints: ['vpce-1a2b3c4d'] } })).toThrow(
      'domain is not supported with endpointType PRIVATE',
    );
  });
});

describe('planTls with the CloudFront front', () => {
  const usEast1 = { ...base, stackRegion: 'us-east-1' };

  it('serves the domain from CloudFront, keeps the origin endpoint open and picks a policy CloudFront can reach', () => {
    const plan = planTls({ ...usEast1, domain, edge: {} });
    expect(plan.domain).toMatchObject({ servedBy: 'CLOUDFRONT', createCertificate: true, certificateRegion: 'us-east-1' });
    expect(plan.api).toEqual({
      securityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      endpointAccessMode: 'STRICT',
      disableExecuteApiEndpoint: false,
      callerRestrictions: [],
    });
    expect(plan.edge).toEqual({ minimumProtocolVersion: 'TLSv1.3_2025', webAclArn: undefined });
  });

  it('needs a us-east-1 certificate for the distribution', () => {
    expect(() => planTls({ ...base, domain, edge: {} })).toThrow(
      'CloudFront (edge) needs an ACM certificate in us-east-1, and this stack is in eu-west-1',
    );
    expect(planTls({ ...base, domain: { ...domain, certificate: { region: 'us-east-1' } }, edge: {} }).domain!.createCertificate).toBe(
      false,
    );
  });

  it('rejects every combination that cannot work', () => {
    const cases: Array<[Partial<TlsPlanInput>, string]> = [
      [{ domain: undefined }, "edge needs domain: a distribution on CloudFront's default *.cloudfront.net certificate accepts TLS 1.0"],
      [{ apiEndpoint: 'PRIVATE', resourcePolicy: { allowedVpcEndpoints: ['vpce-1a2b3c4d'] } }, 'edge cannot front a PRIVATE endpoint'],
      [{ apiEndpoint: 'EDGE' }, 'edge cannot front an EDGE endpoint'],
      [
        { domain: { ...domain, mutualTls: { ownershipVerificationCertificate: false } } },
        'domain.mutualTls cannot be combined with edge: CloudFront terminates',
      ],
      [{ waf: 'off' }, "edge needs SecureApi's own web ACL (waf is turned off)"],
      [{ waf: 'imported' }, "edge needs SecureApi's own web ACL (waf is an imported ACL)"],
      [{ domain: { ...domain, basePath: 'v1' } }, 'domain.basePath applies to API Gateway custom domains'],
      [{ domain: { ...domain, disableExecuteApiEndpoint: true } }, 'domain.disableExecuteApiEndpoint cannot be true with edge'],
      [
        { edge: { minimumProtocolVersion: 'TLSv1.2_2019' } },
        "edge.minimumProtocolVersion must be TLSv1.2_2021 or newer (TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025), got 'TLSv1.2_2019'",
      ],
      [
        { edge: { webAclArn: 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/acl/0f1e' } },
        'edge.webAclArn must be a CLOUDFRONT-scope web ACL',
      ],
      [{ resourcePolicy: { allowedSourceIps: ['203.0.113.0/24'] } }, 'resourcePolicy.allowedSourceIps cannot be combined with edge'],
    ];
    for (const [override, message] of cases) {
      expect(() => planTls({ ...usEast1, domain, edge: {}, ...override })).toThrow(`SecureApi 'Stack/Api': ${message}`);
    }
  });

  it('accepts a CLOUDFRONT-scope web ACL', () => {
    const arn = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/front/0f1e2d3c';
    expect(planTls({ ...usEast1, domain, edge: { webAclArn: arn } }).edge!.webAclArn).toBe(arn);
  });
});
