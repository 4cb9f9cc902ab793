import * as fs from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { analyzeDocument, emitApiGatewayBody, JsonObject } from '../../lib/openapi';
import { CorsOptions } from '../../lib/openapi/cors-preflight';
import { doc30, integrationsFor, load, op } from './helpers';

// A page on one origin calls the API on another, and gets a 401 from API Gateway itself (the authorizer
// said no, before any integration ran). A local server on 127.0.0.1 answers exactly what API Gateway
// answers for that gateway response as SecureApi emits it: the UNAUTHORIZED response's headers (static
// values and `method.request.header.Origin` mappings resolved as API Gateway does) and its body template.
// Debian's headless Chromium then decides, as for a real deployment, whether the page may read the error.

const analyzed = analyzeDocument(load(doc30({ '/orders': { get: op('listOrders') } })));

/** The emitted UNAUTHORIZED gateway response for these CORS options. */
function unauthorizedResponse(cors: CorsOptions): { parameters: { [key: string]: string }; template: string } {
  const body = emitApiGatewayBody(analyzed, {
    integrations: integrationsFor(['listOrders']),
    contributions: [{ responseHeaders: { UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer realm="Orders"' } } }],
    cors,
  });
  const response = (body['x-amazon-apigateway-gateway-responses'] as { [type: string]: JsonObject }).UNAUTHORIZED;
  return {
    parameters: response.responseParameters as { [key: string]: string },
    template: (response.responseTemplates as { [type: string]: string })['application/json'],
  };
}

/** The response headers API Gateway writes from a gateway response's parameters for one request. */
function headersFor(parameters: { [key: string]: string }, request: IncomingMessage): { [name: string]: string } {
  const headers: { [name: string]: string } = {};
  for (const [key, value] of Object.entries(parameters)) {
    const name = key.replace('gatewayresponse.header.', '');
    if (/^'.*'$/.test(value)) headers[name] = value.slice(1, -1);
    else if (value === 'method.request.header.Origin') {
      if (request.headers.origin !== undefined) headers[name] = request.headers.origin;
    } else throw new Error(`the test server does not map ${value}`);
  }
  return headers;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** What a script on the page learns from `fetch`: the status and JSON body, or the error the browser gives it. */
type Outcome = { status: number; body: unknown; wwwAuthenticate: string | null } | { error: string };

describe('gateway error responses read cross-origin in headless Chromium', () => {
  const servers: Server[] = [];
  let api: string;
  let allowed: string;
  let other: string;
  let context: BrowserContext;
  let page: Page;
  const configs: { [prefix: string]: { parameters: { [key: string]: string }; template: string } } = {};

  beforeAll(async () => {
    const pageServer = () =>
      createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>app</title>'));
    servers.push(pageServer(), pageServer(), pageServer());
    [allowed, other] = await Promise.all([listen(servers[0]), listen(servers[1])]);
    const third = await listen(servers[2]);
    // The loopback origins of this test need the explicit opt-in when credentials are allowed.
    configs.one = unauthorizedResponse({ allowOrigins: [allowed], allowCredentials: true, allowLoopbackOriginsWithCredentials: true });
    configs.several = unauthorizedResponse({ allowOrigins: [allowed, third] });
    configs.severalcredentials = unauthorizedResponse({
      allowOrigins: [allowed, third],
      allowCredentials: true,
      allowLoopbackOriginsWithCredentials: true,
    });
    const apiServer = createServer((req, res) => {
      const config = configs[(req.url ?? '').split('/')[1]];
      res
        .writeHead(401, { 'Content-Type': 'application/json', ...headersFor(config.parameters, req) })
        .end(config.template.replace('$context.requestId', 'req-1'));
    });
    servers.push(apiServer);
    api = await listen(apiServer);
    context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'secureapi-chromium-')), {
      executablePath: process.env.SECUREAPI_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    for (const server of servers) server.close();
  });

  /** Opens a page on `origin` and fetches `url` from it, as a browser app would. */
  async function fetchFrom(origin: string, url: string, credentials: 'include' | 'omit'): Promise<Outcome> {
    await page.goto(`${origin}/`);
    return page.evaluate(
      async ({ url, credentials }) => {
        try {
          const response = await fetch(url, { credentials });
          return { status: response.status, body: await response.json(), wwwAuthenticate: response.headers.get('WWW-Authenticate') };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, credentials },
    );
  }

  const unauthorized = { error: { code: 'UNAUTHORIZED', message: 'Unauthorized', requestId: 'req-1' } };

  it('lets a page on the one allowed origin read a 401 status, its JSON body and WWW-Authenticate, with credentials', async () => {
    expect(await fetchFrom(allowed, `${api}/one/orders`, 'include')).toEqual({
      status: 401,
      body: unauthorized,
      wwwAuthenticate: 'Bearer realm="Orders"',
    });
  });

  it('keeps the 401 from a page on an origin that is not allowed', async () => {
    expect(await fetchFrom(other, `${api}/one/orders`, 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(await fetchFrom(other, `${api}/one/orders`, 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('lets a page on one of several allowed origins read a 401 without credentials, but not with them', async () => {
    expect(await fetchFrom(allowed, `${api}/several/orders`, 'omit')).toEqual({
      status: 401,
      body: unauthorized,
      wwwAuthenticate: 'Bearer realm="Orders"',
    });
    expect(await fetchFrom(allowed, `${api}/several/orders`, 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('leaves a 401 unreadable with several allowed origins and credentials, as the synth warning says', async () => {
    expect(await fetchFrom(allowed, `${api}/severalcredentials/orders`, 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
  });
});
