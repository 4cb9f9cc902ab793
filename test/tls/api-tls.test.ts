import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MutualTls, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { TestPki } from './support/certificates';

const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1' },
  paths: { '/pets': { get: { operationId: 'listPets', security: [], responses: { '200': { description: 'ok' } } } } },
};
const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
const CERT_EU = 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000001';
const CERT_US = 'arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000002';

type Options = Omit<Partial<SecureApiProps>, 'domain'> & { domain?: Partial<NonNullable<SecureApiProps['domain']>> | false };

/** Synthesizes a SecureApi in a fresh stack; `domain` defaults to api.example.com in the example.com zone. */
function synth(options: Options = {}, region = 'eu-west-1') {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
  const { domain, ...rest } = options;
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(DOCUMENT),
    defaultIntegration: OperationIntegration.mock(),
    domain: domain === false ? undefined : { name: 'api.example.com', hostedZone, ...domain },
    ...rest,
  });
  const template = Template.fromStack(stack);
  const restApi = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0];
  return { stack, api, template, restApi, body: restApi.Properties.Body };
}

function domainName(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::DomainName'))[0].Properties;
}

/** Findings of our own constructs (the WAF concern owns APIG3/APIGWAssociatedWithWAF). */
function tlsFindings(stack: Stack): string[] {
  return nagFindings(stack).filter((f) => !/APIG3|APIGWAssociatedWithWAF/.test(f));
}

describe('a regional custom domain with defaults', () => {
  const { stack, api, template, restApi, body } = synth();

  it('creates an ACM certificate validated by DNS in the hosted zone', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
  });

  it('serves the domain with the TLS 1.3 policy, STRICT access mode and a dual-stack regional endpoint', () => {
    const certificate = Object.keys(template.findResources('AWS::CertificateManager::Certificate'))[0];
    expect(domainName(template)).toEqual({
      DomainName: 'api.example.com',
      RegionalCertificateArn: { Ref: certificate },
      EndpointConfiguration: { Types: ['REGIONAL'], IpAddressType: 'dualstack' },
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
  });

  it('maps the domain root to the stage', () => {
    const stage = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0];
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: Match.stringLikeRegexp('ApiHttpsDomain') },
      RestApiId: { Ref: Match.stringLikeRegexp('^Api') },
      Stage: { Ref: stage },
      BasePath: Match.absent(),
    });
  });

  it('adds A and AAAA alias records to the regional domain', () => {
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiHttpsDomain'), 'RegionalDomainName'] },
          HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiHttpsDomain'), 'RegionalHostedZoneId'] },
        },
      });
    }
  });

  it('disables the default execute-api endpoint on the resource and in the imported body', () => {
    expect(restApi.Properties.DisableExecuteApiEndpoint).toBe(true);
    expect(body.servers).toEqual([{ url: '/', 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } }]);
  });

  it('gives the API itself the same policy, on the resource and in the body', () => {
    expect(restApi.Properties.SecurityPolicy).toBe('SecurityPolicy_TLS13_1_3_2025_09');
    expect(restApi.Properties.EndpointAccessMode).toBe('STRICT');
    expect(body['x-amazon-apigateway-security-policy']).toBe('SecurityPolicy_TLS13_1_3_2025_09');
    expect(body['x-amazon-apigateway-endpoint-access-mode']).toBe('STRICT');
  });

  it('reports the domain URL as a property and a stack output, and no weakened protection', () => {
    expect(api.https.url).toBe('https://api.example.com/');
    expect(api.https.customDomain).toBeDefined();
    template.hasOutput('*', { Value: 'https://api.example.com/', Description: 'The HTTPS URL clients call' });
    // The disabled execute-api URL is not advertised.
    expect(JSON.stringify(template.findOutputs('*'))).not.toContain('execute-api');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-secure-api:tls'));
  });

  it('is clean for the five cdk-nag packs', () => {
    expect(tlsFindings(stack)).toEqual([]);
  });
});

