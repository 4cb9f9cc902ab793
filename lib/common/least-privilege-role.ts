import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * An IAM role whose permissions, including every `grant*()` made to it, land in one customer-managed
 * policy attached to this role alone, instead of an inline `DefaultPolicy`. Compliance packs (NIST
 * 800-53, HIPAA, PCI DSS) ask for managed policies so permissions can be reviewed and versioned
 * centrally; AWS-managed policies (IAM4) are never used.
 */
export class LeastPrivilegeRole extends iam.Role {
  private managedPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    if (props.inlinePolicies !== undefined || props.managedPolicies !== undefined) {
      // Invariant (a bug, not configuration): SecureApi's own roles are built this way.
      throw new Error(
        `LeastPrivilegeRole '${id}': pass permissions with addToPrincipalPolicy or grants, not inlinePolicies/managedPolicies`,
      );
    }
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (this.managedPolicy === undefined) {
      this.managedPolicy = new iam.ManagedPolicy(this, 'Permissions', {
        description: `Permissions of ${this.node.path}`,
        roles: [this],
      });
    }
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }
}
