#!/usr/bin/env node
// The ip-blocker's benchmarks (results: BENCHMARKS.md, "WAF and automatic blocking"):
//   1. the bundle: bytes and gzip of assets/lambda/ip-blocker/index.js, and what it would be with the
//      AWS SDK left to the Lambda runtime (external);
//   2. cold start: a fresh Node process requires the bundle (median of --runs processes);
//   3. one delivery: decode + parse + classify + count + plan, with in-memory WAF and DynamoDB
//      stand-ins, for deliveries of 1,000 and 10,000 events (median of --rounds).
//
//   npm run build:lambda && node bench/ip-blocker.bench.mjs [--runs 15] [--rounds 9]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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
const size = (file) => ({ bytes: readFileSync(file).length, gzip: gzipSync(readFileSync(file)).length });

const work = mkdtempSync(join(tmpdir(), 'secureapi-ip-blocker-bench-'));
const options = { ...lambdaBundleOptions(root), logLevel: 'error' };
const asset = join(root, 'assets', 'lambda', 'ip-blocker', 'index.js');
const sdkExternal = join(work, 'external', 'index.js');
await build({ ...options, entryPoints: ['lambda/ip-blocker/index.ts'], outfile: sdkExternal, external: ['@aws-sdk/*'] });
const entry = join(work, 'entry', 'index.js');
await build({ ...options, minify: false, entryPoints: ['bench/ip-blocker-entry.ts'], outfile: entry });

console.log('bundle (as shipped):', size(asset));
console.log('bundle (AWS SDK external):', size(sdkExternal));

const coldStarts = [];
for (let i = 0; i < RUNS; i++) {
  const run = spawnSync(
    process.execPath,
    ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(asset)});console.log(Number(process.hrtime.bigint()-t)/1e6)`],
    { encoding: 'utf8' },
  );
  coldStarts.push(Number(run.stdout.trim()));
}
console.log(`cold require of the bundle: median ${median(coldStarts).toFixed(1)} ms over ${RUNS} processes`);

const { makeDelivery, processOnce } = createRequire(import.meta.url)(entry);
for (const [events, clients] of [
  [1000, 100],
  [10000, 1000],
]) {
  const data = makeDelivery(events, clients);
  await processOnce(data); // warm-up
  const times = [];
  let last;
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    last = await processOnce(data);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(
    `delivery of ${events} events (${clients} clients, ${last.failures} failures, ${last.blocked} blocked; ${(data.length / 1024).toFixed(0)} KB base64): median ${median(times).toFixed(1)} ms`,
  );
}
