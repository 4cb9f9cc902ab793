import { Names, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeDeployTimeSourceAccount } from '../common/acknowledge';
import { ApiOperation, JsonObject } from '../model';
import { withCallerIdentity } from './caller-identity';
import { OperationIntegration } from './operation-integration';
import { withheldHeaderWarning, withholdHeaders } from './withheld-headers';

/** Every operation's integration bound: the `x-amazon-apigateway-integration` objects, and the functions they invoke. */
export interface BoundIntegrations {
  readonly integrations: { [operationId: string]: JsonObject };
  readonly invokedFunctions: lambda.IFunction[];
  /** Operations whose backend still receives the withheld headers (Lambda proxy integrations). */
  readonly withheldHeadersReach: string[];
  /** The synth warning naming those operations, when there are any. */
  readonly withheldHeadersWarning?: string;
  /** The integrations' synth warnings (weakened or unverifiable settings). */
  readonly warnings: string[];
}

/**
 * Binds the integration of every operation (as {@link resolveIntegrations} chose them) in `scope` (the SecureApi),
 * keeping the `withheld.headers` (headers only SecureApi's front and web ACL need) from every backend that API Gateway
 * can keep them from. HTTP backends also get the caller's identity headers: from the JWT authorizer on the operations
 * in `jwtOperationIds`, `-` on the others.
 */
export function bindIntegrations(
  operations: ApiOperation[],
  chosen: Map<string, OperationIntegration>,
  scope: Construct,
  withheld: { readonly headers: readonly string[]; readonly label: string } = { headers: [], label: '' },
  jwtOperationIds: ReadonlySet<string> = new Set(),
): BoundIntegrations {
  const integrations: { [operationId: string]: JsonObject } = {};
  const invokedFunctions: lambda.IFunction[] = [];
  const withheldHeadersReach: string[] = [];
  const warnings: string[] = [];
  for (const operation of operations) {
    const config = chosen.get(operation.operationId)!.bind(operation, scope);
    const kept = withholdHeaders(withCallerIdentity(config.integration, jwtOperationIds.has(operation.operationId)), withheld.headers);
    integrations[operation.operationId] = kept.integration;
    if (!kept.withheld) withheldHeadersReach.push(operation.operationId);
    if (config.invokedFunction) invokedFunctions.push(config.invokedFunction);
    warnings.push(...(config.warnings ?? []));
  }
  const withheldHeadersWarning =
    withheld.headers.length > 0 ? withheldHeaderWarning(withheld.headers.join(', '), withheldHeadersReach, withheld.label) : undefined;
  return { integrations, invokedFunctions, withheldHeadersReach, withheldHeadersWarning, warnings };
}

/**
 * Lets API Gateway invoke each function for `api` only: one permission per function, however many
 * operations it serves, with an id from the owner's and the function's unique ids (stable across synths).
 */
export function grantApiInvoke(owner: IConstruct, api: apigw.IRestApi, functions: lambda.IFunction[]): void {
  const byId = new Map(functions.map((fn) => [Names.nodeUniqueId(fn.node), fn]));
  for (const [uniqueId, fn] of [...byId.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const id = `InvokeBy${Names.nodeUniqueId(owner.node)}${uniqueId.slice(-8)}`;
    fn.addPermission(id, {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: api.arnForExecuteApi('*', '/*', '*'),
      // With the ARN, also the account (AWS Control Tower CT.LAMBDA.PR.2): only this account's API may invoke.
      sourceAccount: Stack.of(owner).account,
    });
    // An imported function of another account gets no permission (addPermission does nothing for it).
    const permission = fn.node.tryFindChild(id);
    if (permission !== undefined) acknowledgeDeployTimeSourceAccount(permission);
  }
}
