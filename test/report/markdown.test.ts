import { renderReportMarkdown } from '../../lib/report/markdown';
import { AttackSurface, OperationRef, SecurityReport } from '../../lib/report/types';

function report(overrides: Partial<SecurityReport> = {}, surface: Partial<AttackSurface> = {}): SecurityReport {
  return {
    schemaVersion: 1,
    api: { stack: 'PetsStack', path: 'Api', restApi: 'ApiRestApi', stage: 'ApiStage', operations: 2 },
    summary: {
      owasp: { covered: 1, partial: 2, 'user responsibility': 3, 'not covered': 4 },
      securityHub: { pass: 5, fail: 6, 'not judgeable': 7, 'not applicable': 8 },
      weakened: 9,
    },
    owasp: [
      {
        id: 'API2:2023',
        title: 'Broken Authentication',
        status: 'covered',
        controls: ['JWT authorizer', 'WAF rate rule'],
        evidence: [
          { resource: 'ApiAuthorizer', setting: 'Type', value: 'REQUEST', holds: true },
          { resource: 'ApiStage', setting: 'TracingEnabled', value: 'false', holds: false },
        ],
        userMustDo: ['Rotate keys.', 'Review scopes.'],
      },
      { id: 'API9:2023', title: 'Improper Inventory Management', status: 'not covered', controls: [], evidence: [], userMustDo: [] },
    ],
    securityHub: [
      {
        id: 'APIGateway.1',
        title: 'Execution logging',
        status: 'pass',
        resources: [
          { resource: 'ApiStage', resourceType: 'AWS::ApiGateway::Stage', status: 'pass', evidence: 'LoggingLevel INFO' },
          { resource: 'OtherStage', resourceType: 'AWS::ApiGateway::Stage', status: 'pass', evidence: 'LoggingLevel ERROR' },
        ],
      },
      { id: 'APIGateway.8', title: 'Authorization', status: 'not applicable', resources: [] },
    ],
    attackSurface: {
      publicOperations: [],
      authWithoutScopes: [],
      apiKeyOnly: [],
      validationGaps: [],
      bodiesBeyondWafInspection: [],
      awsServiceIntegrations: [],
      weakenedDefaults: [],
      ...surface,
    },
    ...overrides,
  };
}

const lines = (markdown: string) => markdown.split('\n');
const op = (o: Partial<OperationRef> = {}): OperationRef => ({
  operationId: 'getPet',
  method: 'GET',
  path: '/pets/{petId}',
  detail: 'no authorizer',
  ...o,
});

