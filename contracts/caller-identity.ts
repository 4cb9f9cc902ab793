/**
 * How the caller's identity reaches an HTTP backend (`OperationIntegration.http`, `OperationIntegration.vpcLink`):
 * the JWT authorizer (lambda/authorizer) writes three context keys, and the integration (lib/integrations) maps
 * each into a request header with `requestParameters` (`integration.request.header.<name>` =
 * `context.authorizer.<key>`). Dependency-free, because it is bundled into the authorizer.
 *
 * The values are never empty: a mapping whose source is absent or empty is skipped (LocalStack's AWS-validated
 * parameter mapping keeps a value only when it is non-empty), and a skipped mapping would let a client-sent header
 * of the same name through. So "none" is written as {@link CALLER_IDENTITY_NONE}, and operations without a JWT
 * map the same static value.
 */

/** One identity field: the request header the backend reads and the authorizer context key it is mapped from. */
export interface CallerIdentityField {
  /** The request header, lower case. */
  readonly header: string;
  /** The authorizer context key (`$context.authorizer.<key>`). */
  readonly contextKey: string;
}

/** The identity headers, in the order they are documented. */
export const CALLER_IDENTITY_FIELDS: {
  readonly sub: CallerIdentityField;
  readonly clientId: CallerIdentityField;
  readonly scopes: CallerIdentityField;
} = {
  /** The token's subject (`sub`); without one, the client id. */
  sub: { header: 'x-secureapi-caller-sub', contextKey: 'callerSub' },
  /** The OAuth client (`client_id`, or `azp`). */
  clientId: { header: 'x-secureapi-caller-client-id', contextKey: 'callerClientId' },
  /** The granted scopes, space-separated, as the authorizer matched them (issuer prefix removed). */
  scopes: { header: 'x-secureapi-caller-scopes', contextKey: 'callerScopes' },
};

/** The value of a field that has none: no token (a public or API-key-only operation), no client id, no scope. */
export const CALLER_IDENTITY_NONE = '-';

/** The prefix every identity header starts with. */
export const CALLER_IDENTITY_HEADER_PREFIX = 'x-secureapi-caller-';

/**
 * The three context entries the authorizer adds to an Allow answer. An empty or missing value becomes
 * {@link CALLER_IDENTITY_NONE}, so the mapping always has a value to write.
 */
export function callerIdentityContext(
  sub: string | undefined,
  clientId: string | undefined,
  scopes: readonly string[],
): {
  [contextKey: string]: string;
} {
  const orNone = (value: string | undefined) => (value === undefined || value === '' ? CALLER_IDENTITY_NONE : value);
  return {
    [CALLER_IDENTITY_FIELDS.sub.contextKey]: orNone(sub !== undefined && sub !== '' ? sub : clientId),
    [CALLER_IDENTITY_FIELDS.clientId.contextKey]: orNone(clientId),
    [CALLER_IDENTITY_FIELDS.scopes.contextKey]: orNone(scopes.join(' ')),
  };
}
