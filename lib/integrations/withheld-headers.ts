import { JsonObject } from '../model';

/**
 * The value a withheld header is overwritten with. API Gateway static values are single-quoted; a
 * constant that carries nothing, so a backend that logs its request headers logs no secret.
 */
export const WITHHELD_HEADER_VALUE = '-';

/** One integration with the headers the backend must not receive kept from it, where API Gateway can. */
export interface WithheldIntegration {
  readonly integration: JsonObject;
  /** Whether API Gateway keeps every withheld header from this backend. */
  readonly withheld: boolean;
}

/**
 * Keeps request headers that only concern SecureApi itself (the CloudFront front's origin-verify secret)
 * from an operation's backend, as far as the integration type allows:
 * - `http_proxy`: API Gateway passes the client's headers through, and applies the integration's request
 *   parameter mappings in proxy integrations too (developer guide, "Parameter mapping for REST APIs": "You can use
 *   parameter mapping in your integration request for proxy and non-proxy integrations"). Each header is
 *   mapped to a constant, which replaces the value the front sent.
 * - `http`, `aws` (non-proxy): a backend receives only the headers the integration maps, so any mapping of the
 *   header is removed.
 * - `mock`: there is no backend.
 * - `aws_proxy` (Lambda proxy): API Gateway hands the function the method request as it came, headers included
 *   ("Lambda proxy integrations in API Gateway": the event holds the request headers); a mapping cannot change
 *   the event, so the header is not withheld, and the caller is told.
 */
export function withholdHeaders(integration: JsonObject, headers: readonly string[]): WithheldIntegration {
  if (headers.length === 0) return { integration, withheld: true };
  const type = String(integration.type ?? '').toLowerCase();
  const names = new Set(headers.map((h) => h.toLowerCase()));
  const mapped = { ...((integration.requestParameters ?? {}) as { [key: string]: string }) };
  const isWithheld = (key: string) =>
    key.toLowerCase().startsWith('integration.request.header.') && names.has(key.slice('integration.request.header.'.length).toLowerCase());
  switch (type) {
    case 'http_proxy': {
      for (const key of Object.keys(mapped).filter(isWithheld)) delete mapped[key];
      for (const header of [...names].sort()) mapped[`integration.request.header.${header}`] = `'${WITHHELD_HEADER_VALUE}'`;
      return { integration: { ...integration, requestParameters: mapped }, withheld: true };
    }
    case 'http':
    case 'aws': {
      const kept = Object.fromEntries(Object.entries(mapped).filter(([key]) => !isWithheld(key)));
      const out: JsonObject = { ...integration };
      if (Object.keys(kept).length > 0) out.requestParameters = kept;
      else delete out.requestParameters;
      return { integration: out, withheld: true };
    }
    case 'mock':
      return { integration, withheld: true };
    default:
      return { integration, withheld: false };
  }
}

/**
 * The warning for operations whose backend still receives a withheld header (Lambda proxy integrations),
 * or undefined when there are none.
 */
export function withheldHeaderWarning(header: string, reachedOperationIds: readonly string[], apiName: string): string | undefined {
  if (reachedOperationIds.length === 0) return undefined;
  const ids = [...reachedOperationIds].sort();
  const listed = ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');
  return `SecureApi '${apiName}': the CloudFront front's secret header ${header} reaches the Lambda proxy backends of ${ids.length} operation(s) (${listed}): API Gateway hands a Lambda proxy function the request headers as they came, so it cannot be removed there. Do not log request headers in these functions: a logged value lets whoever reads the logs bypass the front until the secret's next rotation (README: "Rotating the origin secret"); HTTP proxy backends get a constant instead`;
}