describe('certificates', () => {
  it('uses an imported certificate ARN instead of creating one', () => {
    const { template } = synth({ domain: { certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', CERT_EU) } });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    expect(domainName(template).RegionalCertificateArn).toBe(CERT_EU);
  });

  it('rejects an imported certificate from another region', () => {
    expect(() => synth({ domain: { certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', CERT_US) } })).toThrow(
      "SecureApi 'Test/Api': domain.certificate is in us-east-1, but a regional custom domain needs an ACM certificate in the API's region (eu-west-1)",
    );
  });

  it('accepts a certificate without a hosted zone, and then adds no records', () => {
    const { template } = synth({
      domain: { hostedZone: undefined, certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', CERT_EU) },
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::ApiGateway::DomainName', 1);
  });

  it('warns when a certificate region cannot be known at synth time', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    const arn = new apigw.CfnRestApi(stack, 'Dummy', { name: 'x' }).attrRootResourceId;
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(DOCUMENT),
      defaultIntegration: OperationIntegration.mock(),
      domain: { name: 'api.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'C', arn) },
    });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Api',
      Match.stringLikeRegexp('the region of domain.certificate is not known at synth time'),
    );
  });
});

describe('an edge-optimized API', () => {
  it('puts the domain on the edge with the edge TLS 1.3 policy and a us-east-1 certificate', () => {
    const { template, restApi } = synth({ endpointType: apigw.EndpointType.EDGE }, 'us-east-1');
    const certificate = Object.keys(template.findResources('AWS::CertificateManager::Certificate'))[0];
    expect(domainName(template)).toMatchObject({
      CertificateArn: { Ref: certificate },
      EndpointConfiguration: { Types: ['EDGE'], IpAddressType: 'dualstack' },
      SecurityPolicy: 'SecurityPolicy_TLS13_2025_EDGE',
      EndpointAccessMode: 'STRICT',
    });
    expect(domainName(template).RegionalCertificateArn).toBeUndefined();
    expect(restApi.Properties.SecurityPolicy).toBe('SecurityPolicy_TLS13_2025_EDGE');
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'AAAA',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.anyValue(), 'DistributionDomainName'] } },
    });
  });

  it('accepts a us-east-1 certificate when the stack is elsewhere', () => {
    const { template } = synth({
      endpointType: apigw.EndpointType.EDGE,
      domain: { certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', CERT_US) },
    });
    expect(domainName(template).CertificateArn).toBe(CERT_US);
  });

  it('is a synth error, saying what to do, when no us-east-1 certificate can be had', () => {
    expect(() => synth({ endpointType: apigw.EndpointType.EDGE })).toThrow(
      /SecureApi 'Test\/Api': domain.certificate must be given: an edge-optimized custom domain needs an ACM certificate in us-east-1, and this stack is in eu-west-1, so SecureApi cannot create it here\. Create the certificate in a us-east-1 stack/,
    );
  });
});

describe('security policy choices', () => {
  it('warns when TLS_1_0 is chosen', () => {
    const { stack } = synth({ tls: { securityPolicy: apigw.SecurityPolicy.TLS_1_0 } });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Api',
      Match.stringLikeRegexp('tls.securityPolicy is TLS_1_0: clients may connect with TLS 1.0 and 1.1'),
    );
  });

  it('takes no access mode with a legacy policy', () => {
    const { template, restApi } = synth({ tls: { securityPolicy: apigw.SecurityPolicy.TLS_1_2 } });
    expect(domainName(template).SecurityPolicy).toBe('TLS_1_2');
    expect(domainName(template).EndpointAccessMode).toBeUndefined();
    expect(restApi.Properties.EndpointAccessMode).toBeUndefined();
  });

  it('rejects an edge policy on a regional API', () => {
    expect(() => synth({ tls: { securityPolicy: apigw.SecurityPolicy.TLS13_2025_EDGE } })).toThrow(
      "SecureApi 'Test/Api': tls.securityPolicy 'SecurityPolicy_TLS13_2025_EDGE' is for edge-optimized endpoints",
    );
  });

  it('gives an API without a custom domain the strongest policy and keeps its endpoint', () => {
    const { restApi, body } = synth({ domain: false });
    expect(restApi.Properties.SecurityPolicy).toBe('SecurityPolicy_TLS13_1_3_2025_09');
    expect(restApi.Properties.DisableExecuteApiEndpoint).toBeUndefined();
    expect(body.servers).toBeUndefined();
  });

  it('warns when the default endpoint is left open next to the domain', () => {
    const { stack, restApi } = synth({ domain: { disableExecuteApiEndpoint: false } });
    expect(restApi.Properties.DisableExecuteApiEndpoint).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(
      '/Test/Api',
      Match.stringLikeRegexp('domain.disableExecuteApiEndpoint is false: clients can bypass api.example.com'),
    );
  });

  it('maps the API under a base path', () => {
    const { template, api } = synth({ domain: { basePath: 'v1' } });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1' });
    expect(api.https.url).toBe('https://api.example.com/v1');
  });
});

describe('resource policies', () => {
  it('denies every source address outside the allow-list, on the resource and in the body', () => {
    const { restApi, body } = synth({ resourcePolicy: { allowedSourceIps: ['203.0.113.0/24', '2001:db8::/32'] } });
    const deny = {
      Sid: 'DenyOtherSourceIps',
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: { NotIpAddress: { 'aws:SourceIp': ['2001:db8::/32', '203.0.113.0/24'] } },
    };
    expect(restApi.Properties.Policy.Statement).toContainEqual(deny);
    expect(body['x-amazon-apigateway-policy']).toEqual(restApi.Properties.Policy);
  });

  it('lets only the given VPC endpoints call a PRIVATE API', () => {
    const { restApi, body } = synth({
      domain: false,
      endpointType: apigw.EndpointType.PRIVATE,
      resourcePolicy: { allowedVpcEndpoints: ['vpce-0123456789abcdef0'] },
    });
    expect(restApi.Properties.Policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } } }),
    );
    expect(body['x-amazon-apigateway-policy']).toEqual(restApi.Properties.Policy);
    expect(restApi.Properties.SecurityPolicy).toBe('SecurityPolicy_TLS13_1_3_2025_09');
  });

  it('rejects a PRIVATE API without VPC endpoints and a custom domain on a PRIVATE API', () => {
    expect(() => synth({ domain: false, endpointType: apigw.EndpointType.PRIVATE })).toThrow(
      "SecureApi 'Test/Api': endpointType PRIVATE needs resourcePolicy.allowedVpcEndpoints",
    );
    expect(() =>
      synth({ endpointType: apigw.EndpointType.PRIVATE, resourcePolicy: { allowedVpcEndpoints: ['vpce-0123456789abcdef0'] } }),
    ).toThrow("SecureApi 'Test/Api': domain is not supported with endpointType PRIVATE");
  });
});

