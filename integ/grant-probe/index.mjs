// The grants integration test's probe: calls the API as its own execution role, signed with SigV4, or unsigned,
// and returns the status code only. Plain JavaScript on the Lambda runtime's own AWS SDK v3 (its signer).
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

const env = process.env;
const signer = new SignatureV4({
  service: 'execute-api',
  region: env.AWS_REGION,
  sha256: Sha256,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
});

export async function handler({ method = 'GET', path, signed = true }) {
  const url = new URL(path.replace(/^\//, ''), env.API_URL);
  const request = { method, protocol: url.protocol, hostname: url.hostname, path: url.pathname, headers: { host: url.hostname } };
  const headers = signed ? (await signer.sign(request)).headers : request.headers;
  const response = await fetch(url, { method, headers });
  return { status: response.status };
}
