import { IncomingMessage } from 'node:http';
import { analyzeDocument, emitApiGatewayBody, JsonObject } from '../../lib/openapi';
import { CorsOptions } from '../../lib/openapi/cors-preflight';
import { CrossOriginBrowser } from '../support/headless-chromium';
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

describe('gateway error responses read cross-origin in headless Chromium', () => {
  let browser: CrossOriginBrowser;
  const configs: { [prefix: string]: { parameters: { [key: string]: string }; template: string } } = {};

  beforeAll(async () => {
    browser = await CrossOriginBrowser.start(
      (req, res) => {
        const config = configs[(req.url ?? '').split('/')[1]];
        res
          .writeHead(401, { 'Content-Type': 'application/json', ...headersFor(config.parameters, req) })
          .end(config.template.replace('$context.requestId', 'req-1'));
      },
      ['WWW-Authenticate'],
    );
    const { allowed, third } = browser;
    // The loopback origins of this test need the explicit opt-in when credentials are allowed.
    configs.one = unauthorizedResponse({ allowOrigins: [allowed], allowCredentials: true, allowLoopbackOriginsWithCredentials: true });
    configs.several = unauthorizedResponse({ allowOrigins: [allowed, third] });
    configs.severalcredentials = unauthorizedResponse({
      allowOrigins: [allowed, third],
      allowCredentials: true,
      allowLoopbackOriginsWithCredentials: true,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const unauthorized = { error: { code: 'UNAUTHORIZED', message: 'Unauthorized', requestId: 'req-1' } };

  it('lets a page on the one allowed origin read a 401 status, its JSON body and WWW-Authenticate, with credentials', async () => {
    expect(await browser.fetchFrom('allowed', '/one/orders', 'include')).toEqual({
      status: 401,
      body: unauthorized,
      headers: { 'WWW-Authenticate': 'Bearer realm="Orders"' },
    });
  });

  it('keeps the 401 from a page on an origin that is not allowed', async () => {
    expect(await browser.fetchFrom('other', '/one/orders', 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(await browser.fetchFrom('other', '/one/orders', 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('lets a page on one of several allowed origins read a 401 without credentials, but not with them', async () => {
    expect(await browser.fetchFrom('allowed', '/several/orders', 'omit')).toEqual({
      status: 401,
      body: unauthorized,
      headers: { 'WWW-Authenticate': 'Bearer realm="Orders"' },
    });
    expect(await browser.fetchFrom('allowed', '/several/orders', 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('leaves a 401 unreadable with several allowed origins and credentials, as the synth warning says', async () => {
    expect(await browser.fetchFrom('allowed', '/severalcredentials/orders', 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
  });
});
