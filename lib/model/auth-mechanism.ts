/**
 * How API Gateway authenticates the caller of one operation. One method has exactly one authorization
 * type, so an operation has one mechanism; API keys are not a mechanism (they identify and meter a client)
 * and combine with any of them.
 * - `none`: nothing authenticates the caller (a public operation, or one an API key alone protects);
 * - `jwt`: SecureApi's JWT Lambda authorizer (`Auth.jwt`, `Auth.cognito`);
 * - `iam`: API Gateway's `AWS_IAM` (SigV4-signed requests);
 * - `lambda`: the user's own Lambda REQUEST authorizer (`Auth.lambda`);
 * - `cognitoUserPool`: API Gateway's native `COGNITO_USER_POOLS` authorizer (`Auth.cognitoUserPool`).
 */
export type AuthMechanism = 'none' | 'jwt' | 'iam' | 'lambda' | 'cognitoUserPool';

/** The mechanisms that authenticate a caller, in a fixed order (reports and docs list them so). */
export const AUTH_MECHANISMS: readonly AuthMechanism[] = ['none', 'jwt', 'iam', 'lambda', 'cognitoUserPool'];

/** A configured mechanism, and the security scheme of the imported body that carries it. */
export interface MechanismScheme {
  readonly mechanism: Exclude<AuthMechanism, 'none'>;
  /**
   * The name of the security scheme SecureApi writes into the imported body for it.
   * @default - none: the mechanism is asked for but not configured (a synth error when an operation needs it)
   */
  readonly bodySchemeName?: string;
}

/** How each mechanism reads in messages, the docs page and the security report. */
export const MECHANISM_LABELS: { readonly [mechanism in AuthMechanism]: string } = {
  none: 'no authentication',
  jwt: 'a JWT access token (SecureApi JWT authorizer)',
  iam: 'IAM (SigV4-signed request, AWS_IAM)',
  lambda: 'a Lambda authorizer',
  cognitoUserPool: 'a Cognito user pool token (COGNITO_USER_POOLS)',
};
