/**
 * What a consumer of SecureApi's AWS service integrations (lib/integrations: SQS, EventBridge, Step Functions)
 * reads besides the request body: the caller's identity, written by API Gateway from the JWT authorizer's context
 * (lambda/authorizer puts `sub` and `client_id` there), never from anything the client sends. Dependency-free,
 * so a queue consumer or a state machine's Lambda task can import the names.
 */

/** SQS message attributes that carry the caller (String attributes; absent when the operation has no JWT). */
export const SQS_CALLER_ATTRIBUTES = {
  /** The token's `sub` (the authorizer's principal). */
  sub: 'caller.sub',
  /** The token's `client_id` (or `azp`). */
  clientId: 'caller.client_id',
} as const;

/**
 * The JSON object API Gateway writes as an EventBridge event's `detail` and as a Step Functions execution's
 * input: the validated request body under `body` (`null` when the operation has none), the caller under `caller`.
 */
export interface ServiceIntegrationEnvelope {
  /** The request body as the client sent it, after API Gateway validated it against the operation's schema. */
  readonly body: unknown;
  /** Who called: the token's `sub` and `client_id`; empty strings when the operation has no JWT. */
  readonly caller: { readonly sub: string; readonly client_id: string };
  /** API Gateway's request id (`$context.requestId`), also the Step Functions execution name. */
  readonly requestId: string;
}
