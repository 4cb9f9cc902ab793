import { chooseSecurityPolicy, defaultSecurityPolicy, SecurityPolicyInput } from '../../lib/tls/security-policy';

const regional: SecurityPolicyInput = { endpoint: 'REGIONAL', mutualTls: false, behindCloudFront: false, propPath: 'tls.securityPolicy' };

describe('defaultSecurityPolicy', () => {
  it('gives regional and private endpoints TLS 1.3 only', () => {
    expect(defaultSecurityPolicy(regional)).toBe('SecurityPolicy_TLS13_1_3_2025_09');
    expect(defaultSecurityPolicy({ ...regional, endpoint: 'PRIVATE' })).toBe('SecurityPolicy_TLS13_1_3_2025_09');
  });

  it('gives edge-optimized endpoints the TLS 1.3 edge policy', () => {
    expect(defaultSecurityPolicy({ ...regional, endpoint: 'EDGE' })).toBe('SecurityPolicy_TLS13_2025_EDGE');
  });

  it('falls back to TLS_1_2 when mutual TLS is on, the only policy mTLS accepts', () => {
    expect(defaultSecurityPolicy({ ...regional, mutualTls: true })).toBe('TLS_1_2');
  });

  it('keeps TLS 1.2 with forward secrecy behind CloudFront, whose origin connections stop at TLSv1.2', () => {
    expect(defaultSecurityPolicy({ ...regional, behindCloudFront: true })).toBe('SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09');
  });
});

describe('chooseSecurityPolicy', () => {
  it('pairs an enhanced default with STRICT access mode and reports nothing weakened', () => {
    expect(chooseSecurityPolicy(regional)).toEqual({
      securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      endpointAccessMode: 'STRICT',
      weakened: [],
    });
  });

  it('sets no access mode for the legacy policy that mutual TLS uses', () => {
    expect(chooseSecurityPolicy({ ...regional, mutualTls: true })).toEqual({
      securityPolicy: 'TLS_1_2',
      endpointAccessMode: undefined,
      weakened: [],
    });
  });

  it('warns when TLS_1_0 is chosen, and never chooses it by default', () => {
    const decision = chooseSecurityPolicy({ ...regional, requested: 'TLS_1_0' });
    expect(decision.securityPolicy).toBe('TLS_1_0');
    expect(decision.weakened).toEqual([expect.stringContaining('tls.securityPolicy is TLS_1_0: clients may connect with TLS 1.0 and 1.1')]);
    for (const endpoint of ['REGIONAL', 'EDGE', 'PRIVATE'] as const) {
      for (const mutualTls of [false, true]) {
        expect(defaultSecurityPolicy({ endpoint, mutualTls, behindCloudFront: false })).not.toBe('TLS_1_0');
      }
    }
  });

  it('warns when the legacy TLS_1_2 policy is chosen without mutual TLS', () => {
    expect(chooseSecurityPolicy({ ...regional, requested: 'TLS_1_2' }).weakened).toEqual([
      expect.stringContaining('legacy TLS_1_2 policy'),
    ]);
  });

  it('warns when BASIC access mode is chosen', () => {
    const decision = chooseSecurityPolicy({ ...regional, requestedAccessMode: 'BASIC' });
    expect(decision.endpointAccessMode).toBe('BASIC');
    expect(decision.weakened).toEqual([expect.stringContaining('tls.endpointAccessMode is BASIC')]);
  });

  it('rejects an edge policy on a regional endpoint', () => {
    expect(() => chooseSecurityPolicy({ ...regional, requested: 'SecurityPolicy_TLS13_2025_EDGE' })).toThrow(
      "tls.securityPolicy 'SecurityPolicy_TLS13_2025_EDGE' is for edge-optimized endpoints; a regional endpoint supports",
    );
  });

  it('rejects a regional policy on an edge-optimized endpoint', () => {
    expect(() => chooseSecurityPolicy({ ...regional, endpoint: 'EDGE', requested: 'SecurityPolicy_TLS13_1_3_2025_09' })).toThrow(
      "tls.securityPolicy 'SecurityPolicy_TLS13_1_3_2025_09' is for regional and private endpoints; an edge-optimized endpoint supports",
    );
  });

  it('rejects an enhanced policy together with mutual TLS', () => {
    expect(() => chooseSecurityPolicy({ ...regional, mutualTls: true, requested: 'SecurityPolicy_TLS13_1_2_PQ_2025_09' })).toThrow(
      "tls.securityPolicy 'SecurityPolicy_TLS13_1_2_PQ_2025_09' cannot be combined with mutual TLS: API Gateway allows mTLS only with the legacy policy TLS_1_2",
    );
  });

  it('rejects an access mode on a legacy policy', () => {
    expect(() => chooseSecurityPolicy({ ...regional, requested: 'TLS_1_2', requestedAccessMode: 'STRICT' })).toThrow(
      "tls.endpointAccessMode is set, but the legacy policy 'TLS_1_2' takes no endpoint access mode",
    );
  });

  it('rejects a policy API Gateway does not have', () => {
    expect(() => chooseSecurityPolicy({ ...regional, requested: 'TLS_1_3' })).toThrow(
      "tls.securityPolicy 'TLS_1_3' is not an API Gateway security policy",
    );
  });

  it('warns that a TLS 1.3-only policy behind CloudFront may break the origin connection', () => {
    const decision = chooseSecurityPolicy({ ...regional, behindCloudFront: true, requested: 'SecurityPolicy_TLS13_1_3_2025_09' });
    expect(decision.weakened).toEqual([expect.stringContaining('accepts TLS 1.3 only, but CloudFront connects to custom origins')]);
  });
});
