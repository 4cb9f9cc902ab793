import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { TRUSTSTORE_VERSION_ATTRIBUTE, TruststoreUploadProperties } from '../../contracts/truststore-upload';
import { sendCloudFormationResponse } from '../shared/cloudformation-response';

const client = new S3Client({});

/** What a run did, reported to CloudFormation. */
export interface TruststoreOutcome {
  readonly physicalId: string;
  /** The S3 object version holding this truststore; empty on delete. */
  readonly versionId: string;
}

/**
 * Writes the truststore into its versioned bucket and returns the new object version, which the
 * custom domain pins, so a changed truststore is a new version and an unchanged one is never
 * rewritten. Delete leaves the object: the bucket is versioned and retained, and the domain that
 * used it is being deleted in the same operation.
 */
export async function writeTruststore(
  event: Pick<CloudFormationCustomResourceEvent, 'RequestType' | 'ResourceProperties'> & { PhysicalResourceId?: string },
  s3: Pick<S3Client, 'send'> = client,
): Promise<TruststoreOutcome> {
  const properties = event.ResourceProperties as unknown as TruststoreUploadProperties;
  const physicalId = `s3://${properties.Bucket}/${properties.Key}`;
  if (event.RequestType === 'Delete') return { physicalId: event.PhysicalResourceId ?? physicalId, versionId: '' };
  if (typeof properties.Pem !== 'string' || !properties.Pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error('Pem must hold PEM-encoded certificates');
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(properties.Pem)) throw new Error('Pem must not contain a private key');
  const result = await s3.send(
    new PutObjectCommand({ Bucket: properties.Bucket, Key: properties.Key, Body: properties.Pem, ContentType: 'application/x-pem-file' }),
  );
  if (result.VersionId === undefined || result.VersionId === 'null') {
    throw new Error(
      `the bucket ${properties.Bucket} returned no object version; versioning must be enabled for API Gateway to pin the truststore`,
    );
  }
  return { physicalId, versionId: result.VersionId };
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  const fallbackId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.LogicalResourceId}-failed`;
  try {
    const outcome = await writeTruststore(event);
    console.log(
      JSON.stringify({
        level: 'INFO',
        message: 'truststore written',
        requestType: event.RequestType,
        object: outcome.physicalId,
        versionId: outcome.versionId,
      }),
    );
    await sendCloudFormationResponse(event, {
      status: 'SUCCESS',
      reason: 'OK',
      physicalResourceId: outcome.physicalId,
      data: { [TRUSTSTORE_VERSION_ATTRIBUTE]: outcome.versionId },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ level: 'ERROR', message: 'truststore write failed', requestType: event.RequestType, reason }));
    await sendCloudFormationResponse(event, { status: 'FAILED', reason, physicalResourceId: fallbackId });
  }
}
