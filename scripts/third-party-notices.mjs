#!/usr/bin/env node
// THIRD-PARTY-NOTICES: the licences of the third-party code the package ships in assets/, made from the
// packages' own licence files, so the file is exactly as current as the bundles.
//   - assets/lambda/<name>/index.js: each handler, bundled by esbuild with the npm packages it imports;
//     esbuild's metafile names the bundled files, and so the packages (scripts/bundle-lambdas.mjs);
//   - assets/swagger-ui/: the Swagger UI files the docs route serves, copied from swagger-ui-dist.
//
// Usage: node scripts/third-party-notices.mjs           writes THIRD-PARTY-NOTICES (npm run notices)
//        node scripts/third-party-notices.mjs --check   exits 1 if the committed file is not current
// scripts/bundle-lambdas.mjs uses the same functions for the notices file inside each handler's asset.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerNames, lambdaBundleOptions } from './lambda-bundle-options.mjs';

/** The Swagger UI files the docs route serves (lib/docs/docs-asset.ts reads them from assets/swagger-ui/). */
export const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'index.css', 'oauth2-redirect.html', 'oauth2-redirect.js'];
/** swagger-ui-dist's licence files, shipped beside them (the bundle's own list of the libraries it contains included). */
export const SWAGGER_UI_LICENSES = ['LICENSE', 'NOTICE', 'swagger-ui-bundle.js.LICENSE.txt'];

const LICENSE_FILE = /^(licen[cs]e|notice|copying)(\..*)?$/i;

/** The npm packages (folders under node_modules) whose files esbuild put into a bundle, from its metafile. */
export function bundledPackageDirs(metafile, root) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const depth = parts[at + 1]?.startsWith('@') ? 2 : 1;
    dirs.add(resolve(root, ...parts.slice(0, at + 1 + depth)));
  }
  return [...dirs].sort();
}

/** One package's identity and licence texts: its own licence files, or a line saying it has none. */
export function packageLicense(dir, extraFiles = []) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = readdirSync(dir)
    .filter((f) => LICENSE_FILE.test(f))
    .sort();
  for (const extra of extraFiles) if (!files.includes(extra) && existsSync(join(dir, extra))) files.push(extra);
  const declared = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'UNKNOWN');
  const texts = files.map((f) => `${f}:\n\n${readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim()}\n`);
  if (texts.length === 0) texts.push(`The package ships no licence file; its package.json declares the licence ${declared}.\n`);
  return { id: `${manifest.name}@${manifest.version}`, license: declared, text: texts.join('\n') };
}

/**
 * The notices text for a set of shipped things (`{ what, packages }`): which packages each contains, then
 * every distinct licence text once, with the packages it belongs to. Deterministic: no paths, no dates.
 */
export function noticesText(title, shipped) {
  const lines = [title, '', 'What contains third-party code, and which:', ''];
  const byText = new Map();
  for (const { what, packages } of shipped) {
    lines.push(`${what}:`, ...(packages.length === 0 ? ['  (none)'] : packages.map((p) => `  ${p.id} (${p.license})`)));
    for (const p of packages) {
      const ids = byText.get(p.text) ?? new Set();
      ids.add(p.id);
      byText.set(p.text, ids);
    }
  }
  const groups = [...byText.entries()]
    .map(([text, ids]) => ({ ids: [...ids].sort(), text }))
    .sort((a, b) => (a.ids[0] < b.ids[0] ? -1 : 1));
  for (const { ids, text } of groups) {
    lines.push('', '-'.repeat(100), '', ...ids, '', text.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** Bundles every handler in memory (the shipped options) and returns what each contains. */
export async function shippedThirdPartyCode(root) {
  const shipped = [];
  for (const name of handlerNames(root)) {
    const result = await build({
      ...lambdaBundleOptions(root),
      entryPoints: [`lambda/${name}/index.ts`],
      outfile: join(root, 'assets', 'lambda', name, 'index.js'),
      write: false,
    });
    shipped.push({
      what: `assets/lambda/${name}/index.js`,
      packages: bundledPackageDirs(result.metafile, root).map((dir) => packageLicense(dir)),
    });
  }
  const swaggerUi = dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
  shipped.push({ what: 'assets/swagger-ui/ (copied, not bundled)', packages: [packageLicense(swaggerUi, SWAGGER_UI_LICENSES)] });
  return shipped;
}

export const NOTICES_TITLE = [
  'THIRD-PARTY-NOTICES for cdk-secure-api',
  '',
  'cdk-secure-api is licensed under the Apache License 2.0 (LICENSE). The Lambda handlers under assets/lambda/',
  'are bundled with the npm packages they import, and the documentation route serves Swagger UI from',
  'assets/swagger-ui/. Those packages are licensed by their authors under the terms below. (The runtime',
  'dependencies the package bundles under node_modules/, as jsii requires, carry their own licence files.)',
  "Generated by scripts/third-party-notices.mjs from the packages' own licence files: do not edit by hand.",
].join('\n');

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const file = join(root, 'THIRD-PARTY-NOTICES');
  const text = noticesText(NOTICES_TITLE, await shippedThirdPartyCode(root));
  if (process.argv.includes('--check')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) {
      console.error(
        `THIRD-PARTY-NOTICES is not current (${relative(root, file).split(sep).join('/')}): run 'npm run notices' and commit it`,
      );
      process.exit(1);
    }
    console.log('THIRD-PARTY-NOTICES is current');
  } else {
    writeFileSync(file, text);
    console.log(`wrote THIRD-PARTY-NOTICES (${text.length} characters)`);
  }
}
