import { CLIENT_IP_HEADER, ORIGIN_VERIFY_HEADER, OriginVerification, originVerificationRule } from '../../lib/tls/origin-verification';

const SECRET_REF =
  '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:111122223333:secret:OriginVerify-AbCdEf:SecretString:value::}}';
const verification: OriginVerification = {
  headerName: ORIGIN_VERIFY_HEADER,
  expectedValue: SECRET_REF,
  clientIpHeader: CLIENT_IP_HEADER,
  redactedHeaders: [ORIGIN_VERIFY_HEADER],
};

const exactMatch = (value: string) => ({
  byteMatchStatement: {
    fieldToMatch: { singleHeader: { Name: ORIGIN_VERIFY_HEADER } },
    positionalConstraint: 'EXACTLY',
    searchString: value,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

describe('header names', () => {
  it('are lower case, as WAF compares single-header names, and distinct', () => {
    for (const name of [ORIGIN_VERIFY_HEADER, CLIENT_IP_HEADER]) expect(name).toBe(name.toLowerCase());
    expect(ORIGIN_VERIFY_HEADER).not.toBe(CLIENT_IP_HEADER);
  });

  it('are not headers a client or CloudFront sets for its own purposes', () => {
    for (const name of [ORIGIN_VERIFY_HEADER, CLIENT_IP_HEADER]) expect(name).toMatch(/^x-secureapi-/);
  });
});

describe('originVerificationRule', () => {
  it('blocks every request whose header is not exactly the expected value', () => {
    expect(originVerificationRule(verification, 0, 'OriginVerify')).toEqual({
      name: 'RequireCloudFrontOriginHeader',
      priority: 0,
      action: { block: {} },
      statement: { notStatement: { statement: exactMatch(SECRET_REF) } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'OriginVerify' },
    });
  });

  it('applies no text transformation, so a value that only matches after decoding or case folding is blocked', () => {
    const rule = originVerificationRule(verification, 0, 'm');
    const statement = (rule.statement as any).notStatement.statement.byteMatchStatement;
    expect(statement.textTransformations).toEqual([{ priority: 0, type: 'NONE' }]);
    expect(statement.positionalConstraint).toBe('EXACTLY');
  });

  it('accepts the previous value too while a rotation propagates', () => {
    const rule = originVerificationRule({ ...verification, previousValue: 'previous-secret' }, 3, 'm');
    expect(rule.priority).toBe(3);
    expect(rule.statement).toEqual({
      notStatement: { statement: { orStatement: { statements: [exactMatch(SECRET_REF), exactMatch('previous-secret')] } } },
    });
  });

  it('writes the secret only as the dynamic reference it was given, never a resolved value', () => {
    expect(JSON.stringify(originVerificationRule(verification, 0, 'm'))).toContain('{{resolve:secretsmanager:');
  });

  it('matches the header named in the verification', () => {
    const rule = originVerificationRule({ ...verification, headerName: 'x-other' }, 0, 'm');
    expect(JSON.stringify(rule)).toContain('"Name":"x-other"');
  });
});
