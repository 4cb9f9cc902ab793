// The package as Construct Hub and the other languages see it: the jsii assembly (`.jsii`, built by
// `npm run build:jsii`, which `npm test` runs before jest) and the committed API.md rendered from it.
// That the Python and Java targets generate is checked by `npm run pacmak:check` (slower; .ci/run runs it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const assemblyFile = path.join(root, '.jsii');
const env = { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' };

function assembly(): {
  name: string;
  targets: Record<string, Record<string, unknown>>;
  types: Record<string, { kind: string }>;
  readme?: { markdown: string };
} {
  if (!fs.existsSync(assemblyFile)) throw new Error(".jsii is missing: run 'npm run build:jsii' (npm test does)");
  return JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
}

describe('jsii assembly', () => {
  it('declares the Python, Java and .NET targets and exports SecureApi', () => {
    const jsii = assembly();
    expect(jsii.name).toBe('cdk-secure-api');
    expect(Object.keys(jsii.targets).sort()).toEqual(['dotnet', 'java', 'js', 'python']);
    expect(jsii.targets.python).toEqual({ distName: 'cdk-secure-api', module: 'cdk_secure_api' });
    expect(jsii.types['cdk-secure-api.SecureApi'].kind).toBe('class');
    expect(jsii.types['cdk-secure-api.SecureApiProps'].kind).toBe('interface');
  });

  it('API.md is the jsii-docgen rendering of the current assembly', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-api-docgen-'));
    try {
      const result = spawnSync(path.join(root, 'node_modules', '.bin', 'jsii-docgen'), ['--output', path.join(out, 'API.md')], {
        cwd: root,
        env,
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      const committed = fs.readFileSync(path.join(root, 'API.md'), 'utf8');
      // On a mismatch: `npm run build:jsii && npm run build:docs`, then commit API.md.
      expect(committed === fs.readFileSync(path.join(out, 'API.md'), 'utf8')).toBe(true);
      expect(committed).toContain('### SecureApi ');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
