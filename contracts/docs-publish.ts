/**
 * What the docs publishing custom resource (lib/docs/docs-publishing.ts) passes to its handler
 * (lambda/docs-publish): where each file is (an S3 asset the CDK CLI uploaded) and where it goes.
 * No file contents travel in the template. Dependency-free: it is bundled into the handler.
 */

/** One file to publish: an S3 asset object copied to `Key` in the docs bucket. */
export interface DocsPublishFile {
  /** The bucket the CDK CLI uploaded the asset to (the bootstrap bucket). */
  readonly SourceBucket: string;
  /** The asset's object key (its content hash and extension). */
  readonly SourceKey: string;
  /** The key in the docs bucket, under `Prefix`. */
  readonly Key: string;
  readonly ContentType: string;
  readonly CacheControl: string;
  /**
   * For the OpenAPI document only: the URL written as its only server. Known at deploy time
   * (the stage URL), so this one file is read, given its server and written instead of copied.
   */
  readonly ServerUrl?: string;
  /** For the OpenAPI document only: placeholders in the document and the deploy-time values that replace them. */
  readonly DeployValues?: { [placeholder: string]: string };
}

/**
 * The S3 object tag that names the resource that published an object: `<StackId>/<LogicalResourceId>`
 * (or its SHA-256 when longer than a tag value may be). The handler overwrites and deletes only objects
 * that carry its own value, so two APIs publishing into one bucket can never replace or remove each
 * other's files.
 */
export const DOCS_OWNER_TAG = 'secureapi-docs-owner';

/** The custom resource's properties. */
export interface DocsPublishProperties {
  /**
   * 'true' when SecureApi created the bucket for this API alone: objects without an owner tag there were
   * written by an earlier version of this resource, and may be replaced. In a bucket you own, an object
   * without our tag is someone else's.
   */
  readonly OwnBucket?: string;
  /** The docs bucket. */
  readonly Bucket: string;
  /** The key prefix every published file sits under (`docs/`); the handler writes and deletes nothing else. */
  readonly Prefix: string;
  readonly Files: DocsPublishFile[];
}
