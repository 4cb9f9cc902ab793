import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { attachCustomSynthesis, CfnResource, Names, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ReportInput, ReportWarning } from './api-model';
import { buildSecurityReport } from './build-report';
import { renderReportMarkdown } from './markdown';
import { isObject, propsOf, resourcesOfType } from './template';
import { SecurityReport } from './types';

/** The suffix of report files in the cloud assembly. */
export const REPORT_SUFFIX = '.secure-api-report';

/**
 * Writes the security report of `api` into the cloud assembly at synth, from the stack's final
 * template. The writer is a construct added to the stack's stage after the stack, so the stage
 * synthesizes (writes) the template first and the writer reads it back: whatever changed the template
 * after SecureApi was built (aspects, `addPropertyOverride`, `node.tryRemoveChild`) is in the report.
 */
export function attachSecurityReport(api: Construct, findings: ReportWarning[] = []): void {
  const stack = Stack.of(api);
  const stage = Stage.of(stack);
  if (stage === undefined) return;
  const writer = new Construct(stage, `SecureApiSecurityReport${Names.uniqueId(api)}`);
  attachCustomSynthesis(writer, { onSynthesize: (session) => writeSecurityReport(api, stack, session.outdir, findings) });
}

/** The report files' base name: `<stack artifact id>.<construct path inside the stack, dotted>`. */
export function reportBaseName(api: IConstruct, stack: Stack): string {
  const relative = api.node.path.slice(stack.node.path.length + 1);
  return `${stack.artifactId}.${relative.replace(/\//g, '.')}${REPORT_SUFFIX}`;
}

/**
 * Builds and writes the JSON report and its Markdown rendering; returns the report. `findings` are the
 * per-operation details of warnings the construct grouped into one annotation per kind: the report
 * judges them one by one, in place of the grouped annotation of the same id.
 */
export function writeSecurityReport(
  api: IConstruct,
  stack: Stack,
  outdir: string,
  findings: ReportWarning[] = [],
): SecurityReport | undefined {
  const templateFile = path.join(outdir, stack.templateFile);
  if (!existsSync(templateFile)) return undefined;
  const template = JSON.parse(readFileSync(templateFile, 'utf8'));
  const groupedIds = new Set(findings.map((f) => f.id));
  const input: ReportInput = {
    stack: stack.artifactId,
    path: api.node.path.slice(stack.node.path.length + 1),
    template,
    ownedResources: ownedLogicalIds(api, stack),
    warnings: [...collectWarnings(api).filter((w) => !groupedIds.has(w.id)), ...findings],
    // Assets of stacks inside a Stage are staged in the root assembly's directory, not the stage's.
    includedBody: includedBody(template, Stage.of(stack)?.assetOutdir ?? outdir),
    authorizerRoutes: authorizerRoutes(template, Stage.of(stack)?.assetOutdir ?? outdir),
  };
  const report = buildSecurityReport(input);
  const base = path.join(outdir, reportBaseName(api, stack));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderReportMarkdown(report));
  return report;
}

/** Logical ids of the CloudFormation resources inside the construct (in its own stack). */
export function ownedLogicalIds(api: IConstruct, stack: Stack): string[] {
  return api.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack)
    .map((c) => stack.resolve(c.logicalId) as string)
    .sort();
}

/** The warnings (`addWarningV2`) left on the construct and everything inside it, as `{ id, message }`. */
export function collectWarnings(api: IConstruct): ReportWarning[] {
  const out: ReportWarning[] = [];
  for (const construct of api.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:warning' || typeof entry.data !== 'string') continue;
      const match = /^([\s\S]*) \[ack: ([^\]]+)\]$/.exec(entry.data);
      out.push(match === null ? { id: '(unidentified)', message: entry.data } : { id: match[2], message: match[1] });
    }
  }
  return out;
}

/** The body an `AWS::Include` transform pulls from S3, read from its asset file in the assembly. */
function includedBody(
  template: { Resources?: { [id: string]: { Type: string; Properties?: { [k: string]: unknown } } } },
  outdir: string,
): unknown {
  for (const [, api] of resourcesOfType(template, 'AWS::ApiGateway::RestApi')) {
    const body = propsOf(api).Body;
    if (!isObject(body) || !('Fn::Transform' in body)) continue;
    const hash = /[0-9a-f]{64}/.exec(JSON.stringify(body))?.[0];
    const file = hash === undefined ? undefined : path.join(outdir, `asset.${hash}.json`);
    if (file !== undefined && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  }
  return undefined;
}

/** The scope maps (`routes.json`) in the assets of the template's Lambda functions, by function logical id. */
function authorizerRoutes(
  template: { Resources?: { [id: string]: { Type: string; Properties?: { [k: string]: unknown } } } },
  outdir: string,
): { [id: string]: { [route: string]: string[][] } } {
  const out: { [id: string]: { [route: string]: string[][] } } = {};
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const code = propsOf(fn).Code;
    const key = isObject(code) && typeof code.S3Key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(code.S3Key)?.[1] : undefined;
    const file = key === undefined ? undefined : path.join(outdir, `asset.${key}`, 'routes.json');
    if (file === undefined || !existsSync(file)) continue;
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isObject(parsed) && isObject(parsed.routes)) out[id] = parsed.routes as { [route: string]: string[][] };
  }
  return out;
}
