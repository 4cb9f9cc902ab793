// The context keys the identity headers of HTTP backends are mapped from (contracts/caller-identity.ts): always
// present and never empty, because API Gateway skips a mapping with no value and the client's own header of that
// name would then reach the backend. What the backend gets when a claim is absent is '-'.
import { callerIdentityContext } from '../../../contracts/caller-identity';
import { AuthorizerUnderTest, configFor } from './support/harness';
import { API_AUDIENCE, makeKey, TestIdp, trustForThisProcess } from './support/idp';
import { accessClaims, jws } from './support/tokens';

let idp: TestIdp;
let untrust: () => void;

beforeAll(async () => {
  idp = await TestIdp.start();
  await idp.publish([makeKey('rs-1', 'RS256')]);
  untrust = trustForThisProcess(idp);
});

afterAll(async () => {
  untrust?.();
  await idp?.stop();
});

const token = (overrides: { [claim: string]: unknown }) =>
  jws({ alg: 'RS256', kid: 'rs-1', typ: 'at+jwt' }, accessClaims(idp.issuer, API_AUDIENCE, overrides), {
    key: idp.key('rs-1').privateKey,
    alg: 'RS256',
  });

async function contextFor(overrides: { [claim: string]: unknown }, config: Parameters<typeof configFor>[1] = {}) {
  // One operation that any valid token may call, so that a token without scopes is allowed.
  const authorizer = new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE] }, config), {
    routes: { 'GET /me': [] },
  });
  const run = await authorizer.call(token(overrides), 'GET /me');
  expect(run.outcome).toBe('Allow');
  return run.result!.context!;
}

describe('caller identity in the authorizer context', () => {
  it('carries sub, client id and the granted scopes for the identity headers', async () => {
    expect(await contextFor({ sub: 'user-1', client_id: 'app-1', scope: 'orders:read orders:write' })).toMatchObject({
      callerSub: 'user-1',
      callerClientId: 'app-1',
      callerScopes: 'orders:read orders:write',
    });
  });

  it("writes '-' for a token without client_id and without scopes: the backend gets '-', never the client's header", async () => {
    const context = await contextFor({ sub: 'user-1', client_id: undefined, scope: undefined });
    expect(context).toMatchObject({ callerSub: 'user-1', callerClientId: '-', callerScopes: '-' });
    // The older keys stay as they were for Lambda backends: client_id absent, scopes empty.
    expect(context.client_id).toBeUndefined();
    expect(context.scopes).toBe('');
  });

  it('uses the client id as subject when sub is not required and absent', async () => {
    const context = await contextFor({ sub: undefined, client_id: 'app-1' }, { requiredClaims: [] });
    expect(context).toMatchObject({ callerSub: 'app-1', callerClientId: 'app-1' });
  });

  it('cannot be replaced by a configured context claim of the same name (abuse case: a token claim named callerSub)', async () => {
    const context = await contextFor({ sub: 'user-1', callerSub: 'admin' }, { contextClaims: ['callerSub'] });
    expect(context.callerSub).toBe('user-1');
  });

  it('never leaves a value empty', () => {
    expect(callerIdentityContext('', '', [])).toEqual({ callerSub: '-', callerClientId: '-', callerScopes: '-' });
    expect(callerIdentityContext(undefined, undefined, [])).toEqual({ callerSub: '-', callerClientId: '-', callerScopes: '-' });
  });
});
