/**
 * The agreement between the JWT authorizer (lambda/authorizer), which writes one JSON line a
 * rejection, and the ip-blocker (lambda/ip-blocker), which counts the rejections that show probing.
 * lib/waf subscribes the blocker to the authorizer's log group with {@link PROBE_FILTER_PATTERN}.
 *
 * Why the authorizer's log and not the access log: API Gateway answers a missing token, an expired
 * token and a forged one alike (401 UNAUTHORIZED), and a thrown `Unauthorized` cannot carry a
 * reason into `$context.authorizer.*`. Only the authorizer knows why it refused. It takes the
 * client address from the REQUEST event's `requestContext.identity.sourceIp`, which API Gateway
 * writes (API Gateway developer guide, "Input to an API Gateway Lambda authorizer"), and the line is
 * serialized with JSON.stringify, so no request value can add or change a key.
 *
 * A request without an Authorization header never reaches the authorizer: the header is an identity
 * source, and API Gateway answers 401 without invoking the function when a configured identity
 * source is missing, null or empty (AWS Knowledge Center, "Why do I get API Gateway 401 Unauthorized
 * errors after I create a Lambda authorizer?", request-parameter-based authorizers). So a
 * credential-less request (an `<img src>` from a hostile page) never produces a probe line.
 */
import type { RejectionReason } from './authorizer-config';
import { AUTHORIZER_METRICS } from './authorizer-metrics';

/** Keys of a rejection line that the blocker reads. `sourceIp` and `probe` are the line's first keys. */
export const PROBE_LOG_FIELDS = {
  /** The client address from `requestContext.identity.sourceIp`. */
  sourceIp: 'sourceIp',
  /** `true` when the reason shows probing (one of {@link PROBING_REJECTION_REASONS}). */
  probe: 'probe',
  /** The rejection reason: the `Reason` metric dimension of the same line. */
  reason: AUTHORIZER_METRICS.reasonDimension,
} as const;

/**
 * Rejections that show a client trying tokens it was not given: a malformed or forged token, a
 * bad signature, a key id the issuer never published, a wrong issuer or audience, a header shaped
 * to attack the parser. An honest client does not produce these.
 *
 * Not here, on purpose: `no_token` and `malformed_header` (no bearer credential: a browser may send
 * cached Basic credentials cross-site), `expired`, `not_yet_valid`, `issued_in_future` (a genuine
 * token and a clock), `missing_claim`, `bad_claim`, `wrong_client`, `wrong_token_type` (a genuine,
 * correctly signed token of the trusted issuer, sent by a misconfigured client),
 * `insufficient_scope` and `unknown_operation` (an authenticated caller), and the authorizer's
 * own failures (`jwks_unavailable`, `bad_event`, `config_invalid`, `internal_error`).
 */
export const PROBING_REJECTION_REASONS: readonly RejectionReason[] = [
  'ambiguous_token',
  'token_too_long',
  'malformed_token',
  'bad_header',
  'alg_not_allowed',
  'unsupported_header',
  'kid_unknown',
  'key_mismatch',
  'unknown_issuer',
  'bad_signature',
  'wrong_audience',
];

/** Whether a rejection reason shows probing. */
export function isProbingReason(reason: unknown): boolean {
  return typeof reason === 'string' && (PROBING_REJECTION_REASONS as readonly string[]).includes(reason);
}

/** The subscription filter on the authorizer's log group: only probe lines reach the blocker. */
export const PROBE_FILTER_PATTERN = `{ $.${PROBE_LOG_FIELDS.probe} IS TRUE }`;

/**
 * Probing that only API Gateway sees: a SigV4 signature that does not verify. API Gateway answers it
 * with the `INVALID_SIGNATURE` gateway response before any authorizer runs, so the blocker reads it
 * from the stage's access log (field names as lib/observability/access-log-format.ts writes them).
 *
 * Never counted, on purpose: `MISSING_AUTHENTICATION_TOKEN` (no credential at all), `EXPIRED_TOKEN` (a
 * genuine signature with a stale clock or credentials) and `ACCESS_DENIED`, which is also what a genuine
 * IAM principal without `execute-api:Invoke` gets, and what an authorizer's Deny policy gets. A line that
 * names a verified IAM principal (`userArn`) is never counted, whatever its response type.
 */
export const ACCESS_LOG_PROBE_FIELDS = {
  sourceIp: 'sourceIp',
  responseType: 'errorResponseType',
  userArn: 'userArn',
} as const;

/** Gateway response types of the access log that show probing. */
export const PROBING_GATEWAY_RESPONSES: readonly string[] = ['INVALID_SIGNATURE'];

/** The subscription filter on the access log group: only forged-signature lines reach the blocker. */
export const ACCESS_LOG_PROBE_FILTER_PATTERN = `{ $.${ACCESS_LOG_PROBE_FIELDS.responseType} = "INVALID_SIGNATURE" }`;

/** Whether an access-log line shows probing: a probing gateway response, and no verified IAM principal. */
export function isAccessLogProbe(line: { readonly [key: string]: unknown }): boolean {
  const type = line[ACCESS_LOG_PROBE_FIELDS.responseType];
  const userArn = line[ACCESS_LOG_PROBE_FIELDS.userArn];
  const principal = typeof userArn === 'string' && userArn !== '' && userArn !== '-';
  return typeof type === 'string' && PROBING_GATEWAY_RESPONSES.includes(type) && !principal;
}
