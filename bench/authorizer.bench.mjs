#!/usr/bin/env node
// The JWT authorizer's benchmarks, side by side in one run (results: BENCHMARKS.md, "JWT authorizer"):
//   1. throughput of the whole handler (event -> gate -> verify -> claims -> scope map -> policy) with the
//      JWKS cached, RS256 and ES256, as a ratio to raw node:crypto verify of the same token, next to the
//      same handler written with bare aws-jwt-verify;
//   2. the minified bundle size of both (the esbuild options of scripts/bundle-lambdas.mjs);
//   3. cold start: a fresh Node process requires the bundle and verifies its first token, fetching the
//      JWKS over HTTPS from 127.0.0.1; medians over --runs processes (default 15) of each handler.
//
//   node bench/authorizer.bench.mjs [--runs 15] [--rounds 9]
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { lambdaBundleOptions } from '../scripts/lambda-bundle-options.mjs';
import { median, numberFlag } from './support.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');
const RUNS = numberFlag('runs', 15);
const ROUNDS = numberFlag('rounds', 9);

// 1. The two bundles, built with the options of scripts/bundle-lambdas.mjs.
const work = mkdtempSync(join(tmpdir(), 'secureapi-authorizer-bench-'));
const buildOptions = { ...lambdaBundleOptions(root), logLevel: 'error' };
const bundles = {
  secureapi: join(work, 'secureapi', 'index.js'),
  bare: join(work, 'bare', 'index.js'),
};
await build({ ...buildOptions, entryPoints: ['lambda/authorizer/index.ts'], outfile: bundles.secureapi });
await build({ ...buildOptions, entryPoints: ['bench/authorizer-bare-handler.ts'], outfile: bundles.bare });
const assetBundle = join(root, 'assets', 'lambda', 'authorizer', 'index.js');
if (existsSync(assetBundle) && readFileSync(assetBundle, 'utf8') !== readFileSync(bundles.secureapi, 'utf8')) {
  console.warn('note: assets/lambda/authorizer/index.js differs from this build; run npm run build:lambda');
}
const size = (file) => ({ bytes: readFileSync(file).length, gzip: gzipSync(readFileSync(file)).length });

