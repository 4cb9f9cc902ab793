#!/usr/bin/env node
// Synth time, CloudFormation resource count and template size of SecureApi against the L2 RestApi
// built from the same routes, for generated documents of 10, 100, 300 and 1,000 operations.
//
//   npm run build:lambda                       # SecureApi's own handlers are assets
//   node bench/synth-scale.bench.mjs [--runs 5] [--runs-large 5] [--sizes 10,100,300,1000] [--json FILE]
//   node bench/synth-scale.bench.mjs --report bench/results/synth-scale.json   # the tables again, from saved runs
//
// Every measurement runs in a fresh Node process: require the modules (timed apart), generate the
// document (untimed), then create a fresh App, the stack and the API, and `app.synth()` into a
// temporary directory. The two variants alternate run by run (and swap order every run), so both see
// the same machine load. `--runs-large` sets the runs for 1,000 operations (defaults to --runs).
//
// Both stacks set `@aws-cdk/core:stackResourceLimit` to 0, so CDK's own 500-resource check does not
// stop the L2 stack from synthesizing: the counts below show which stacks CloudFormation would accept.
// cdk-nag is not registered. lib/ is bundled with esbuild (dependencies external) into bench/results/,
// two levels below the repository like dist/lib/, so bundledHandlerDirectory() finds assets/lambda.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDocument, listOperations } from './synth-scale.document.mjs';
import { bundleLibForBench, median } from './support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** CloudFormation's limits, as aws-cdk-lib checks them (Stack: MAX_RESOURCES, TEMPLATE_BODY_MAXIMUM_SIZE). */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;
const VARIANTS = ['SecureApi', 'RestApi'];

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const runs = Number(option('--runs', '5'));
  const runsLarge = Number(option('--runs-large', String(runs)));
  const sizes = option('--sizes', '10,100,300,1000').split(',').map(Number);
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `synth-scale-lib-${process.pid}.cjs`);
  const started = new Date();
  const loadBefore = loadavg()[0];
  const results = {}; // results[size][variant] = [measurement, ...]
  try {
    await bundleLibForBench(build, root, bundle, {
      entryPoints: ['lib/index.ts'],
    });
    for (let run = 0; run < Math.max(runs, runsLarge); run++) {
      for (const size of sizes) {
        if (run >= (size >= 1000 ? runsLarge : runs)) continue;
        // Alternate which variant goes first, so neither always meets the warmer (or busier) machine.
        const order = run % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) {
          const m = runChild(variant, size, bundle);
          ((results[size] ??= {})[variant] ??= []).push(m);
          process.stderr.write(
            `run ${run + 1} ${String(size).padStart(4)} ops ${variant.padEnd(9)} construct+synth ${m.totalMs.toFixed(0)} ms, ${m.resources} resources, ${m.templateBytes} bytes\n`,
          );
        }
      }
    }
  } finally {
    rmSync(bundle, { force: true });
  }
  const summary = summarize(results, sizes);
  const meta = {
    date: started.toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    loadAverage: [loadBefore, loadavg()[0]].map((l) => l.toFixed(1)),
    // lib/ is measured as it is in the working tree (others may be editing it): say which.
    commit:
      git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--', 'lib']) === '' ? '' : ' + uncommitted changes in lib/'),
    command: `node bench/synth-scale.bench.mjs --runs ${runs} --runs-large ${runsLarge} --sizes ${sizes.join(',')}`,
  };
  const jsonFile = option('--json', join(dir, 'synth-scale.json'));
  writeFileSync(jsonFile, JSON.stringify({ meta, summary, results }, null, 1));
  console.log(report(meta, summary, runs, runsLarge));
  console.log(`\nraw measurements: ${jsonFile}`);
}

