#!/usr/bin/env node
// The API documentation concern (lib/docs): sanitizing and checking each document of the test
// corpus (test/fixtures/corpus.ts, from pinned devDependencies), the size of the docs function's asset, and the handler's cold start.
//
//   node bench/docs.bench.mjs [--runs 7]   (or: npm run bench -- docs --runs 7)
//
// lib/docs is bundled with esbuild (dependencies external), so the current TypeScript sources run
// without a build step. Run `npm run build:lambda` first: the asset holds the bundled handler.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLibForBench, median } from './support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 7;

if (process.argv[2] === '--child-cold-start') {
  await coldStart(process.argv[3]);
} else {
  await main();
}

async function main() {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `docs-${process.pid}.cjs`);
  try {
    await bundleLibForBench(build, root, bundle, {
      stdin: {
        contents: [
          "export { sanitizeDocument } from './lib/docs/sanitize';",
          "export { findSensitiveValues } from './lib/docs/sensitive-values';",
          "export { docsStaticFiles, writeDocsAsset } from './lib/docs/docs-asset';",
          "export { loadDocumentFile } from './lib/openapi/load';",
          "export { CORPUS } from './test/fixtures/corpus';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
    });
    const lib = createRequire(import.meta.url)(bundle);

    console.log(`| document | bytes | operations | sanitize ms | check ms |`);
    console.log(`|---|---:|---:|---:|---:|`);
    // The bundle's __dirname is not the repository's, so the corpus paths are resolved here.
    const specFile = (name) => join(root, 'node_modules', ...lib.CORPUS[name].package.split('/'), ...lib.CORPUS[name].file.split('/'));
    for (const file of Object.keys(lib.CORPUS).sort()) {
      const document = lib.loadDocumentFile(specFile(file)).document;
      const sanitizeMs = [];
      const checkMs = [];
      let result;
      for (let i = 0; i < runs; i++) {
        let t = process.hrtime.bigint();
        result = lib.sanitizeDocument(document, { publicUrl: 'https://api.example.com' });
        sanitizeMs.push(Number(process.hrtime.bigint() - t) / 1e6);
        t = process.hrtime.bigint();
        lib.findSensitiveValues(result.document);
        checkMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      const operations = Object.values(result.document.paths ?? {}).reduce(
        (n, item) => n + Object.keys(item).filter((k) => /^(get|put|post|delete|options|head|patch|trace)$/.test(k)).length,
        0,
      );
      console.log(
        `| ${file} | ${statSync(specFile(file)).size} | ${operations} | ${median(sanitizeMs).toFixed(1)} | ${median(checkMs).toFixed(1)} |`,
      );
    }

    // The asset of the Swagger petstore's docs, and a cold start of its handler in fresh processes.
    const petstore = lib.sanitizeDocument(lib.loadDocumentFile(specFile('petstore.yaml')).document, {}).document;
    const asset = lib.writeDocsAsset(join(root, 'assets', 'lambda', 'docs'), lib.docsStaticFiles(petstore));
    const zip = join(dir, `docs-asset-${process.pid}.zip`);
    execFileSync('zip', ['-qrX', zip, '.'], { cwd: asset });
    console.log(
      `\nasset: ${(directorySize(asset) / 1e6).toFixed(2)} MB on disk, ${(statSync(zip).size / 1e6).toFixed(2)} MB zipped; handler bundle ${statSync(join(asset, 'index.js')).size} bytes`,
    );
    rmSync(zip);
    const cold = [];
    for (let i = 0; i < runs; i++)
      cold.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child-cold-start', asset]).toString()));
    console.log(
      `cold start (require + first page): median ${median(cold.map((c) => c.firstPageMs)).toFixed(1)} ms; first document: ${median(cold.map((c) => c.documentMs)).toFixed(2)} ms; cached document: ${median(cold.map((c) => c.cachedMs)).toFixed(3)} ms`,
    );
  } finally {
    rmSync(bundle, { force: true });
  }
}

async function coldStart(asset) {
  const event = (file) => ({
    httpMethod: 'GET',
    resource: file ? '/docs/{file}' : '/docs',
    path: file ? `/docs/${file}` : '/docs',
    pathParameters: file ? { file } : null,
    headers: {},
    requestContext: {
      domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
      path: `/prod/docs${file ? `/${file}` : ''}`,
      resourcePath: file ? '/docs/{file}' : '/docs',
      requestId: 'r',
    },
  });
  const t0 = process.hrtime.bigint();
  const { handler } = createRequire(import.meta.url)(join(asset, 'index.js'));
  await handler(event());
  const t1 = process.hrtime.bigint();
  await handler(event('openapi.json'));
  const t2 = process.hrtime.bigint();
  await handler(event('openapi.json'));
  const t3 = process.hrtime.bigint();
  process.stdout.write(
    JSON.stringify({ firstPageMs: Number(t1 - t0) / 1e6, documentMs: Number(t2 - t1) / 1e6, cachedMs: Number(t3 - t2) / 1e6 }),
  );
}

function directorySize(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? directorySize(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}
