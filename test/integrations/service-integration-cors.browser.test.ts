import { IncomingMessage } from 'node:http';
import { analyzeDocument, emitApiGatewayBody, JsonObject } from '../../lib/openapi';
import { CorsOptions } from '../../lib/openapi/cors-preflight';
import { sqsResponseTemplate } from '../../lib/integrations/mapping-templates';
import { securityHeaderParameters } from '../../lib/integrations/service-integration';
import { renderMappingTemplate } from '../support/api-gateway-vtl';
import { CrossOriginBrowser } from '../support/headless-chromium';
import { doc30, load, op } from '../openapi/helpers';

// A page on one origin sends an order to the API on another, whose operation is an SQS integration: API
// Gateway, not a backend, writes the answer from the integration response SecureApi emits (its static
// headers, then its template, which may set headers through $context.responseOverride). A local server on
// 127.0.0.1 answers exactly that, the template rendered by the VTL shim for the request's Origin against
// SQS's JSON answer. Debian's headless Chromium then decides, as for a real deployment, whether the page may
// read the message id.

const analyzed = analyzeDocument(load(doc30({ '/orders': { get: op('sendOrder', { responses: { '202': { description: 'sent' } } }) } })));
const SQS_ANSWER = JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'm-1' } } });

/** The emitted success answer of an SQS-like integration for these CORS options. */
function sentAnswer(cors: CorsOptions | undefined): { statusCode: string; parameters: { [key: string]: string }; template: string } {
  const integration: JsonObject = {
    type: 'aws',
    responses: {
      default: {
        statusCode: '202',
        responseParameters: securityHeaderParameters(),
        responseTemplates: { 'application/json': sqsResponseTemplate() },
      },
    },
  };
  const body = emitApiGatewayBody(analyzed, { integrations: { sendOrder: integration }, cors }) as any;
  const answer = body.paths['/orders'].get['x-amazon-apigateway-integration'].responses.default;
  return { statusCode: answer.statusCode, parameters: answer.responseParameters, template: answer.responseTemplates['application/json'] };
}

/** What API Gateway sends for the answer: the static headers, the template's overrides and its output. */
function respond(answer: ReturnType<typeof sentAnswer>, request: IncomingMessage): { headers: { [name: string]: string }; body: string } {
  const headers: { [name: string]: string } = { 'Content-Type': 'application/json' };
  for (const [key, value] of Object.entries(answer.parameters)) {
    // Invariant of the test: SecureApi maps static values only on these answers.
    if (!/^'.*'$/.test(value)) throw new Error(`the test server does not map ${value}`);
    headers[key.replace('method.response.header.', '')] = value.slice(1, -1);
  }
  const origin = request.headers.origin;
  const rendered = renderMappingTemplate(answer.template, { body: SQS_ANSWER, header: origin === undefined ? {} : { Origin: origin } });
  return { headers: { ...headers, ...rendered.headerOverrides }, body: rendered.output };
}

describe("an SQS integration's answer read cross-origin in headless Chromium", () => {
  let browser: CrossOriginBrowser;
  const answers: { [prefix: string]: ReturnType<typeof sentAnswer> } = {};

  beforeAll(async () => {
    browser = await CrossOriginBrowser.start((req, res) => {
      const answer = answers[(req.url ?? '').split('/')[1]];
      const { headers, body } = respond(answer, req);
      res.writeHead(Number(answer.statusCode), headers).end(body);
    }, []);
    const { allowed, third } = browser;
    // The loopback origins of this test need the explicit opt-in when credentials are allowed.
    answers.one = sentAnswer({ allowOrigins: [allowed], allowCredentials: true, allowLoopbackOriginsWithCredentials: true });
    answers.several = sentAnswer({ allowOrigins: [allowed, third], allowCredentials: true, allowLoopbackOriginsWithCredentials: true });
    answers.none = sentAnswer(undefined);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const sent = { status: 202, body: { messageId: 'm-1' }, headers: {} };

  it('lets a page on the one allowed origin read the message id, with and without credentials', async () => {
    expect(await browser.fetchFrom('allowed', '/one/orders', 'include')).toEqual(sent);
    expect(await browser.fetchFrom('allowed', '/one/orders', 'omit')).toEqual(sent);
  });

  it('lets a page on each of several allowed origins read the message id with credentials (the Origin checked, then echoed)', async () => {
    expect(await browser.fetchFrom('allowed', '/several/orders', 'include')).toEqual(sent);
    expect(await browser.fetchFrom('third', '/several/orders', 'include')).toEqual(sent);
  });

  it('keeps the answer from a page on an origin that is not allowed', async () => {
    for (const prefix of ['one', 'several']) {
      expect(await browser.fetchFrom('other', `/${prefix}/orders`, 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
      expect(await browser.fetchFrom('other', `/${prefix}/orders`, 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
    }
  });

  it('leaves the answer unreadable cross-origin without cors', async () => {
    expect(await browser.fetchFrom('allowed', '/none/orders', 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });
});
