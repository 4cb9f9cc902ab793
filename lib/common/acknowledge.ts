import { Stack, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The cdk-nag packs SecureApi is checked against, by rule-id prefix. */
export const NAG_PACK_PREFIXES = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'Serverless'] as const;

/**
 * Acknowledges cdk-nag findings on a construct (and its children) with one reason that an auditor
 * can check. Rule ids are given in full (`AwsSolutions-IAM5[Resource::*]`); the reason is required.
 */
export function acknowledgeFindings(scope: IConstruct, ruleIds: string[], reason: string): void {
  // Invariant (a bug, not configuration): every acknowledgment in SecureApi's code carries an auditable reason.
  if (reason.trim().length < 20)
    throw new Error(`acknowledgeFindings: a reason an auditor can check is required for ${ruleIds.join(', ')}`);
  for (const id of ruleIds) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * A rule of AWS Control Tower's proactive controls as @cdklabs/cdk-validator-cfnguard names it for an
 * acknowledgment, e.g. `controlTowerRule('lambda_inside_vpc_check')` for CT.LAMBDA.PR.3.
 */
export function controlTowerRule(rule: string): string {
  return `cdk-validator-cfnguard::${rule}`;
}

/** The same rule in every pack that has it, e.g. `ruleInPacks('LambdaInsideVPC', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'])`. */
export function ruleInPacks(rule: string, packs: ReadonlyArray<(typeof NAG_PACK_PREFIXES)[number]>): string[] {
  return packs.map((pack) => `${pack}-${rule}`);
}

/**
 * For a Lambda permission that names `SourceAccount` (this stack's account) and `SourceArn`: in an
 * environment-agnostic stack both are intrinsic functions (`AWS::AccountId`, `Fn::Join`), which the offline
 * cfn-guard rule of AWS Control Tower CT.LAMBDA.PR.2 cannot read (it accepts literal strings or a `Ref` to a
 * resource of the template only), so it reports the permission as public. Acknowledged there only: with a concrete
 * account the rule reads the literal and checks it.
 */
export function acknowledgeDeployTimeSourceAccount(permission: IConstruct): void {
  if (!Token.isUnresolved(Stack.of(permission).account)) return;
  acknowledgeFindings(
    permission,
    [controlTowerRule('lambda_function_public_access_prohibited_check')],
    "The permission names SourceAccount and SourceArn; in an environment-agnostic stack they are the deployment's account and ARN, resolved by CloudFormation, which the offline rule cannot read.",
  );
}
