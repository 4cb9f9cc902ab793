import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHORIZER_ROUTES_FILE, AuthorizerRoutes } from '../../contracts/authorizer-config';

/**
 * Writes the authorizer's asset: the bundled handler (`index.js`) and the scope map next to it. The
 * folder's name is the hash of its content, so the same API always gives the same folder and asset
 * hash on every machine; it is written to a private folder and renamed, so parallel synths never see
 * half of it.
 */
export function writeAuthorizerAsset(handlerDirectory: string, routes: AuthorizerRoutes): string {
  const entries: Array<[string, string]> = [
    ['index.js', readFileSync(join(handlerDirectory, 'index.js'), 'utf8')],
    [AUTHORIZER_ROUTES_FILE, `${JSON.stringify(routes, null, 1)}\n`],
  ];
  const hash = createHash('sha256');
  for (const [name, content] of entries) hash.update(name).update('\0').update(content).update('\0');
  const directory = join(tmpdir(), 'cdk-secure-api', `authorizer-${hash.digest('hex').slice(0, 32)}`);
  if (existsSync(join(directory, AUTHORIZER_ROUTES_FILE))) return directory;
  const staging = `${directory}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  mkdirSync(staging, { recursive: true });
  for (const [name, content] of entries) writeFileSync(join(staging, name), content, 'utf8');
  try {
    renameSync(staging, directory);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(directory, AUTHORIZER_ROUTES_FILE))) throw e;
  }
  return directory;
}
