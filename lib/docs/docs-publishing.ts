import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CustomResource, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';
import { DOCS_BASE_MARKER, DOCS_DOCUMENT_FILE, DOCS_INDEX_FILE, DOCS_STATIC_DIR } from '../../contracts/docs';
import { DocsPublishFile, DocsPublishProperties } from '../../contracts/docs-publish';
import { SecureApiConfigError } from '../model/config-error';
import {
  AccessLogsBucket,
  acknowledgeFindings,
  acknowledgeReplication,
  CUSTOM_RESOURCE_NO_DLQ_REASON,
  HandlerFunction,
  hardenedBucketProps,
  ruleInPacks,
  writeContentAddressedDirectory,
} from '../common';

/** Options of {@link DocsPublishing.toNewBucket} and {@link DocsPublishing.toBucket}. */
export interface DocsPublishingOptions {
  /**
   * The key prefix the files are written under: empty, or segments ending with `/` (`docs/`, `v1/docs/`).
   * The page is `<prefix>index.html`, the document `<prefix>openapi.json`. Two APIs in one app may not
   * publish to the same bucket and prefix (a synth error), and at deploy time the publishing function
   * never replaces or deletes a file another API published.
   * @default - in a new bucket: the docs path without its leading slash, plus `/` (`docs/`), so a CloudFront
   * behavior for `/docs/*` finds the files; in your bucket: the docs path, then a name unique to this API
   * (`docs/<stack and construct path>/`), so that several APIs can share the bucket
   */
  readonly prefix?: string;
}

/**
 * Where the sanitized document and Swagger UI are also published as static files, for hosting the
 * documentation apart from the API (for example behind CloudFront). Create with
 * `DocsPublishing.toNewBucket()` or `DocsPublishing.toBucket(bucket)`.
 */
export class DocsPublishing {
  /**
   * Into a private bucket SecureApi creates: public access blocked, TLS 1.2+ only, versioned, SSE-S3,
   * bucket-owner enforced, server access logs into a second bucket, retained when the stack is deleted.
   */
  public static toNewBucket(options: DocsPublishingOptions = {}): DocsPublishing {
    return new DocsPublishing(undefined, options.prefix);
  }

  /**
   * Into a bucket you own (its hardening is yours). SecureApi writes and deletes only below the prefix;
   * if the bucket has a KMS key, the publishing function may encrypt with it.
   */
  public static toBucket(bucket: s3.IBucket, options: DocsPublishingOptions = {}): DocsPublishing {
    return new DocsPublishing(bucket, options.prefix);
  }

  private constructor(
    /**
     * The bucket given to `toBucket`.
     * @default - a new bucket
     */
    public readonly bucket?: s3.IBucket,
    /**
     * The key prefix.
     * @default - the docs path
     */
    public readonly prefix?: string,
  ) {}
}

/** Content-Type and Cache-Control of each published file, by extension. */
const PUBLISHED_TYPES: { [extension: string]: string } = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The page and the document change with every deployment: revalidate; Swagger UI's files may be cached briefly. */
function cacheControlOf(name: string): string {
  return name === DOCS_INDEX_FILE || name === DOCS_DOCUMENT_FILE ? 'no-cache' : 'public, max-age=300';
}

export interface PublishedDocsProps {
  readonly publishing: DocsPublishing;
  /** The docs function's asset folder (`ApiDocs.assetDirectory`): its `static/` files are published. */
  readonly assetDirectory: string;
  /** The docs path (`/docs`), for the default prefix. */
  readonly docsPath: string;
  /** The URL written as the published document's only server (may be a deploy-time token). */
  readonly serverUrl: string;
  /** Placeholders in the bundled document and the deploy-time values that replace them. */
  readonly deployValues: { [placeholder: string]: string };
  /** The publishing function's log group (`ApiLogs.functionLogGroup`). */
  readonly logGroup: logs.ILogGroup;
  /** For messages. */
  readonly where: string;
  /** The SecureApi's construct path, for configuration errors. */
  readonly apiLabel: string;
}

