import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DocsAccess, DocsPublishing, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { JsonObject } from '../../lib/openapi';
import { nagFindings } from '../helpers/nag';

function petStore(): JsonObject {
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1.0.0' },
    servers: [{ url: 'https://pets.example.com' }],
    paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'OK' } } } } },
  };
}

const PUBLISHED = [
  'index.css',
  'index.html',
  'oauth2-redirect.html',
  'oauth2-redirect.js',
  'openapi.json',
  'secureapi-docs.js',
  'swagger-ui-bundle.js',
  'swagger-ui.css',
];

function build(publish?: DocsPublishing) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(petStore()),
    defaultIntegration: OperationIntegration.mock(),
    docs: { access: DocsAccess.unauthenticated(), publish },
  });
  return { app, stack, api, template: Template.fromStack(stack) };
}

function customResource(template: Template): { [key: string]: any } {
  const resources = Object.values(template.findResources('Custom::SecureApiDocsPublish'));
  expect(resources).toHaveLength(1);
  return resources[0].Properties;
}

describe('docs.publish: DocsPublishing.toNewBucket()', () => {
  const { app, stack, api, template } = build(DocsPublishing.toNewBucket());
  const properties = customResource(template);
  const bucketId = stack.getLogicalId(api.docs!.publishedBucket!.node.defaultChild as s3.CfnBucket);

  it('creates a private bucket: public access blocked, versioned, SSE-S3, owner-enforced, retained, logged', () => {
    const bucket = template.toJSON().Resources[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { LogFilePrefix: 'docs/' },
    });
    // Its server access logs go to a second bucket, whose policy lets S3's log delivery write for this bucket only.
    const logBucketId = bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref;
    expect(template.toJSON().Resources[logBucketId].Type).toBe('AWS::S3::Bucket');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } }),
          }),
        ]),
      },
    });
  });

  it('denies requests without TLS 1.2 in the bucket policy', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  it('lists every file of the docs asset once, under docs/, with its content type, and no file contents', () => {
    expect(properties.Bucket).toEqual({ Ref: bucketId });
    expect(properties.Prefix).toBe('docs/');
    expect(properties.Files.map((f: any) => f.Key)).toEqual(PUBLISHED.map((name) => `docs/${name}`));
    const byKey = Object.fromEntries(properties.Files.map((f: any) => [f.Key, f]));
    expect(byKey['docs/index.html']).toMatchObject({ ContentType: 'text/html; charset=utf-8', CacheControl: 'no-cache' });
    expect(byKey['docs/swagger-ui-bundle.js']).toMatchObject({
      ContentType: 'text/javascript; charset=utf-8',
      CacheControl: 'public, max-age=300',
    });
    expect(byKey['docs/swagger-ui.css'].ContentType).toBe('text/css; charset=utf-8');
    for (const file of properties.Files) {
      expect(file.SourceBucket).toBe('cdk-hnb659fds-assets-111111111111-eu-west-1');
      expect(file.SourceKey).toMatch(/^[0-9a-f]{64}\.(html|js|css|json)$/);
    }
    expect(JSON.stringify(properties)).not.toContain('SwaggerUIBundle');
    expect(JSON.stringify(properties)).not.toContain('"paths"');
  });

  it("gives the document the stage's execute-api URL as its server (no domain is set)", () => {
    const document = properties.Files.find((f: any) => f.Key === 'docs/openapi.json');
    const apiId = stack.getLogicalId(api.api.node.defaultChild as any);
    const stageId = stack.getLogicalId(api.stage.node.defaultChild as any);
    // The trailing slash of the stage URL is dropped by the handler (withPublicServer).
    expect(stack.resolve(document.ServerUrl)).toEqual({
      'Fn::Join': ['', ['https://', { Ref: apiId }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: stageId }, '/']],
    });
    expect(properties.Files.filter((f: any) => f.ServerUrl !== undefined)).toHaveLength(1);
  });

  it('uploads each file as a single-file asset; the page links to its files relative to itself', () => {
    const manifest = JSON.parse(readFileSync(join(app.synth().directory, 'Stack.assets.json'), 'utf8'));
    const byKey = new Map(
      Object.values(manifest.files as { [id: string]: any }).map((f) => [
        f.destinations[Object.keys(f.destinations)[0]].objectKey,
        f.source,
      ]),
    );
    const page = byKey.get(properties.Files.find((f: any) => f.Key === 'docs/index.html').SourceKey);
    expect(page.packaging).toBe('file');
    const html = readFileSync(join(app.synth().directory, page.path), 'utf8');
    expect(html).toContain('<link rel="stylesheet" href="./swagger-ui.css">');
    expect(html).toContain('<script src="./secureapi-docs.js"></script>');
    expect(html).not.toContain('%SECUREAPI_DOCS_BASE%');
    const document = byKey.get(properties.Files.find((f: any) => f.Key === 'docs/openapi.json').SourceKey);
    expect(JSON.parse(readFileSync(join(app.synth().directory, document.path), 'utf8'))).toEqual(api.docs!.publicDocument);
  });

  it('lets the publishing function read only its asset objects and write only under the prefix of the docs bucket', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const statements = Object.values(policies)
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('s3:'));
    const reads = statements.filter((s: any) => s.Action === 's3:GetObject');
    expect(reads).toHaveLength(PUBLISHED.length);
    const readKeys = reads.map((s: any) => JSON.stringify(s.Resource));
    for (const file of properties.Files) expect(readKeys.some((r: string) => r.includes(`/${file.SourceKey}`))).toBe(true);
    const writes = statements.filter((s: any) => s.Action !== 's3:GetObject');
    expect(writes).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObjectTagging', 's3:DeleteObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/docs/*']] },
      },
    ]);
  });

  it('exposes the bucket and prefix on SecureApi.docs', () => {
    expect(api.docs!.publishedBucket).toBeDefined();
    expect(api.docs!.publishedPrefix).toBe('docs/');
  });

  it('passes the five cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('docs.publish: DocsPublishing.toBucket(bucket)', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = s3.Bucket.fromBucketName(stack, 'Theirs', 'team-docs');
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(petStore()),
    defaultIntegration: OperationIntegration.mock(),
    docs: { access: DocsAccess.unauthenticated(), publish: DocsPublishing.toBucket(bucket, { prefix: 'pets/v1/' }) },
  });
  const template = Template.fromStack(stack);

  it('writes into the given bucket under the given prefix, and creates no bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    const properties = customResource(template);
    expect(properties.Bucket).toBe('team-docs');
    expect(properties.Files.map((f: any) => f.Key)).toEqual(PUBLISHED.map((name) => `pets/v1/${name}`));
    expect(api.docs!.publishedBucket).toBe(bucket);
  });

  it('passes the five cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('rejects a prefix that is not path segments ending with a slash', () => {
    const other = new Stack(new App(), 'Other');
    expect(
      () =>
        new SecureApi(other, 'Api', {
          openApi: OpenApi.fromObject(petStore()),
          defaultIntegration: OperationIntegration.mock(),
          docs: { access: DocsAccess.unauthenticated(), publish: DocsPublishing.toBucket(bucket, { prefix: '../docs' }) },
        }),
    ).toThrow(
      "SecureApi 'Other/Api': docs.publish prefix must be empty or path segments each ending with '/' (such as 'docs/'), got '../docs'",
    );
  });
});

describe('docs.publish: several APIs sharing one bucket (abuse cases)', () => {
  const twoApis = (firstPrefix?: string, secondPrefix?: string) => {
    const app = new App();
    const stack = new Stack(app, 'Shared', { env: { account: '111111111111', region: 'eu-west-1' } });
    const bucket = s3.Bucket.fromBucketName(stack, 'Theirs', 'company-docs');
    const api = (id: string, prefix?: string) =>
      new SecureApi(stack, id, {
        openApi: OpenApi.fromObject(petStore()),
        defaultIntegration: OperationIntegration.mock(),
        docs: { access: DocsAccess.unauthenticated(), publish: DocsPublishing.toBucket(bucket, prefix === undefined ? {} : { prefix }) },
      });
    return [api('Orders', firstPrefix), api('Billing', secondPrefix)];
  };

  it("gives each API its own default prefix, so neither replaces the other's document", () => {
    const [orders, billing] = twoApis();
    expect(orders.docs!.publishedPrefix).toMatch(/^docs\/[A-Za-z0-9-]+\/$/);
    expect(billing.docs!.publishedPrefix).toMatch(/^docs\/[A-Za-z0-9-]+\/$/);
    expect(orders.docs!.publishedPrefix).not.toBe(billing.docs!.publishedPrefix);
  });

  it('keeps the default prefix stable across synths', () => {
    expect(twoApis()[0].docs!.publishedPrefix).toBe(twoApis()[0].docs!.publishedPrefix);
  });

  it('fails synth when two APIs publish to the same bucket and prefix, naming both', () => {
    expect(() => twoApis('docs/', 'docs/')).toThrow(
      "SecureApi 'Shared/Billing': docs.publish writes to the same bucket and prefix 'docs/' as Shared/Orders/Docs/Published; give each API a prefix of its own (DocsPublishing.toBucket(bucket, { prefix }))",
    );
  });

  it('lets the publishing function read and write owner tags only under its prefix', () => {
    const app = new App();
    const stack = new Stack(app, 'Tags', { env: { account: '111111111111', region: 'eu-west-1' } });
    const bucket = s3.Bucket.fromBucketName(stack, 'Theirs', 'company-docs');
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(petStore()),
      defaultIntegration: OperationIntegration.mock(),
      docs: { access: DocsAccess.unauthenticated(), publish: DocsPublishing.toBucket(bucket, { prefix: 'pets/' }) },
    });
    const template = Template.fromStack(stack);
    const writes = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('Tagging'));
    expect(writes).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObjectTagging', 's3:DeleteObject'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::company-docs/pets/*']] },
      },
    ]);
    // In your bucket an untagged object is someone else's; only a bucket made for the API is marked as its own.
    expect(customResource(template).OwnBucket).toBeUndefined();
  });
});

describe('docs without publish (the default)', () => {
  it('creates no bucket, no publishing function and no custom resource', () => {
    const { api, template } = build();
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('Custom::SecureApiDocsPublish', 0);
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).not.toContain('publishes the API documentation');
    expect(api.docs!.publishedBucket).toBeUndefined();
  });
});
