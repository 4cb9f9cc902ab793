import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { writeContentAddressedDirectory } from '../../lib/common/content-addressed-directory';

const PREFIX = `unit-test-${process.pid}`;
const written: string[] = [];
const write = (files: ReadonlyArray<readonly [string, string]>) => {
  const directory = writeContentAddressedDirectory(PREFIX, files);
  written.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of written) rmSync(directory, { recursive: true, force: true });
});

describe('writeContentAddressedDirectory', () => {
  it('writes the files, nested names included, into a folder under the temporary directory', () => {
    const directory = write([
      ['index.js', 'exports.handler = 1;'],
      ['static/openapi.json', '{}'],
    ]);
    expect(directory.startsWith(join(tmpdir(), 'cdk-secure-api', `${PREFIX}-`))).toBe(true);
    expect(readFileSync(join(directory, 'index.js'), 'utf8')).toBe('exports.handler = 1;');
    expect(readFileSync(join(directory, 'static', 'openapi.json'), 'utf8')).toBe('{}');
  });

  it('names the folder by content only: the same files give the same folder', () => {
    expect(write([['a.txt', 'same']])).toBe(write([['a.txt', 'same']]));
  });

  it('gives different content, or the same content under another name, another folder', () => {
    const base = write([['a.txt', 'one']]);
    expect(write([['a.txt', 'two']])).not.toBe(base);
    expect(write([['b.txt', 'one']])).not.toBe(base);
  });

  it('does not confuse where a name ends and its content begins', () => {
    expect(write([['ab', 'c']])).not.toBe(write([['a', 'bc']]));
  });

  it('keeps no machine-specific part in the folder name besides the temporary directory', () => {
    const name = write([['a.txt', 'x']]).slice(join(tmpdir(), 'cdk-secure-api').length + 1);
    expect(name).toMatch(new RegExp(`^${PREFIX}-[0-9a-f]{32}$`));
  });

  it('leaves no staging folder behind', () => {
    const directory = write([['a.txt', 'staging']]);
    expect(existsSync(directory)).toBe(true);
    const leftovers = readdirSync(dirname(directory)).filter((entry) => entry.startsWith(`${basename(directory)}.`));
    expect(leftovers).toEqual([]);
  });

  it('refuses to write no files (a caller bug)', () => {
    expect(() => writeContentAddressedDirectory(PREFIX, [])).toThrow(`content-addressed directory '${PREFIX}': no files to write`);
  });
});
