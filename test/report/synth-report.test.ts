// Where and from what the report is written: the body included from S3, a SecureApi in a nested stack,
// and the Markdown rendering.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { BodyPlacement, OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { renderReportMarkdown, SecurityReport } from '../../lib/report';
import { itemsDocument, risk, synthesizeReport } from './report-fixture';

describe('the report written at synth', () => {
  it('reads the operations from the S3-included body’s asset when the body is not inline', () => {
    const { report } = synthesizeReport({ props: { bodyPlacement: BodyPlacement.s3() } });
    expect(report.api.operations).toBe(7);
    expect(risk(report, 'API1:2023').evidence[0].setting).toMatch(/^Body \(AWS::Include from S3\)\.paths\./);
    expect(risk(report, 'API5:2023').status).toBe('covered');
  });

  it('is written for a SecureApi inside a nested stack, from the nested template', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'secure-api-nested-'));
    const app = new App({ outdir });
    const parent = new Stack(app, 'Parent', { env: { account: '111111111111', region: 'eu-west-1' } });
    const nested = new NestedStack(parent, 'Inner');
    new SecureApi(nested, 'Api', {
      openApi: OpenApi.fromObject(itemsDocument({ secured: false })),
      defaultIntegration: OperationIntegration.mock(),
    });
    app.synth();
    const file = path.join(outdir, `${nested.artifactId}.Api.secure-api-report.json`);
    expect(existsSync(file)).toBe(true);
    const report = JSON.parse(readFileSync(file, 'utf8')) as SecurityReport;
    expect(report.api.operations).toBe(5);
    expect(report.attackSurface.weakenedDefaults.map((w) => w.prop)).toContain('auth');
  });
});

describe('renderReportMarkdown', () => {
  it('escapes table cells and marks evidence that does not hold', () => {
    const report = {
      schemaVersion: 1,
      api: { stack: 'S', path: 'Api', operations: 0 },
      summary: {
        owasp: { covered: 0, partial: 1, 'user responsibility': 0, 'not covered': 0 },
        securityHub: { pass: 0, fail: 0, 'not judgeable': 0, 'not applicable': 0 },
        weakened: 0,
      },
      owasp: [
        {
          id: 'API8:2023',
          title: 'Security Misconfiguration',
          status: 'partial',
          controls: ['a | b'],
          evidence: [{ resource: 'Stage', setting: 'TracingEnabled', value: 'false', holds: false }],
          userMustDo: ['x'],
        },
      ],
      securityHub: [],
      attackSurface: {
        publicOperations: [],
        authWithoutScopes: [],
        apiKeyOnly: [],
        validationGaps: [],
        bodiesBeyondWafInspection: [],
        awsServiceIntegrations: [],
        weakenedDefaults: [],
      },
    } as SecurityReport;
    const markdown = renderReportMarkdown(report);
    expect(markdown).toContain('| API8:2023 Security Misconfiguration | **partial** | a \\| b | x |');
    expect(markdown).toContain('- ✘ `Stage` `TracingEnabled` = `false`');
    expect(markdown).toContain('REST API `(absent)`');
  });
});
