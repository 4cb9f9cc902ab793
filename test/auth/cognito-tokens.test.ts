import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GROUP_SCOPES_ENV } from '../../contracts/cognito-scopes';
import { handler as trimScopes, PreTokenGenerationEvent, resetForTests } from '../../lambda/cognito-scopes';
import { Auth, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { AuthorizerUnderTest, configFor, ORDERS_API } from '../lambda/authorizer/support/harness';
import { makeKey, TestIdp, trustForThisProcess } from '../lambda/authorizer/support/idp';
import { jws } from '../lambda/authorizer/support/tokens';
import { allowedScopes, CONSUMERS } from './cognito-consumers';

// Abuse cases of Auth.cognito, end to end: the app clients' allowed scopes come from the synthesized
// template; a model of Cognito's token endpoint grants from them as Cognito documents it (any allowed
// scope that is asked for, all of them when none is); the real pre-token-generation trigger trims
// people's tokens; tokens shaped like Cognito's are signed by a local IdP and checked by the real
// authorizer handler against the orders document's scope map.

const app = new App();
const stack = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
const api = new SecureApi(stack, 'Api', {
  openApi: OpenApi.fromFile(ORDERS_API),
  defaultIntegration: OperationIntegration.mock(),
  auth: Auth.cognito({ ...CONSUMERS, userClient: { callbackUrls: ['https://app.example.com/cb'] } }),
});
const template = Template.fromStack(stack);
const server = api.auth!.oauthServer!;

function clientScopes(name: string): string[] {
  const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: name } }))[0];
  return allowedScopes(stack, client);
}
const peopleScopes = allowedScopes(
  stack,
  Object.values(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { AllowedOAuthFlows: ['code'] } }))[0],
);

/** Cognito's grant: each asked-for scope must be allowed (else invalid_scope); no scope asked for means every allowed scope. */
function cognitoGrant(allowed: string[], scope?: string): string[] {
  if (scope === undefined) return [...allowed];
  const asked = scope.split(' ');
  for (const s of asked) if (!allowed.includes(s)) throw new Error('invalid_scope');
  return asked;
}

/** A person's access token scopes: Cognito's grant, then the trigger configured as the template configures it. */
async function personScopes(groups: string[], scope?: string): Promise<string[]> {
  const triggerId = stack.getLogicalId(server.scopeTrigger!.node.defaultChild as any);
  process.env[GROUP_SCOPES_ENV] = template.toJSON().Resources[triggerId].Properties.Environment.Variables[GROUP_SCOPES_ENV];
  resetForTests();
  const issued = cognitoGrant(peopleScopes, scope);
  const event: PreTokenGenerationEvent = {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    request: { groupConfiguration: { groupsToOverride: groups }, scopes: issued },
    response: { claimsAndScopeOverrideDetails: null },
  };
  const answer = await trimScopes(event);
  const suppressed = new Set(answer.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.scopesToSuppress ?? []);
  return issued.filter((s) => !suppressed.has(s));
}

let idp: TestIdp;
let untrust: () => void;
let authorizer: AuthorizerUnderTest;

beforeAll(async () => {
  idp = await TestIdp.start();
  await idp.publish([makeKey('rs-1', 'RS256')]);
  untrust = trustForThisProcess(idp);
  // As Auth.cognito configures the authorizer: the pool's clients, token_use access, scopes prefixed by the resource server.
  // A generous fetch timeout: the first call fetches discovery and the JWKS from the local IdP, and a loaded test machine is slow.
  const jwks = { ...configFor({ issuer: idp.issuer }).jwks, fetchTimeoutMs: 5000 };
  authorizer = new AuthorizerUnderTest(
    configFor(
      { issuer: idp.issuer, clientIds: ['billing', 'refunds-service', 'people'], tokenUse: 'access', scopePrefix: 'api/' },
      { jwks },
    ),
  );
  // Warm the key cache, so that each test exercises the scope decision and not the first fetch.
  expect((await authorizer.call(cognitoToken('billing', ['api/orders:read']), 'GET /orders')).outcome).toBe('Allow');
});

afterAll(async () => {
  untrust?.();
  await idp?.stop();
  delete process.env[GROUP_SCOPES_ENV];
});

/** An access token shaped like Cognito's (client_id and token_use, no aud, no typ), signed by the IdP. */
function cognitoToken(clientId: string, scopes: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  return jws(
    { alg: 'RS256', kid: 'rs-1' },
    {
      iss: idp.issuer,
      sub: `${clientId}-sub`,
      client_id: clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      iat: now,
      exp: now + 600,
      jti: 'j-1',
    },
    { key: idp.key('rs-1').privateKey, alg: 'RS256' },
  );
}

describe('Auth.cognito tokens against the real authorizer', () => {
  it("a token of one machine consumer fails another consumer's operation", async () => {
    const billing = cognitoToken('billing', cognitoGrant(clientScopes('billing')));
    expect((await authorizer.call(billing, 'POST /orders')).outcome).toBe('Allow');
    expect((await authorizer.call(billing, 'POST /orders/{orderId}/refunds')).outcome).toBe('403');
    const refunds = cognitoToken('refunds-service', cognitoGrant(clientScopes('refunds-service')));
    expect((await authorizer.call(refunds, 'POST /orders/{orderId}/refunds')).outcome).toBe('Allow');
    expect((await authorizer.call(refunds, 'POST /orders')).outcome).toBe('403');
  });

  it("a machine consumer cannot ask Cognito for another consumer's or an admin scope", () => {
    expect(() => cognitoGrant(clientScopes('billing'), 'api/refunds:write')).toThrow('invalid_scope');
    expect(() => cognitoGrant(clientScopes('billing'), 'api/orders:admin')).toThrow('invalid_scope');
  });

  it('a user outside the admins group who asks for scope=api/orders:admin gets a token that fails the admin operation', async () => {
    const scopes = await personScopes(['clerks'], 'openid api/orders:admin');
    expect(scopes).toEqual(['openid']);
    expect((await authorizer.call(cognitoToken('people', scopes), 'DELETE /orders/{orderId}')).outcome).toBe('403');
  });

  it('a user outside the admins group who asks for no scope gets only the clerks scopes, and fails the admin operation', async () => {
    const scopes = await personScopes(['clerks']);
    expect([...scopes].sort()).toEqual(['api/orders:read', 'api/orders:write', 'openid']);
    const token = cognitoToken('people', scopes);
    expect((await authorizer.call(token, 'POST /orders')).outcome).toBe('Allow');
    expect((await authorizer.call(token, 'DELETE /orders/{orderId}')).outcome).toBe('403');
  });

  it('a member of the admins group passes the admin operation', async () => {
    const scopes = await personScopes(['clerks', 'admins']);
    expect((await authorizer.call(cognitoToken('people', scopes), 'DELETE /orders/{orderId}')).outcome).toBe('Allow');
  });
});
