import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The code of one of our handlers (`lambda/<name>/`), as bundled by our build into
 * `assets/lambda/<name>/index.js`. Loading a prebuilt bundle means a user's `cdk synth`
 * needs neither esbuild nor Docker, and the asset hash depends only on the bundle's bytes.
 */
export function bundledHandlerCode(name: string): lambda.Code {
  return lambda.Code.fromAsset(bundledHandlerDirectory(name));
}

/** The folder holding the bundled handler `name`, from the source tree (`lib/common/`) or the package (`dist/lib/common/`). */
export function bundledHandlerDirectory(name: string): string {
  return packageAssetDirectory(['lambda', name], 'index.js');
}

/**
 * A folder under the package's `assets/` (built by `npm run build:lambda`), found from the source tree
 * (`lib/`) or the package (`dist/lib/`) by a file it must hold.
 */
export function packageAssetDirectory(segments: string[], mustHold: string): string {
  const candidates = [join(__dirname, '..', '..', 'assets', ...segments), join(__dirname, '..', '..', '..', 'assets', ...segments)];
  const found = candidates.find((dir) => existsSync(join(dir, mustHold)));
  if (found === undefined) {
    const path = ['assets', ...segments, mustHold].join('/');
    // Invariant (a bug, not configuration): the package ships its built assets; a checkout must build them.
    throw new Error(`cdk-secure-api: ${path} is missing; run 'npm run build:lambda'`);
  }
  return found;
}
