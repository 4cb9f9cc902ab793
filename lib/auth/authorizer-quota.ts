import { JsonObject } from '../model';
import { PropCheck } from '../model/config-error';

/**
 * API Gateway's default quota "Authorizers per API (AWS Lambda and Amazon Cognito)" for a REST API (API Gateway
 * developer guide, "Quotas for configuring and running a REST API"). AWS Support can raise it for one API.
 */
export const DEFAULT_AUTHORIZERS_PER_API = 10;

/** One API Gateway authorizer the import body declares, and the document's schemes it serves. */
export interface DeclaredAuthorizer {
  /** Its security scheme in the imported body (API Gateway's authorizer name). */
  readonly bodySchemeName: string;
  /** The document's security schemes mapped to the mechanism it belongs to. */
  readonly documentSchemes: string[];
}

/** The body security schemes that the import turns into an API Gateway authorizer: those with `x-amazon-apigateway-authorizer`. */
export function authorizerSchemeNames(schemes: { readonly [name: string]: JsonObject }): string[] {
  return Object.keys(schemes)
    .filter((name) => typeof schemes[name]['x-amazon-apigateway-authorizer'] === 'object')
    .sort();
}

/**
 * The authorizers of one API against the quota: over it, the import fails at deploy (after the stack has
 * started), so it is a synth error naming every authorizer and the document schemes behind it.
 * `quota` is `Auth.schemes(..., { authorizersPerApi })`, for an API whose quota AWS Support has raised.
 */
export function checkAuthorizerQuota(authorizers: ReadonlyArray<DeclaredAuthorizer>, quota: number | undefined, check: PropCheck): void {
  if (quota !== undefined && (!Number.isInteger(quota) || quota < 1)) {
    check.fail('authorizersPerApi', `must be a whole number of at least 1 (the API's raised quota), got ${quota}`);
  }
  const limit = quota ?? DEFAULT_AUTHORIZERS_PER_API;
  if (authorizers.length <= limit) return;
  const listed = [...authorizers]
    .sort((a, b) => a.bodySchemeName.localeCompare(b.bodySchemeName))
    .map((a) => `${a.bodySchemeName} (${a.documentSchemes.length > 0 ? `schemes ${a.documentSchemes.join(', ')}` : 'no document scheme'})`);
  check.fail(
    'schemes',
    `declares ${authorizers.length} API Gateway authorizers: ${listed.join(', ')}; ` +
      (quota === undefined
        ? `API Gateway allows ${DEFAULT_AUTHORIZERS_PER_API} per REST API by default (quota "Authorizers per API", raisable per API through AWS Support), so the import would fail at deploy. `
        : `authorizersPerApi says this API's quota is ${quota}. `) +
      'Map the schemes one function serves to one Auth.lambda (one authorizer), split the API, or, once AWS Support has raised the quota for this API, set Auth.schemes(map, { authorizersPerApi })',
  );
}
