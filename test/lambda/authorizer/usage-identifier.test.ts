import { UsageIdentifierMapping } from '../../../contracts/api-keys';
import { AuthorizerUnderTest, configFor, ordersScopeMap, requestEvent } from './support/harness';
import { API_AUDIENCE, makeKey } from './support/idp';
import { accessClaims, jws } from './support/tokens';

// ApiKeySource.authorizer() (lib/keys): the authorizer returns the consumer's current API key as
// usageIdentifierKey, found through the token's client_id. Secrets Manager is modelled in memory;
// the key set is served from memory (the real IdP is exercised by the other files).
const ISSUER = 'https://idp.example.com';
const key = makeKey('es-1', 'ES256');
const ARNS: { [clientId: string]: string } = {
  'partner-app': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:partner',
  'new-app': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:new',
};
const mapping: UsageIdentifierMapping = {
  claim: 'client_id',
  consumers: Object.entries(ARNS).map(([claimValue, secretArn]) => ({ issuer: ISSUER, claimValue, secretArn })),
};

let secrets: Map<string, string>;
let reads: string[];
let failing: boolean;
let clock: number;

function authorizer(): AuthorizerUnderTest {
  const getJson = async (uri: string) =>
    uri.endsWith('/.well-known/openid-configuration') ? { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } : { keys: [key.publicJwk] };
  const readSecret = async (arn: string) => {
    reads.push(arn);
    if (failing) throw new Error('ThrottlingException');
    return secrets.get(arn);
  };
  return new AuthorizerUnderTest(configFor({ issuer: ISSUER, audience: [API_AUDIENCE] }), undefined, {
    getJson,
    readSecret,
    usageIdentifiers: mapping,
    now: () => clock,
  });
}

function token(clientId: string, scope = 'orders:read'): string {
  return jws(
    { alg: 'ES256', kid: 'es-1', typ: 'at+jwt' },
    accessClaims(ISSUER, API_AUDIENCE, { client_id: clientId, sub: clientId, scope }),
    { key: key.privateKey, alg: 'ES256' },
  );
}

beforeEach(() => {
  clock = 1_000_000;
  reads = [];
  failing = false;
  secrets = new Map([
    [ARNS['partner-app'], JSON.stringify({ consumerId: 'partner', apiKey: 'PartnerKeyValue0123456789abcdefghijklmn' })],
    // A consumer whose first rotation has not run yet: CloudFormation's placeholder has no apiKey.
    [ARNS['new-app'], JSON.stringify({ consumerId: 'new' })],
  ]);
});

it("returns the consumer's current key as usageIdentifierKey for its client_id", async () => {
  const run = await authorizer().call(token('partner-app'));
  expect(run.outcome).toBe('Allow');
  expect(run.result!.usageIdentifierKey).toBe('PartnerKeyValue0123456789abcdefghijklmn');
});

it('returns no key for a client that is no consumer, nor for one whose secret holds no key yet', async () => {
  const a = authorizer();
  expect((await a.call(token('stranger'))).result!.usageIdentifierKey).toBeUndefined();
  expect((await a.call(token('new-app'))).result!.usageIdentifierKey).toBeUndefined();
  expect((await a.call(token('__proto__'))).result!.usageIdentifierKey).toBeUndefined();
  expect(reads).toEqual([ARNS['new-app']]);
});

it('returns no key with a Deny, and reads no secret for it', async () => {
  const run = await authorizer().call(token('partner-app', 'files:read'), 'POST /orders');
  expect(run.outcome).toBe('403');
  expect(run.result!.usageIdentifierKey).toBeUndefined();
  expect(reads).toEqual([]);
});

it('reads each secret at most once a minute', async () => {
  const a = authorizer();
  for (let i = 0; i < 5; i++) await a.call(token('partner-app'));
  expect(reads).toHaveLength(1);
  clock += 60_000;
  secrets.set(ARNS['partner-app'], JSON.stringify({ consumerId: 'partner', apiKey: 'RotatedKeyValue0123456789abcdefghijklmn' }));
  expect((await a.call(token('partner-app'))).result!.usageIdentifierKey).toBe('RotatedKeyValue0123456789abcdefghijklmn');
  expect(reads).toHaveLength(2);
});

it('answers without a key while Secrets Manager fails, and retries after five seconds', async () => {
  const a = authorizer();
  failing = true;
  const run = await a.call(token('partner-app'));
  expect([run.outcome, run.result!.usageIdentifierKey]).toEqual(['Allow', undefined]);
  failing = false;
  clock += 4_999;
  expect((await a.call(token('partner-app'))).result!.usageIdentifierKey).toBeUndefined();
  clock += 1;
  expect((await a.call(token('partner-app'))).result!.usageIdentifierKey).toBe('PartnerKeyValue0123456789abcdefghijklmn');
  expect(reads).toHaveLength(2);
});

it('never puts the key value in a log line', async () => {
  const a = authorizer();
  await a.call(token('partner-app'));
  await a.call(token('partner-app', 'files:read'), 'POST /orders');
  for (const line of a.lines) expect(line).not.toContain('PartnerKeyValue');
});

it('returns no usageIdentifierKey to an anonymous caller of an optional route: there is no consumer to take a key from', async () => {
  const routes = ordersScopeMap();
  // The route the other tests call with an orders:read token, made optional.
  const optional = 'GET /orders/{orderId}';
  expect(routes.routes[optional]).toBeDefined();
  const getJson = async (uri: string) =>
    uri.endsWith('/.well-known/openid-configuration') ? { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } : { keys: [key.publicJwk] };
  const a = new AuthorizerUnderTest(
    configFor({ issuer: ISSUER, audience: [API_AUDIENCE] }),
    { ...routes, anonymous: [optional] },
    {
      getJson,
      readSecret: async (arn: string) => secrets.get(arn),
      usageIdentifiers: mapping,
      now: () => clock,
    },
  );
  const run = await a.run(requestEvent(undefined, optional));
  expect(run.outcome).toBe('Allow');
  expect(run.result!.principalId).toBe('anonymous');
  expect(run.result!.usageIdentifierKey).toBeUndefined();
  // The same route with a consumer's token gets its key: only the anonymous answer lacks one (lib/keys refuses that at synth).
  const withToken = await a.run(requestEvent(`Bearer ${token('partner-app')}`, optional));
  expect([withToken.outcome, withToken.result!.usageIdentifierKey]).toEqual(['Allow', 'PartnerKeyValue0123456789abcdefghijklmn']);
});
