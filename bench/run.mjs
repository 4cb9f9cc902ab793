#!/usr/bin/env node
// `npm run bench`: runs every benchmark script bench/*.bench.{mjs,js,cjs,ts}, one after the other.
//
//   npm run bench                              # all of them
//   npm run bench -- synth-scale               # those whose file name contains "synth-scale"
//   npm run bench -- synth-scale --runs 3      # arguments from the first one starting with "-" go to each script
//   npm run bench -- --list                    # lists the scripts that would run (with filters: those), runs none
//   npm run bench -- --help                    # this text and the list
//
// To add a benchmark, name it bench/<name>.bench.mjs (or .ts, run with ts-node --transpile-only).
// Results go to BENCHMARKS.md by hand: each script prints what its section needs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');
// --list and --help are this runner's own (no benchmark script takes them); every other flag goes to the scripts.
const ownFlags = ['--list', '--help', '-h'];
const given = process.argv.slice(2);
const listOnly = given.some((a) => ownFlags.includes(a));
const args = given.filter((a) => !ownFlags.includes(a));
const firstFlag = args.findIndex((a) => a.startsWith('-'));
const filters = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passed = firstFlag < 0 ? [] : args.slice(firstFlag);

const scripts = readdirSync(benchDir)
  .filter((name) => /\.bench\.(mjs|cjs|js|ts)$/.test(name))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();
if (scripts.length === 0) {
  console.error(`no bench/*.bench.* script${filters.length > 0 ? ` matches ${filters.join(', ')}` : ''}`);
  process.exit(1);
}
if (listOnly) {
  if (given.includes('--help') || given.includes('-h')) {
    const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1);
    const header = lines.slice(
      0,
      lines.findIndex((l) => !l.startsWith('//')),
    );
    console.log(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n\nScripts:');
  }
  for (const name of scripts) console.log(`bench/${name}`);
  process.exit(0);
}

const failed = [];
for (const name of scripts) {
  const file = join(benchDir, name);
  const [command, commandArgs] = name.endsWith('.ts')
    ? ['npx', ['ts-node', '--transpile-only', file, ...passed]]
    : [process.execPath, [file, ...passed]];
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${name} (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
