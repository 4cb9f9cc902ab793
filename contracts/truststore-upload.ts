/** The properties SecureApi's truststore custom resource passes to its handler (no secrets: CA certificates are public). */
export interface TruststoreUploadProperties {
  /** The hardened, versioned bucket SecureApi created for the truststore. */
  readonly Bucket: string;
  /** The object key the truststore is written to. */
  readonly Key: string;
  /** The truststore, PEM-encoded CA certificates only (checked at synth). */
  readonly Pem: string;
}

/** Attributes the custom resource returns: the S3 version the custom domain pins as `TruststoreVersion`. */
export const TRUSTSTORE_VERSION_ATTRIBUTE = 'VersionId';
