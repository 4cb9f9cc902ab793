import { httpsGetJson } from '../../../lambda/authorizer/jwks-store';
import { AuthorizerUnderTest, configFor } from './support/harness';
import { API_AUDIENCE, IdpCounts, makeKey, TestIdp, TestKey, trustForThisProcess } from './support/idp';
import { accessClaims, jws } from './support/tokens';

// How the handler keeps the IdP's keys: fetched once, refreshed on rotation within the cool-down,
// dropped when removed, kept while the IdP is down, never hammered, failing closed without keys.
// The key cache runs on a test clock; the IdP is real and answers (or not) over HTTPS.
let idp: TestIdp;
let untrust: () => void;
let rs1: TestKey;
let es1: TestKey;
let clock: number;

const SETTINGS = {
  maxAgeSeconds: 300,
  refetchCooldownSeconds: 10,
  maxStaleSeconds: 3600,
  // Generous, so a loaded test machine never turns a slow local IdP answer into a timeout; the hang test still proves the bound.
  fetchTimeoutMs: 2000,
  backoffBaseMs: 1000,
  backoffMaxMs: 8000,
};

beforeAll(async () => {
  idp = await TestIdp.start();
  [rs1, es1] = idp.keys;
  untrust = trustForThisProcess(idp);
});

afterAll(async () => {
  untrust?.();
  await idp?.stop();
});

beforeEach(async () => {
  clock = 1_000_000_000;
  await idp.setMode('up');
  await idp.publish([rs1, es1]);
  await idp.resetCounts();
});

function newAuthorizer(issuer: { jwksUri?: string; issuer?: string } = {}): AuthorizerUnderTest {
  return new AuthorizerUnderTest(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], ...issuer }, { jwks: SETTINGS }), undefined, {
    now: () => clock,
  });
}

function tokenSignedBy(key: TestKey, kid = key.kid): string {
  return jws({ alg: key.alg, kid, typ: 'at+jwt' }, accessClaims(idp.issuer, API_AUDIENCE), { key: key.privateKey, alg: key.alg });
}

async function counts(): Promise<IdpCounts> {
  return idp.counts();
}

describe('fetching', () => {
  it('shares one discovery and one JWKS fetch among concurrent requests of a cold start', async () => {
    const authorizer = newAuthorizer();
    const runs = await Promise.all(Array.from({ length: 20 }, () => authorizer.call(tokenSignedBy(es1))));
    expect(runs.map((r) => r.outcome)).toEqual(Array(20).fill('Allow'));
    expect(await counts()).toMatchObject({ discovery: 1, jwks: 1 });
  });

  it('uses a configured jwksUri without fetching discovery', async () => {
    const authorizer = newAuthorizer({ jwksUri: `${idp.issuer}/jwks` });
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    expect(await counts()).toMatchObject({ discovery: 0, jwks: 1 });
  });

  it('refuses a discovery document that names another issuer', async () => {
    // Configured with a trailing slash: the document at <issuer>/.well-known/... names the issuer without it.
    const authorizer = newAuthorizer({ issuer: `${idp.issuer}/` });
    const token = jws({ alg: 'RS256', kid: 'rs-1', typ: 'at+jwt' }, accessClaims(`${idp.issuer}/`, API_AUDIENCE), {
      key: rs1.privateKey,
      alg: 'RS256',
    });
    const run = await authorizer.call(token);
    expect([run.outcome, run.reasons]).toEqual(['401', ['jwks_unavailable']]);
    expect(await counts()).toMatchObject({ discovery: 1, jwks: 0 });
  });

  it('refuses an IdP whose TLS certificate this process does not trust', async () => {
    untrust();
    try {
      const errors: unknown[] = [];
      const getJson = (uri: string, timeout: number) =>
        httpsGetJson(uri, timeout).catch((e: unknown) => Promise.reject(errors.push(e) && e));
      const authorizer = new AuthorizerUnderTest(
        configFor({ issuer: idp.issuer, audience: [API_AUDIENCE] }, { jwks: SETTINGS }),
        undefined,
        { now: () => clock, getJson },
      );
      const run = await authorizer.call(tokenSignedBy(rs1));
      expect([run.outcome, run.reasons]).toEqual(['401', ['jwks_unavailable']]);
      expect(String(errors[0])).toMatch(/self[- ]signed certificate/);
    } finally {
      untrust = trustForThisProcess(idp);
    }
  });
});

