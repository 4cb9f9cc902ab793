// Each Security Hub control as cdk-nag tests its rules: one compliant and one non-compliant resource.
import { ApiModel, CfnResource, CfnTemplate, evaluateSecurityHub, rollUp, SECURITY_HUB_CONTROLS } from '../../lib/report';

const stage = (props: Record<string, unknown>): CfnResource => ({
  Type: 'AWS::ApiGateway::Stage',
  Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1', ...props },
});
const wide = (settings: Record<string, unknown>) => ({ MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ...settings }] });
const acl = (rules: unknown[]): CfnResource => ({
  Type: 'AWS::WAFv2::WebACL',
  Properties: { Scope: 'REGIONAL', DefaultAction: { Allow: {} }, Rules: rules },
});
const rule = (name: string, metrics = true) => ({
  Name: name,
  Priority: 0,
  Action: { Block: {} },
  VisibilityConfig: { CloudWatchMetricsEnabled: metrics, MetricName: name, SampledRequestsEnabled: true },
});
const distribution = (config: Record<string, unknown>): CfnResource => ({
  Type: 'AWS::CloudFront::Distribution',
  Properties: { DistributionConfig: { Enabled: true, ...config } },
});
const customOrigin = (config: Record<string, unknown>) => ({
  Origins: [{ Id: 'api', DomainName: 'x.execute-api.eu-west-1.amazonaws.com', CustomOriginConfig: config }],
});
const fn = (props: Record<string, unknown>): CfnResource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.handler', Role: 'arn', Code: { ZipFile: 'x' }, ...props },
});
const bucket = (props: Record<string, unknown> = {}): CfnResource => ({ Type: 'AWS::S3::Bucket', Properties: props });

interface Case {
  readonly resource: CfnResource;
  /** Other resources the control reads (associations, permissions, policies). */
  readonly others?: Record<string, CfnResource>;
}

