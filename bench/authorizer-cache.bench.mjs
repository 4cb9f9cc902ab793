#!/usr/bin/env node
// The authorizer cache key, side by side in one run (results: BENCHMARKS.md, "Authorizer cache key"):
// per client session (one token calls every protected route once, then every route again within the
// TTL), how many times API Gateway invokes the authorizer and how much authorizer time the session adds,
// with today's key (token, method, resource path) against the token-keyed cache where the synth-time
// proof allows it; and the policy sizes. APIs: a 10-route API (one public), a 100-route API, and GitHub's
// REST API description (1,222 operations, @octokit/openapi as bench/openapi-github.bench.mjs reads it)
// with scope requirements per tag (`<tag>:read` for GET, `<tag>:write` otherwise, `admin` for admin paths).
//
// The plan is lib/auth/cache-proof.ts (what synth computes); the handler is lambda/authorizer, in this
// process with its key set cached, so the latency is the handler's own (no Lambda or network overhead).
//
//   npm ci --prefix bench      # for the GitHub document
//   node bench/authorizer-cache.bench.mjs [--sessions 5]
import { build } from 'esbuild';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLibForBench, median, numberFlag } from './support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SESSIONS = numberFlag('sessions', 5);
const githubFile = join(root, 'bench', 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');

const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const bundle = join(dir, `authorizer-cache-${process.pid}.cjs`);
await bundleLibForBench(build, root, bundle, {
  stdin: {
    contents: [
      "export { planAuthorizerCache, policySize } from './lib/auth/cache-proof';",
      "export { requirementKey, methodArnPattern } from './contracts/authorizer-cache';",
      "export { createAuthorizer } from './lambda/authorizer/authorizer';",
      "export { whyPathIsImpossible } from './lib/openapi/paths';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
});
const lib = createRequire(import.meta.url)(bundle);
rmSync(bundle);

const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'https://api.example.com';
const PREFIX = 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/v1';
// The construct's budget and ARN prefix bound (lib/auth/auth.ts) for the default stage name 'v1'.
const BUDGET = 8192;
const ARN_PREFIX_BYTES = 'arn:'.length + 'aws-us-gov'.length + ':execute-api:'.length + 16 + 1 + 12 + 1 + 10 + 1 + 'v1'.length + 1;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const jwk = { ...createPublicKey(key).export({ format: 'jwk' }), kid: 'es-1', alg: 'ES256', use: 'sig' };
const getJson = async (uri) =>
  uri.endsWith('/.well-known/openid-configuration') ? { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } : { keys: [jwk] };
const config = {
  issuers: [{ issuer: ISSUER, audience: [AUDIENCE] }],
  algorithms: ['ES256'],
  requiredClaims: ['sub'],
  clockToleranceSeconds: 30,
  maxTokenLength: 8192,
  scopeClaim: 'scope',
  contextClaims: [],
  jwks: {
    maxAgeSeconds: 600,
    refetchCooldownSeconds: 10,
    maxStaleSeconds: 86400,
    fetchTimeoutMs: 1500,
    backoffBaseMs: 1000,
    backoffMaxMs: 60000,
  },
};
let serial = 0;
function token(scopes) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt' })}.${b64({ iss: ISSUER, sub: `client-${++serial}`, aud: AUDIENCE, iat: now, exp: now + 3600, client_id: 'bench', scope: scopes.join(' ') })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** `METHOD /path` → scopes (`[]`: public), for a CRUD API of `resources` resources (5 routes each). */
function crudApi(resources, withPublic) {
  const routes = {};
  for (let i = 0; i < resources; i++) {
    routes[`GET /res${i}`] = [`res${i}:read`];
    routes[`POST /res${i}`] = [`res${i}:write`];
    routes[`GET /res${i}/{id}`] = [`res${i}:read`];
    routes[`PUT /res${i}/{id}`] = [`res${i}:write`];
    routes[`DELETE /res${i}/{id}`] = ['admin'];
  }
  if (withPublic) {
    delete routes[`DELETE /res${resources - 1}/{id}`];
    routes['GET /health'] = null;
  }
  return routes;
}

function githubApi() {
  const document = JSON.parse(readFileSync(githubFile, 'utf8'));
  const routes = {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (lib.whyPathIsImpossible(path) !== undefined) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method) || !operation?.operationId) continue;
      const tag = (operation.tags?.[0] ?? path.split('/')[1]).replace(/[^a-z0-9-]/gi, '');
      routes[`${method.toUpperCase()} ${path}`] =
        /admin/.test(path) || tag.includes('admin') ? ['admin'] : [`${tag}:${method === 'get' || method === 'head' ? 'read' : 'write'}`];
    }
  }
  return routes;
}

/** A realistic client: read on most tags, write on a few, never admin. */
function clientScopes(routes) {
  const tags = [
    ...new Set(
      Object.values(routes)
        .flatMap((s) => s ?? [])
        .filter((s) => s !== 'admin')
        .map((s) => s.split(':')[0]),
    ),
  ].sort();
  return tags.flatMap((tag, i) => [`${tag}:read`, ...(i % 3 === 0 ? [`${tag}:write`] : [])]);
}

