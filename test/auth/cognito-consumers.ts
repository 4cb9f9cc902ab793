import { Stack } from 'aws-cdk-lib';
import { CognitoAuthProps } from '../../lib';

// Shared by the Cognito template tests and the abuse cases that run the real handlers against them.

/** Two machine consumers and two groups of people, each with only its own scopes. */
export const CONSUMERS: CognitoAuthProps = {
  machineClients: [
    { clientName: 'billing', scopes: ['orders:read', 'orders:write'] },
    { clientName: 'refunds-service', scopes: ['refunds:write'] },
  ],
  userGroups: [
    { groupName: 'clerks', scopes: ['orders:read', 'orders:write'] },
    { groupName: 'admins', scopes: ['orders:admin', 'admin'] },
  ],
};

/** The scopes an app client may get, as Cognito writes them (`api/<scope>`), from the synthesized template. */
export function allowedScopes(stack: Stack, client: any): string[] {
  return (client.Properties.AllowedOAuthScopes as unknown[]).map((s) => {
    const resolved = stack.resolve(s);
    if (typeof resolved === 'string') return resolved;
    // Fn::Join of the resource server's Ref (its identifier, 'api') and '/<scope>'.
    const [, parts] = resolved['Fn::Join'];
    return parts.map((p: unknown) => (typeof p === 'string' ? p : 'api')).join('');
  });
}
