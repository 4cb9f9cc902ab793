import { PropCheck } from '../openapi';
import { patternReaches, routePattern } from './execute-api-arn';
import { InvokeRoute } from './invoke-routes';

/**
 * What an IAM grant of some operations allows and denies, as method ARN patterns after `{stage}/`. Pure.
 *
 * A grant allows the pattern of each granted route, a path parameter written `*`. IAM's `*` also spans `/`,
 * so `GET/reports/*` (granting `GET /reports/{id}`) would also allow every request of `GET /reports/{id}/audit`.
 * The grant therefore denies, in the same policy, the pattern of every other IAM route that one of its
 * allowed patterns reaches; an explicit Deny wins over any Allow, wherever that Allow comes from.
 *
 * "Reaches" counts path parameter values holding `/` (a `%2F` that API Gateway might decode into the
 * method ARN; it does not document whether it does), so such a request is denied too. A Deny may not
 * hit the granted routes themselves: where the deny pattern of a route matches ordinary requests of a
 * granted route (values without `/`), the grant cannot be written exactly and is an error, unless the
 * allowed pattern reaches that route only through slashes in values; then that route stays reachable
 * that way only and is reported in {@link GrantScope.undeniable}.
 */
export interface GrantScope {
  /** The granted operations' routes, sorted. */
  readonly routes: string[];
  /** Patterns to allow, sorted. */
  readonly allow: string[];
  /** Patterns of the IAM routes not granted that an allowed pattern reaches, sorted. */
  readonly deny: string[];
  /**
   * IAM routes not granted that an allowed pattern reaches only through a path parameter value holding
   * `/`, and that cannot be denied without denying a granted route: `'<route>' (through '<granted route>')`.
   */
  readonly undeniable: string[];
}

/**
 * The scope of a grant of `operationIds` (already resolved, each an operation of `routes`). Each must be an
 * IAM route: a grant does not let anyone through another mechanism, so granting one is an error.
 */
export function grantScope(routes: readonly InvokeRoute[], operationIds: readonly string[], check: PropCheck): GrantScope {
  check.that(operationIds.length > 0, '', 'names no operation; name the operations to grant, never all of them');
  const granted: InvokeRoute[] = [];
  for (const id of operationIds) {
    const route = routes.find((r) => r.operationId === id);
    if (route === undefined) check.fail('', `names operation '${id}', which the API does not have`);
    if (route.mechanism !== 'iam') {
      check.fail(
        '',
        `names operation '${id}' (${route.key}), which is not authorized by IAM (${describeMechanism(route.mechanism)}): an IAM grant would not let anyone call it. Grant only operations whose security requirement is the IAM (awsSigv4) scheme`,
      );
    }
    if (!granted.includes(route)) granted.push(route);
  }
  const allow = sorted(granted.map((r) => routePattern(r.key)));
  const deny: string[] = [];
  const undeniable: string[] = [];
  for (const other of routes) {
    if (other.mechanism !== 'iam' || granted.includes(other)) continue;
    if (!allow.some((pattern) => patternReaches(pattern, other.key, 'any'))) continue;
    const denyPattern = routePattern(other.key);
    const hit = granted.find((g) => patternReaches(denyPattern, g.key, 'segment'));
    if (hit === undefined) {
      deny.push(denyPattern);
      continue;
    }
    const through = allow.find((pattern) => patternReaches(pattern, other.key, 'segment'));
    if (through !== undefined) {
      check.fail(
        '',
        `cannot grant '${describeRoute(hit)}' without '${describeRoute(other)}': the grant's pattern '${through}' also matches requests of ${other.key} (in IAM, * spans '/'), and the Deny that would exclude it ('${denyPattern}') also matches requests of ${hit.key}. Grant both operations, or neither`,
      );
    }
    undeniable.push(`'${other.key}' (through '${hit.key}')`);
  }
  return { routes: granted.map((r) => r.key).sort(), allow, deny: sorted(deny), undeniable: sorted(undeniable) };
}

function describeRoute(route: InvokeRoute): string {
  return route.operationId ?? route.key;
}

export function describeMechanism(mechanism: InvokeRoute['mechanism']): string {
  switch (mechanism) {
    case 'none':
      return 'it has no authorizer';
    case 'lambdaAuthorizer':
      return 'a Lambda authorizer decides';
    case 'cognitoUserPools':
      return 'a Cognito user pool authorizer decides';
    case 'iam':
      return 'IAM decides';
  }
}

function sorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}
