import * as fs from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { ApiOperation } from '../../lib/model';
import { CorsOptions } from '../../lib/openapi';
import { resolveWafConfig } from '../../lib/waf/waf-config';
import { buildWebAclRules, customResponseBodies } from '../../lib/waf/web-acl-rules';

// A page on one origin calls the API on another and is rate limited by the web ACL itself: WAF answers
// 429 before API Gateway runs, so none of the gateway responses' CORS headers apply. A local server on
// 127.0.0.1 answers exactly what WAF answers for the RateLimitPerIp rule as SecureApi builds it: the
// custom response's status, its static ResponseHeaders and the custom response body it names. Debian's
// headless Chromium then decides, as for a real deployment, whether the page may read the error.

const OPERATIONS: ApiOperation[] = [
  { operationId: 'listOrders', method: 'get', path: '/orders', sourcePath: '/orders', parameters: [], extensions: {}, tags: [] },
];

/** The web ACL's 429 for these CORS options: status, headers and body, as WAF sends them. */
function rateLimitedResponse(cors: CorsOptions | undefined): { status: number; headers: { [name: string]: string }; body: string } {
  const config = resolveWafConfig({}, { label: 'Browser/Api', operations: OPERATIONS, pathPrefixes: ['prod'], cors });
  const rule = buildWebAclRules(config, { blockList: {}, allowList: {} }).find((r) => r.name === 'RateLimitPerIp')!;
  const response = ((rule.action as CfnWebACL.RuleActionProperty).block as CfnWebACL.BlockActionProperty)
    .customResponse as CfnWebACL.CustomResponseProperty;
  const body = customResponseBodies()[response.customResponseBodyKey!] as CfnWebACL.CustomResponseBodyProperty;
  // Invariant of the test: SecureApi's bodies are JSON, which WAF sends as application/json.
  if (body.contentType !== 'APPLICATION_JSON') throw new Error(`unexpected content type ${body.contentType}`);
  const headers: { [name: string]: string } = { 'Content-Type': 'application/json' };
  for (const header of response.responseHeaders as CfnWebACL.CustomHTTPHeaderProperty[]) headers[header.name] = header.value;
  return { status: response.responseCode as number, headers, body: body.content };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** What a script on the page learns from `fetch`: the status, JSON body and Retry-After, or the error the browser gives it. */
type Outcome = { status: number; body: unknown; retryAfter: string | null } | { error: string };

describe("the web ACL's 429 read cross-origin in headless Chromium", () => {
  const servers: Server[] = [];
  let api: string;
  let allowed: string;
  let other: string;
  let context: BrowserContext;
  let page: Page;
  const responses: { [prefix: string]: ReturnType<typeof rateLimitedResponse> } = {};

  beforeAll(async () => {
    const pageServer = () =>
      createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>app</title>'));
    servers.push(pageServer(), pageServer(), pageServer());
    [allowed, other] = await Promise.all([listen(servers[0]), listen(servers[1])]);
    const third = await listen(servers[2]);
    // The loopback origins of this test need the explicit opt-in when credentials are allowed.
    responses.one = rateLimitedResponse({ allowOrigins: [allowed], allowCredentials: true, allowLoopbackOriginsWithCredentials: true });
    responses.several = rateLimitedResponse({ allowOrigins: [allowed, third] });
    responses.none = rateLimitedResponse(undefined);
    const apiServer = createServer((req, res) => {
      const response = responses[(req.url ?? '').split('/')[1]];
      res.writeHead(response.status, response.headers).end(response.body);
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
          return { status: response.status, body: await response.json(), retryAfter: response.headers.get('Retry-After') };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, credentials },
    );
  }

  const throttled = { error: { code: 'THROTTLED', message: 'Too many requests', requestId: null } };

  it('lets a page on the one allowed origin read the 429, its JSON body and Retry-After, with credentials', async () => {
    expect(await fetchFrom(allowed, `${api}/one/orders`, 'include')).toEqual({ status: 429, body: throttled, retryAfter: '300' });
    expect(await fetchFrom(allowed, `${api}/one/orders`, 'omit')).toEqual({ status: 429, body: throttled, retryAfter: '300' });
  });

  it('keeps the 429 from a page on an origin that is not allowed', async () => {
    expect(await fetchFrom(other, `${api}/one/orders`, 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(await fetchFrom(other, `${api}/one/orders`, 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('leaves the 429 unreadable with several allowed origins, as the synth info says (WAF cannot echo the origin)', async () => {
    expect(await fetchFrom(allowed, `${api}/several/orders`, 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('leaves the 429 unreadable cross-origin without cors (the state before issue 19 #8)', async () => {
    expect(await fetchFrom(allowed, `${api}/none/orders`, 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });
});
