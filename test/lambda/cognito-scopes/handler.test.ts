import { GROUP_SCOPES_ENV, parseGroupScopesConfig } from '../../../contracts/cognito-scopes';
import { handler, PreTokenGenerationEvent, resetForTests, scopesToSuppress } from '../../../lambda/cognito-scopes';

// The pre-token-generation trigger of Auth.cognito, run in-process on V2_0 events shaped as the Amazon
// Cognito developer guide ("Pre token generation Lambda trigger") documents them.
const CONFIG = { scopesByGroup: { clerks: ['api/orders:read', 'api/orders:write'], admins: ['api/orders:admin', 'api/admin'] } };
const CLIENT_SCOPES = ['openid', 'api/admin', 'api/orders:admin', 'api/orders:read', 'api/orders:write'];

function event(groups: string[], scopes: string[], version = '2'): PreTokenGenerationEvent {
  return {
    version,
    triggerSource: 'TokenGeneration_HostedAuth',
    userName: 'mallory',
    callerContext: { clientId: 'people-client' },
    request: { groupConfiguration: { groupsToOverride: groups }, scopes },
    response: { claimsAndScopeOverrideDetails: null },
  };
}

/** The access token's scopes as Cognito writes them after the trigger answered. */
function tokenScopes(answer: PreTokenGenerationEvent, issued: string[]): string[] {
  const suppressed = new Set(answer.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.scopesToSuppress ?? []);
  return issued.filter((s) => !suppressed.has(s)).sort();
}

beforeEach(() => {
  process.env[GROUP_SCOPES_ENV] = JSON.stringify(CONFIG);
  resetForTests();
});

afterAll(() => {
  delete process.env[GROUP_SCOPES_ENV];
});

describe('cognito-scopes trigger', () => {
  it('gives a user outside the admins group no admin scope, even when the user asked for scope=api/orders:admin', async () => {
    const answer = await handler(event(['clerks'], ['openid', 'api/orders:admin']));
    expect(tokenScopes(answer, ['openid', 'api/orders:admin'])).toEqual(['openid']);
  });

  it("gives a user who asked for no scope (Cognito then issues every scope of the client) only the scopes of the user's groups", async () => {
    const answer = await handler(event(['clerks'], CLIENT_SCOPES));
    expect(tokenScopes(answer, CLIENT_SCOPES)).toEqual(['api/orders:read', 'api/orders:write', 'openid']);
  });

  it('gives a user in no group no API scope at all', async () => {
    const answer = await handler(event([], CLIENT_SCOPES));
    expect(tokenScopes(answer, CLIENT_SCOPES)).toEqual(['openid']);
  });

  it('keeps the admin scopes for a member of the admins group', async () => {
    const answer = await handler(event(['clerks', 'admins'], CLIENT_SCOPES));
    expect(tokenScopes(answer, CLIENT_SCOPES)).toEqual([...CLIENT_SCOPES].sort());
  });

  it("suppresses Cognito's own user-pool admin scope and any scope no group grants", () => {
    expect(scopesToSuppress(['aws.cognito.signin.user.admin', 'email', 'api/files:read'], ['clerks'], CONFIG)).toEqual([
      'api/files:read',
      'aws.cognito.signin.user.admin',
    ]);
  });

  it('is not fooled by a group named like an object property (__proto__, constructor)', () => {
    expect(scopesToSuppress(['api/orders:read'], ['__proto__', 'constructor', 'toString'], CONFIG)).toEqual(['api/orders:read']);
  });

  it('keeps what an earlier answer suppressed and adds its own', async () => {
    const e = event([], ['api/orders:read']);
    e.response.claimsAndScopeOverrideDetails = { accessTokenGeneration: { scopesToSuppress: ['email'] } };
    const answer = await handler(e);
    expect(answer.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.scopesToSuppress).toEqual(['api/orders:read', 'email']);
  });

  it('fails the sign-in (throws) on a V1_0 event, which cannot change access-token scopes', async () => {
    await expect(handler(event(['clerks'], CLIENT_SCOPES, '1'))).rejects.toThrow(
      'cognito-scopes: pre-token-generation event version 1 cannot trim access-token scopes; configure the trigger as V2_0',
    );
  });

  it('fails the sign-in (throws) when its configuration is missing or malformed', async () => {
    delete process.env[GROUP_SCOPES_ENV];
    await expect(handler(event(['clerks'], CLIENT_SCOPES))).rejects.toThrow(`${GROUP_SCOPES_ENV} is not set`);
    expect(() => parseGroupScopesConfig('{"scopesByGroup":{"clerks":"api/orders:read"}}')).toThrow(
      `${GROUP_SCOPES_ENV}: the scopes of group 'clerks' must be an array of strings`,
    );
  });
});
