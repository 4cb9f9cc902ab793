import { ArnFormat, Lazy, Resource, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { BodyContribution, JsonObject, KeyedOperation, PropCheck, resolveOperationKeys } from '../openapi';
import { grantScope } from './grant-scope';
import { AccountGrant, buildInvokePolicy, checkPolicySize, PolicyStatementJson, stageResource } from './invoke-policy';
import { InvokeRoute, invokeRoutesOf } from './invoke-routes';

/** What the composition root gives the access concern. */
export interface ApiAccessProps {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  /** The stage every method ARN is under. */
  readonly stageName: string;
  /** The document's operations, to resolve operationIds and route keys. */
  readonly operations: readonly KeyedOperation[];
  /** The resource policy's Denies of callers by network origin (from the TLS concern). */
  readonly callerRestrictions: readonly PolicyStatementJson[];
}

/** A principal of another account and the operations granted to it so far. */
interface ForeignGrantee {
  readonly principal: unknown;
  readonly name: string;
  readonly account?: string;
  readonly wholeAccount: boolean;
  readonly operationIds: Set<string>;
}

const INVOKE = 'execute-api:Invoke';

/**
 * Who may invoke which route: IAM grants (`SecureApi.grantExecute`) and the API's resource policy. The
 * policy is a lazy value of the body (`x-amazon-apigateway-policy`) and of the RestApi's `Policy`, so a grant
 * to another account made after SecureApi was created still reaches both. Its decisions are pure
 * (`invoke-policy.ts`, `grant-scope.ts`); this class only connects them to the principals and the API.
 */
export class ApiAccess {
  /** The body's resource policy (absent while nothing calls for one). */
  public readonly bodyContribution: BodyContribution;
  private readonly props: ApiAccessProps;
  private readonly foreign = new Map<string, ForeignGrantee>();
  private routes?: InvokeRoute[];
  private api?: apigw.SpecRestApi;
  private bodyPublished = false;

  constructor(props: ApiAccessProps) {
    this.props = props;
    this.bodyContribution = { rootExtensions: { 'x-amazon-apigateway-policy': Lazy.uncachedAny({ produce: () => this.policy() }) } };
  }

  /** Reads the routes and their mechanisms from the emitted body (before it is placed). */
  public readBody(body: JsonObject): void {
    this.routes = invokeRoutesOf(body);
  }

  /**
   * Puts the same policy on the RestApi resource. `bodyPublished`: the body went to S3 when SecureApi was
   * created, so the policy in it can no longer grow.
   */
  public applyTo(api: apigw.SpecRestApi, bodyPublished: boolean): void {
    this.api = api;
    this.bodyPublished = bodyPublished;
    (api.node.defaultChild as apigw.CfnRestApi).policy = Lazy.uncachedAny({ produce: () => this.policy() });
    api.node.addValidation({
      validate: () => {
        const policy = this.policy();
        if (policy === undefined) return [];
        try {
          checkPolicySize(Stack.of(api).resolve(policy), new PropCheck(this.props.label));
          return [];
        } catch (error) {
          return [(error as Error).message];
        }
      },
    });
  }

  /**
   * Grants `execute-api:Invoke` on exactly the given IAM operations (operationIds or route keys) to the
   * grantee's identity policy, denying in the same policy every other IAM route their patterns reach. A
   * principal of another account is also allowed those operations, and denied the others their patterns
   * reach, in the API's resource policy.
   */
  public grantExecute(grantee: iam.IGrantable, operationKeys: readonly string[]): iam.Grant {
    const check = new PropCheck(this.props.label, 'grantExecute');
    const api = this.api;
    const routes = this.routes;
    // Invariant (a bug, not configuration):
    if (api === undefined || routes === undefined) throw new Error('grantExecute before the API exists');
    const operationIds = resolveOperationKeys(operationKeys, this.props.operations, check, '');
    const scope = grantScope(routes, operationIds, check);
    const stack = Stack.of(api);
    const arns = (patterns: string[]) =>
      patterns.map((pattern) =>
        stack.formatArn({
          service: 'execute-api',
          resource: api.restApiId,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          resourceName: `${this.props.stageName}/${pattern}`,
        }),
      );
    const principal = grantee.grantPrincipal;
    let grant = iam.Grant.addToPrincipal({ grantee, actions: [INVOKE], resourceArns: arns(scope.allow) });
    if (grant.success && scope.deny.length > 0) {
      principal.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: [INVOKE], resources: arns(scope.deny) }));
    }
    if (this.sameAccount(stack, principal)) {
      check.that(
        grant.success,
        '',
        `cannot add the permission to ${describePrincipal(grantee)}: it has no identity policy this app can change (an imported immutable role, or the account itself); grant a role or user, or give it the permission where it is defined`,
      );
      return grant;
    }

    // Another account decides its principals' own policies (Table B): the resource policy is the half we write.
    check.that(
      !this.bodyPublished,
      '',
      `to ${describePrincipal(grantee)} needs the API's resource policy, but the API body (which carries it) was published to S3 when SecureApi was created; use bodyPlacement: BodyPlacement.inline()`,
    );
    const foreign = this.foreignGrantee(grantee, check);
    const before = new Set(foreign.operationIds);
    operationIds.forEach((id) => foreign.operationIds.add(id));
    try {
      this.policy(); // every grant's scope and their agreement, checked now, at the call
    } catch (error) {
      foreign.operationIds.clear();
      before.forEach((id) => foreign.operationIds.add(id));
      if (foreign.operationIds.size === 0) this.foreign.delete(foreign.name);
      throw error;
    }
    const statement = new iam.PolicyStatement({
      actions: [INVOKE],
      principals: [principal],
      resources: scope.allow.map((pattern) => stageResource(this.props.stageName, pattern)),
    });
    grant = grant.combine(
      iam.Grant.addStatementToResourcePolicy({
        grantee,
        actions: [INVOKE],
        resourceArns: arns(scope.allow),
        resource:
          (api.node.tryFindChild('GrantedAccess') as GrantedAccessPolicy | undefined) ?? new GrantedAccessPolicy(api, 'GrantedAccess'),
        statement,
      }),
    );
    return grant;
  }

  /** The resource policy, or undefined while nothing calls for one. */
  private policy(): { [key: string]: unknown } | undefined {
    const routes = this.routes;
    // Invariant (a bug, not configuration):
    if (routes === undefined) throw new Error('the resource policy is needed before the body was read');
    const check = new PropCheck(this.props.label, 'grantExecute');
    const grants: AccountGrant[] = [...this.foreign.values()].map((g) => ({
      principal: g.principal,
      name: g.name,
      account: g.account,
      wholeAccount: g.wholeAccount,
      scope: grantScope(routes, [...g.operationIds].sort(), check),
    }));
    return buildInvokePolicy(
      { stageName: this.props.stageName, routes, restrictions: this.props.callerRestrictions, grants },
      new PropCheck(this.props.label),
    );
  }

  /**
   * The same account as the API, as CDK's own grants decide it (unresolved on both sides: the same stack's
   * account), and also when the principal's account is the deployment's own (`AWS::AccountId`).
   */
  private sameAccount(stack: Stack, principal: iam.IPrincipal): boolean {
    if (principal.principalAccount === undefined) return false;
    const comparison = Token.compareStrings(stack.account, principal.principalAccount);
    if (comparison === TokenComparison.SAME || comparison === TokenComparison.BOTH_UNRESOLVED) return true;
    const account = JSON.stringify(stack.resolve(principal.principalAccount));
    return account === JSON.stringify(stack.resolve(stack.account)) || account === JSON.stringify({ Ref: 'AWS::AccountId' });
  }

  private foreignGrantee(grantee: iam.IGrantable, check: PropCheck): ForeignGrantee {
    const principal = grantee.grantPrincipal;
    const json = principal.policyFragment.principalJson;
    const names = Object.keys(json);
    check.that(
      names.length === 1 && names[0] === 'AWS' && json.AWS.length === 1,
      '',
      `to ${describePrincipal(grantee)}: a grant to another account goes through the API's resource policy, which names AWS accounts, roles and users; this principal is none of them`,
    );
    const value = json.AWS[0];
    const literal = typeof value === 'string' && !Token.isUnresolved(value) ? value : undefined;
    const wholeAccount =
      principal instanceof iam.AccountPrincipal || (literal !== undefined && /^(?:\d{12}|arn:[^:]+:iam::\d{12}:root)$/.test(literal));
    const account =
      principal.principalAccount !== undefined && !Token.isUnresolved(principal.principalAccount) ? principal.principalAccount : undefined;
    const name = describePrincipal(grantee);
    const existing = this.foreign.get(name);
    if (existing !== undefined) return existing;
    const created: ForeignGrantee = { principal: value, name, account, wholeAccount, operationIds: new Set() };
    this.foreign.set(name, created);
    return created;
  }
}

/** A name for messages and a stable order: the account, the literal ARN, or the construct path. */
function describePrincipal(grantee: iam.IGrantable): string {
  const principal = grantee.grantPrincipal;
  if (principal instanceof iam.AccountPrincipal && !Token.isUnresolved(String(principal.accountId)))
    return `account ${principal.accountId}`;
  const arn = (principal as { arn?: unknown }).arn ?? (principal as { roleArn?: unknown }).roleArn;
  if (typeof arn === 'string' && !Token.isUnresolved(arn)) return arn;
  if (Construct.isConstruct(grantee)) return (grantee as IConstruct).node.path;
  return principal.toString();
}

/**
 * What `iam.Grant` records a cross-account grant's resource statement on: the RestApi's policy, which
 * {@link ApiAccess} writes itself (the statement `iam.Grant` sees carries full ARNs, which the RestApi's own
 * policy cannot name without a dependency on itself).
 */
class GrantedAccessPolicy extends Resource implements iam.IResourceWithPolicy {
  constructor(
    private readonly api: apigw.SpecRestApi,
    id: string,
  ) {
    super(api, id);
  }

  public addToResourcePolicy(_statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return { statementAdded: true, policyDependable: this.api };
  }
}
