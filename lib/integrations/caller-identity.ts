import { CALLER_IDENTITY_FIELDS, CALLER_IDENTITY_HEADER_PREFIX, CALLER_IDENTITY_NONE } from '../../contracts/caller-identity';
import { JsonObject } from '../model';

/**
 * The `requestParameters` that put the caller's identity into the request an HTTP backend receives:
 * `x-secureapi-caller-sub`, `-client-id` and `-scopes`, from the JWT authorizer's context on operations that
 * require a token, and the static value `-` on all others (public or API-key-only operations), so that a
 * client-sent header of the same name never reaches the backend either way.
 *
 * Why a mapping replaces the client's header: for HTTP_PROXY, AWS does not document it. LocalStack's
 * implementation, validated against AWS, merges the mapped headers over the client's (`headers.update(...)`
 * in `handlers/integration_request.py`, "undocumented but validated behavior"), and its AWS-recorded test
 * `test_http_proxy_integration_request_data_mappings` (tests/aws/services/apigateway/test_apigateway_http.py)
 * shows a client-sent `headerVar: request-value` arriving at the backend as the mapped `mapped-value`.
 * The same implementation skips a mapping whose value is empty or absent (`if value:` in
 * `parameters_mapping.py`), so the authorizer never leaves one empty (contracts/caller-identity.ts).
 * The integration test (integ/integ.backends-net.ts) asserts the overwrite on AWS itself.
 */
export function callerIdentityParameters(requiresJwt: boolean): { [parameter: string]: string } {
  const out: { [parameter: string]: string } = {};
  for (const field of Object.values(CALLER_IDENTITY_FIELDS)) {
    out[`integration.request.header.${field.header}`] = requiresJwt
      ? `context.authorizer.${field.contextKey}`
      : `'${CALLER_IDENTITY_NONE}'`;
  }
  return out;
}

/**
 * The integration with the identity headers added, for an HTTP proxy integration; any other kind unchanged.
 * An integration that already maps a header with the identity prefix is an invariant violation: identity is
 * written here only.
 */
export function withCallerIdentity(integration: JsonObject, requiresJwt: boolean): JsonObject {
  if (integration.type !== 'http_proxy') return integration;
  const existing = (integration.requestParameters ?? {}) as { [parameter: string]: string };
  const clash = Object.keys(existing).find((k) =>
    k.toLowerCase().startsWith(`integration.request.header.${CALLER_IDENTITY_HEADER_PREFIX}`),
  );
  if (clash !== undefined)
    // Invariant (a bug, not configuration): integrations never map identity headers themselves.
    throw new Error(`an HTTP integration maps ${clash} itself; caller identity headers are written by withCallerIdentity only`);
  return { ...integration, requestParameters: { ...existing, ...callerIdentityParameters(requiresJwt) } };
}
