// The demo's security report, written by `cdk synth` beside the template, as a snapshot.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildDemoApp } from '../../bin/demo';
import { runCli } from '../../lib/report/cli';

function synthDemo(): { outdir: string; json: string; markdown: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'secure-api-demo-'));
  const app = new App({ outdir });
  buildDemoApp(app, false);
  app.synth();
  const base = path.join(outdir, 'SecureApiDemo.PetStoreApi.secure-api-report');
  return { outdir, json: readFileSync(`${base}.json`, 'utf8'), markdown: readFileSync(`${base}.md`, 'utf8') };
}

describe('the demo security report', () => {
  const first = synthDemo();

  it('matches the snapshot (JSON)', () => {
    expect(JSON.parse(first.json)).toMatchSnapshot();
  });

  it('matches the snapshot (Markdown)', () => {
    expect(first.markdown).toMatchSnapshot();
  });

  it('is deterministic: no machine path, identical on a second synth', () => {
    expect(first.json).not.toContain(first.outdir);
    expect(first.json + first.markdown).not.toMatch(/\/(home|root|tmp|work)\//);
    const second = synthDemo();
    expect(second.json).toBe(first.json);
    expect(second.markdown).toBe(first.markdown);
  });

  it('gates CI on the demo: partial fails (API5: operations without scopes), not-covered and weakened pass', () => {
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    expect(runCli(['report', first.outdir, '--fail-on', 'not-covered'], quiet)).toBe(0);
    expect(runCli(['report', first.outdir, '--fail-on', 'weakened'], quiet)).toBe(0);
    expect(runCli(['report', first.outdir, '--fail-on', 'partial'], quiet)).toBe(1);
  });
});
