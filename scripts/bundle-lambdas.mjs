// Bundles every handler under lambda/<name>/index.ts into assets/lambda/<name>/index.js.
// The constructs load these files with Code.fromAsset, so a user's `cdk synth` needs
// neither esbuild nor Docker. The options below keep the output byte-identical on every
// machine: no source maps, no absolute paths, no legal-comment banners, a fixed target.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaBundleOptions } from './lambda-bundle-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'lambda');
const outRoot = join(root, 'assets', 'lambda');

const handlers = readdirSync(sourceDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(sourceDir, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();

rmSync(outRoot, { recursive: true, force: true });
for (const name of handlers) {
  await build({ ...lambdaBundleOptions(root), entryPoints: [`lambda/${name}/index.ts`], outfile: join(outRoot, name, 'index.js') });
}
console.log(`bundled ${handlers.length} handler(s): ${handlers.join(', ') || '(none)'}`);
