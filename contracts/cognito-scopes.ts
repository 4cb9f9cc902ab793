/**
 * What `Auth.cognito` (lib/auth/cognito-server.ts) and the pre-token-generation trigger
 * (lambda/cognito-scopes) agree on: which access-token scopes each Cognito group grants to people.
 * Dependency-free: the handler bundles this file.
 */

/** Environment variable of the trigger holding the {@link GroupScopesConfig} as JSON. */
export const GROUP_SCOPES_ENV = 'SECUREAPI_GROUP_SCOPES';

/** The scopes people may hold, by the Cognito group that grants them. */
export interface GroupScopesConfig {
  /** Full scope names as Cognito writes them (`<resource server>/<scope>`), by group name. */
  readonly scopesByGroup: { readonly [groupName: string]: readonly string[] };
}

/**
 * Scopes the trigger never suppresses: the OpenID Connect scopes of the sign-in itself. They grant no
 * access to the API (the authorizer matches only resource-server scopes).
 */
export const OIDC_SCOPES: readonly string[] = ['openid', 'email', 'phone', 'profile'];

/** Parses {@link GROUP_SCOPES_ENV}; throws on anything but the expected shape (the trigger then fails closed). */
export function parseGroupScopesConfig(json: string | undefined): GroupScopesConfig {
  if (json === undefined || json === '') throw new Error(`${GROUP_SCOPES_ENV} is not set`);
  const parsed = JSON.parse(json) as { scopesByGroup?: unknown };
  const byGroup = parsed.scopesByGroup;
  if (typeof byGroup !== 'object' || byGroup === null || Array.isArray(byGroup))
    throw new Error(`${GROUP_SCOPES_ENV} must be JSON {"scopesByGroup": {group: [scope]}}`);
  for (const [group, scopes] of Object.entries(byGroup)) {
    if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))
      throw new Error(`${GROUP_SCOPES_ENV}: the scopes of group '${group}' must be an array of strings`);
  }
  return { scopesByGroup: byGroup as GroupScopesConfig['scopesByGroup'] };
}
