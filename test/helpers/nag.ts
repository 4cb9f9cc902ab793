import { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';

/**
 * Runs the five cdk-nag packs SecureApi must pass over a construct tree and returns every
 * unacknowledged finding as `RuleId at construct/path`. An empty list means clean.
 */
export function nagFindings(scope: IConstruct): string[] {
  const packs = [
    new AwsSolutionsChecks(),
    new NIST80053R5Checks(),
    new HIPAASecurityChecks(),
    new PCIDSS321Checks(),
    new ServerlessChecks(),
  ];
  const findings: string[] = [];
  for (const pack of packs) {
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push(`${violation.ruleName} at ${resource.resourceLogicalId ?? ''} ${resource.locations?.join(',') ?? ''}`.trim());
      }
    }
  }
  return findings.sort();
}
