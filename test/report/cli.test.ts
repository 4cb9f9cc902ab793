// The report CLI against synthesized cloud assemblies: formats, nested assemblies, and --fail-on exit codes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { SecurityReport } from '../../lib/report';
import { failures, parseArgs, runCli } from '../../lib/report/cli';
import { synthesizeReport } from './report-fixture';

/** Runs the CLI, capturing what it prints. */
function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let staged: { outdir: string; report: SecurityReport };
let overridden: { outdir: string; report: SecurityReport };

beforeAll(() => {
  staged = synthesizeReport({ stage: 'Prod' });
  overridden = synthesizeReport({
    after: (api) => {
      api.node.findChild('Waf').node.tryRemoveChild('Association');
      (api.stage.node.defaultChild as apigw.CfnStage).addPropertyOverride('MethodSettings.0.DataTraceEnabled', true);
    },
  });
}, 240_000);

describe('cdk-secure-api report', () => {
  it('prints the Markdown report of every SecureApi, nested stage assemblies included', () => {
    const { code, stdout, stderr } = run('report', staged.outdir);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`# Security report: ${staged.report.api.stack}/Api`);
    expect(stdout).toContain('| API5:2023 Broken Function Level Authorization | **covered** |');
  });

  it('prints the reports as a JSON array with --format json', () => {
    const { code, stdout } = run('report', overridden.outdir, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([overridden.report]);
  });

  it('exits 0 with --fail-on partial,not-covered,weakened when nothing is partial, not covered or weakened', () => {
    expect(run('report', staged.outdir, '--fail-on', 'partial,not-covered,weakened').code).toBe(0);
  });

  it('exits 1 with --fail-on weakened when an escape hatch removed the web ACL association, naming the stage', () => {
    const { code, stderr } = run('report', overridden.outdir, '--fail-on=weakened');
    expect(code).toBe(1);
    expect(stderr).toContain(
      `FAIL Test/Api: weakened default (template override) (${overridden.report.api.stage}): no web ACL is associated with the stage`,
    );
  });

  it('exits 1 with --fail-on not-covered when a risk lost its controls, and with --fail-on partial for a partial one', () => {
    const notCovered = run('report', overridden.outdir, '--fail-on', 'not-covered');
    expect(notCovered.code).toBe(1);
    expect(notCovered.stderr).toContain('FAIL Test/Api: API7:2023 Server Side Request Forgery is not covered');
    expect(notCovered.stderr).not.toContain('is partial');
    const partial = run('report', overridden.outdir, '--fail-on', 'partial');
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('FAIL Test/Api: API8:2023 Security Misconfiguration is partial');
  });

  it('exits 2 on a bad option, a missing assembly, or an assembly without reports', () => {
    expect(run('report', staged.outdir, '--format', 'yaml')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--format must be json or markdown, got 'yaml'"),
    });
    expect(run('report', '--fail-on', 'sometimes')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--fail-on must be partial, not-covered or weakened, got 'sometimes'"),
    });
    expect(run('audit')).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: cdk-secure-api report') });
    expect(run('report', path.join(staged.outdir, 'missing'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no cloud assembly at'),
    });
    expect(run('report', mkdtempSync(path.join(tmpdir(), 'empty-assembly-')))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no SecureApi security report'),
    });
  });
});

describe('parseArgs', () => {
  it('defaults to cdk.out and Markdown, and accepts repeated and comma-separated --fail-on', () => {
    expect(parseArgs(['report'])).toEqual({ assembly: 'cdk.out', format: 'markdown', failOn: [] });
    expect(parseArgs(['report', 'out', '--fail-on', 'partial', '--fail-on=weakened,not-covered'])).toEqual({
      assembly: 'out',
      format: 'markdown',
      failOn: ['partial', 'weakened', 'not-covered'],
    });
  });
});

describe('failures', () => {
  it('counts not covered under --fail-on partial, and only weakened defaults under --fail-on weakened', () => {
    const report = overridden.report;
    expect(failures(report, ['partial']).some((f) => f.includes('is not covered'))).toBe(true);
    expect(failures(report, ['weakened']).every((f) => f.includes('weakened default'))).toBe(true);
    expect(failures(staged.report, ['partial', 'not-covered', 'weakened'])).toEqual([]);
  });
});
