import { isUtf8 } from 'node:buffer';
import type { JwtHeader } from 'aws-jwt-verify/jwt-model';
import { reject } from './rejection';

/**
 * The strict gate every request passes before a token is parsed. API Gateway caches authorizer
 * results by the exact header string, so one token must have exactly one accepted spelling:
 * a single `Bearer ` prefix and RFC 7515 compact serialization in canonical unpadded base64url.
 */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The header members a signed access token may carry. Key-carrying (`jku`, `x5u`, `jwk`, `x5c`), `crit`, `b64`, `cty` and anything unknown are refused. */
const HEADER_MEMBERS = new Set(['alg', 'kid', 'typ', 'x5t', 'x5t#S256']);

/** A JSON member name followed by its colon; counted to detect duplicate header members, which JSON.parse silently merges. */
const MEMBER_NAME = /"(?:[^"\\]|\\.)*"\s*:/g;

/** Reads the token from the REQUEST event's Authorization header, or throws the reason it cannot. */
export function bearerToken(event: unknown, maxLength: number): string {
  const value = authorizationHeader(event);
  // The length is checked before any pattern or parser sees the value.
  if (value.length > maxLength + 7) reject('token_too_long');
  if (value.slice(0, 7).toLowerCase() !== 'bearer ') reject('malformed_header');
  const token = value.slice(7);
  if (!COMPACT_JWS.test(token)) reject('malformed_token');
  const dot1 = token.indexOf('.');
  const dot2 = token.indexOf('.', dot1 + 1);
  if (!canonical(token, 0, dot1) || !canonical(token, dot1 + 1, dot2) || !canonical(token, dot2 + 1, token.length))
    reject('malformed_token');
  return token;
}

/**
 * Whether the request carries no Authorization header at all, under any spelling, in `headers` or
 * `multiValueHeaders`. Only such a request may be served as anonymous on an optional-authentication
 * route: a header that is present, even empty or malformed, is checked as a token and refused when bad.
 */
export function carriesNoAuthorization(event: unknown): boolean {
  const e = event as { headers?: unknown; multiValueHeaders?: unknown } | null;
  for (const headers of [e?.headers, e?.multiValueHeaders]) {
    if (headers === null || typeof headers !== 'object') continue;
    for (const name in headers as object) if (name.toLowerCase() === 'authorization') return false;
  }
  return true;
}

function authorizationHeader(event: unknown): string {
  const e = event as { headers?: unknown; multiValueHeaders?: unknown } | null;
  let value: unknown;
  let found = 0;
  const headers = e?.headers as { [name: string]: unknown } | null | undefined;
  if (headers !== null && typeof headers === 'object') {
    for (const name in headers) {
      if (name.length === 13 && name.toLowerCase() === 'authorization') {
        value = headers[name];
        found++;
      }
    }
  }
  // A client that sends the header twice is ambiguous: refuse rather than pick one.
  const multi = e?.multiValueHeaders as { [name: string]: unknown } | null | undefined;
  if (multi !== null && typeof multi === 'object') {
    for (const name in multi) {
      if (name.length === 13 && name.toLowerCase() === 'authorization') {
        const values = multi[name];
        if (!Array.isArray(values) || values.length !== 1 || values[0] !== value) found = 2;
      }
    }
  }
  if (found > 1) reject('ambiguous_token');
  if (typeof value !== 'string' || value === '') reject('no_token');
  return value;
}

/**
 * True when token[start, end) is canonical unpadded base64url: its length is not 1 (mod 4), and the
 * unused low bits of its last character are zero (otherwise several strings decode to one value).
 */
function canonical(token: string, start: number, end: number): boolean {
  const rest = (end - start) & 3;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const c = token.charCodeAt(end - 1);
  const sextet = c >= 97 ? c - 71 : c >= 65 ? c - 65 : c >= 48 ? c + 4 : c === 45 ? 62 : 63;
  return (sextet & (rest === 2 ? 15 : 3)) === 0;
}

/**
 * Decodes and checks the protected header before any key is looked up: valid UTF-8 JSON with no
 * duplicate member, an allowed algorithm (never `none` or HMAC), a `kid`, and only known members.
 * aws-jwt-verify parses the whole token again when it verifies it; this gate only decides whether
 * it gets that far, and with which key.
 */
export function readHeader(token: string, algorithms: ReadonlySet<string>): JwtHeader {
  const raw = Buffer.from(token.slice(0, token.indexOf('.')), 'base64url');
  if (!isUtf8(raw)) reject('bad_header');
  const text = raw.toString();
  let header: JwtHeader;
  try {
    header = JSON.parse(text);
  } catch {
    return reject('malformed_token');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) reject('malformed_token');
  if (typeof header.alg !== 'string' || !algorithms.has(header.alg)) reject('alg_not_allowed');
  let members = 0;
  for (const name in header) {
    if (!HEADER_MEMBERS.has(name)) reject('unsupported_header');
    members++;
  }
  if (text.match(MEMBER_NAME)?.length !== members) reject('bad_header');
  if (typeof header.kid !== 'string' || header.kid === '' || (header.typ !== undefined && typeof header.typ !== 'string'))
    reject('bad_header');
  return header;
}

/** RFC 7515 §4.1.9: `typ` compares case-insensitively, and `application/` may be omitted. */
export function normalizeType(typ: string): string {
  const t = typ.toLowerCase();
  return t.startsWith('application/') ? t.slice(12) : t;
}

/** A validly signed payload must still be valid UTF-8: decoders that replace bad bytes would disagree on its claims. */
export function payloadIsUtf8(token: string): boolean {
  const start = token.indexOf('.') + 1;
  return isUtf8(Buffer.from(token.slice(start, token.indexOf('.', start)), 'base64url'));
}
