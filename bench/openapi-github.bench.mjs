#!/usr/bin/env node
// The OpenAPI pipeline (load + validate + analyze + emit) on GitHub's REST API description
// (13 MB, ~1,200 operations), side by side with @apidevtools/swagger-parser's dereference()
// of the same file. Every measurement runs in a fresh Node process, so each one pays for
// its own module loading, JIT warm-up and meta-schema compilation, and its peak RSS is its own.
//
//   npm ci --prefix bench            # installs @octokit/openapi (pinned in bench/package.json)
//   node bench/openapi-github.bench.mjs [--runs 5]   (or: npm run bench -- openapi-github --runs 5)
//
// The pipeline is bundled from lib/openapi with esbuild (dependencies stay external), so the
// benchmark runs the current TypeScript sources without a separate build step.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLibForBench, median } from './support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const documentFile = join(root, 'bench', 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--child-pipeline') await childPipeline(rest[0]);
else if (mode === '--child-dereference') await childDereference();
else await main();

async function main() {
  if (!existsSync(documentFile)) {
    console.error(`missing ${documentFile}\nrun: npm ci --prefix bench`);
    process.exit(1);
  }
  const runsIndex = process.argv.indexOf('--runs');
  const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 5;
  // Inside the repository (bench/results is git-ignored), so the bundle resolves its dependencies from node_modules.
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `openapi-pipeline-${process.pid}.cjs`);
  try {
    await bundleLibForBench(build, root, bundle, {
      stdin: {
        contents: "export * from './lib/openapi/index';\nexport { whyPathIsImpossible } from './lib/openapi/paths';\n",
        resolveDir: root,
        loader: 'ts',
      },
    });
    const pipeline = [];
    const dereference = [];
    for (let i = 0; i < runs; i++) {
      // Alternate, so both see the same machine load.
      dereference.push(runChild(['--child-dereference']));
      pipeline.push(runChild(['--child-pipeline', bundle]));
      process.stderr.write(`run ${i + 1}/${runs}: pipeline ${pipeline[i].totalMs} ms, dereference ${dereference[i].totalMs} ms\n`);
    }
    const p = summarize(pipeline);
    const d = summarize(dereference);
    const facts = pipeline[0];
    const ratio = (p.totalMs / d.totalMs).toFixed(2);
    console.log(
      `GitHub REST API description: ${(facts.documentBytes / 1e6).toFixed(1)} MB, ${facts.operations + facts.excluded.length} operations`,
    );
    console.log(`excluded (paths API Gateway cannot serve): ${facts.excluded.join(', ')}`);
    console.log(
      `analyzed: ${facts.operations} operations, ${facts.models} request models, ${facts.warnings} warnings; emitted body ${(facts.bodyBytes / 1e6).toFixed(2)} MB`,
    );
    console.log(`medians of ${runs} runs (Node ${process.version}, ${runs} fresh processes each):`);
    console.log('| step | median ms | peak RSS MB |');
    console.log('|---|---:|---:|');
    console.log(`| swagger-parser dereference() | ${d.totalMs} | ${d.peakRssMb} |`);
    console.log(`| pipeline: load + validate | ${p.loadMs} | |`);
    console.log(`| pipeline: analyze | ${p.analyzeMs} | |`);
    console.log(`| pipeline: emit | ${p.emitMs} | |`);
    console.log(`| pipeline total | ${p.totalMs} | ${p.peakRssMb} |`);
    console.log(`ratio pipeline / dereference: ${ratio} (target <= 2)`);
  } finally {
    rmSync(bundle, { force: true });
  }
}

function runChild(args) {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop());
}

function summarize(results) {
  const out = {};
  for (const key of ['totalMs', 'loadMs', 'analyzeMs', 'emitMs', 'peakRssMb']) {
    const values = results.map((r) => r[key]).filter((v) => v !== undefined);
    if (values.length > 0) out[key] = median(values);
  }
  return out;
}

function peakRssMb() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function childPipeline(bundle) {
  const require = createRequire(import.meta.url);
  const { OpenApi, analyzeDocument, emitApiGatewayBody, whyPathIsImpossible } = require(bundle);
  const { statSync } = await import('node:fs');
  const t0 = performance.now();
  const loaded = OpenApi.fromFile(documentFile).load();
  const t1 = performance.now();
  // The few operations whose paths API Gateway can never serve are left out knowingly.
  const excluded = [];
  for (const [path, item] of Object.entries(loaded.document.paths)) {
    if (whyPathIsImpossible(path) === undefined) continue;
    for (const operation of Object.values(item)) if (operation && operation.operationId) excluded.push(operation.operationId);
  }
  const analyzed = analyzeDocument(loaded, { excludeOperations: excluded });
  const t2 = performance.now();
  const integration = {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:backend/invocations',
  };
  const body = emitApiGatewayBody(analyzed, {
    integrations: Object.fromEntries(analyzed.operations.map((o) => [o.operationId, integration])),
  });
  const t3 = performance.now();
  const bodyBytes = JSON.stringify(body).length;
  console.log(
    JSON.stringify({
      totalMs: Math.round(t3 - t0),
      loadMs: Math.round(t1 - t0),
      analyzeMs: Math.round(t2 - t1),
      emitMs: Math.round(t3 - t2),
      peakRssMb: peakRssMb(),
      documentBytes: statSync(documentFile).size,
      operations: analyzed.operations.length,
      excluded,
      models: Object.keys(analyzed.models).length,
      warnings: analyzed.warnings.length,
      bodyBytes,
    }),
  );
}

async function childDereference() {
  const require = createRequire(join(root, 'package.json'));
  const SwaggerParser = require('@apidevtools/swagger-parser');
  const t0 = performance.now();
  await SwaggerParser.dereference(documentFile);
  const t1 = performance.now();
  console.log(JSON.stringify({ totalMs: Math.round(t1 - t0), peakRssMb: peakRssMb() }));
}
