import { OperationRef, SecurityReport } from './types';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => '`' + text.replace(/`/g, "'") + '`';

/** Renders a security report as Markdown for auditors: OWASP table, evidence, Security Hub table, attack surface. */
export function renderReportMarkdown(report: SecurityReport): string {
  const lines: string[] = [];
  const { api, summary } = report;
  lines.push(`# Security report: ${api.stack}/${api.path}`, '');
  lines.push(
    `REST API ${code(api.restApi ?? '(absent)')}, stage ${code(api.stage ?? '(absent)')}, ${api.operations} operations. Evaluated on the synthesized template, so overrides and escape hatches count.`,
    '',
  );
  lines.push(
    `OWASP API Top 10 (2023): ${summary.owasp.covered} covered, ${summary.owasp.partial} partial, ${summary.owasp['user responsibility']} user responsibility, ${summary.owasp['not covered']} not covered. ` +
      `Security Hub: ${summary.securityHub.pass} pass, ${summary.securityHub.fail} fail, ${summary.securityHub['not judgeable']} not judgeable, ${summary.securityHub['not applicable']} not applicable. ` +
      `Weakened defaults: ${summary.weakened}.`,
    '',
  );
  lines.push('## OWASP API Security Top 10 (2023)', '', '| Risk | Status | Controls | You must still |', '|---|---|---|---|');
  for (const f of report.owasp)
    lines.push(`| ${f.id} ${cell(f.title)} | **${f.status}** | ${cell(f.controls.join('; ') || '—')} | ${cell(f.userMustDo.join(' '))} |`);
  lines.push('');
  lines.push('### Evidence', '');
  for (const f of report.owasp) {
    lines.push(`**${f.id} ${f.title}** (${f.status})`, '');
    if (f.evidence.length === 0) lines.push('- (nothing to read)');
    for (const e of f.evidence) lines.push(`- ${e.holds ? '✔' : '✘'} ${code(e.resource)} ${code(e.setting)} = ${code(e.value)}`);
    lines.push('');
  }
  lines.push('## AWS Security Hub controls', '', '| Control | Status | Resources |', '|---|---|---|');
  for (const c of report.securityHub) {
    const resources =
      c.resources.length === 0 ? '—' : c.resources.map((r) => `${code(r.resource)} ${r.status}: ${r.evidence}`).join('<br>');
    lines.push(`| ${c.id} ${cell(c.title)} | **${c.status}** | ${cell(resources)} |`);
  }
  lines.push('');
  lines.push('## Attack surface', '');
  const section = (title: string, ops: OperationRef[]) => {
    lines.push(`### ${title} (${ops.length})`, '');
    if (ops.length === 0) lines.push('- none');
    for (const o of ops) lines.push(`- ${code(`${o.method} ${o.path}`)} (${o.operationId}): ${o.detail}`);
    lines.push('');
  };
  const s = report.attackSurface;
  section('Public operations', s.publicOperations);
  section('Authenticated, no scope required', s.authWithoutScopes);
  section('API key only', s.apiKeyOnly);
  section('Validation gaps', s.validationGaps);
  section('Request bodies beyond WAF inspection', s.bodiesBeyondWafInspection);
  section('Sent straight to an AWS service', s.awsServiceIntegrations);
  lines.push(`### Weakened defaults (${s.weakenedDefaults.length})`, '');
  if (s.weakenedDefaults.length === 0) lines.push('- none');
  for (const w of s.weakenedDefaults)
    lines.push(`- ${code(w.prop)}${w.resource !== undefined ? ` on ${code(w.resource)}` : ''}: ${w.detail}`);
  lines.push('');
  // Every entry is one line: a line break inside a string from the document or the template (an operationId, a
  // path, an evidence value) would end its list item, and what follows would render as the report's own Markdown.
  return lines.map(oneLine).join('\n');
}

/** Folds every line break Markdown reads (`\r\n`, `\r`, `\n`, U+2028, U+2029) into a space. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}
