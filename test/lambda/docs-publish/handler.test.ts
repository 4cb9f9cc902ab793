import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, ownerValue, publishDocs } from '../../../lambda/docs-publish';
import { responseServerForTests } from '../../helpers/cloudformation-response-server';

const ASSETS = 'cdk-hnb659fds-assets-111111111111-eu-west-1';
const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1' },
  paths: {},
  components: {
    securitySchemes: { oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '@@secureapi-deploy-value-0@@', scopes: {} } } } },
  },
};
const files = [
  {
    SourceBucket: ASSETS,
    SourceKey: 'aaa.html',
    Key: 'docs/index.html',
    ContentType: 'text/html; charset=utf-8',
    CacheControl: 'no-cache',
  },
  {
    SourceBucket: ASSETS,
    SourceKey: 'bbb.js',
    Key: 'docs/swagger-ui-bundle.js',
    ContentType: 'text/javascript; charset=utf-8',
    CacheControl: 'public, max-age=300',
  },
  {
    SourceBucket: ASSETS,
    SourceKey: 'ccc.json',
    Key: 'docs/openapi.json',
    ContentType: 'application/json; charset=utf-8',
    CacheControl: 'no-cache',
    ServerUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    DeployValues: { '@@secureapi-deploy-value-0@@': 'https://auth.example.com/oauth2/token' },
  },
];
const properties = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f',
  Bucket: 'docs-bucket',
  Prefix: 'docs/',
  Files: files,
};
const PHYSICAL_ID = 's3://docs-bucket/docs/';
/** The publishing resource, as CloudFormation names it in every event. */
const RESOURCE = { StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Orders/1', LogicalResourceId: 'ApiDocsPublishFiles' };
const OWNER = `${RESOURCE.StackId}/${RESOURCE.LogicalResourceId}`;
/** Another API's publishing resource in the same account. */
const OTHER_RESOURCE = {
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Billing/2',
  LogicalResourceId: 'ApiDocsPublishFiles',
};

/** S3's `Tagging` request parameter (URL query syntax) as a map. */
function tagsOf(tagging: string | undefined): { [key: string]: string } | undefined {
  return tagging === undefined ? undefined : Object.fromEntries(new URLSearchParams(tagging));
}

/** A bucket in memory: copies, puts and deletes land in `objects`, with their tags. */
function fakeBuckets(s3: ReturnType<typeof mockClient>) {
  const objects = new Map<string, { body: string; contentType?: string; cacheControl?: string; tags?: { [key: string]: string } }>();
  s3.on(CopyObjectCommand).callsFake(async (input) => {
    const tags = input.TaggingDirective === 'REPLACE' ? tagsOf(input.Tagging) : undefined;
    objects.set(`${input.Bucket}/${input.Key}`, {
      body: `copy of ${input.CopySource}`,
      contentType: input.ContentType,
      cacheControl: input.CacheControl,
      tags,
    });
    return {};
  });
  s3.on(GetObjectTaggingCommand).callsFake(async (input) => {
    const object = objects.get(`${input.Bucket}/${input.Key}`);
    if (object === undefined)
      throw new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', $metadata: {}, message: 'The specified key does not exist.' });
    return { TagSet: Object.entries(object.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
  });
  s3.on(GetObjectCommand, { Bucket: ASSETS, Key: 'ccc.json' }).callsFake(
    async () => ({ Body: { transformToString: async () => JSON.stringify(DOCUMENT) } }) as never,
  );
  s3.on(PutObjectCommand).callsFake(async (input) => {
    objects.set(`${input.Bucket}/${input.Key}`, {
      body: String(input.Body),
      contentType: input.ContentType,
      cacheControl: input.CacheControl,
      tags: tagsOf(input.Tagging),
    });
    return {};
  });
  s3.on(DeleteObjectsCommand).callsFake(async (input) => {
    for (const { Key } of input.Delete.Objects) objects.delete(`${input.Bucket}/${Key}`);
    return {};
  });
  return objects;
}

describe('publishDocs', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  const client = () => new S3Client({ region: 'eu-west-1' });

  it('copies each file from its asset with its content type and cache control', async () => {
    const objects = fakeBuckets(s3);
    const outcome = await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    expect(outcome).toEqual({
      physicalId: PHYSICAL_ID,
      written: ['docs/index.html', 'docs/swagger-ui-bundle.js', 'docs/openapi.json'],
      deleted: [],
    });
    const copies = s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input);
    expect(copies).toEqual([
      {
        Bucket: 'docs-bucket',
        Key: 'docs/index.html',
        CopySource: `${ASSETS}/aaa.html`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/html; charset=utf-8',
        CacheControl: 'no-cache',
        TaggingDirective: 'REPLACE',
        Tagging: `secureapi-docs-owner=${encodeURIComponent(OWNER)}`,
      },
      {
        Bucket: 'docs-bucket',
        Key: 'docs/swagger-ui-bundle.js',
        CopySource: `${ASSETS}/bbb.js`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/javascript; charset=utf-8',
        CacheControl: 'public, max-age=300',
        TaggingDirective: 'REPLACE',
        Tagging: `secureapi-docs-owner=${encodeURIComponent(OWNER)}`,
      },
    ]);
    expect(objects.get('docs-bucket/docs/openapi.json')).toMatchObject({
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'no-cache',
    });
  });

  it('writes the document with the deployed URL as its only server and the deploy-time values filled in', async () => {
    const objects = fakeBuckets(s3);
    await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    const published = JSON.parse(objects.get('docs-bucket/docs/openapi.json')!.body);
    expect(published.servers).toEqual([{ url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod' }]);
    expect(published.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toBe('https://auth.example.com/oauth2/token');
    expect(JSON.stringify(published)).not.toContain('@@secureapi-deploy-value');
  });

  it('gives the same bucket contents when CloudFormation retries a Create', async () => {
    const objects = fakeBuckets(s3);
    await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    const first = new Map(objects);
    await expect(publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client())).resolves.toMatchObject({
      physicalId: PHYSICAL_ID,
    });
    expect(objects).toEqual(first);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('removes on update the files the new version no longer publishes, and only those', async () => {
    const objects = fakeBuckets(s3);
    const old = { ...properties, Files: [...files, { ...files[1], SourceKey: 'old.js', Key: 'docs/old-bundle.js' }] };
    await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: old }, client());
    const outcome = await publishDocs(
      { ...RESOURCE, RequestType: 'Update', ResourceProperties: properties, OldResourceProperties: old, PhysicalResourceId: PHYSICAL_ID },
      client(),
    );
    expect(outcome.deleted).toEqual(['docs/old-bundle.js']);
    expect([...objects.keys()].sort()).toEqual([
      'docs-bucket/docs/index.html',
      'docs-bucket/docs/openapi.json',
      'docs-bucket/docs/swagger-ui-bundle.js',
    ]);
  });

  it('deletes nothing on an update that moves to another prefix: CloudFormation deletes the old resource', async () => {
    fakeBuckets(s3);
    const moved = { ...properties, Prefix: 'v2/', Files: files.map((f) => ({ ...f, Key: f.Key.replace('docs/', 'v2/') })) };
    const outcome = await publishDocs(
      { ...RESOURCE, RequestType: 'Update', ResourceProperties: moved, OldResourceProperties: properties, PhysicalResourceId: PHYSICAL_ID },
      client(),
    );
    expect(outcome).toEqual({
      physicalId: 's3://docs-bucket/v2/',
      written: ['v2/index.html', 'v2/swagger-ui-bundle.js', 'v2/openapi.json'],
      deleted: [],
    });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('removes its own keys on delete, and nothing after a failed create', async () => {
    const objects = fakeBuckets(s3);
    objects.set('docs-bucket/other/keep.txt', { body: 'not ours' });
    await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    await expect(
      publishDocs({ ...RESOURCE, RequestType: 'Delete', ResourceProperties: properties, PhysicalResourceId: 'Files-failed' }, client()),
    ).resolves.toEqual({ physicalId: 'Files-failed', written: [], deleted: [] });
    expect(objects.size).toBe(4);
    await publishDocs({ ...RESOURCE, RequestType: 'Delete', ResourceProperties: properties, PhysicalResourceId: PHYSICAL_ID }, client());
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects)).toEqual([
      [{ Key: 'docs/index.html' }, { Key: 'docs/swagger-ui-bundle.js' }, { Key: 'docs/openapi.json' }],
    ]);
    expect([...objects.keys()]).toEqual(['docs-bucket/other/keep.txt']);
  });

  it('tags every object it writes with its owner, the stack and logical id of the resource', async () => {
    const objects = fakeBuckets(s3);
    await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    expect([...objects.values()].map((o) => o.tags)).toEqual([
      { 'secureapi-docs-owner': OWNER },
      { 'secureapi-docs-owner': OWNER },
      { 'secureapi-docs-owner': OWNER },
    ]);
  });

  it("refuses to overwrite another API's document in a shared bucket and prefix, and leaves it as it was", async () => {
    const objects = fakeBuckets(s3);
    await publishDocs({ ...OTHER_RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    const theirs = new Map(objects);
    await expect(publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client())).rejects.toThrow(
      "refusing to overwrite s3://docs-bucket/docs/index.html, s3://docs-bucket/docs/swagger-ui-bundle.js, s3://docs-bucket/docs/openapi.json: another resource published them; give this API's docs.publish a prefix of its own",
    );
    expect(objects).toEqual(theirs);
  });

  it("deletes only its own objects: another API's files under the same keys stay", async () => {
    const objects = fakeBuckets(s3);
    await publishDocs({ ...OTHER_RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client());
    const outcome = await publishDocs(
      { ...RESOURCE, RequestType: 'Delete', ResourceProperties: properties, PhysicalResourceId: PHYSICAL_ID },
      client(),
    );
    expect(outcome).toEqual({
      physicalId: PHYSICAL_ID,
      written: [],
      deleted: [],
      kept: ['docs/index.html', 'docs/swagger-ui-bundle.js', 'docs/openapi.json'],
    });
    expect(objects.size).toBe(3);
  });

  it('treats an untagged object as foreign in your bucket, and as its own earlier write in a bucket made for this API', async () => {
    const objects = fakeBuckets(s3);
    objects.set('docs-bucket/docs/index.html', { body: 'written by hand' });
    await expect(publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: properties }, client())).rejects.toThrow(
      'refusing to overwrite s3://docs-bucket/docs/index.html',
    );
    await publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: { ...properties, OwnBucket: 'true' } }, client());
    expect(objects.get('docs-bucket/docs/index.html')!.tags).toEqual({ 'secureapi-docs-owner': OWNER });
  });

  it('refuses a key outside its prefix', async () => {
    fakeBuckets(s3);
    const escaping = { ...properties, Files: [{ ...files[0], Key: 'other/index.html' }] };
    await expect(publishDocs({ ...RESOURCE, RequestType: 'Create', ResourceProperties: escaping }, client())).rejects.toThrow(
      "every Key must be below the prefix 'docs/', got 'other/index.html'",
    );
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('ownerValue', () => {
  it('is the stack id and logical id, or their SHA-256 when too long for a tag value', () => {
    expect(ownerValue(RESOURCE.StackId, RESOURCE.LogicalResourceId)).toBe(OWNER);
    expect(ownerValue(RESOURCE.StackId, 'L'.repeat(255))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('handler', () => {
  const s3 = mockClient(S3Client);
  const { received, event } = responseServerForTests(
    { LogicalResourceId: 'Files', ResourceType: 'Custom::SecureApiDocsPublish', ResourceProperties: properties },
    '?X-Amz-Signature=secret-signature',
  );
  beforeEach(() => {
    s3.reset();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reports SUCCESS with the bucket and prefix as the physical id to a CloudFormation endpoint', async () => {
    fakeBuckets(s3);
    await handler(event());
    expect(received).toEqual([
      {
        method: 'PUT',
        body: {
          Status: 'SUCCESS',
          Reason: 'OK',
          PhysicalResourceId: PHYSICAL_ID,
          StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/s/1',
          RequestId: 'r-1',
          LogicalResourceId: 'Files',
          Data: {},
        },
      },
    ]);
  });

  it('reports FAILED naming the file and the S3 error when a copy fails, without the response URL signature', async () => {
    fakeBuckets(s3);
    s3.on(CopyObjectCommand, { Key: 'docs/swagger-ui-bundle.js' }).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'User is not authorized to perform: s3:GetObject',
      }),
    );
    await handler(event());
    expect(received).toHaveLength(1);
    expect(received[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: `publishing s3://${ASSETS}/bbb.js to s3://docs-bucket/docs/swagger-ui-bundle.js failed: AccessDenied: User is not authorized to perform: s3:GetObject`,
      PhysicalResourceId: 'Files-failed',
    });
    expect(JSON.stringify(received[0].body)).not.toContain('secret-signature');
  });
});
