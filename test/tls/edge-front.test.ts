import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MutualTls, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { ApiTls, originVerificationRule } from '../../lib/tls';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';

const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1' },
  paths: { '/pets': { get: { operationId: 'listPets', security: [], responses: { '200': { description: 'ok' } } } } },
};
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

function synth(props: Partial<SecureApiProps> = {}, region = 'us-east-1') {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
  });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(DOCUMENT),
    defaultIntegration: OperationIntegration.mock(),
    domain: { name: 'api.example.com', hostedZone },
    edge: {},
    ...props,
  });
  const template = Template.fromStack(stack);
  const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
  const restApi = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties;
  return { stack, api, template, distribution, restApi };
}

describe('the CloudFront front', () => {
  const { stack, api, template, distribution, restApi } = synth();
  const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];

  it('redirects HTTP to HTTPS and serves the domain with TLS 1.3 and SNI', () => {
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.Aliases).toEqual(['api.example.com']);
    expect(distribution.ViewerCertificate).toEqual({
      AcmCertificateArn: { Ref: Object.keys(template.findResources('AWS::CertificateManager::Certificate'))[0] },
      MinimumProtocolVersion: 'TLSv1.3_2025',
      SslSupportMethod: 'sni-only',
    });
  });

  it('reaches the API stage over HTTPS only, with TLS 1.2 or newer', () => {
    const [origin] = distribution.Origins;
    expect(origin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
      OriginReadTimeout: 30,
    });
    expect(origin.DomainName).toEqual({
      'Fn::Join': ['', [{ Ref: expect.stringMatching(/^Api/) }, '.execute-api.us-east-1.', { Ref: 'AWS::URLSuffix' }]],
    });
    expect(origin.OriginPath).toEqual({
      'Fn::Join': ['', ['/', { Ref: Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0] }]],
    });
  });

  it('sends the secret origin header as a Secrets Manager dynamic reference, never a value', () => {
    expect(distribution.Origins[0].OriginCustomHeaders).toEqual([
      {
        HeaderName: 'x-secureapi-origin-verify',
        HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
      },
    ]);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginVerifyKey'), 'Arn'] },
      SecretString: Match.absent(),
    });
  });

  it('gives the WAF concern a rule that blocks requests without the header value', () => {
    const verification = (api.node.findChild('Https') as ApiTls).originVerification!;
    expect(verification).toBeDefined();
    const rule = stack.resolve(originVerificationRule(verification, 0, 'OriginVerify'));
    expect(rule).toEqual({
      name: 'RequireCloudFrontOriginHeader',
      priority: 0,
      action: { block: {} },
      statement: {
        notStatement: {
          statement: {
            byteMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'x-secureapi-origin-verify' } },
              positionalConstraint: 'EXACTLY',
              searchString: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      },
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'OriginVerify' },
    });
    expect(verification.clientIpHeader).toBe('x-secureapi-client-ip');
    expect(verification.redactedHeaders).toEqual(['x-secureapi-origin-verify']);
  });

  it('caches nothing and forwards every viewer header but Host, so Authorization and x-api-key reach the API', () => {
    expect(distribution.DefaultCacheBehavior.CachePolicyId).toBe(CACHING_DISABLED);
    expect(distribution.DefaultCacheBehavior.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(distribution.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']);
  });

  it('adds HSTS for two years with subdomains, nosniff, DENY framing and no referrer to every response', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      },
    });
    expect(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0],
    });
  });

  it('overwrites the viewer-address header and drops a client-sent origin header at the edge', () => {
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0].Properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.FunctionCode).toContain("delete request.headers['x-secureapi-origin-verify'];");
    expect(fn.FunctionCode).toContain("request.headers['x-secureapi-client-ip'] = { value: event.viewer.ip };");
    expect(distribution.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } },
    ]);
  });

  it('logs every request to a private, TLS-only, access-logged bucket with retention', () => {
    const logBucket = Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => id.includes('FrontAccessLogs'))!;
    expect(distribution.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logBucket, 'RegionalDomainName'] },
      IncludeCookies: false,
      Prefix: 'cloudfront/',
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('ApiHttpsAccessLogs') },
        LogFilePrefix: 'cloudfront-logs/',
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
  });

  it('points A and AAAA alias records at the distribution instead of an API Gateway domain', () => {
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type: type,
        AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] }, HostedZoneId: Match.anyValue() },
      });
    }
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
  });

  it('keeps the origin endpoint open, with a policy CloudFront can negotiate', () => {
    expect(restApi.DisableExecuteApiEndpoint).toBeUndefined();
    expect(restApi.SecurityPolicy).toBe('SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09');
    expect(restApi.EndpointAccessMode).toBe('STRICT');
    expect(api.https.url).toBe('https://api.example.com/');
  });

  it('is clean for the five cdk-nag packs, CloudFront rules included', () => {
    expect(nagFindings(stack).filter((f) => !/APIG3|APIGWAssociatedWithWAF/.test(f))).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-secure-api:tls'));
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('CloudFront front options', () => {
  it('attaches a CLOUDFRONT-scope web ACL and keeps a TLS 1.2 (2025) minimum when asked', () => {
    const arn = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/front/0f1e2d3c';
    const { distribution } = synth({ edge: { webAclArn: arn, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025 } });
    expect(distribution.WebACLId).toBe(arn);
    expect(distribution.ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.2_2025');
  });

  it('rotates the origin secret by hand, by version: CloudFront sends the new one, the web ACL accepts both until the next deployment', () => {
    const { api, stack, distribution, template } = synth({
      edge: { rotateOriginSecret: false, originSecretVersionId: 'v-new', previousOriginSecretVersionId: 'v-old' },
    });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('edge.rotateOriginSecret is false'))).toHaveLength(1);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    const ref = (version: string) => ({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, `:SecretString:::${version}}}`]],
    });
    expect(distribution.Origins[0].OriginCustomHeaders[0].HeaderValue).toEqual(ref('v-new'));
    const rule = stack.resolve(originVerificationRule((api.node.findChild('Https') as ApiTls).originVerification!, 0, 'OriginVerify'));
    expect(rule.statement.notStatement.statement.orStatement.statements.map((s: any) => s.byteMatchStatement.searchString)).toEqual([
      ref('v-new'),
      ref('v-old'),
    ]);
  });

  it('rejects a viewer policy older than TLSv1.2_2021 and an HSTS max-age under a year', () => {
    expect(() => synth({ edge: { minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 } })).toThrow(
      "SecureApi 'Test/Api': edge.minimumProtocolVersion must be TLSv1.2_2021 or newer",
    );
    expect(() => synth({ edge: { hstsMaxAge: Duration.days(180) } })).toThrow('edge.hstsMaxAge must be at least 365 days, got 180 days');
  });

  it('uses a us-east-1 certificate from a stack in another region', () => {
    const { distribution, template } = synth(
      {
        domain: {
          name: 'api.example.com',
          certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
        },
        edge: { webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/front/0123abcd-0123-4567-89ab-0123456789ab' },
      },
      'eu-west-1',
    );
    expect(distribution.ViewerCertificate.AcmCertificateArn).toBe('arn:aws:acm:us-east-1:111111111111:certificate/abc');
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('explains how to get a us-east-1 certificate when the stack is elsewhere', () => {
    expect(() => synth({}, 'eu-west-1')).toThrow(
      "SecureApi 'Test/Api': domain.certificate must be given: CloudFront (edge) needs an ACM certificate in us-east-1, and this stack is in eu-west-1, so SecureApi cannot create it here",
    );
  });

  it('rejects the front without a domain, with mTLS, on PRIVATE and EDGE endpoints, and with an IP allow-list', () => {
    expect(() => synth({ domain: undefined })).toThrow("SecureApi 'Test/Api': edge needs domain");
    const truststore = MutualTls.fromBucket(s3.Bucket.fromBucketName(new Stack(), 'B', 'my-truststores'), 'ca.pem', { version: 'v1' });
    expect(() =>
      synth({
        domain: {
          name: 'api.example.com',
          mutualTls: truststore,
          certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
        },
      }),
    ).toThrow("SecureApi 'Test/Api': domain.mutualTls cannot be combined with edge: CloudFront terminates the client's TLS connection");
    expect(() => synth({ endpointType: apigw.EndpointType.PRIVATE, resourcePolicy: { allowedVpcEndpoints: ['vpce-1a2b3c4d'] } })).toThrow(
      "SecureApi 'Test/Api': edge cannot front a PRIVATE endpoint",
    );
    expect(() => synth({ endpointType: apigw.EndpointType.EDGE })).toThrow("SecureApi 'Test/Api': edge cannot front an EDGE endpoint");
    expect(() => synth({ resourcePolicy: { allowedSourceIps: ['203.0.113.0/24'] } })).toThrow(
      "SecureApi 'Test/Api': resourcePolicy.allowedSourceIps cannot be combined with edge",
    );
  });
});

describe("the origin secret and the API's backends (issue 13 #9)", () => {
  const SECRET_HEADER = 'x-secureapi-origin-verify';
  const app = new App();
  const stack = new Stack(app, 'Backends', { env: { account: '111111111111', region: 'us-east-1' } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
  });
  const fn = lambda.Function.fromFunctionArn(stack, 'Backend', 'arn:aws:lambda:us-east-1:111111111111:function:pets');
  const ok = { '200': { description: 'ok' } };
  const path = { name: 'petId', in: 'path', required: true, schema: { type: 'string' } };
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject({
      openapi: '3.0.3',
      info: { title: 'Pets', version: '1' },
      paths: {
        '/pets': {
          get: { operationId: 'listPets', security: [], responses: ok },
          post: { operationId: 'addPet', security: [], responses: ok },
        },
        '/pets/{petId}': { get: { operationId: 'getPet', security: [], parameters: [path], responses: ok } },
        '/health': { get: { operationId: 'health', security: [], responses: ok } },
      },
    }),
    integrations: {
      listPets: OperationIntegration.http('https://backend.example.com'),
      getPet: OperationIntegration.http('https://backend.example.com'),
      addPet: OperationIntegration.lambda(fn),
      health: OperationIntegration.mock(),
    },
    domain: { name: 'api.example.com', hostedZone },
    edge: {},
  });
  const template = Template.fromStack(stack);
  const body = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  const integrations: { [id: string]: any } = {};
  for (const item of Object.values(body.paths) as any[])
    for (const operation of Object.values(item) as any[])
      if (operation.operationId !== undefined) integrations[operation.operationId] = operation['x-amazon-apigateway-integration'];

  it('overrides the secret with a constant on every HTTP proxy integration, so those backends never receive it', () => {
    const proxies = Object.entries(integrations).filter(([, i]) => i.type === 'http_proxy');
    expect(proxies.map(([id]) => id).sort()).toEqual(['getPet', 'listPets']);
    for (const [, integration] of proxies) expect(integration.requestParameters[`integration.request.header.${SECRET_HEADER}`]).toBe("'-'");
    expect(integrations.getPet.requestParameters['integration.request.path.petId']).toBe('method.request.path.petId');
  });

  it('maps the secret from the request into no integration at all', () => {
    for (const integration of Object.values(integrations))
      for (const value of Object.values(integration.requestParameters ?? {}))
        expect(String(value).toLowerCase()).not.toContain(SECRET_HEADER);
  });

  it('warns, naming them, about the Lambda proxy operations that API Gateway hands the secret anyway', () => {
    const warnings = Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('reaches the Lambda proxy backends'))
      .map((w) => String(w.entry.data));
    expect(warnings).toEqual([expect.stringContaining(`${SECRET_HEADER} reaches the Lambda proxy backends of 1 operation(s) (addPet)`)]);
    expect(warnings[0]).toContain('[ack: cdk-secure-api:origin-secret-to-backend]');
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });

  it('leaves the integrations untouched without the front', () => {
    const plain = new Stack(new App(), 'Plain');
    new SecureApi(plain, 'Api', {
      openApi: OpenApi.fromObject({
        openapi: '3.0.3',
        info: { title: 'Pets', version: '1' },
        paths: { '/pets': { get: { operationId: 'listPets', security: [], responses: ok } } },
      }),
      defaultIntegration: OperationIntegration.http('https://backend.example.com'),
    });
    const plainBody = Object.values(Template.fromStack(plain).findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    const mapped = plainBody.paths['/pets'].get['x-amazon-apigateway-integration'].requestParameters ?? {};
    // Only the caller identity headers (issue 22) are mapped: nothing about the origin secret.
    expect(Object.keys(mapped).filter((k) => /origin-verify/i.test(k))).toEqual([]);
    expect(Object.keys(mapped).sort()).toEqual([
      'integration.request.header.x-secureapi-caller-client-id',
      'integration.request.header.x-secureapi-caller-scopes',
      'integration.request.header.x-secureapi-caller-sub',
    ]);
  });
});
