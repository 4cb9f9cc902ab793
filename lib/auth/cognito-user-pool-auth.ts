import * as cognito from 'aws-cdk-lib/aws-cognito';
import { JsonObject, OperationSecurityDecision } from '../openapi';

/** Options of `Auth.cognitoUserPool`. */
export interface CognitoUserPoolAuthOptions {
  /**
   * More user pools whose tokens the same authorizer accepts.
   * @default - only the given pool
   */
  readonly additionalUserPools?: cognito.IUserPool[];
}

/**
 * API Gateway's native `COGNITO_USER_POOLS` authorizer of the body (developer guide,
 * "x-amazon-apigateway-authorizer object"): it verifies tokens of the pools and, per operation, the
 * `authorizationScopes` the operation's `security` requirement lists.
 */
export function cognitoUserPoolScheme(pools: cognito.IUserPool[]): JsonObject {
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'cognito_user_pools',
    'x-amazon-apigateway-authorizer': {
      type: 'cognito_user_pools',
      providerARNs: pools.map((pool) => pool.userPoolArn),
    },
  };
}

/**
 * The operations of the authorizer `bodySchemeName` that name no scope. API Gateway then accepts an ID
 * token as well as an access token, and the native authorizer never checks which app client a token was
 * issued to: any client of the pool, and any signed-in user, gets through.
 */
export function unscopedCognitoOperations(
  decisions: ReadonlyArray<Pick<OperationSecurityDecision, 'operationId' | 'security'>>,
  bodySchemeName: string,
): string[] {
  return decisions
    .filter((d) => d.security.some((requirement) => bodySchemeName in requirement && requirement[bodySchemeName].length === 0))
    .map((d) => d.operationId);
}

/** The synth warning for {@link unscopedCognitoOperations}. */
export function unscopedCognitoWarning(operationIds: string[], where: string): string | undefined {
  if (operationIds.length === 0) return undefined;
  const one = operationIds.length === 1;
  return `${where}: ${operationIds.join(', ')} ${one ? 'uses' : 'use'} the Cognito user pool authorizer with no scope, so API Gateway accepts an ID token as well as an access token, from any app client of the pool: name a scope in ${one ? 'its' : 'their'} security requirement (for example [{ pool: ['resource-server/scope'] }]) to require an access token that a client was granted that scope for`;
}
