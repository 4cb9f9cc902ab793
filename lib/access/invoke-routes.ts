import { HTTP_METHODS, isObject, JsonObject } from '../openapi';

/**
 * Every route of the API with the mechanism API Gateway authorizes it with, read from the body API
 * Gateway imports (so the document's operations, the docs routes and the CORS preflights alike). Pure.
 *
 * The mechanism decides how the resource policy combines with the caller's other credentials (API Gateway
 * developer guide, "How API Gateway resource policies affect authorization workflow"):
 * - `none`: no authorizer (public, or an API key only): the resource policy must explicitly allow;
 * - `lambdaAuthorizer`: a TOKEN or REQUEST authorizer (our JWT authorizer, a user's `Auth.lambda`): an explicit
 *   Deny is checked before the authorizer runs, then the authorizer's policy and the resource policy (Table A);
 * - `cognitoUserPools`: the native Cognito authorizer: the resource policy must explicitly allow;
 * - `iam`: `AWS_IAM`: the caller's identity policies and the resource policy, either allowing for a caller of
 *   the API's own account (Table A), both for a caller of another account (Table B).
 */
export type InvokeMechanism = 'none' | 'lambdaAuthorizer' | 'cognitoUserPools' | 'iam';

/** One route of the imported body. */
export interface InvokeRoute {
  /** `METHOD /path` as API Gateway serves it (`ANY` for `x-amazon-apigateway-any-method`). */
  readonly key: string;
  /** The operationId the body writes for it, when it writes one (SecureApi's own routes may not). */
  readonly operationId?: string;
  readonly mechanism: InvokeMechanism;
}

const ANY_METHOD = 'x-amazon-apigateway-any-method';

/** The routes of an API Gateway import body, sorted by key. */
export function invokeRoutesOf(body: JsonObject): InvokeRoute[] {
  const components = isObject(body.components) ? body.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const paths = isObject(body.paths) ? body.paths : {};
  const routes: InvokeRoute[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      const verb = method === ANY_METHOD ? 'ANY' : (HTTP_METHODS as readonly string[]).includes(method) ? method.toUpperCase() : undefined;
      if (verb === undefined || !isObject(operation)) continue;
      const key = `${verb} ${path}`;
      routes.push({
        key,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        mechanism: mechanismOf(operation, schemes, key),
      });
    }
  }
  return routes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The one authorizing mechanism of an operation's `security` (an API key requirement is not one: it only adds to it). */
function mechanismOf(operation: JsonObject, schemes: JsonObject, key: string): InvokeMechanism {
  const found = new Set<InvokeMechanism>();
  for (const requirement of Array.isArray(operation.security) ? operation.security : []) {
    if (!isObject(requirement)) continue;
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name];
      const mechanism = isObject(scheme) ? schemeMechanism(scheme) : undefined;
      if (mechanism !== undefined) found.add(mechanism);
    }
  }
  if (found.size > 1) {
    // Invariant (a bug, not configuration):
    throw new Error(`route ${key} is written with several authorizing mechanisms (${[...found].join(', ')}); the security pass allows one`);
  }
  return [...found][0] ?? 'none';
}

/** What authorizes a request that satisfies this scheme, or `undefined` for an API key. */
export function schemeMechanism(scheme: JsonObject): InvokeMechanism | undefined {
  const authType = String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase();
  if (authType === 'awssigv4') return 'iam';
  const authorizer = scheme['x-amazon-apigateway-authorizer'];
  if (isObject(authorizer)) {
    return String(authorizer.type ?? '').toLowerCase() === 'cognito_user_pools' ? 'cognitoUserPools' : 'lambdaAuthorizer';
  }
  return undefined;
}
