// SigV4 signing for the integ probes (integ/probe/, integ/grant-probe/): @smithy/signature-v4 (a pinned
// devDependency), bundled into each probe at synth by integ/support.ts, with SHA-256 and HMAC from node:crypto.
// The credentials are the function's execution role's, which Lambda puts in the environment.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** The checksum interface the signer asks for: SHA-256, or HMAC-SHA-256 when constructed with a key. */
class Sha256 {
  constructor(secret) {
    this.secret = secret;
    this.reset();
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

/** Signs a request to `url` for execute-api with the function's own credentials; returns the headers to send. */
export async function signedHeaders(method, url, env = process.env) {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: env.AWS_REGION,
    sha256: Sha256,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
  });
  const request = { method, protocol: url.protocol, hostname: url.hostname, path: url.pathname, headers: { host: url.hostname } };
  return (await signer.sign(request)).headers;
}
