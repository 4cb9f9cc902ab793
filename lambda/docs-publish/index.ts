import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { withPublicServer } from '../../contracts/docs';
import { DOCS_OWNER_TAG, DocsPublishFile, DocsPublishProperties } from '../../contracts/docs-publish';
import { sendCloudFormationResponse } from '../shared/cloudformation-response';

const client = new S3Client({});

type PublishEvent = Pick<CloudFormationCustomResourceEvent, 'RequestType' | 'ResourceProperties' | 'StackId' | 'LogicalResourceId'> & {
  PhysicalResourceId?: string;
  OldResourceProperties?: { [key: string]: unknown };
};

/** What a run did. */
export interface PublishOutcome {
  readonly physicalId: string;
  /** Keys written (Create/Update). */
  readonly written: string[];
  /** Keys removed: files an update no longer publishes, or every file on delete. */
  readonly deleted: string[];
  /** Keys left in place on delete because another resource published them. */
  readonly kept?: string[];
}

/**
 * Publishes the API documentation into its bucket: each file is copied from its S3 asset with its
 * Content-Type and Cache-Control; the OpenAPI document is read, given the deployed server URL and
 * written. Every write replaces the object, so a retried Create or Update gives the same result.
 *
 * Every object is tagged with this resource's owner value ({@link DOCS_OWNER_TAG}). A write to a key
 * that holds another owner's object fails instead of replacing it, and a delete removes only objects
 * with this owner's tag: two APIs publishing into one bucket and prefix cannot replace each other's
 * document (which would send one API's readers, and their tokens, to the other's server) or delete
 * each other's files.
 *
 * Delete removes this resource's own keys and nothing else: the docs stop being served when
 * publishing is turned off or moved (a new bucket or prefix is a new physical id, so CloudFormation
 * deletes the old one after the update). The bucket is versioned and retained, so a delete only adds
 * delete markers and the earlier versions stay until the lifecycle rule expires them.
 */
export async function publishDocs(event: PublishEvent, s3: Pick<S3Client, 'send'> = client): Promise<PublishOutcome> {
  const properties = event.ResourceProperties as unknown as DocsPublishProperties;
  const physicalId = physicalIdOf(properties);
  const owner = ownerValue(event.StackId, event.LogicalResourceId);
  const ownBucket = properties.OwnBucket === 'true';
  if (event.RequestType === 'Delete') {
    // A Delete after a failed Create carries the placeholder id reported then: nothing was published.
    if (event.PhysicalResourceId !== physicalId) return { physicalId: event.PhysicalResourceId ?? physicalId, written: [], deleted: [] };
    checkProperties(properties);
    const { owned, kept } = await partitionByOwner(
      s3,
      properties.Bucket,
      properties.Files.map((f) => f.Key),
      owner,
      ownBucket,
    );
    await deleteKeys(s3, properties.Bucket, owned);
    return { physicalId, written: [], deleted: owned, kept };
  }

  checkProperties(properties);
  const foreign = (
    await partitionByOwner(
      s3,
      properties.Bucket,
      properties.Files.map((f) => f.Key),
      owner,
      ownBucket,
    )
  ).kept;
  if (foreign.length > 0) {
    throw new Error(
      `refusing to overwrite ${foreign.map((k) => `s3://${properties.Bucket}/${k}`).join(', ')}: another resource published ${foreign.length === 1 ? 'it' : 'them'}; give this API's docs.publish a prefix of its own`,
    );
  }
  for (const file of properties.Files) await publishFile(s3, properties.Bucket, file, owner);
  const written = properties.Files.map((f) => f.Key);
  let deleted: string[] = [];
  const old = event.OldResourceProperties as unknown as DocsPublishProperties | undefined;
  if (event.RequestType === 'Update' && old !== undefined && Array.isArray(old.Files) && physicalIdOf(old) === physicalId) {
    // Same bucket and prefix: files the new version no longer has are removed here, if they are ours.
    const stale = old.Files.map((f) => f.Key).filter((key) => !written.includes(key) && key.startsWith(properties.Prefix));
    deleted = (await partitionByOwner(s3, properties.Bucket, stale, owner, ownBucket)).owned;
    await deleteKeys(s3, properties.Bucket, deleted);
  }
  return { physicalId, written, deleted };
}