// 2. A local HTTPS IdP: discovery and the JWKS, with a throwaway certificate.
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(work, 'key.pem'),
    '-out',
    join(work, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ],
  { stdio: 'ignore' },
);
const keys = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
};
const jwks = {
  keys: Object.entries(keys).map(([alg, key]) => ({ ...createPublicKey(key).export({ format: 'jwk' }), kid: `${alg}-1`, alg, use: 'sig' })),
};
let issuer;
const server = https.createServer({ key: readFileSync(join(work, 'key.pem')), cert: readFileSync(join(work, 'cert.pem')) }, (req, res) => {
  if (req.url === '/.well-known/openid-configuration')
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
  else if (req.url === '/jwks') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  else res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
issuer = `https://127.0.0.1:${server.address().port}`;
const AUDIENCE = 'https://orders.example.com';

// 3. Tokens and the event.
const b64 = (value) => Buffer.from(value).toString('base64url');
const tokens = {};
for (const alg of Object.keys(keys)) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64(JSON.stringify({ alg, kid: `${alg}-1`, typ: 'at+jwt' }))}.${b64(
    JSON.stringify({
      iss: issuer,
      sub: 'client-7',
      aud: AUDIENCE,
      iat: now,
      exp: now + 3600,
      jti: 'a4e7c5d2-benchmark',
      client_id: 'client-7',
      scope: 'orders:read orders:write',
    }),
  )}`;
  tokens[alg] =
    `${input}.${sign('sha256', Buffer.from(input), alg === 'ES256' ? { key: keys[alg], dsaEncoding: 'ieee-p1363' } : keys[alg]).toString('base64url')}`;
}
const event = (token) => ({
  type: 'REQUEST',
  methodArn: 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders/42',
  resource: '/orders/{orderId}',
  path: '/orders/42',
  httpMethod: 'GET',
  headers: { Authorization: `Bearer ${token}`, Host: 'api.example.com', 'User-Agent': 'bench' },
  multiValueHeaders: { Authorization: [`Bearer ${token}`], Host: ['api.example.com'], 'User-Agent': ['bench'] },
  requestContext: { requestId: 'bench', resourcePath: '/orders/{orderId}', httpMethod: 'GET', stage: 'prod' },
});

// The environment each handler reads, as the construct (or a user of bare aws-jwt-verify) would set it.
const routesFile = join(work, 'routes.json');
writeFileSync(routesFile, JSON.stringify({ routes: { 'GET /orders/{orderId}': [['orders:read']] } }));
const secureapiConfig = (discovery) => ({
  issuers: [{ issuer, ...(discovery ? {} : { jwksUri: `${issuer}/jwks` }), audience: [AUDIENCE], tokenTypes: ['at+jwt'] }],
  algorithms: ['RS256', 'ES256'],
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
});
const environments = {
  secureapi: {
    SECUREAPI_AUTHORIZER_CONFIG: JSON.stringify(secureapiConfig(false)),
    SECUREAPI_AUTHORIZER_ROUTES_FILE: routesFile,
    AUTHORIZER_METRIC_API_NAME: 'bench',
  },
  'secureapi (discovery)': {
    SECUREAPI_AUTHORIZER_CONFIG: JSON.stringify(secureapiConfig(true)),
    SECUREAPI_AUTHORIZER_ROUTES_FILE: routesFile,
    AUTHORIZER_METRIC_API_NAME: 'bench',
  },
  bare: { BARE_ISSUER: issuer, BARE_AUDIENCE: AUDIENCE, BARE_JWKS_URI: `${issuer}/jwks` },
};

// 4. Throughput, in this process: the CA trusted through the global agent, both handlers warmed once.
https.globalAgent.options.ca = readFileSync(join(work, 'cert.pem'), 'utf8');
Object.assign(process.env, environments.secureapi, environments.bare);
const load = createRequire(import.meta.url);
const { verifyJwtSync } = load('aws-jwt-verify/jwt-verifier');
const handlers = { secureapi: load(bundles.secureapi).handler, bare: load(bundles.bare).handler };
for (const [name, handler] of Object.entries(handlers)) {
  for (const token of Object.values(tokens)) {
    const result = await handler(event(token));
    if (result.policyDocument.Statement[0].Effect !== 'Allow') throw new Error(`${name} did not allow the benchmark token`);
  }
}

async function timeAsync(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / iterations / 1000;
}

const throughput = {};
for (const [alg, token] of Object.entries(tokens)) {
  const publicKey = createPublicKey(keys[alg]);
  const publicJwk = jwks.keys.find((k) => k.alg === alg);
  const verifyKey = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey;
  // The event is built once: API Gateway hands it over ready-made.
  const ready = event(token);
  const contenders = {
    // The least any verifier does for this token: split it, decode the signature, one crypto.verify.
    'raw crypto.verify': async () => {
      const dot = token.lastIndexOf('.');
      if (!verify('sha256', Buffer.from(token.slice(0, dot)), verifyKey, Buffer.from(token.slice(dot + 1), 'base64url')))
        throw new Error('raw verify failed');
    },
    // The floor for any handler built on aws-jwt-verify: its synchronous verify with the key object at hand.
    'verifyJwtSync alone': async () => verifyJwtSync(token, publicJwk, { issuer, audience: AUDIENCE }, () => publicKey),
    secureapi: () => handlers.secureapi(ready),
    'bare aws-jwt-verify': () => handlers.bare(ready),
  };
  const iterations = alg === 'RS256' ? 4000 : 1500;
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (const fn of Object.values(contenders)) await timeAsync(fn, iterations); // JIT warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const names = Object.keys(contenders);
    // Rotate the order each round, so drift in the machine's load does not favour one contender.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      samples[name].push(await timeAsync(contenders[name], iterations));
    }
  }
  throughput[alg] = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

// 5. Cold starts, each in a fresh process trusting the IdP through NODE_EXTRA_CA_CERTS.
function coldStart(bundle, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(benchDir, 'authorizer-cold-start.cjs'), bundle], {
      env: {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: join(work, 'cert.pem'),
        BENCH_EVENT: JSON.stringify(event(tokens.ES256)),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', () => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = out.split('\n').find((l) => l.startsWith('{"effect"') || l.startsWith('{"error"'));
      const result = line === undefined ? { error: out } : JSON.parse(line);
      if (result.effect !== 'Allow') reject(new Error(`cold start failed: ${JSON.stringify(result)}`));
      else resolve({ ...result, wallMs });
    });
  });
}
const coldContenders = {
  secureapi: [bundles.secureapi, environments.secureapi],
  'secureapi (discovery)': [bundles.secureapi, environments['secureapi (discovery)']],
  bare: [bundles.bare, environments.bare],
};
const cold = Object.fromEntries(Object.keys(coldContenders).map((name) => [name, []]));
for (let run = 0; run < RUNS; run++) {
  const names = Object.keys(coldContenders);
  for (let k = 0; k < names.length; k++) {
    const name = names[(run + k) % names.length];
    cold[name].push(await coldStart(...coldContenders[name]));
  }
}
const sizes = { secureapi: size(bundles.secureapi), bare: size(bundles.bare) };
server.close();
rmSync(work, { recursive: true, force: true });

// 6. Report.
const fmt = (n, digits = 1) => n.toFixed(digits);
const lines = [];
lines.push(
  `Node ${process.version}, ${ROUNDS} rounds (throughput), ${RUNS} processes per handler (cold start), load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`,
);
lines.push(
  '',
  '| throughput, JWKS cached | raw crypto.verify µs/op | SecureApi handler µs/op | ratio raw/SecureApi | bare aws-jwt-verify handler µs/op | ratio raw/bare | verifyJwtSync alone µs/op | ratio raw/verifyJwtSync |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
);
for (const [alg, t] of Object.entries(throughput)) {
  const raw = t['raw crypto.verify'];
  lines.push(
    `| ${alg} | ${fmt(raw)} | ${fmt(t.secureapi)} | **${fmt(raw / t.secureapi, 2)}** | ${fmt(t['bare aws-jwt-verify'])} | ${fmt(raw / t['bare aws-jwt-verify'], 2)} | ${fmt(t['verifyJwtSync alone'])} | ${fmt(raw / t['verifyJwtSync alone'], 2)} |`,
  );
}
lines.push('', '| minified bundle | bytes | KiB | gzip bytes |', '|---|---:|---:|---:|');
lines.push(`| SecureApi authorizer | ${sizes.secureapi.bytes} | ${fmt(sizes.secureapi.bytes / 1024)} | ${sizes.secureapi.gzip} |`);
lines.push(`| bare aws-jwt-verify handler | ${sizes.bare.bytes} | ${fmt(sizes.bare.bytes / 1024)} | ${sizes.bare.gzip} |`);
lines.push(
  '',
  '| cold start (median) | require ms | first verification incl. JWKS fetch ms | require + first ms | whole process wall ms |',
  '|---|---:|---:|---:|---:|',
);
for (const [name, runs] of Object.entries(cold)) {
  lines.push(
    `| ${name} | ${fmt(median(runs.map((r) => r.requireMs)))} | ${fmt(median(runs.map((r) => r.firstMs)))} | ${fmt(median(runs.map((r) => r.totalMs)))} | ${fmt(median(runs.map((r) => r.wallMs)), 0)} |`,
  );
}
console.log(lines.join('\n'));
mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'authorizer.json'), JSON.stringify({ node: process.version, throughput, sizes, cold }, null, 1));
