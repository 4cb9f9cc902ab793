// The grants integration test's probe: calls the API as its own execution role, signed with SigV4, or unsigned,
// and returns the status code only. Bundled with its signer at synth (integ/support.ts): it needs nothing from the
// Lambda runtime but Node.js.
import { signedHeaders } from '../sigv4.mjs';

export async function handler({ method = 'GET', path, signed = true }) {
  const url = new URL(path.replace(/^\//, ''), process.env.API_URL);
  const headers = signed ? await signedHeaders(method, url) : { host: url.hostname };
  const response = await fetch(url, { method, headers });
  return { status: response.status };
}
