import { readFileSync } from 'node:fs';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureApiConfigError } from '../model/config-error';

/** Options of {@link MutualTls.fromFile}. */
export interface MutualTlsFileOptions {
  /**
   * A public ACM certificate for the domain name, proving ownership of it. API Gateway requires it when
   * `domain.certificate` was imported into ACM or issued by a private CA.
   * @default - none (not needed with a public ACM-issued certificate)
   */
  readonly ownershipVerificationCertificate?: acm.ICertificate;
}

/** Options of {@link MutualTls.fromBucket}. */
export interface MutualTlsBucketOptions extends MutualTlsFileOptions {
  /**
   * The S3 object version of the truststore, so a later upload does not change the domain unnoticed.
   * @default - the latest version (a synth warning says so)
   */
  readonly version?: string;
}

/** The truststore and ownership settings a custom domain needs for mutual TLS. */
export interface MutualTlsSource {
  /** `file`: SecureApi puts the PEM into a hardened bucket of its own. `bucket`: the user's object. */
  readonly kind: 'file' | 'bucket';
  /** The PEM content and where it came from (kind `file`). */
  readonly pem?: { readonly content: string; readonly source: string };
  /** The user's bucket, key and version (kind `bucket`). */
  readonly object?: { readonly bucket: s3.IBucket; readonly key: string; readonly version?: string };
  readonly ownershipVerificationCertificate?: acm.ICertificate;
}

/**
 * Mutual TLS for the custom domain: API Gateway accepts only clients whose certificate chains to a CA in
 * the truststore (at most four certificates deep). Regional endpoints only, with the TLS_1_2 policy.
 */
export class MutualTls {
  /**
   * A truststore from a local PEM file of CA certificates. It is checked at synth (no private keys, API
   * Gateway's key types, chain depth) and written into a versioned, encrypted, TLS-only, access-logged
   * bucket that SecureApi creates; the domain pins the object version.
   */
  public static fromFile(path: string, options: MutualTlsFileOptions = {}): MutualTls {
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new SecureApiConfigError('', 'domain.mutualTls', `cannot read the truststore '${path}': ${(error as Error).message}`);
    }
    return new MutualTls({
      kind: 'file',
      pem: { content, source: path },
      ownershipVerificationCertificate: options.ownershipVerificationCertificate,
    });
  }

  /** A truststore already in a bucket of yours (keep that bucket versioned and private). */
  public static fromBucket(bucket: s3.IBucket, key: string, options: MutualTlsBucketOptions = {}): MutualTls {
    return new MutualTls({
      kind: 'bucket',
      object: { bucket, key, version: options.version },
      ownershipVerificationCertificate: options.ownershipVerificationCertificate,
    });
  }

  /**
   * Where the truststore comes from, for the custom domain.
   * @jsii ignore read by SecureApi only; other languages choose the source with the static factories.
   */
  public readonly source: MutualTlsSource;

  private constructor(source: MutualTlsSource) {
    this.source = source;
  }
}
