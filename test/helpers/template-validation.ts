import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Apps that already carry the cfn-guard plugin (a plugin added twice would report twice). */
const withGuard = new WeakSet<Stage>();

/** The validation plugins every synthesized configuration in the tests must pass, beside cdk-nag's packs. */
export function addTemplateValidation(app: Stage): void {
  if (withGuard.has(app)) return;
  withGuard.add(app);
  // AWS Control Tower's proactive controls, evaluated offline by the cfn-guard binary the package bundles.
  Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
}

/**
 * Synthesizes the app a construct belongs to with aws-cdk-lib's CloudFormation validation (the
 * "CloudFormation Validate" plugin that every synth runs) and the Control Tower rules of cfn-guard, and
 * returns every finding that is not acknowledged where the resource is made, warnings included, as
 * `plugin: rule at construct/path: message`. An empty list means CloudFormation would accept the
 * templates as far as these checks know.
 */
export function templateFindings(scope: IConstruct): string[] {
  const app = Stage.of(scope);
  if (app === undefined) throw new Error('templateFindings: the construct is not in an App');
  let root: Stage = app;
  while (Stage.of(root) !== undefined) root = Stage.of(root)!;
  addTemplateValidation(root);
  const reportFile = path.join(root.outdir, 'validation-report.json');
  fs.rmSync(reportFile, { force: true });
  try {
    root.synth({ force: true });
  } catch (e) {
    // A failing plugin makes an in-memory synth throw after writing the report, which is read below.
    if (!fs.existsSync(reportFile)) throw e;
  }
  if (!fs.existsSync(reportFile)) return [];
  return findingsOf(JSON.parse(fs.readFileSync(reportFile, 'utf8'))).sort();
}

/** Every unacknowledged violation of a validation report (aws-cdk-lib's validation-report.json), any severity. */
function findingsOf(report: { pluginReports?: PluginReport[] }): string[] {
  const findings: string[] = [];
  for (const plugin of report.pluginReports ?? []) {
    if (plugin.conclusion === 'failure' && (plugin.violations ?? []).length === 0)
      findings.push(`${plugin.pluginName}: failed without a violation (${JSON.stringify(plugin.metadata ?? {})})`);
    for (const violation of plugin.violations ?? []) {
      for (const resource of violation.violatingConstructs ?? []) {
        const where = resource.constructPath || resource.cloudFormationResource?.logicalId || '?';
        findings.push(
          `${plugin.pluginName}: ${violation.severity} ${violation.ruleName} at ${where}: ${violation.description.split('\n')[0]}`,
        );
      }
    }
  }
  return findings;
}

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly metadata?: unknown;
  readonly violations?: Array<{
    readonly ruleName: string;
    readonly description: string;
    readonly severity: string;
    readonly violatingConstructs?: Array<{
      readonly constructPath?: string;
      readonly cloudFormationResource?: { readonly logicalId?: string };
    }>;
  }>;
}
