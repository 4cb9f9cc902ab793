// The esbuild options every handler bundle is built with (scripts/bundle-lambdas.mjs), shared with the
// benchmarks and the third-party notices (scripts/third-party-notices.mjs) so they see exactly what ships.
// They keep the output byte-identical on every machine: no source maps, no absolute paths, a fixed target.
// Licence comments found in bundled code are kept out of the minified bundle and written next to it
// (`index.js.LEGAL.txt`, only when there are any); each asset also gets a THIRD-PARTY-NOTICES file with
// the licence files of the npm packages it bundles (scripts/bundle-lambdas.mjs).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function lambdaBundleOptions(root) {
  return {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    legalComments: 'external',
    metafile: true,
    charset: 'utf8',
    logLevel: 'warning',
  };
}

/** The handlers to bundle: every lambda/<name>/index.ts, sorted by name. */
export function handlerNames(root) {
  const sourceDir = join(root, 'lambda');
  return readdirSync(sourceDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(sourceDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}