describe('renderReportMarkdown', () => {
  it('titles the report with the stack and construct path, and names the REST API and stage', () => {
    const markdown = renderReportMarkdown(report());
    expect(lines(markdown)[0]).toBe('# Security report: PetsStack/Api');
    expect(markdown).toContain('REST API `ApiRestApi`, stage `ApiStage`, 2 operations.');
  });

  it('says (absent) for a REST API or stage the template does not hold', () => {
    const markdown = renderReportMarkdown(report({ api: { stack: 'S', path: 'Api', operations: 0 } }));
    expect(markdown).toContain('REST API `(absent)`, stage `(absent)`, 0 operations.');
  });

  it('summarizes every count of the summary', () => {
    expect(renderReportMarkdown(report())).toContain(
      'OWASP API Top 10 (2023): 1 covered, 2 partial, 3 user responsibility, 4 not covered. ' +
        'Security Hub: 5 pass, 6 fail, 7 not judgeable, 8 not applicable. Weakened defaults: 9.',
    );
  });

  it('writes one OWASP table row per risk, with a dash for no controls', () => {
    const markdown = renderReportMarkdown(report());
    expect(markdown).toContain(
      '| API2:2023 Broken Authentication | **covered** | JWT authorizer; WAF rate rule | Rotate keys. Review scopes. |',
    );
    expect(markdown).toContain('| API9:2023 Improper Inventory Management | **not covered** | — |  |');
  });

  it('lists evidence with a mark for what holds and what does not, and says when there is none', () => {
    const markdown = renderReportMarkdown(report());
    expect(markdown).toContain('- ✔ `ApiAuthorizer` `Type` = `REQUEST`');
    expect(markdown).toContain('- ✘ `ApiStage` `TracingEnabled` = `false`');
    expect(markdown).toContain('**API9:2023 Improper Inventory Management** (not covered)\n\n- (nothing to read)');
  });

  it('writes one Security Hub row per control, its resources joined by <br>, a dash when none', () => {
    const markdown = renderReportMarkdown(report());
    expect(markdown).toContain(
      '| APIGateway.1 Execution logging | **pass** | `ApiStage` pass: LoggingLevel INFO<br>`OtherStage` pass: LoggingLevel ERROR |',
    );
    expect(markdown).toContain('| APIGateway.8 Authorization | **not applicable** | — |');
  });

  it('lists each attack-surface section with its count, and "none" for an empty one', () => {
    const markdown = renderReportMarkdown(report({}, { publicOperations: [op()] }));
    expect(markdown).toContain('### Public operations (1)\n\n- `GET /pets/{petId}` (getPet): no authorizer');
    for (const title of ['Authenticated, no scope required', 'API key only', 'Validation gaps', 'Request bodies beyond WAF inspection'])
      expect(markdown).toContain(`### ${title} (0)\n\n- none`);
    expect(markdown).toContain('### Weakened defaults (0)\n\n- none');
  });

  it('names the prop and, when known, the resource of a weakened default', () => {
    const markdown = renderReportMarkdown(
      report(
        {},
        {
          weakenedDefaults: [
            { prop: 'waf.enabled', resource: 'ApiWebAcl', detail: 'WAF is off' },
            { prop: 'auth', detail: 'public' },
          ],
        },
      ),
    );
    expect(markdown).toContain('- `waf.enabled` on `ApiWebAcl`: WAF is off');
    expect(markdown).toContain('- `auth`: public');
  });

  it('escapes a pipe in a table cell and folds a newline, so a value cannot add a column or a row', () => {
    const hostile = report({
      owasp: [
        { id: 'API8:2023', title: 'Mis|config', status: 'partial', controls: ['a | b'], evidence: [], userMustDo: ['line one\nline two'] },
      ],
    });
    const row = lines(renderReportMarkdown(hostile)).find((l) => l.startsWith('| API8:2023'));
    expect(row).toBe('| API8:2023 Mis\\|config | **partial** | a \\| b | line one line two |');
  });

  it('keeps a backtick from closing a code span early', () => {
    const markdown = renderReportMarkdown(
      report({
        owasp: [
          {
            id: 'API1:2023',
            title: 'BOLA',
            status: 'partial',
            controls: [],
            evidence: [{ resource: 'R', setting: 'S', value: 'a`b', holds: true }],
            userMustDo: [],
          },
        ],
      }),
    );
    expect(markdown).toContain("- ✔ `R` `S` = `a'b`");
  });

  it('is deterministic: the same report renders the same text', () => {
    expect(renderReportMarkdown(report())).toBe(renderReportMarkdown(report()));
  });

  // Abuse case found by this test (issue 16), fixed: values outside the tables are not escaped for line breaks. An
  // operationId, path or detail from the user's document (or an evidence value from the template)
  // holding a blank line ends its list item, and what follows renders as the report's own Markdown —
  // here a forged heading. Table cells fold `\n` but not `\r`, which Markdown also reads as a line end.
  it('keeps every operation of the attack surface on its own single line, whatever its strings hold', () => {
    const forged = op({ operationId: 'x)\n\n## OWASP API Security Top 10 (2023)\n\nall covered', detail: 'd\r\n# forged' });
    const markdown = renderReportMarkdown(report({}, { publicOperations: [forged] }));
    expect(lines(markdown).filter((l) => l.startsWith('## OWASP'))).toHaveLength(1);
    expect(markdown).not.toMatch(/^# forged/m);
  });

  it('folds a carriage return in a table cell', () => {
    const markdown = renderReportMarkdown(
      report({ owasp: [{ id: 'API8:2023', title: 'T', status: 'partial', controls: ['a\rb'], evidence: [], userMustDo: [] }] }),
    );
    expect(markdown).not.toContain('\r');
  });
});
