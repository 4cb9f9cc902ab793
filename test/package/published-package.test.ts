// What `npm pack` publishes, as a consumer installs it: the compiled code, the jsii assembly, API.md, the
// licence and the third-party notices; nothing that only the repository has (scripts/, test/, lambda/); no
// lifecycle script that would run, or be listed for approval, on a consumer's install; and no dependency
// that runs its own install script (swagger-ui-dist's @scarf/scarf telemetry).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

interface PackResult {
  files: Array<{ path: string }>;
  bundled: string[];
}

describe('the published package', () => {
  let pack: PackResult;
  let files: string[];
  beforeAll(() => {
    // --ignore-scripts: `npm test` has built dist/, assets/ and .jsii already (prepack would build them again).
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
    pack = JSON.parse(result.stdout)[0];
    files = pack.files.map((f) => f.path);
  }, 120_000);

  it('holds the jsii assembly, API.md, LICENSE, THIRD-PARTY-NOTICES, the compiled code and the assets', () => {
    for (const file of [
      '.jsii',
      'API.md',
      'LICENSE',
      'THIRD-PARTY-NOTICES',
      'README.md',
      'package.json',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'assets/lambda/authorizer/index.js',
      'assets/lambda/authorizer/THIRD-PARTY-NOTICES',
      'assets/swagger-ui/swagger-ui-bundle.js',
      'assets/swagger-ui/LICENSE',
      'bin/cdk-secure-api.js',
      'dist/lib/report/cli.js',
    ]) {
      expect({ file, packed: files.includes(file) }).toEqual({ file, packed: true });
    }
  });

  it('ships nothing that only the repository needs', () => {
    const own = files.filter((f) => !f.startsWith('node_modules/'));
    const repositoryOnly = (f: string) =>
      /^(scripts|test|lambda|lib|bench|demo|integ|\.ci)\//.test(f) || (f.startsWith('bin/') && f !== 'bin/cdk-secure-api.js');
    expect(own.filter((f) => repositoryOnly(f) || f.endsWith('.tgz') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });

  it('bundles the runtime dependencies jsii needs and nothing with an install script', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(manifest.bundledDependencies).toEqual(Object.keys(manifest.dependencies));
    expect(pack.bundled).toEqual(expect.arrayContaining(Object.keys(manifest.dependencies)));
    expect(pack.bundled).not.toContain('swagger-ui-dist');
    expect(pack.bundled).not.toContain('@scarf/scarf');
    const withInstallScripts = pack.bundled.filter((name) => {
      const scripts = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).scripts ?? {};
      return ['preinstall', 'install', 'postinstall'].some((s) => s in scripts);
    });
    expect(withInstallScripts).toEqual([]);
  });

  it('has no lifecycle script that runs on a consumer install, and the metadata Construct Hub reads', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const installTime = ['preinstall', 'install', 'postinstall', 'prepare', 'pretest', 'posttest'];
    expect(Object.keys(manifest.scripts).filter((s) => installTime.includes(s))).toEqual([]);
    expect(Object.keys(manifest.dependencies)).not.toContain('swagger-ui-dist');
    expect(manifest.keywords).toEqual(expect.arrayContaining(['awscdk', 'cdk']));
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.stability).toBe('experimental');
    expect(manifest.repository.url).toMatch(/^https:\/\/github\.com\/.+\.git$/);
    expect(typeof manifest.homepage).toBe('string');
    expect(typeof manifest.bugs.url).toBe('string');
    expect(Object.keys(manifest.jsii.targets).sort()).toEqual(['dotnet', 'java', 'python']);
  });

  it('LICENSE is the Apache License 2.0', () => {
    const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license.length).toBe(11358);
  });
});