/** The owner tag value of a resource: `<StackId>/<LogicalResourceId>`, hashed when over S3's 256-character tag values. */
export function ownerValue(stackId: string, logicalId: string): string {
  const value = `${stackId}/${logicalId}`;
  return value.length <= 256 && /^[\w\s+=.:/@-]*$/.test(value) ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/**
 * Splits keys into those this owner may replace or delete (absent, tagged with its value, or untagged
 * in a bucket made for this API alone) and those it must leave alone.
 */
async function partitionByOwner(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  keys: string[],
  owner: string,
  ownBucket: boolean,
): Promise<{ owned: string[]; kept: string[] }> {
  const owned: string[] = [];
  const kept: string[] = [];
  for (const key of keys) {
    const current = await ownerOfObject(s3, bucket, key);
    if (current === owner || current === 'absent' || (current === 'untagged' && ownBucket)) owned.push(key);
    else kept.push(key);
  }
  return { owned, kept };
}

/** The owner tag of an object, `untagged` without one, `absent` when there is no object (or only a delete marker). */
async function ownerOfObject(s3: Pick<S3Client, 'send'>, bucket: string, key: string): Promise<string> {
  try {
    const result = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return result.TagSet?.find((t) => t.Key === DOCS_OWNER_TAG)?.Value ?? 'untagged';
  } catch (error) {
    const name = (error as { name?: string }).name;
    // A missing key, or a delete marker as the current version of a versioned bucket.
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'MethodNotAllowed') return 'absent';
    throw new Error(`reading the owner of s3://${bucket}/${key} failed: ${describe(error)}`);
  }
}

function physicalIdOf(properties: DocsPublishProperties): string {
  return `s3://${properties.Bucket}/${properties.Prefix}`;
}

function checkProperties(properties: DocsPublishProperties): void {
  if (typeof properties.Bucket !== 'string' || properties.Bucket === '') throw new Error('Bucket must name the docs bucket');
  if (typeof properties.Prefix !== 'string') throw new Error('Prefix must be a string');
  if (!Array.isArray(properties.Files) || properties.Files.length === 0) throw new Error('Files must list the files to publish');
  for (const file of properties.Files) {
    if (typeof file.Key !== 'string' || !file.Key.startsWith(properties.Prefix) || file.Key === properties.Prefix) {
      throw new Error(`every Key must be below the prefix '${properties.Prefix}', got '${String(file.Key)}'`);
    }
  }
}

async function publishFile(s3: Pick<S3Client, 'send'>, bucket: string, file: DocsPublishFile, owner: string): Promise<void> {
  const source = `s3://${file.SourceBucket}/${file.SourceKey}`;
  const tagging = `${DOCS_OWNER_TAG}=${encodeURIComponent(owner)}`;
  try {
    if (file.ServerUrl === undefined) {
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: file.Key,
          CopySource: `${file.SourceBucket}/${encodeURIComponent(file.SourceKey)}`,
          MetadataDirective: 'REPLACE',
          ContentType: file.ContentType,
          CacheControl: file.CacheControl,
          TaggingDirective: 'REPLACE',
          Tagging: tagging,
        }),
      );
      return;
    }
    const object = await s3.send(new GetObjectCommand({ Bucket: file.SourceBucket, Key: file.SourceKey }));
    let text = (await object.Body?.transformToString('utf-8')) ?? '';
    for (const [placeholder, value] of Object.entries(file.DeployValues ?? {}))
      text = text.split(placeholder).join(JSON.stringify(value).slice(1, -1));
    const document = withPublicServer(JSON.parse(text) as { [key: string]: unknown }, file.ServerUrl);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.Key,
        Body: JSON.stringify(document),
        ContentType: file.ContentType,
        CacheControl: file.CacheControl,
        Tagging: tagging,
      }),
    );
  } catch (error) {
    throw new Error(`publishing ${source} to s3://${bucket}/${file.Key} failed: ${describe(error)}`);
  }
}

async function deleteKeys(s3: Pick<S3Client, 'send'>, bucket: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
    );
    const errors = result.Errors ?? [];
    if (errors.length > 0) throw new Error(errors.map((e) => `${e.Key}: ${e.Code}`).join(', '));
  } catch (error) {
    // The bucket is retained, but it may have been removed by hand: then there is nothing to delete.
    if ((error as { name?: string }).name === 'NoSuchBucket') return;
    throw new Error(`removing ${keys.length} published file(s) from s3://${bucket} failed: ${describe(error)}`);
  }
}

/** An AWS error's name and message (S3 messages name the resource and the missing permission, never a credential). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  const fallbackId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.LogicalResourceId}-failed`;
  try {
    const outcome = await publishDocs(event);
    console.log(
      JSON.stringify({
        level: 'INFO',
        message: 'docs published',
        requestType: event.RequestType,
        target: outcome.physicalId,
        written: outcome.written.length,
        deleted: outcome.deleted,
        ...(outcome.kept !== undefined && outcome.kept.length > 0 ? { keptOtherOwners: outcome.kept } : {}),
      }),
    );
    await sendCloudFormationResponse(event, { status: 'SUCCESS', reason: 'OK', physicalResourceId: outcome.physicalId });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ level: 'ERROR', message: 'docs publishing failed', requestType: event.RequestType, reason }));
    await sendCloudFormationResponse(event, { status: 'FAILED', reason, physicalResourceId: fallbackId });
  }
}
