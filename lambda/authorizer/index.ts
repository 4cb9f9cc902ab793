import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUsageIdentifierMapping, USAGE_IDENTIFIER_ENV } from '../../contracts/api-keys';
import { AUTHORIZER_ENV, AUTHORIZER_ROUTES_FILE } from '../../contracts/authorizer-config';
import { AuthorizerHandler, createAuthorizer, refuseEverything } from './authorizer';

/**
 * The JWT REQUEST authorizer. Its whole configuration is what the construct synthesized: the
 * environment and the scope map next to this file. At runtime it fetches only the issuers' discovery
 * documents and key sets (and, with API keys from the authorizer, the consumers' key secrets). A
 * configuration it cannot read makes it refuse every request (fail closed).
 */
function load(): AuthorizerHandler {
  try {
    const config = JSON.parse(process.env[AUTHORIZER_ENV.config] ?? '');
    const routes = JSON.parse(readFileSync(process.env[AUTHORIZER_ENV.routesFile] ?? join(__dirname, AUTHORIZER_ROUTES_FILE), 'utf8'));
    return createAuthorizer(config, routes, { usageIdentifiers: parseUsageIdentifierMapping(process.env[USAGE_IDENTIFIER_ENV]) });
  } catch {
    return refuseEverything();
  }
}

export const handler = load();
