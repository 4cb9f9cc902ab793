#!/usr/bin/env node
// Checks that jsii-pacmak generates the Python and Java packages from the jsii assembly (.jsii, built by
// `npm run build:jsii`). Building and packaging the targets needs PyPI (the `jsii` runtime, setuptools),
// Maven Central (jsii-runtime, aws-cdk-lib's jar) and NuGet, which an offline machine cannot reach, so this
// generates code only (`--code-only`) and checks it without them: every Python module compiles with
// python3, and Java has a source file for every class, interface and enum the assembly exports.
// About 30 s on 2 idle cores, so it is not part of `npm test`; .ci/run runs it after the tests.
//
// Usage: npm run pacmak:check   (--keep keeps the generated code and prints where)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const env = { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' };
const problems = [];

if (!existsSync(join(root, '.jsii'))) {
  console.error("pacmak-check: .jsii is missing: run 'npm run build:jsii' first");
  process.exit(1);
}
const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8'));
const out = mkdtempSync(join(tmpdir(), 'secure-api-pacmak-'));
try {
  // `npm pack --ignore-scripts`: pacmak embeds the npm tarball in each target; the build already ran.
  const pacmak = spawnSync(
    join(root, 'node_modules', '.bin', 'jsii-pacmak'),
    [
      '--code-only',
      '--no-npmignore',
      '--no-fingerprint',
      '--targets',
      'python',
      'java',
      '--outdir',
      out,
      '--pack-command',
      'npm pack --ignore-scripts',
    ],
    { cwd: root, env, encoding: 'utf8' },
  );
  if (pacmak.status !== 0) problems.push(`jsii-pacmak failed (exit ${pacmak.status}):\n${pacmak.stderr}`);
  else {
    const python = join(out, 'python', 'src', assembly.targets.python.module);
    const compiled = spawnSync('python3', ['-m', 'compileall', '-q', python], { encoding: 'utf8' });
    if (compiled.status !== 0) problems.push(`python3 -m compileall failed:\n${compiled.stdout}${compiled.stderr}`);
    const init = readFileSync(join(python, '__init__.py'), 'utf8');
    if (!/^class SecureApi\(/m.test(init)) problems.push('the Python package has no SecureApi class');

    const javaDir = join(out, 'java', 'src', 'main', 'java', ...assembly.targets.java.package.split('.'));
    const generated = new Set(
      readdirSync(javaDir)
        .filter((f) => f.endsWith('.java'))
        .map((f) => f.slice(0, -'.java'.length)),
    );
    const exported = Object.entries(assembly.types)
      .filter(([, t]) => ['class', 'interface', 'enum'].includes(t.kind))
      .map(([fqn]) => fqn.slice(`${assembly.name}.`.length));
    const missing = exported.filter((name) => !generated.has(name));
    if (missing.length > 0) problems.push(`Java sources missing for: ${missing.join(', ')}`);
    console.log(`pacmak-check: Python compiles; Java has all ${exported.length} exported types`);
  }
} finally {
  if (keep) console.log(`pacmak-check: generated code kept in ${out}`);
  else rmSync(out, { recursive: true, force: true });
}
if (problems.length > 0) {
  for (const p of problems) console.error(`pacmak-check: ${p}`);
  process.exit(1);
}
console.log('pacmak-check: the Python and Java targets generate');
