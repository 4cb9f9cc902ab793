// Builds assets/, what the package ships besides its compiled code:
//   - every handler under lambda/<name>/index.ts bundled into assets/lambda/<name>/index.js, with a
//     THIRD-PARTY-NOTICES file listing the npm packages it bundles and their licences (and esbuild's
//     index.js.LEGAL.txt when the bundled code carries licence comments). The constructs load these folders
//     with Code.fromAsset, so a user's `cdk synth` needs neither esbuild nor Docker. The options
//     (scripts/lambda-bundle-options.mjs) keep the output byte-identical on every machine.
//   - assets/swagger-ui/: the Swagger UI files the docs route serves, with swagger-ui-dist's licences.
//     Copying them here keeps swagger-ui-dist (and the telemetry postinstall of its @scarf/scarf
//     dependency) a dev dependency: consumers never install it.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerNames, lambdaBundleOptions } from './lambda-bundle-options.mjs';
import { bundledPackageDirs, noticesText, packageLicense, SWAGGER_UI_FILES, SWAGGER_UI_LICENSES } from './third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(root, 'assets', 'lambda');
const handlers = handlerNames(root);

rmSync(outRoot, { recursive: true, force: true });
for (const name of handlers) {
  const result = await build({
    ...lambdaBundleOptions(root),
    entryPoints: [`lambda/${name}/index.ts`],
    outfile: join(outRoot, name, 'index.js'),
  });
  const packages = bundledPackageDirs(result.metafile, root).map((dir) => packageLicense(dir));
  if (packages.length > 0) {
    const title = `Third-party code bundled into this handler (cdk-secure-api, lambda/${name}), and its licences.`;
    writeFileSync(join(outRoot, name, 'THIRD-PARTY-NOTICES'), noticesText(title, [{ what: 'index.js', packages }]));
  }
}

const swaggerUiOut = join(root, 'assets', 'swagger-ui');
const swaggerUiDist = dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
rmSync(swaggerUiOut, { recursive: true, force: true });
mkdirSync(swaggerUiOut, { recursive: true });
for (const name of [...SWAGGER_UI_FILES, ...SWAGGER_UI_LICENSES]) copyFileSync(join(swaggerUiDist, name), join(swaggerUiOut, name));

console.log(`bundled ${handlers.length} handler(s): ${handlers.join(', ') || '(none)'}; copied Swagger UI`);
