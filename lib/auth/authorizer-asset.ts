import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHORIZER_ROUTES_FILE, AuthorizerRoutes } from '../../contracts/authorizer-config';
import { writeContentAddressedDirectory } from '../common/content-addressed-directory';

/**
 * Writes the authorizer's asset: the bundled handler (`index.js`) and the scope map next to it, in
 * a content-addressed folder (the same API gives the same asset hash on every machine).
 */
export function writeAuthorizerAsset(handlerDirectory: string, routes: AuthorizerRoutes): string {
  const entries: Array<[string, string]> = [
    ['index.js', readFileSync(join(handlerDirectory, 'index.js'), 'utf8')],
    [AUTHORIZER_ROUTES_FILE, `${JSON.stringify(routes, null, 1)}\n`],
  ];
  return writeContentAddressedDirectory('authorizer', entries);
}