/**
 * Publishes the docs asset's static files into a private bucket. Each file is an S3 asset of its own
 * (uploaded as is by the CDK CLI); a small custom resource copies each one to its key with its
 * Content-Type, and writes the document with the deployed server URL. The template holds only
 * bucket names and keys, never file contents. (BucketDeployment is not used: its function and
 * layer bring findings in every cdk-nag pack that could only be acknowledged.)
 */
export class PublishedDocs extends Construct {
  public readonly bucket: s3.IBucket;
  public readonly prefix: string;
  public readonly keys: string[];

  constructor(scope: Construct, id: string, props: PublishedDocsProps) {
    super(scope, id);
    const shared = props.publishing.bucket !== undefined;
    const prefix =
      props.publishing.prefix ?? (shared ? `${props.docsPath.slice(1)}/${uniquePublisherName(this)}/` : `${props.docsPath.slice(1)}/`);
    if (!/^([A-Za-z0-9._-]+\/)*$/.test(prefix) || prefix.split('/').some((s) => s === '.' || s === '..')) {
      throw new SecureApiConfigError(
        props.apiLabel,
        'docs.publish',
        `prefix must be empty or path segments each ending with '/' (such as 'docs/'), got '${prefix}'`,
      );
    }
    this.prefix = prefix;
    if (shared) claimBucketPrefix(this, props.publishing.bucket!, prefix, props.apiLabel);

    let ownBucket: s3.Bucket | undefined;
    if (props.publishing.bucket === undefined) {
      ownBucket = this.createBucket();
      this.bucket = ownBucket;
    } else {
      this.bucket = props.publishing.bucket;
    }

    // The files as the docs function serves them, with the page's links made relative to the page itself.
    const staticDirectory = join(props.assetDirectory, DOCS_STATIC_DIR);
    const names = readdirSync(staticDirectory)
      .filter((name) => PUBLISHED_TYPES[extname(name)] !== undefined)
      .sort();
    if (!names.includes(DOCS_DOCUMENT_FILE) || !names.includes(DOCS_INDEX_FILE)) {
      // Invariant (a bug, not configuration): ApiDocs writes both files into the asset it passes.
      throw new Error(`${props.where}: the docs asset ${props.assetDirectory} has no ${DOCS_INDEX_FILE} or ${DOCS_DOCUMENT_FILE}`);
    }

    const handler = new HandlerFunction(this, 'Handler', {
      handlerName: 'docs-publish',
      purpose: `publishes the API documentation of ${props.where.replace(/^SecureApi /, '')} to its bucket`,
      logGroup: props.logGroup,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: 1,
      noDeadLetterQueueReason: CUSTOM_RESOURCE_NO_DLQ_REASON,
    });

    const files: DocsPublishFile[] = [];
    for (const name of names) {
      const path = name === DOCS_INDEX_FILE ? staticPage(readFileSync(join(staticDirectory, name), 'utf8')) : join(staticDirectory, name);
      const asset = new s3assets.Asset(this, `File-${name}`, { path });
      // Read exactly this object of the assets bucket (not the whole bucket, as Asset.grantRead would allow).
      handler.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [asset.bucket.arnForObjects(asset.s3ObjectKey)] }),
      );
      const document = name === DOCS_DOCUMENT_FILE;
      files.push({
        SourceBucket: asset.s3BucketName,
        SourceKey: asset.s3ObjectKey,
        Key: `${prefix}${name}`,
        ContentType: PUBLISHED_TYPES[extname(name)],
        CacheControl: cacheControlOf(name),
        ...(document ? { ServerUrl: props.serverUrl } : {}),
        ...(document && Object.keys(props.deployValues).length > 0 ? { DeployValues: props.deployValues } : {}),
      });
    }
    this.keys = files.map((f) => f.Key);

    // Write and delete only below the prefix: an update removes files a new version no longer has. Reading
    // and writing the owner tag lets the function replace and delete only the objects it published.
    const objects = `${this.bucket.bucketArn}/${prefix}*`;
    handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObjectTagging', 's3:DeleteObject'],
        resources: [objects],
      }),
    );
    this.bucket.encryptionKey?.grant(handler, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
    acknowledgeFindings(
      handler.role!,
      [`AwsSolutions-IAM5[Resource::${nagResourceName(this, objects)}]`],
      'The publishing function writes and deletes only the documentation files under this prefix of the docs bucket; the wildcard covers file names that change with Swagger UI versions, so an update can remove files it no longer publishes.',
    );

    const properties: DocsPublishProperties = {
      Bucket: this.bucket.bucketName,
      Prefix: prefix,
      Files: files,
      ...(shared ? {} : { OwnBucket: 'true' }),
    };
    const resource = new CustomResource(this, 'Files', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::SecureApiDocsPublish',
      properties: { ...properties },
    });
    // The bucket policy (TLS-only) exists before the first write and after the last delete.
    if (ownBucket?.policy !== undefined) resource.node.addDependency(ownBucket.policy);
  }

  private createBucket(): s3.Bucket {
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { retention: Duration.days(365) });
    const bucket = new s3.Bucket(this, 'Bucket', {
      ...hardenedBucketProps(),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    });
    accessLogs.allowLogsFrom(bucket, 'docs/');
    acknowledgeFindings(
      bucket,
      ruleInPacks('S3DefaultEncryptionKMS', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
      'The bucket holds only the published API documentation, checked at synth for ARNs, account ids, internal hosts and secrets; SSE-S3 lets a CloudFront origin access control read it without a KMS key policy, and a KMS key would protect no secret.',
    );
    acknowledgeReplication(bucket, 'It holds the published documentation, which is rebuilt from the stack on every deployment');
    return bucket;
  }
}

