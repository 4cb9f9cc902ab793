import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { Alg } from './idp';

/** Test-only JWS building with node:crypto: forged and hand-shaped tokens the IdP would never issue. */

export function b64url(value: string | Uint8Array): string {
  return (typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)).toString('base64url');
}

/** A header or payload: an object (serialized with JSON.stringify) or the exact bytes to encode. */
export type Segment = object | string | Uint8Array;

function encode(segment: Segment): string {
  return b64url(typeof segment === 'string' || segment instanceof Uint8Array ? segment : JSON.stringify(segment));
}

export type Signer = { key: KeyObject; alg: Alg | 'RS512' } | { hmacSecret: string } | { signature: string };

/** Signs `header.payload` (JWS compact serialization) with the given key, an HMAC secret, or a fixed signature. */
export function jws(header: Segment, payload: Segment, signer: Signer): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${signature(input, signer)}`;
}

export function signature(input: string, signer: Signer): string {
  if ('signature' in signer) return signer.signature;
  if ('hmacSecret' in signer) return createHmac('sha256', signer.hmacSecret).update(input).digest('base64url');
  const digest = signer.alg === 'RS512' ? 'sha512' : 'sha256';
  const key = signer.alg === 'ES256' ? { key: signer.key, dsaEncoding: 'ieee-p1363' as const } : signer.key;
  return sign(digest, new Uint8Array(Buffer.from(input)), key).toString('base64url');
}

const attackerKeys = new Map<Alg, KeyObject>();

/** A key pair that no IdP published: the attacker's (one per algorithm and process; RSA generation is slow). */
export function attackerKey(alg: Alg): KeyObject {
  let key = attackerKeys.get(alg);
  if (key === undefined) {
    key =
      alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
        : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    attackerKeys.set(alg, key);
  }
  return key;
}

/** Claims of a good access token of `issuer` for `audience`, valid for ten minutes from now; override or delete (`undefined`) any. */
export function accessClaims(issuer: string, audience: string, overrides: { [claim: string]: unknown } = {}): { [claim: string]: unknown } {
  const now = Math.floor(Date.now() / 1000);
  const claims: { [claim: string]: unknown } = {
    iss: issuer,
    sub: 'client-7',
    aud: audience,
    iat: now,
    exp: now + 600,
    jti: 'jti-1',
    client_id: 'client-7',
    scope: 'orders:read orders:write',
    ...overrides,
  };
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];
  return claims;
}
