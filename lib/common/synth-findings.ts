import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, attachCustomSynthesis, Names, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { PipelineWarning } from '../model';

/** The suffix of the findings file in the cloud assembly. */
export const FINDINGS_SUFFIX = '.secure-api-findings.json';

/** Operations named in a grouped annotation before it says "and N more". */
export const SHOWN_OPERATIONS = 8;

/** One annotation: a kind of finding and the operations it covers. */
export interface GroupedFinding {
  /** `cdk-secure-api:<kind>`: stable, so `Annotations.acknowledgeWarning` keeps working. */
  readonly id: string;
  readonly level: 'info' | 'warning';
  readonly message: string;
  /** Every finding of the kind, one per operation (or per place), as the pipeline wrote it. */
  readonly details: ReadonlyArray<{ readonly operationId?: string; readonly message: string }>;
}

/**
 * The annotation id of a pipeline finding. Keywords with a value (`format:uuid`, `type:integer`,
 * `content-type:text/plain`, `securityScheme:oauth`) are one kind per keyword (`format`), so a document
 * gives a handful of annotations whatever its size; the value stays in each operation's detail.
 */
export function findingId(warning: PipelineWarning): string {
  const keyword = warning.keyword ?? 'openapi';
  const kind = /^(format|type|content-type|securityScheme):/.test(keyword) ? keyword.split(':')[0] : keyword;
  return `cdk-secure-api:${kind.replace(/[^A-Za-z0-9:_-]/g, '_')}`;
}

/**
 * Groups the pipeline's findings: one annotation per kind. A kind with one finding keeps its message;
 * a kind with several names the operations (the first {@link SHOWN_OPERATIONS}, then the count) and the
 * file in the cloud assembly that holds every operation's own message.
 */
export function groupFindings(warnings: readonly PipelineWarning[], detailFile: string): GroupedFinding[] {
  const byId = new Map<string, PipelineWarning[]>();
  for (const w of warnings) byId.set(findingId(w), [...(byId.get(findingId(w)) ?? []), w]);
  return [...byId.entries()].map(([id, list]) => {
    const level = list[0].level ?? 'warning';
    const details = list.map((w) => ({ ...(w.operationId !== undefined ? { operationId: w.operationId } : {}), message: w.message }));
    if (list.length === 1) return { id, level, message: list[0].message, details };
    const operations = [...new Set(list.map((w) => w.operationId).filter((o): o is string => o !== undefined))];
    const shown = operations
      .slice(0, SHOWN_OPERATIONS)
      .map((o) => `'${o}'`)
      .join(', ');
    const more = operations.length > SHOWN_OPERATIONS ? ` and ${operations.length - SHOWN_OPERATIONS} more` : '';
    const example = list[0].message.replace(/^operation '[^']*': /, '');
    const covers = operations.length > 0 ? `${operations.length} operation(s) (${shown}${more})` : `${list.length} place(s)`;
    return {
      id,
      level,
      message: `${list.length} finding(s) of kind '${id.slice('cdk-secure-api:'.length)}' on ${covers}; the first: ${example}. Every operation's detail is in ${detailFile} in the cloud assembly`,
      details,
    };
  });
}

/** The findings file's name: `<stack artifact id>.<construct path inside the stack, dotted>.secure-api-findings.json`. */
export function findingsFileName(api: IConstruct): string {
  const stack = Stack.of(api);
  const relative = api.node.path.slice(stack.node.path.length + 1);
  return `${stack.artifactId}.${relative.replace(/\//g, '.')}${FINDINGS_SUFFIX}`;
}

/**
 * Reports the pipeline's findings on `api`: one annotation per kind, and the full per-operation detail
 * in a JSON file of the cloud assembly (by annotation id), written when the stage synthesizes.
 */
export function reportFindings(api: Construct, warnings: readonly PipelineWarning[]): GroupedFinding[] {
  const file = findingsFileName(api);
  const grouped = groupFindings(warnings, file);
  for (const g of grouped) {
    if (g.level === 'info') Annotations.of(api).addInfoV2(g.id, g.message);
    else Annotations.of(api).addWarningV2(g.id, g.message);
  }
  const stage = Stage.of(api);
  if (stage !== undefined && grouped.length > 0) {
    const writer = new Construct(stage, `SecureApiFindings${Names.uniqueId(api)}`);
    const content = Object.fromEntries(grouped.map((g) => [g.id, { level: g.level, findings: g.details }]));
    attachCustomSynthesis(writer, {
      onSynthesize: (session) => writeFileSync(path.join(session.outdir, file), `${JSON.stringify(content, null, 2)}\n`),
    });
  }
  return grouped;
}

/** The warnings among grouped findings, one entry per detail: what the security report lists as open findings. */
export function warningDetails(findings: readonly GroupedFinding[]): Array<{ id: string; message: string }> {
  return findings.filter((f) => f.level === 'warning').flatMap((f) => f.details.map((d) => ({ id: f.id, message: d.message })));
}
