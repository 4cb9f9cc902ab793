#!/usr/bin/env node
// Runs the jsii compiler over lib/ and contracts/ in a throw-away copy of the package, so the
// normal build (tsc -p tsconfig.build.json), the tests and `cdk synth` never depend on jsii.
// jsii rejects what Python, Java and .NET users could not call: union types, generics, tuples,
// exported free functions and constants, names that are reserved words in a target language...
// Exit code 0 means the exported surface (lib/index.ts) can be published with jsii-pacmak.
//
// Usage: npm run jsii:check            (keeps the temp copy only with --keep)
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const repo = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'secure-api-jsii-'));

// The manifest jsii needs. Runtime dependencies that are plain npm packages (not jsii
// assemblies) must be bundled for jsii, exactly as a published jsii package would bundle them.
const manifest = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  author: { name: 'cdk-secure-api contributors', organization: false },
  repository: { type: 'git', url: 'https://github.com/cdk-secure-api/cdk-secure-api.git' },
  main: 'lib/index.js',
  types: 'lib/index.d.ts',
  peerDependencies: pkg.peerDependencies,
  dependencies: pkg.dependencies,
  bundledDependencies: Object.keys(pkg.dependencies ?? {}),
  devDependencies: Object.fromEntries(
    Object.keys(pkg.peerDependencies ?? {}).map((name) => [name, pkg.devDependencies[name]]),
  ),
  jsii: {
    outdir: 'dist',
    targets: {},
    excludeTypescript: ['node_modules'],
  },
};

try {
  writeFileSync(join(work, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const dir of ['lib', 'contracts']) cpSync(join(repo, dir), join(work, dir), { recursive: true });
  cpSync(join(repo, 'README.md'), join(work, 'README.md'));
  symlinkSync(join(repo, 'node_modules'), join(work, 'node_modules'), 'dir');
  const jsii = join(repo, 'node_modules', '.bin', 'jsii');
  const result = spawnSync(jsii, ['--silence-warnings=reserved-word', ...process.argv.slice(2).filter((a) => a !== '--keep')], {
    cwd: work,
    stdio: 'inherit',
    env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
  });
  if (result.error) throw result.error;
  console.log(result.status === 0 ? 'jsii: the exported API is jsii-compatible' : `jsii: failed (exit ${result.status})`);
  process.exitCode = result.status ?? 1;
} finally {
  if (keep) console.log(`jsii: work copy kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
