import { ApiOperation } from '../model';
import { OperationIntegration } from './operation-integration';
import { SecureApiConfigError } from '../model/config-error';

/**
 * Picks the integration of every operation: the one named in `integrations`, else the default.
 * Reports every problem at once, so a user fixes the whole list in one go.
 */
export function resolveIntegrations(
  operations: ApiOperation[],
  integrations: { [operationId: string]: OperationIntegration },
  defaultIntegration: OperationIntegration | undefined,
  apiName: string,
): Map<string, OperationIntegration> {
  const known = new Set(operations.map((o) => o.operationId));
  const unknown = Object.keys(integrations)
    .filter((id) => !known.has(id))
    .sort();
  if (unknown.length > 0) {
    throw new SecureApiConfigError(
      apiName,
      'integrations',
      `names operationIds that the OpenAPI document does not define: ${unknown.join(', ')}` +
        ` (known: ${[...known].sort().join(', ') || 'none'})`,
    );
  }
  const chosen = new Map<string, OperationIntegration>();
  const missing: string[] = [];
  for (const operation of operations) {
    const integration = integrations[operation.operationId] ?? defaultIntegration;
    if (integration === undefined) missing.push(`${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`);
    else chosen.set(operation.operationId, integration);
  }
  if (missing.length > 0) {
    throw new SecureApiConfigError(
      apiName,
      'integrations',
      `miss ${missing.length} operation(s): ${missing.join(', ')}. ` +
        `Add them to 'integrations', set 'defaultIntegration', or list them in 'excludeOperations'`,
    );
  }
  return chosen;
}