/** A name for this publisher's default prefix in a shared bucket: from its construct path, stable across synths. */
function uniquePublisherName(scope: Construct): string {
  return Names.uniqueResourceName(scope.node.scope!, { maxLength: 64, separator: '-' });
}

/** Per app: which publisher writes to each bucket and prefix. */
const CLAIMED_PREFIXES = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Two APIs publishing to one bucket and prefix would replace each other's document (and one API's
 * readers would send their tokens to the other's server): a synth error naming both.
 */
function claimBucketPrefix(publisher: Construct, bucket: s3.IBucket, prefix: string, apiLabel: string): void {
  const root = publisher.node.root;
  const claims = CLAIMED_PREFIXES.get(root) ?? new Map<string, string>();
  CLAIMED_PREFIXES.set(root, claims);
  const bucketName = Stack.of(bucket).resolve(bucket.bucketName);
  const key = `${JSON.stringify(typeof bucketName === 'string' ? bucketName : bucket.node.path)}|${prefix}`;
  const other = claims.get(key);
  if (other !== undefined && other !== publisher.node.path) {
    throw new SecureApiConfigError(
      apiLabel,
      'docs.publish',
      `writes to the same bucket and prefix '${prefix}' as ${other}; give each API a prefix of its own (DocsPublishing.toBucket(bucket, { prefix }))`,
    );
  }
  claims.set(key, publisher.node.path);
}

/**
 * The page for static hosting: its links to Swagger UI's files are relative to the page itself
 * (`<prefix>index.html` next to `<prefix>swagger-ui.css`). Written to a content-hashed file, so the
 * asset hash is the same on every machine.
 */
function staticPage(page: string): string {
  const content = page.split(DOCS_BASE_MARKER).join('./');
  return join(writeContentAddressedDirectory('docs-page', [[DOCS_INDEX_FILE, content]]), DOCS_INDEX_FILE);
}

/** A resource as cdk-nag names it in a finding id: `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, `Fn::Join` joined. */
function nagResourceName(scope: Construct, value: string): string {
  const render = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (typeof node === 'object' && node !== null) {
      const object = node as { [key: string]: unknown };
      if ('Ref' in object) return `<${String(object.Ref)}>`;
      if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
      if ('Fn::Join' in object) {
        const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
        return parts.map(render).join(separator);
      }
    }
    return JSON.stringify(node);
  };
  return Token.isUnresolved(value) ? render(Stack.of(scope).resolve(value)) : value;
}
