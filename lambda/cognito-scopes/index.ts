import { GROUP_SCOPES_ENV, GroupScopesConfig, OIDC_SCOPES, parseGroupScopesConfig } from '../../contracts/cognito-scopes';

/**
 * The part of Cognito's pre-token-generation event (V2_0; V3_0 has the same shape) this trigger reads
 * and writes. Shapes from the Amazon Cognito developer guide, "Pre token generation Lambda trigger":
 * `request.groupConfiguration.groupsToOverride` holds the user's groups, `request.scopes` the scopes
 * Cognito is about to write into the access token, and `response.claimsAndScopeOverrideDetails
 * .accessTokenGeneration.scopesToSuppress` removes scopes from it. The V2_0 event's answer applies to
 * access tokens of user sign-ins (and refreshes) on the Essentials and Plus feature plans.
 */
export interface PreTokenGenerationEvent {
  readonly version: string;
  readonly triggerSource: string;
  readonly userName?: string;
  readonly callerContext?: { readonly clientId?: string };
  readonly request: {
    readonly groupConfiguration?: { readonly groupsToOverride?: readonly string[] };
    readonly scopes?: readonly string[];
  };
  response: {
    claimsAndScopeOverrideDetails?: {
      accessTokenGeneration?: { scopesToSuppress?: string[] };
    } | null;
  };
}

/**
 * The scopes to remove from a user's access token: every scope Cognito would write that is neither an
 * OpenID Connect scope nor granted by one of the user's groups. Whatever the user asked for
 * (`scope=api/orders:admin`, or no scope, which Cognito answers with all of the client's scopes), the
 * token keeps only what the user's groups grant.
 */
export function scopesToSuppress(requested: readonly string[], groups: readonly string[], config: GroupScopesConfig): string[] {
  const granted = new Set<string>(OIDC_SCOPES);
  for (const group of groups) {
    if (Object.prototype.hasOwnProperty.call(config.scopesByGroup, group))
      for (const scope of config.scopesByGroup[group]) granted.add(scope);
  }
  return [...new Set(requested)].filter((scope) => !granted.has(scope)).sort();
}

let config: GroupScopesConfig | undefined;

/**
 * Trims the access token's scopes to the user's groups. Anything unexpected (a V1_0 event, which cannot
 * change access tokens, or a broken configuration) throws: Cognito then fails the sign-in rather than
 * issue a token with scopes the user was not granted.
 */
export async function handler(event: PreTokenGenerationEvent): Promise<PreTokenGenerationEvent> {
  config ??= parseGroupScopesConfig(process.env[GROUP_SCOPES_ENV]);
  if (event.version !== '2' && event.version !== '3') {
    throw new Error(
      `cognito-scopes: pre-token-generation event version ${String(event.version)} cannot trim access-token scopes; configure the trigger as V2_0`,
    );
  }
  const groups = event.request.groupConfiguration?.groupsToOverride ?? [];
  const suppress = scopesToSuppress(event.request.scopes ?? [], groups, config);
  const details = event.response.claimsAndScopeOverrideDetails ?? {};
  const previous = details.accessTokenGeneration?.scopesToSuppress ?? [];
  event.response.claimsAndScopeOverrideDetails = {
    ...details,
    accessTokenGeneration: { ...details.accessTokenGeneration, scopesToSuppress: [...new Set([...previous, ...suppress])].sort() },
  };
  if (suppress.length > 0) {
    console.log(
      JSON.stringify({
        level: 'INFO',
        message: "suppressed scopes not granted by the user's groups",
        triggerSource: event.triggerSource,
        clientId: event.callerContext?.clientId,
        suppressed: suppress,
      }),
    );
  }
  return event;
}

/** For tests: forget the cached configuration. */
export function resetForTests(): void {
  config = undefined;
}