describe('mutual TLS', () => {
  const pki = new TestPki();
  let truststore: string;
  beforeAll(() => {
    pki.root('clients-root');
    pki.issue('clients-issuing', 'clients-root');
    truststore = pki.file('truststore.pem', pki.pem('clients-root', 'clients-issuing'));
  });
  afterAll(() => pki.dispose());

  describe('from a PEM file', () => {
    let synthesized: ReturnType<typeof synth>;
    beforeAll(() => {
      synthesized = synth({ domain: { mutualTls: MutualTls.fromFile(truststore) } });
    });

    it('writes the truststore into a versioned, encrypted, private, access-logged bucket', () => {
      const { template } = synthesized;
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('ApiHttpsAccessLogs') },
          LogFilePrefix: 'truststore/',
        },
      });
    });

    it('lets S3 deliver the access logs by bucket policy, from the truststore bucket only, with ACLs disabled', () => {
      const { template } = synthesized;
      template.hasResourceProperties('AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
        AccessControl: Match.absent(),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^ApiHttpsAccessLogs') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: {
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiHttpsTruststoreBucket'), 'Arn'] } },
                StringEquals: { 'aws:SourceAccount': '111111111111' },
              },
            }),
          ]),
        },
      });
    });

    it('denies every request to the truststore bucket that is not over TLS 1.2 or newer', () => {
      synthesized.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('ApiHttpsTruststoreBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    });

    it('uploads exactly the checked certificates and pins the object version on the domain', () => {
      const { template } = synthesized;
      const upload = Object.values(template.findResources('Custom::SecureApiTruststore'))[0];
      expect(upload.Properties.Pem).toBe(pki.pem('clients-root', 'clients-issuing'));
      expect(upload.Properties.Key).toBe('truststore/truststore.pem');
      const uploadId = Object.keys(template.findResources('Custom::SecureApiTruststore'))[0];
      expect(domainName(template).MutualTlsAuthentication).toEqual({
        TruststoreUri: {
          'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^ApiHttpsTruststoreBucket/) }, '/truststore/truststore.pem']],
        },
        TruststoreVersion: { 'Fn::GetAtt': [uploadId, 'VersionId'] },
      });
    });

    it('falls back to the TLS_1_2 policy on the domain and the API, as mTLS requires', () => {
      expect(domainName(synthesized.template).SecurityPolicy).toBe('TLS_1_2');
      expect(domainName(synthesized.template).EndpointAccessMode).toBeUndefined();
      expect(synthesized.restApi.Properties.SecurityPolicy).toBe('TLS_1_2');
      Annotations.fromStack(synthesized.stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-secure-api:tls-weakened'));
    });

    it('lets the upload function write only the truststore object', () => {
      synthesized.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: 's3:PutObject',
              Effect: 'Allow',
              Resource: {
                'Fn::Join': [
                  '',
                  [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ApiHttpsTruststoreBucket'), 'Arn'] }, '/truststore/truststore.pem'],
                ],
              },
            },
          ]),
        },
      });
    });

    it('is clean for the five cdk-nag packs', () => {
      expect(tlsFindings(synthesized.stack)).toEqual([]);
    });
  });

  it("uses a truststore from the user's bucket with an ownership-verification certificate", () => {
    const holder = new Stack();
    const bucket = s3.Bucket.fromBucketName(holder, 'B', 'my-truststores');
    const ownership = acm.Certificate.fromCertificateArn(holder, 'O', CERT_EU.replace('000000000001', '000000000009'));
    const { template } = synth({
      domain: {
        certificate: acm.Certificate.fromCertificateArn(holder, 'C', CERT_EU),
        mutualTls: MutualTls.fromBucket(bucket, 'ca/bundle.pem', { version: 'v42', ownershipVerificationCertificate: ownership }),
      },
    });
    expect(domainName(template)).toMatchObject({
      MutualTlsAuthentication: { TruststoreUri: 's3://my-truststores/ca/bundle.pem', TruststoreVersion: 'v42' },
      OwnershipVerificationCertificateArn: CERT_EU.replace('000000000001', '000000000009'),
    });
    template.resourceCountIs('Custom::SecureApiTruststore', 0);
  });

  it('warns when a bucket truststore is not pinned to a version', () => {
    const { stack } = synth({
      domain: { mutualTls: MutualTls.fromBucket(s3.Bucket.fromBucketName(new Stack(), 'B', 'my-truststores'), 'ca.pem') },
    });
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('domain.mutualTls uses the latest version of s3://my-truststores/ca.pem'),
    );
  });

  it('rejects a truststore with a private key, an enhanced policy, and an edge-optimized API', () => {
    const leaky = pki.file('leaky.pem', pki.pem('clients-root') + pki.privateKey('clients-root'));
    expect(() => synth({ domain: { mutualTls: MutualTls.fromFile(leaky) } })).toThrow(
      `domain.mutualTls truststore '${leaky}': the truststore contains a PRIVATE KEY block`,
    );
    expect(() =>
      synth({ domain: { mutualTls: MutualTls.fromFile(truststore) }, tls: { securityPolicy: apigw.SecurityPolicy.TLS13_1_3_2025_09 } }),
    ).toThrow("SecureApi 'Test/Api': tls.securityPolicy 'SecurityPolicy_TLS13_1_3_2025_09' cannot be combined with mutual TLS");
    expect(() =>
      synth({ endpointType: apigw.EndpointType.EDGE, domain: { mutualTls: MutualTls.fromFile(truststore) } }, 'us-east-1'),
    ).toThrow("SecureApi 'Test/Api': domain.mutualTls needs endpointType REGIONAL");
  });

  it('names a truststore file that cannot be read', () => {
    expect(() => MutualTls.fromFile(path.join(pki.dir, 'missing.pem'))).toThrow(
      `SecureApi: domain.mutualTls cannot read the truststore '${path.join(pki.dir, 'missing.pem')}'`,
    );
  });
});
