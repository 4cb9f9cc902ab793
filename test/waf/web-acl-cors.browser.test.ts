import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { CorsOptions } from '../../lib/openapi';
import { resolveWafConfig } from '../../lib/waf/waf-config';
import { buildWebAclRules, customResponseBodies } from '../../lib/waf/web-acl-rules';
import { CrossOriginBrowser } from '../support/headless-chromium';
import { apiOperation } from '../support/api-operation';

// A page on one origin calls the API on another and is rate limited by the web ACL itself: WAF answers
// 429 before API Gateway runs, so none of the gateway responses' CORS headers apply. A local server on
// 127.0.0.1 answers exactly what WAF answers for the RateLimitPerIp rule as SecureApi builds it: the
// custom response's status, its static ResponseHeaders and the custom response body it names. Debian's
// headless Chromium then decides, as for a real deployment, whether the page may read the error.

const OPERATIONS = [apiOperation('listOrders', 'get', '/orders')];

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

describe("the web ACL's 429 read cross-origin in headless Chromium", () => {
  let browser: CrossOriginBrowser;
  const responses: { [prefix: string]: ReturnType<typeof rateLimitedResponse> } = {};

  beforeAll(async () => {
    browser = await CrossOriginBrowser.start(
      (req, res) => {
        const response = responses[(req.url ?? '').split('/')[1]];
        res.writeHead(response.status, response.headers).end(response.body);
      },
      ['Retry-After'],
    );
    const { allowed, third } = browser;
    // The loopback origins of this test need the explicit opt-in when credentials are allowed.
    responses.one = rateLimitedResponse({ allowOrigins: [allowed], allowCredentials: true, allowLoopbackOriginsWithCredentials: true });
    responses.several = rateLimitedResponse({ allowOrigins: [allowed, third] });
    responses.none = rateLimitedResponse(undefined);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const throttled = { error: { code: 'THROTTLED', message: 'Too many requests', requestId: null } };

  it('lets a page on the one allowed origin read the 429, its JSON body and Retry-After, with credentials', async () => {
    expect(await browser.fetchFrom('allowed', '/one/orders', 'include')).toEqual({
      status: 429,
      body: throttled,
      headers: { 'Retry-After': '300' },
    });
    expect(await browser.fetchFrom('allowed', '/one/orders', 'omit')).toEqual({
      status: 429,
      body: throttled,
      headers: { 'Retry-After': '300' },
    });
  });

  it('keeps the 429 from a page on an origin that is not allowed', async () => {
    expect(await browser.fetchFrom('other', '/one/orders', 'include')).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(await browser.fetchFrom('other', '/one/orders', 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('leaves the 429 unreadable with several allowed origins, as the synth info says (WAF cannot echo the origin)', async () => {
    expect(await browser.fetchFrom('allowed', '/several/orders', 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });

  it('leaves the 429 unreadable cross-origin without cors (the state before issue 19 #8)', async () => {
    expect(await browser.fetchFrom('allowed', '/none/orders', 'omit')).toEqual({ error: 'TypeError: Failed to fetch' });
  });
});
