import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Writes files (relative name, content) into a folder named after the hash of their names and
 * contents, and returns the folder. The same content always gives the same folder, so an asset made
 * from it has the same hash on every machine, and no machine path reaches a template. The files are
 * written to a private folder that is then renamed, so parallel synths never see half of it.
 */
export function writeContentAddressedDirectory(prefix: string, files: ReadonlyArray<readonly [string, string]>): string {
  // Invariant (a bug, not configuration): callers always have files to write.
  if (files.length === 0) throw new Error(`content-addressed directory '${prefix}': no files to write`);
  const hash = createHash('sha256');
  for (const [name, content] of files) hash.update(name).update('\0').update(content).update('\0');
  const directory = join(tmpdir(), 'cdk-secure-api', `${prefix}-${hash.digest('hex').slice(0, 32)}`);
  // The rename below is atomic: one file present means all are.
  const marker = join(directory, files[0][0]);
  if (existsSync(marker)) return directory;
  const staging = `${directory}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  for (const [name, content] of files) {
    mkdirSync(dirname(join(staging, name)), { recursive: true });
    writeFileSync(join(staging, name), content, 'utf8');
  }
  try {
    renameSync(staging, directory);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(marker)) throw e;
  }
  return directory;
}