function concrete(routeKey) {
  const [method, path] = [routeKey.slice(0, routeKey.indexOf(' ')), routeKey.slice(routeKey.indexOf(' ') + 1)];
  return { method, resource: path, path: path.replace(/\{[^}]+\}/g, 'v1') };
}

/** One session: every protected route once, then again, with today's key or the planned one. */
async function session(handler, routeKeys, tokenKeyed, tokenValue) {
  const cache = new Set();
  const latencies = [];
  const sizes = [];
  for (let round = 0; round < 2; round++) {
    for (const routeKey of routeKeys) {
      const { method, resource, path } = concrete(routeKey);
      const cacheKey = tokenKeyed.has(routeKey) ? 'token' : routeKey;
      if (cache.has(cacheKey)) continue;
      cache.add(cacheKey);
      const event = {
        type: 'REQUEST',
        methodArn: `${PREFIX}/${method}${path}`,
        resource,
        path,
        httpMethod: method,
        headers: { Authorization: `Bearer ${tokenValue}` },
        multiValueHeaders: { Authorization: [`Bearer ${tokenValue}`] },
        requestContext: { requestId: 'bench', resourcePath: resource, httpMethod: method, stage: 'v1' },
      };
      const t0 = process.hrtime.bigint();
      const result = await handler(event);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      sizes.push(Buffer.byteLength(JSON.stringify(result.policyDocument)));
    }
  }
  return { invocations: latencies.length, ms: latencies.reduce((a, b) => a + b, 0), maxPolicy: Math.max(...sizes) };
}

async function measure(name, routes) {
  const protectedRoutes = Object.fromEntries(
    Object.entries(routes)
      .filter(([, s]) => s !== null)
      .map(([k, s]) => [k, [s]]),
  );
  const routeKeys = Object.keys(protectedRoutes).sort();
  const map = { routes: protectedRoutes };
  const t0 = performance.now();
  const plan = lib.planAuthorizerCache(
    routeKeys.map((k) => ({ key: k, label: k, requirement: lib.requirementKey(map, k) })),
    { budgetBytes: BUDGET, arnPrefixBytes: ARN_PREFIX_BYTES },
  );
  const proofMs = performance.now() - t0;
  const scopes = clientScopes(routes);
  const silent = () => undefined;
  const results = { old: [], new: [] };
  for (let i = 0; i < SESSIONS; i++) {
    // A fresh handler per session and key (a cold memo), warmed by one token of other scopes (key set cached).
    for (const [mode, tokenKeyedRoutes] of [
      ['old', []],
      ['new', plan.tokenKeyed],
    ]) {
      const handler = lib.createAuthorizer(
        config,
        { ...map, tokenKeyed: tokenKeyedRoutes.length > 0 ? tokenKeyedRoutes : undefined },
        { getJson, write: silent },
      );
      await session(handler, routeKeys.slice(0, 1), new Set(), token(['warm-up']));
      results[mode].push(await session(handler, routeKeys, new Set(tokenKeyedRoutes), token(scopes)));
    }
  }
  const summary = (runs) => ({
    invocations: runs[0].invocations,
    ms: median(runs.map((r) => r.ms)),
    maxPolicy: Math.max(...runs.map((r) => r.maxPolicy)),
  });
  return {
    name,
    routes: Object.keys(routes).length,
    protectedCount: routeKeys.length,
    plan,
    proofMs,
    old: summary(results.old),
    new: summary(results.new),
    scopes: scopes.length,
  };
}

const apis = [
  ['10 routes (1 public)', crudApi(2, true)],
  ['100 routes', crudApi(20, false)],
];
if (existsSync(githubFile)) apis.push(['GitHub REST API', githubApi()]);
else console.error(`note: ${githubFile} is missing (npm ci --prefix bench); skipping the GitHub document`);

const rows = [];
for (const [name, routes] of apis) rows.push(await measure(name, routes));

console.log(`Sessions per API: ${SESSIONS} (medians); Node ${process.version}; handler in-process, key set cached.`);
console.log('');
console.log(
  '| API | protected routes | token-keyed | invocations per session: today / token-keyed | authorizer ms per session: today / token-keyed | largest policy this session: today / token-keyed | worst-case policy bound | proof at synth |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.protectedCount} | ${r.plan.tokenKeyed.length} | ${r.old.invocations} / ${r.new.invocations} | ${r.old.ms.toFixed(1)} / ${r.new.ms.toFixed(1)} | ${r.old.maxPolicy} B / ${r.new.maxPolicy} B | ${r.plan.worstCasePolicyBytes} B | ${r.proofMs.toFixed(0)} ms |`,
  );
}
console.log('');
for (const r of rows) {
  const reasons = new Map();
  for (const p of r.plan.perRoute)
    reasons.set(
      p.reason.startsWith('the worst-case') ? 'budget' : 'overlap',
      (reasons.get(p.reason.startsWith('the worst-case') ? 'budget' : 'overlap') ?? 0) + 1,
    );
  console.log(
    `${r.name}: per-route ${r.plan.perRoute.length} (overlap ${reasons.get('overlap') ?? 0}, budget ${reasons.get('budget') ?? 0}); client scopes ${r.scopes}`,
  );
}
