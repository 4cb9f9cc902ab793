import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, writeTruststore } from '../../../lambda/truststore-upload';
import { responseServerForTests } from '../../helpers/cloudformation-response-server';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const properties = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f',
  Bucket: 'truststore-bucket',
  Key: 'truststore/truststore.pem',
  Pem: PEM,
};

/** A versioned bucket: every put appends a version. */
function versionedBucket(s3: ReturnType<typeof mockClient>, versioned = true): Array<{ key: string; body: string; versionId: string }> {
  const versions: Array<{ key: string; body: string; versionId: string }> = [];
  s3.on(PutObjectCommand).callsFake(async (input) => {
    const versionId = versioned ? `v${versions.length + 1}` : 'null';
    versions.push({ key: input.Key, body: String(input.Body), versionId });
    return { VersionId: versioned ? versionId : undefined };
  });
  return versions;
}

describe('writeTruststore', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  const client = () => new S3Client({ region: 'eu-west-1' });

  it('writes the PEM on create and returns the version the domain pins', async () => {
    const versions = versionedBucket(s3);
    await expect(writeTruststore({ RequestType: 'Create', ResourceProperties: properties }, client())).resolves.toEqual({
      physicalId: 's3://truststore-bucket/truststore/truststore.pem',
      versionId: 'v1',
    });
    expect(versions).toEqual([{ key: 'truststore/truststore.pem', body: PEM, versionId: 'v1' }]);
  });

  it('writes a new version on update, keeping the old one for rollback', async () => {
    const versions = versionedBucket(s3);
    await writeTruststore({ RequestType: 'Create', ResourceProperties: properties }, client());
    const updated = await writeTruststore(
      {
        RequestType: 'Update',
        ResourceProperties: { ...properties, Pem: PEM + PEM },
        PhysicalResourceId: 's3://truststore-bucket/truststore/truststore.pem',
      },
      client(),
    );
    expect(updated.versionId).toBe('v2');
    expect(versions.map((v) => v.versionId)).toEqual(['v1', 'v2']);
  });

  it('leaves the object in place on delete', async () => {
    const versions = versionedBucket(s3);
    await expect(
      writeTruststore({ RequestType: 'Delete', ResourceProperties: properties, PhysicalResourceId: 's3://b/k' }, client()),
    ).resolves.toEqual({ physicalId: 's3://b/k', versionId: '' });
    expect(versions).toEqual([]);
  });

  it('fails when the bucket is not versioned, because API Gateway could not pin the truststore', async () => {
    versionedBucket(s3, false);
    await expect(writeTruststore({ RequestType: 'Create', ResourceProperties: properties }, client())).rejects.toThrow(
      'the bucket truststore-bucket returned no object version; versioning must be enabled',
    );
  });

  it('refuses a private key or a body without certificates', async () => {
    const versions = versionedBucket(s3);
    const key = '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n';
    await expect(
      writeTruststore({ RequestType: 'Create', ResourceProperties: { ...properties, Pem: PEM + key } }, client()),
    ).rejects.toThrow('Pem must not contain a private key');
    await expect(writeTruststore({ RequestType: 'Create', ResourceProperties: { ...properties, Pem: 'x' } }, client())).rejects.toThrow(
      'Pem must hold PEM-encoded certificates',
    );
    expect(versions).toEqual([]);
  });
});

describe('handler', () => {
  const s3 = mockClient(S3Client);
  const { received, event } = responseServerForTests({
    LogicalResourceId: 'Truststore',
    ResourceType: 'Custom::SecureApiTruststore',
    ResourceProperties: properties,
  });
  beforeEach(() => {
    s3.reset();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reports SUCCESS with the version id to CloudFormation', async () => {
    versionedBucket(s3);
    await handler(event());
    expect(received).toEqual([
      {
        method: 'PUT',
        body: {
          Status: 'SUCCESS',
          Reason: 'OK',
          PhysicalResourceId: 's3://truststore-bucket/truststore/truststore.pem',
          StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/s/1',
          RequestId: 'r-1',
          LogicalResourceId: 'Truststore',
          Data: { VersionId: 'v1' },
        },
      },
    ]);
  });

  it('reports FAILED with the reason, and does not hang CloudFormation', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    await handler(event());
    expect(received).toHaveLength(1);
    expect(received[0].body).toMatchObject({ Status: 'FAILED', Reason: 'AccessDenied', PhysicalResourceId: 'Truststore-failed' });
  });
});
