// The comparison point of bench/authorizer.bench.mjs: the same REQUEST authorizer written the usual way
// with bare aws-jwt-verify (its main entry point, async verify that fetches and caches the JWKS, an
// Allow for the method ARN, Unauthorized for anything else). It has none of SecureApi's extra checks.
import { JwtVerifier } from 'aws-jwt-verify';

const verifier = JwtVerifier.create({
  issuer: process.env.BARE_ISSUER!,
  audience: process.env.BARE_AUDIENCE!,
  jwksUri: process.env.BARE_JWKS_URI!,
});

export const handler = async (event: { headers?: { [name: string]: string }; methodArn: string }) => {
  try {
    const payload = await verifier.verify((event.headers?.Authorization ?? '').replace(/^Bearer /, ''), { scope: 'orders:read' });
    return {
      principalId: payload.sub ?? 'unknown',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    };
  } catch {
    throw new Error('Unauthorized');
  }
};