/** Re-renders the tables from a saved results file (`--report bench/results/synth-scale.json`). */
function printSaved(file) {
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  const sizes = saved.summary.map((r) => r.operations);
  const counts = sizes.map((size) => saved.results[size].SecureApi.length);
  console.log(report(saved.meta, summarize(saved.results, sizes), counts[0], counts[counts.length - 1]));
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function runChild(variant, size, bundle) {
  // The child's stderr (aws-cdk-lib's validation report: the L2 stacks' resource-count findings) is
  // shown only when the child fails; the counts it reports are in the table.
  try {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', variant, String(size), bundle], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    process.stderr.write(e.stderr ?? '');
    throw new Error(`${variant} at ${size} operations failed: ${e.message}`);
  }
}

function summarize(results, sizes) {
  const summary = [];
  for (const size of sizes) {
    const row = { operations: size };
    for (const variant of VARIANTS) {
      const ms = results[size][variant];
      const last = ms[ms.length - 1];
      row[variant] = {
        runs: ms.length,
        totalMs: median(ms.map((m) => m.totalMs)),
        constructMs: median(ms.map((m) => m.constructMs)),
        synthMs: median(ms.map((m) => m.synthMs)),
        validateMs: median(ms.map((m) => m.validateMs)),
        withoutValidationMs: median(ms.map((m) => m.totalMs - m.validateMs)),
        requireMs: median(ms.map((m) => m.requireMs)),
        maxRssMb: median(ms.map((m) => m.maxRssMb)),
        // Deterministic: the same in every run (checked below).
        resources: last.resources,
        resourceTypes: last.resourceTypes,
        templateBytes: last.templateBytes,
        minifiedBytes: last.minifiedBytes,
        bodyBytes: last.bodyBytes,
        bodyPerOperation: last.bodyPerOperation,
        // Only SecureApi imports a body (the L2 stack has none).
        bodyPlacement: last.bodyBytes === undefined ? undefined : last.bodyPlacement,
        processedBytes: last.bodyBytes === undefined ? undefined : last.processedBytes,
        fits:
          last.resources <= MAX_RESOURCES &&
          last.templateBytes <= MAX_TEMPLATE_BYTES &&
          (last.bodyBytes === undefined ? 0 : (last.processedBytes ?? 0)) <= MAX_TEMPLATE_BYTES,
      };
      if (ms.some((m) => m.resources !== last.resources || m.templateBytes !== last.templateBytes)) {
        throw new Error(`${variant} at ${size} operations: the template differs between runs (synth is not deterministic)`);
      }
    }
    row.timeRatio = row.SecureApi.totalMs / row.RestApi.totalMs;
    row.withoutValidationRatio = row.SecureApi.withoutValidationMs / row.RestApi.withoutValidationMs;
    // The ratio within each run (the two variants ran back to back): its spread shows the noise.
    const paired = (time) => {
      const pairs = results[size].SecureApi.map((m, i) => time(m) / time(results[size].RestApi[i])).sort((a, b) => a - b);
      return [pairs[0], pairs[pairs.length - 1]];
    };
    row.timeRatioRange = paired((m) => m.totalMs);
    row.withoutValidationRatioRange = paired((m) => m.totalMs - m.validateMs);
    summary.push(row);
  }
  return summary;
}

function report(meta, summary, runs, runsLarge) {
  const n = (v) => Math.round(v).toLocaleString('en-US');
  const fits = (v) =>
    v.fits
      ? `yes${v.bodyPlacement === 's3' ? ' (body in S3)' : ''}`
      : `**no** (${[v.resources > MAX_RESOURCES ? 'resources' : '', v.templateBytes > MAX_TEMPLATE_BYTES ? 'size' : '', (v.processedBytes ?? 0) > MAX_TEMPLATE_BYTES ? 'processed size' : ''].filter(Boolean).join(', ')})`;
  const range = ([lo, hi]) => `${lo.toFixed(2)}–${hi.toFixed(2)}`;
  const lines = [
    `${meta.date}, Node ${meta.node}, ${meta.cpus}, load average ${meta.loadAverage.join(' → ')}, lib/ at ${meta.commit}`,
    `\`${meta.command}\`; medians of ${runs} runs${runsLarge !== runs ? ` (${runsLarge} at 1,000 operations)` : ''}`,
    '',
    "Time: construct + `app.synth()` of a fresh app, and the same without aws-cdk-lib's built-in CloudFormation validation (median of each run's time minus its validation time). Ratio = SecureApi / RestApi of the medians; in brackets the range of the per-run ratios.",
    '',
    '| operations | SecureApi ms | RestApi ms | ratio | SecureApi ms without validation | RestApi ms without validation | ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of summary) {
    const s = r.SecureApi;
    const l = r.RestApi;
    lines.push(
      `| ${n(r.operations)} | ${n(s.totalMs)} | ${n(l.totalMs)} | ${r.timeRatio.toFixed(2)} (${range(r.timeRatioRange)}) | ${n(s.withoutValidationMs)} | ${n(l.withoutValidationMs)} | ${r.withoutValidationRatio.toFixed(2)} (${range(r.withoutValidationRatioRange)}) |`,
    );
  }
  lines.push(
    '',
    `CloudFormation limits: ${MAX_RESOURCES} resources, ${n(MAX_TEMPLATE_BYTES)} template bytes as written by \`cdk synth\` (indented; minified = with \`suppressTemplateIndentation\`).`,
    '',
    '| operations | SecureApi resources | RestApi resources | SecureApi template bytes | SecureApi minified | RestApi template bytes | RestApi minified | SecureApi fits | RestApi fits |',
    '|---:|---:|---:|---:|---:|---:|---:|---|---|',
  );
  for (const r of summary) {
    const s = r.SecureApi;
    const l = r.RestApi;
    lines.push(
      `| ${n(r.operations)} | ${n(s.resources)} | ${n(l.resources)} | ${n(s.templateBytes)} | ${n(s.minifiedBytes)} | ${n(l.templateBytes)} | ${n(l.minifiedBytes)} | ${fits(s)} | ${fits(l)} |`,
    );
  }
  lines.push(
    '',
    `SecureApi import body placement and processed template (minified, with the body inserted): ${summary.map((r) => `${n(r.operations)} ops ${r.SecureApi.bodyPlacement ?? 'inline'} ${r.SecureApi.processedBytes === undefined ? '' : n(r.SecureApi.processedBytes)}`).join('; ')}.`,
  );
  lines.push(
    '',
    '| operations | variant | construct ms | app.synth() ms | of which validation ms | require ms | peak RSS MB | API body bytes (indented) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of summary) {
    for (const variant of VARIANTS) {
      const v = r[variant];
      lines.push(
        `| ${n(r.operations)} | ${variant} | ${n(v.constructMs)} | ${n(v.synthMs)} | ${n(v.validateMs)} | ${n(v.requireMs)} | ${n(v.maxRssMb)} | ${v.bodyBytes === undefined ? '' : n(v.bodyBytes)} |`,
      );
    }
  }
  // The inline body's marginal cost per operation, from the two largest sizes whose body is inline.
  const [a, b] = summary.filter((r) => r.SecureApi.bodyPlacement !== 's3').slice(-2);
  if (a && b && a.SecureApi.bodyBytes !== undefined) {
    const growth = (key) => {
      const perOp = (b.SecureApi[key] - a.SecureApi[key]) / (b.operations - a.operations);
      const fixed = b.SecureApi[key] - perOp * b.operations;
      return `${perOp.toFixed(0)} bytes per operation on a fixed ${n(fixed)}, so the limit is reached at about ${n((MAX_TEMPLATE_BYTES - fixed) / perOp)} operations`;
    };
    lines.push(
      '',
      `SecureApi template growth between ${n(a.operations)} and ${n(b.operations)} operations of this shape: indented ${growth('templateBytes')}; minified ${growth('minifiedBytes')}.`,
    );
  }
  const largest = summary[summary.length - 1];
  if (largest.SecureApi.bodyPerOperation !== undefined) {
    const b = largest.SecureApi.bodyPerOperation;
    lines.push(
      '',
      `SecureApi import body at ${n(largest.operations)} operations, minified bytes per operation: ${b.paths} in paths (integration ${b.integration}, ` +
        `parameters ${b.parameters}, requestBody ${b.requestBody}, responses ${b.responses}), plus ${b.models} in component models.`,
    );
  }
  for (const variant of VARIANTS) {
    const r = largest[variant];
    lines.push(
      '',
      `${variant} resource types at ${n(summary[summary.length - 1].operations)} operations: ${Object.entries(r.resourceTypes)
        .map(([t, c]) => `${t.replace('AWS::', '')} ${c}`)
        .join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** One measurement in this (fresh) process; prints one JSON line. */
async function child(variant, size, bundle) {
  const t0 = performance.now();
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const cdk = requireFromRoot('aws-cdk-lib');
  const lambda = requireFromRoot('aws-cdk-lib/aws-lambda');
  const apigw = requireFromRoot('aws-cdk-lib/aws-apigateway');
  const lib = variant === 'SecureApi' ? requireFromRoot(bundle) : undefined;
  const requireMs = performance.now() - t0;
  // aws-cdk-lib runs its built-in CloudFormation validation (resource provider schemas, cfn-lint-style
  // rules) inside app.synth(); time it apart, since it is a large share of every synth.
  const validatePrototype = cdk.CloudFormationValidatePlugin.prototype;
  const validate = validatePrototype.validate;
  let validateMs = 0;
  validatePrototype.validate = function timedValidate(...args) {
    const start = performance.now();
    try {
      return validate.apply(this, args);
    } finally {
      validateMs += performance.now() - start;
    }
  };

  const document = generateDocument(size);
  const outdir = mkdtempSync(join(tmpdir(), 'synth-scale-'));
  try {
    const t1 = performance.now();
    const app = new cdk.App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
    const stack = new cdk.Stack(app, `Bench${variant}${size}`);
    const backend = new lambda.Function(stack, 'Backend', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
    });
    if (variant === 'SecureApi') {
      new lib.SecureApi(stack, 'Api', {
        openApi: lib.OpenApi.fromObject(document),
        defaultIntegration: lib.OperationIntegration.lambda(backend),
      });
    } else {
      buildRestApi(stack, backend, document, apigw);
    }
    const t2 = performance.now();
    const assembly = app.synth();
    const t3 = performance.now();

    const artifact = assembly.getStackByName(stack.stackName);
    const templateFile = join(outdir, artifact.templateFile);
    const template = JSON.parse(readFileSync(templateFile, 'utf8'));
    const resources = Object.values(template.Resources ?? {});
    const resourceTypes = {};
    for (const r of resources) resourceTypes[r.Type] = (resourceTypes[r.Type] ?? 0) + 1;
    const written = resources.find((r) => r.Type === 'AWS::ApiGateway::RestApi')?.Properties?.Body;
    // A large body sits in an S3 asset that the Body includes with AWS::Include (lib/body): read it from the assembly.
    const include = written?.['Fn::Transform'];
    const body =
      include === undefined
        ? written
        : JSON.parse(
            readFileSync(join(outdir, `asset.${JSON.stringify(include.Parameters.Location).match(/[0-9a-f]{64}\.json/)[0]}`), 'utf8'),
          );
    const minifiedBytes = Buffer.byteLength(JSON.stringify(template));
    const measurement = {
      variant,
      operations: size,
      requireMs,
      constructMs: t2 - t1,
      synthMs: t3 - t2,
      validateMs,
      totalMs: t3 - t1,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      resources: resources.length,
      resourceTypes: Object.fromEntries(Object.entries(resourceTypes).sort(([a], [b]) => a.localeCompare(b))),
      templateBytes: statSync(templateFile).size,
      minifiedBytes,
      bodyPlacement: written === undefined ? undefined : include === undefined ? 'inline' : 's3',
      // The template CloudFormation processes once AWS::Include has inserted the body (minified); limited to 1 MB too.
      processedBytes:
        written === undefined
          ? undefined
          : include === undefined
            ? minifiedBytes
            : minifiedBytes - Buffer.byteLength(JSON.stringify(written)) + Buffer.byteLength(JSON.stringify(body)),
      // The inline import body as the template writes it (indented by one space, like the template).
      bodyBytes: body === undefined ? undefined : Buffer.byteLength(JSON.stringify(body, undefined, 1)),
      bodyPerOperation: body === undefined ? undefined : bodyPerOperation(body),
    };
    process.stdout.write(`${JSON.stringify(measurement)}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Minified bytes per operation of the import body: all paths, and the integration, parameters and responses within them. */
function bodyPerOperation(body) {
  const bytes = (value) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
  const parts = { paths: bytes(body.paths), integration: 0, parameters: 0, requestBody: 0, responses: 0 };
  let operations = 0;
  for (const item of Object.values(body.paths)) {
    for (const operation of Object.values(item)) {
      if (operation === null || typeof operation !== 'object' || operation['x-amazon-apigateway-integration'] === undefined) continue;
      operations++;
      parts.integration += bytes(operation['x-amazon-apigateway-integration']);
      parts.parameters += bytes(operation.parameters);
      parts.requestBody += bytes(operation.requestBody);
      parts.responses += bytes(operation.responses);
    }
  }
  return Object.fromEntries([
    ...Object.entries(parts).map(([k, v]) => [k, Math.round(v / operations)]),
    ['models', Math.round(bytes(body.components?.schemas) / operations)],
  ]);
}

const PARAMETER_LOCATIONS = { path: 'path', query: 'querystring', header: 'header' };

/**
 * The L2 equivalent of what SecureApi imports: one Resource per path segment, one Method per
 * operation with a LambdaIntegration, required parameters declared, and the same two validators
 * (body and parameters where a body exists, parameters alone otherwise) with one draft-4 model per
 * request schema, used for application/json and for undeclared content types ($default), as SecureApi does.
 */
function buildRestApi(stack, backend, document, apigw) {
  const api = new apigw.RestApi(stack, 'Api', { restApiName: 'generated' });
  const integration = new apigw.LambdaIntegration(backend);
  const bodyAndParams = api.addRequestValidator('BodyAndParams', { validateRequestBody: true, validateRequestParameters: true });
  const paramsOnly = api.addRequestValidator('ParamsOnly', { validateRequestParameters: true });
  const schemas = document.components.schemas;
  const models = new Map();
  const modelFor = (reference) => {
    const name = reference.split('/').pop();
    if (!models.has(name)) {
      models.set(
        name,
        api.addModel(name, {
          contentType: 'application/json',
          modelName: name,
          schema: { schema: apigw.JsonSchemaVersion.DRAFT4, ...draft4(schemas[name], schemas) },
        }),
      );
    }
    return models.get(name);
  };
  for (const { path, method, operation } of listOperations(document)) {
    const requestParameters = {};
    for (const p of operation.parameters ?? [])
      requestParameters[`method.request.${PARAMETER_LOCATIONS[p.in]}.${p.name}`] = p.required === true;
    const bodyRef = operation.requestBody?.content?.['application/json']?.schema?.$ref;
    const model = bodyRef === undefined ? undefined : modelFor(bodyRef);
    api.root.resourceForPath(path).addMethod(method.toUpperCase(), integration, {
      operationName: operation.operationId,
      requestParameters,
      requestValidator: model === undefined ? paramsOnly : bodyAndParams,
      requestModels: model === undefined ? undefined : { 'application/json': model, $default: model },
    });
  }
  return api;
}

/** The generated schemas as self-contained draft-4 JSON Schema: $refs inlined, OpenAPI-only keywords dropped. */
function draft4(schema, schemas) {
  if (Array.isArray(schema)) return schema.map((s) => draft4(s, schemas));
  if (schema === null || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') return draft4(schemas[schema.$ref.split('/').pop()], schemas);
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'readOnly') continue;
    out[key] =
      key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, draft4(v, schemas)])) : draft4(value, schemas);
  }
  return out;
}

// Last, so every module-level constant above is initialized before either entry point runs.
if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]), process.argv[5]);
else if (process.argv[2] === '--report') printSaved(process.argv[3]);
else await main();