describe('unknown kids and rotation', () => {
  it('refetches for unknown kids at most once per cool-down, however many arrive', async () => {
    const authorizer = newAuthorizer();
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    clock += 11_000;
    for (let i = 0; i < 50; i++) expect((await authorizer.call(tokenSignedBy(rs1, `random-${i}`))).reasons).toEqual(['kid_unknown']);
    expect((await counts()).jwks).toBe(2);
    clock += 5_000;
    await authorizer.call(tokenSignedBy(rs1, 'random-again'));
    expect((await counts()).jwks).toBe(2);
    clock += 5_000;
    await authorizer.call(tokenSignedBy(rs1, 'random-later'));
    expect((await counts()).jwks).toBe(3);
  });

  it('accepts a key added by rotation within one cool-down, and keeps accepting the previous key', async () => {
    const authorizer = newAuthorizer();
    expect((await authorizer.call(await idp.token('rs', 'orders:read'))).outcome).toBe('Allow');
    const rs2 = makeKey('rs-2', 'RS256');
    await idp.publish([rs2, rs1, es1]);
    const rotated = await idp.token('rs', 'orders:read');
    expect(JSON.parse(Buffer.from(rotated.split('.')[0], 'base64url').toString()).kid).toBe('rs-2');
    // Just after the last fetch, the cool-down holds the refetch back...
    expect((await authorizer.call(rotated)).reasons).toEqual(['kid_unknown']);
    // ...for at most refetchCooldownSeconds.
    clock += SETTINGS.refetchCooldownSeconds * 1000;
    expect((await authorizer.call(rotated)).outcome).toBe('Allow');
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    expect((await counts()).jwks).toBe(2);
  });

  it('stops accepting a key removed from the JWKS once the cached set is older than maxAge', async () => {
    const authorizer = newAuthorizer();
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    await idp.publish([makeKey('rs-2', 'RS256'), es1]);
    clock += (SETTINGS.maxAgeSeconds - 1) * 1000;
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    clock += 1000;
    const run = await authorizer.call(tokenSignedBy(rs1));
    expect([run.outcome, run.reasons]).toEqual(['401', ['kid_unknown']]);
    expect((await authorizer.call(tokenSignedBy(es1))).outcome).toBe('Allow');
  });
});

describe('an IdP that is down, hangs or fails', () => {
  it('keeps using the cached keys while the IdP is down, backs off, and fails closed after maxStale', async () => {
    const authorizer = newAuthorizer();
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    await idp.setMode('down');
    await idp.resetCounts();
    clock += SETTINGS.maxAgeSeconds * 1000;
    // The set is due for refresh; the refresh fails; the cached keys still serve.
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    expect((await counts()).connections).toBe(1);
    // Back-off: no new attempt before 1 s, then 2 s, then 4 s.
    for (const wait of [500, 500, 1000, 1000, 1000, 3000, 1000]) {
      clock += wait;
      expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    }
    expect((await counts()).connections).toBe(4);
    clock += SETTINGS.maxStaleSeconds * 1000;
    const run = await authorizer.call(tokenSignedBy(rs1));
    expect([run.outcome, run.reasons]).toEqual(['401', ['jwks_unavailable']]);
    // When the IdP is back, the next attempt after the back-off restores service.
    await idp.setMode('up');
    clock += SETTINGS.backoffMaxMs;
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
  });

  it('fails closed when no key is cached and the IdP is down, without retrying on every request', async () => {
    await idp.setMode('down');
    await idp.resetCounts();
    const authorizer = newAuthorizer();
    for (let i = 0; i < 10; i++) expect((await authorizer.call(tokenSignedBy(rs1))).reasons).toEqual(['jwks_unavailable']);
    expect((await counts()).connections).toBe(1);
  });

  it('bounds the wait on an IdP that accepts the connection and never answers', async () => {
    await idp.setMode('hang');
    const authorizer = newAuthorizer();
    let started = Date.now();
    expect((await authorizer.call(tokenSignedBy(rs1))).reasons).toEqual(['jwks_unavailable']);
    const firstWait = Date.now() - started;
    expect(firstWait).toBeGreaterThanOrEqual(SETTINGS.fetchTimeoutMs - 50);
    expect(firstWait).toBeLessThan(SETTINGS.fetchTimeoutMs + 1500);
    // In back-off the next requests fail closed at once.
    started = Date.now();
    expect((await authorizer.call(tokenSignedBy(rs1))).reasons).toEqual(['jwks_unavailable']);
    // Well under the fetch timeout: it did not try the IdP again.
    expect(Date.now() - started).toBeLessThan(SETTINGS.fetchTimeoutMs / 2);
    expect((await counts()).discovery).toBe(1);
  });

  it('backs off exponentially while the IdP answers 500, then recovers', async () => {
    await idp.setMode('error500');
    const authorizer = newAuthorizer();
    const attempts = async () => (await counts()).discovery;
    expect((await authorizer.call(tokenSignedBy(rs1))).reasons).toEqual(['jwks_unavailable']);
    expect(await attempts()).toBe(1);
    clock += 999;
    await authorizer.call(tokenSignedBy(rs1));
    expect(await attempts()).toBe(1);
    clock += 1;
    await authorizer.call(tokenSignedBy(rs1));
    expect(await attempts()).toBe(2);
    clock += 1999;
    await authorizer.call(tokenSignedBy(rs1));
    expect(await attempts()).toBe(2);
    clock += 1;
    await authorizer.call(tokenSignedBy(rs1));
    expect(await attempts()).toBe(3);
    await idp.setMode('up');
    clock += 4000;
    expect((await authorizer.call(tokenSignedBy(rs1))).outcome).toBe('Allow');
    expect(await counts()).toMatchObject({ discovery: 4, jwks: 1 });
  });
});
