/** The properties SecureApi's account-logging custom resource passes to its handler. */
export interface ApiGatewayAccountResourceProperties {
  /** The CloudWatch Logs role SecureApi created. */
  readonly RoleArn: string;
  /** `create-if-absent`: set the role only when the account has none; `always`: set it every time. */
  readonly Mode: 'create-if-absent' | 'always';
}

/** The physical id of the (account-wide, singleton) setting the handler manages. */
export const API_GATEWAY_ACCOUNT_PHYSICAL_ID = 'api-gateway-account-cloudwatch-role';
