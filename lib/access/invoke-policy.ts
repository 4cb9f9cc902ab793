import { PropCheck } from '../openapi';
import { patternReaches, routePattern } from './execute-api-arn';
import { GrantScope } from './grant-scope';
import { InvokeRoute } from './invoke-routes';

/**
 * The API's resource policy: who may invoke which route. Pure: the result is the JSON policy document that
 * goes both into the body (`x-amazon-apigateway-policy`) and onto the `AWS::ApiGateway::RestApi` `Policy`.
 *
 * How API Gateway combines it with each route's mechanism (developer guide, "How API Gateway resource
 * policies affect authorization workflow"; {@link evaluateInvoke} implements it): a route with no authorizer
 * or with Cognito needs an explicit Allow; a Lambda authorizer route works with an Allow or with silence;
 * an IAM route takes an Allow here as sufficient for a caller of this account, and as the required half for a
 * caller of another account, whose own account decides the other half. So a `Principal: *` Allow on an IAM
 * route would let in any principal of this account with no permission of its own, and any principal of any
 * account whose administrator allows it `execute-api:Invoke`.
 *
 * Once a policy exists (for source IP or VPC endpoint rules, or a cross-account grant) it therefore says:
 * - `Principal: *` may invoke every route that is not IAM, by its pattern, and only on requests that carry no
 *   IAM principal (`aws:PrincipalAccount` is present only on IAM-authorized requests), so neither the
 *   pattern's reach into deeper routes nor a signed request turns it into an Allow of an IAM route. With no
 *   IAM route, that is `execute-api:/*`, as before.
 * - IAM routes get no `Principal: *` Allow: principals of this account are decided by their own policies
 *   (Table A), as without a resource policy; another account's principal only where a grant names it, on its
 *   patterns, with a Deny of the other IAM routes those patterns reach.
 * - The caller restrictions (source IPs, VPC endpoints) are explicit Denies on every route.
 */

/** API Gateway's limit on a resource policy's size (characters). */
export const RESOURCE_POLICY_MAX_CHARS = 8192;

/** `execute-api:/*` is API Gateway's shorthand for every method of every stage of this API. */
export const ALL_METHODS = 'execute-api:/*';

/** A policy statement as JSON (values may hold CDK tokens). */
export type PolicyStatementJson = { [key: string]: unknown };

/** A principal of another account that a grant names, with the scope of everything granted to it. */
export interface AccountGrant {
  /** The `Principal.AWS` value (an account root or a role/user ARN; may be a token). */
  readonly principal: unknown;
  /** A stable text naming the principal, for ordering and messages. */
  readonly name: string;
  /** Its account, when known at synth time. */
  readonly account?: string;
  /** Whether the principal is a whole account (its Deny then holds for every principal of the account). */
  readonly wholeAccount: boolean;
  readonly scope: GrantScope;
}

export interface InvokePolicyInput {
  /** The stage every pattern is under. */
  readonly stageName: string;
  readonly routes: readonly InvokeRoute[];
  /** Explicit Denies of callers from the wrong address or VPC endpoint (from the TLS concern). */
  readonly restrictions: readonly PolicyStatementJson[];
  readonly grants: readonly AccountGrant[];
}

/** The resource-policy resource of a pattern (after `{stage}/`). */
export function stageResource(stageName: string, pattern: string): string {
  return `execute-api:/${stageName}/${pattern}`;
}

/** The resource policy, or `undefined` when nothing calls for one (no restriction and no cross-account grant). */
export function buildInvokePolicy(input: InvokePolicyInput, check: PropCheck): { [key: string]: unknown } | undefined {
  if (input.restrictions.length === 0 && input.grants.length === 0) return undefined;
  checkGrantsAgree(input.grants, check);
  const statements: PolicyStatementJson[] = [];
  const iam = input.routes.filter((r) => r.mechanism === 'iam');
  const others = input.routes.filter((r) => r.mechanism !== 'iam');
  if (iam.length === 0) {
    statements.push(invokeStatement('AllowInvoke', 'Allow', '*', ALL_METHODS));
  } else if (others.length > 0) {
    statements.push(
      invokeStatement(
        'AllowOperationsWithoutIam',
        'Allow',
        '*',
        [...new Set(others.map((r) => stageResource(input.stageName, routePattern(r.key))))].sort(),
        { Null: { 'aws:PrincipalAccount': 'true' } },
      ),
    );
  }
  [...input.grants]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .forEach((grant, i) => {
      const resources = (patterns: string[]) => patterns.map((p) => stageResource(input.stageName, p));
      statements.push(invokeStatement(`AllowGrant${i + 1}`, 'Allow', { AWS: grant.principal }, resources(grant.scope.allow)));
      if (grant.scope.deny.length > 0) {
        statements.push(
          invokeStatement(`DenyGrant${i + 1}OtherIamOperations`, 'Deny', { AWS: grant.principal }, resources(grant.scope.deny)),
        );
      }
    });
  statements.push(...input.restrictions);
  return { Version: '2012-10-17', Statement: statements };
}

/** An `execute-api:Invoke` statement, its keys in the usual order. */
export function invokeStatement(
  sid: string,
  effect: 'Allow' | 'Deny',
  principal: unknown,
  resource: string | string[],
  condition?: { [operator: string]: unknown },
): PolicyStatementJson {
  return {
    Sid: sid,
    Effect: effect,
    Principal: principal,
    Action: 'execute-api:Invoke',
    Resource: resource,
    ...(condition === undefined ? {} : { Condition: condition }),
  };
}

/**
 * The size check, on the policy with its tokens resolved (a CloudFormation intrinsic is longer than the
 * value it becomes, so the check errs on the safe side).
 */
export function checkPolicySize(resolvedPolicy: unknown, check: PropCheck): void {
  const size = JSON.stringify(resolvedPolicy).length;
  check.that(
    size <= RESOURCE_POLICY_MAX_CHARS,
    'resourcePolicy',
    `is ${size} characters, over API Gateway's limit of ${RESOURCE_POLICY_MAX_CHARS}; merge addresses into wider CIDR ranges or use the web ACL's IP sets, which hold 10,000 addresses, and grant other accounts fewer, wider sets of operations`,
  );
}

/**
 * A whole-account grant's Deny holds for every principal of that account, so it may not deny what a grant
 * to one of that account's roles allows.
 */
function checkGrantsAgree(grants: readonly AccountGrant[], check: PropCheck): void {
  for (const whole of grants.filter((g) => g.wholeAccount && g.account !== undefined)) {
    for (const other of grants) {
      if (other === whole || other.account !== whole.account) continue;
      const clash = other.scope.routes.find((route) => whole.scope.deny.some((pattern) => patternReaches(pattern, route, 'segment')));
      if (clash !== undefined) {
        check.fail(
          'grantExecute',
          `grants ${clash} to ${other.name} but not to its account ${whole.name}, whose grant denies it to every principal of the account (in IAM, * spans '/', so the account's grant must exclude it). Grant the account the same operations, or grant that account's roles one by one`,
        );
      }
    }
  }
}