/** For each control: a compliant case and a non-compliant case. */
const CASES: Record<string, { compliant: Case; nonCompliant: Case }> = {
  'APIGateway.1': {
    compliant: { resource: stage(wide({ LoggingLevel: 'ERROR' })) },
    nonCompliant: { resource: stage(wide({ LoggingLevel: 'OFF' })) },
  },
  'APIGateway.2': {
    compliant: { resource: stage({ ClientCertificateId: { 'Fn::GetAtt': ['Cert', 'ClientCertificateId'] } }) },
    nonCompliant: { resource: stage({}) },
  },
  'APIGateway.3': {
    compliant: { resource: stage({ TracingEnabled: true }) },
    nonCompliant: { resource: stage({ TracingEnabled: false }) },
  },
  'APIGateway.4': {
    compliant: {
      resource: stage({}),
      others: {
        Assoc: {
          Type: 'AWS::WAFv2::WebACLAssociation',
          Properties: {
            ResourceArn: { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1::/restapis/', { Ref: 'Api' }, '/stages/', { Ref: 'Subject' }]] },
            WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] },
          },
        },
      },
    },
    nonCompliant: { resource: stage({}) },
  },
  'APIGateway.5': {
    compliant: { resource: stage({ CacheClusterEnabled: true, ...wide({ CachingEnabled: true, CacheDataEncrypted: true }) }) },
    nonCompliant: { resource: stage({ CacheClusterEnabled: true, ...wide({ CachingEnabled: true, CacheDataEncrypted: false }) }) },
  },
  'WAF.10': { compliant: { resource: acl([rule('A')]) }, nonCompliant: { resource: acl([]) } },
  'WAF.11': {
    compliant: {
      resource: acl([rule('A')]),
      others: {
        Logging: {
          Type: 'AWS::WAFv2::LoggingConfiguration',
          Properties: { ResourceArn: { 'Fn::GetAtt': ['Subject', 'Arn'] }, LogDestinationConfigs: ['arn'] },
        },
      },
    },
    nonCompliant: { resource: acl([rule('A')]) },
  },
  'WAF.12': { compliant: { resource: acl([rule('A'), rule('B')]) }, nonCompliant: { resource: acl([rule('A'), rule('B', false)]) } },
  'CloudFront.3': {
    compliant: { resource: distribution({ DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' } }) },
    nonCompliant: {
      resource: distribution({
        DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
        CacheBehaviors: [{ PathPattern: '/x', ViewerProtocolPolicy: 'allow-all' }],
      }),
    },
  },
  'CloudFront.5': {
    compliant: { resource: distribution({ Logging: { Bucket: 'logs.s3.amazonaws.com' } }) },
    nonCompliant: { resource: distribution({}) },
  },
  'CloudFront.6': {
    compliant: { resource: distribution({ WebACLId: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/1' }) },
    nonCompliant: { resource: distribution({}) },
  },
  'CloudFront.7': {
    compliant: {
      resource: distribution({
        ViewerCertificate: { AcmCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/x', SslSupportMethod: 'sni-only' },
      }),
    },
    nonCompliant: { resource: distribution({ ViewerCertificate: { CloudFrontDefaultCertificate: true } }) },
  },
  'CloudFront.8': {
    compliant: { resource: distribution({ ViewerCertificate: { AcmCertificateArn: 'arn', SslSupportMethod: 'sni-only' } }) },
    nonCompliant: { resource: distribution({ ViewerCertificate: { AcmCertificateArn: 'arn', SslSupportMethod: 'vip' } }) },
  },
  'CloudFront.9': {
    compliant: {
      resource: distribution({
        DefaultCacheBehavior: { ViewerProtocolPolicy: 'https-only' },
        ...customOrigin({ OriginProtocolPolicy: 'https-only' }),
      }),
    },
    nonCompliant: {
      resource: distribution({
        DefaultCacheBehavior: { ViewerProtocolPolicy: 'https-only' },
        ...customOrigin({ OriginProtocolPolicy: 'http-only' }),
      }),
    },
  },
  'CloudFront.10': {
    compliant: { resource: distribution(customOrigin({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] })) },
    nonCompliant: {
      resource: distribution(customOrigin({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['SSLv3', 'TLSv1.2'] })),
    },
  },
  'Cognito.1': {
    compliant: { resource: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } } } },
    nonCompliant: { resource: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } } } },
  },
  'SecretsManager.1': {
    compliant: {
      resource: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      others: {
        Schedule: {
          Type: 'AWS::SecretsManager::RotationSchedule',
          Properties: {
            SecretId: { Ref: 'Subject' },
            RotationLambdaARN: { 'Fn::GetAtt': ['Rotation', 'Arn'] },
            RotationRules: { AutomaticallyAfterDays: 30 },
          },
        },
      },
    },
    nonCompliant: {
      resource: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      others: {
        OtherSecretsSchedule: {
          Type: 'AWS::SecretsManager::RotationSchedule',
          Properties: { SecretId: { Ref: 'Other' }, RotationLambdaARN: 'arn', RotationRules: { AutomaticallyAfterDays: 30 } },
        },
      },
    },
  },
  'KMS.4': {
    compliant: { resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    nonCompliant: { resource: { Type: 'AWS::KMS::Key', Properties: {} } },
  },
  'Lambda.1': {
    compliant: {
      resource: fn({ Runtime: 'nodejs24.x' }),
      others: {
        Invoke: {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: { 'Fn::GetAtt': ['Subject', 'Arn'] },
            Principal: 'apigateway.amazonaws.com',
            SourceArn: 'arn:aws:execute-api:eu-west-1:1:x/*',
          },
        },
      },
    },
    nonCompliant: {
      resource: fn({ Runtime: 'nodejs24.x' }),
      others: {
        Invoke: {
          Type: 'AWS::Lambda::Permission',
          Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Subject', 'Arn'] }, Principal: '*' },
        },
      },
    },
  },
  'Lambda.2': { compliant: { resource: fn({ Runtime: 'nodejs24.x' }) }, nonCompliant: { resource: fn({ Runtime: 'nodejs16.x' }) } },
  'Lambda.3': {
    compliant: { resource: fn({ VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } }) },
    nonCompliant: { resource: fn({}) },
  },
  'Lambda.7': {
    compliant: { resource: fn({ TracingConfig: { Mode: 'Active' } }) },
    nonCompliant: { resource: fn({ TracingConfig: { Mode: 'PassThrough' } }) },
  },
  'S3.5': {
    compliant: {
      resource: bucket(),
      others: {
        Policy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Subject' },
            PolicyDocument: {
              Statement: [
                { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
              ],
            },
          },
        },
      },
    },
    nonCompliant: { resource: bucket() },
  },
  'S3.8': {
    compliant: {
      resource: bucket({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    },
    nonCompliant: {
      resource: bucket({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: false,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    },
  },
  'S3.9': {
    compliant: { resource: bucket({ LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' } } }) },
    nonCompliant: { resource: bucket() },
  },
  'SNS.1': {
    compliant: { resource: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } } },
    nonCompliant: { resource: { Type: 'AWS::SNS::Topic', Properties: {} } },
  },
  'CloudWatch.16': {
    compliant: { resource: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } },
    nonCompliant: { resource: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } } },
  },
};

/** Runs the whole evaluation over a one-resource template (plus what the control reads), as SecureApi's own. */
function judge(controlId: string, c: Case) {
  const template: CfnTemplate = { Resources: { Subject: c.resource, ...c.others } };
  const model = { template, owned: new Set(['Subject']) } as unknown as ApiModel;
  return evaluateSecurityHub(model).find((f) => f.id === controlId)!;
}

describe('Security Hub controls', () => {
  it('has a compliant and a non-compliant case for every control that applies to what SecureApi creates', () => {
    const applicable = SECURITY_HUB_CONTROLS.filter((c) => !c.resourceTypes.some((t) => t.startsWith('AWS::ApiGatewayV2::'))).map(
      (c) => c.id,
    );
    expect(Object.keys(CASES).sort()).toEqual(applicable.sort());
  });

  describe.each(Object.entries(CASES))('%s', (controlId, { compliant, nonCompliant }) => {
    it('passes the compliant resource', () => {
      const finding = judge(controlId, compliant);
      expect(finding.resources).toHaveLength(1);
      expect(finding.resources[0]).toMatchObject({ resource: 'Subject', status: 'pass' });
      expect(finding.status).toBe('pass');
    });
    it('fails the non-compliant resource, saying what it read', () => {
      const finding = judge(controlId, nonCompliant);
      expect(finding.status).toBe('fail');
      expect(finding.resources[0].evidence.length).toBeGreaterThan(0);
    });
  });

  it('reports APIGateway.8 and .9 as not applicable to a REST API (they judge HTTP and WebSocket APIs)', () => {
    const model = {
      template: { Resources: { Subject: stage(wide({ LoggingLevel: 'ERROR' })) } },
      owned: new Set(['Subject']),
    } as unknown as ApiModel;
    const findings = evaluateSecurityHub(model);
    expect(findings.find((f) => f.id === 'APIGateway.8')).toEqual({
      id: 'APIGateway.8',
      title: expect.any(String),
      status: 'not applicable',
      resources: [],
    });
    expect(findings.find((f) => f.id === 'APIGateway.9')?.status).toBe('not applicable');
  });

  it('judges only the resources SecureApi owns', () => {
    const template: CfnTemplate = {
      Resources: { Subject: fn({ Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' } }), UsersOwn: fn({ Runtime: 'nodejs16.x' }) },
    };
    const findings = evaluateSecurityHub({ template, owned: new Set(['Subject']) } as unknown as ApiModel);
    expect(findings.find((f) => f.id === 'Lambda.2')?.resources.map((r) => r.resource)).toEqual(['Subject']);
  });

  it('cannot judge a setting only known at deploy time', () => {
    const finding = judge('KMS.4', { resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { Ref: 'RotateKeys' } } } });
    expect(finding).toMatchObject({ status: 'not judgeable', resources: [{ evidence: 'EnableKeyRotation = Ref(RotateKeys)' }] });
  });

  it('passes caching-off stages as not applicable for APIGateway.5, and rolls up fail over pass', () => {
    expect(judge('APIGateway.5', { resource: stage({}) }).status).toBe('not applicable');
    expect(
      rollUp([
        { resource: 'a', resourceType: 't', status: 'pass', evidence: '' },
        { resource: 'b', resourceType: 't', status: 'fail', evidence: '' },
      ]),
    ).toBe('fail');
    expect(rollUp([])).toBe('not applicable');
  });
});
