import * as fs from 'node:fs';
import { Server } from 'node:http';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BrowserContext, Page } from 'playwright-core';
import { DOCS_ENV } from '../../contracts/docs';
import { ApiDocs } from '../../lib/docs';
import { documentedOperations } from '../../lib/docs/sanitize';
import { analyzeDocument, buildOperationSecurity, JsonObject } from '../../lib/openapi';
import { loadDocumentFile, loadDocumentObject } from '../../lib/openapi/load';
import { corpusFile } from '../fixtures/corpus';
import { launchHeadlessChromium } from '../support/headless-chromium';
import { loadAssetHandler, startDocsServer } from './support/docs-server';

// Renders the docs page in Debian's headless Chromium, served from 127.0.0.1 by the docs handler of a
// synthesized ApiDocs asset: exactly the files and headers the deployed route serves.

const SPEC = corpusFile('apisguru-microcks.local.json');
// Microcks' secrets management, made internal: the docs must not even show that it exists.
const INTERNAL = ['GetSecrets', 'CreateSecret', 'GetSecretsCounter', 'DeleteSecret', 'GetSecret', 'UpdateSecret'];
const SCREENSHOT = path.join(__dirname, '__screenshots__', 'tmp', 'swagger-ui.png');

/** `METHOD path` of every operation of a document, sorted. */
function routesOf(document: JsonObject): string[] {
  return documentedOperations(document)
    .map((o) => `${o.method.toUpperCase()} ${o.path}`)
    .sort();
}

describe('the docs page in headless Chromium', () => {
  let docs: ApiDocs;
  let original: JsonObject;
  let server: Server;
  let origin: string;
  let requests: string[];
  let context: BrowserContext;
  let page: Page;
  const pageRequests: string[] = [];
  const consoleProblems: string[] = [];
  let shown: string[];

  beforeAll(async () => {
    // The ApiDocs asset for Microcks' API with its secrets operations made internal, behind an authorizer.
    const stack = new Stack(new App(), 'Browser', { env: { account: '111111111111', region: 'eu-west-1' } });
    // Two of Microcks' operations have no operationId, which SecureApi requires: name them.
    const microcks = loadDocumentFile(SPEC).document as { paths: { [path: string]: { [method: string]: JsonObject } } };
    microcks.paths['/jobs/{id}'].get.operationId = 'GetImportJob';
    microcks.paths['/jobs/{id}'].post.operationId = 'UpdateImportJob';
    const loaded = loadDocumentObject(microcks, SPEC);
    original = loaded.document;
    const analyzed = analyzeDocument(loaded, {});
    const schemes = { jwt: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'request' } } };
    const security = buildOperationSecurity(
      analyzed.operations,
      analyzed.securitySchemes,
      { authorizerSchemeName: 'jwt' },
      analyzed.source,
    );
    docs = new ApiDocs(stack, 'Docs', {
      options: {
        internalOperations: INTERNAL,
        oauth2: { tokenUrl: 'https://keycloak.example.com/realms/microcks/protocol/openid-connect/token' },
      },
      apiLabel: 'Browser/Api',
      document: loaded,
      operations: analyzed.operations,
      securityDecisions: security.decisions,
      securitySchemes: schemes,
      logGroup: new logs.LogGroup(stack, 'DocsLogs'),
    });
    // The function's environment, as synthesized.
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    for (const [name, value] of Object.entries(fn.Properties.Environment.Variables as { [name: string]: string }))
      process.env[name] = value;

    ({ server, origin, requests } = await startDocsServer(loadAssetHandler(docs.assetDirectory)));
    ({ context, page } = await launchHeadlessChromium({ viewport: { width: 1280, height: 900 } }));
    page.on('request', (request) => pageRequests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));

    await page.goto(`${origin}/prod/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    shown = (
      await page.$$eval('.opblock', (blocks) =>
        blocks.map(
          (b) =>
            `${b.querySelector('.opblock-summary-method')?.textContent?.trim()} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      )
    ).sort();
  });

  afterAll(async () => {
    await context?.close();
    server?.close();
    for (const name of Object.values(DOCS_ENV)) delete process.env[name];
  });

  it('lists every public operation of the document', () => {
    const internalRoutes = documentedOperations(original)
      .filter((o) => INTERNAL.includes(String(o.operation.operationId)))
      .map((o) => `${o.method.toUpperCase()} ${o.path}`);
    const expected = routesOf(original).filter((r) => !internalRoutes.includes(r));
    expect(expected).toHaveLength(38);
    expect(shown).toEqual(expected);
  });

  it('shows none of the internal operations', () => {
    expect(shown.filter((route) => route.includes('/secrets'))).toEqual([]);
    expect(routesOf(docs.publicDocument)).toEqual(shown);
    expect(docs.removedOperations).toHaveLength(6);
  });

  it('shows the API as deployed: its public URL and the OAuth 2.0 sign-in', async () => {
    expect(await page.locator('.servers select option').allTextContents()).toEqual([`${origin.replace('http:', 'https:')}/prod`]);
    expect(await page.locator('button.authorize').count()).toBe(1);
  });

  it('renders an operation with its parameters when opened', async () => {
    await page.locator('.opblock-summary-path[data-path="/services/{id}"]').first().click();
    await page.waitForSelector('.opblock.is-open .parameters-container .parameter__name');
    expect(await page.locator('.opblock.is-open .parameter__name').first().innerText()).toMatch(/^id/);
  });

  it('runs under the strict Content-Security-Policy without a single violation or error', () => {
    expect(consoleProblems).toEqual([]);
  });

  it('loads everything from its own origin: Swagger UI is bundled, never fetched from a CDN', () => {
    expect(pageRequests.length).toBeGreaterThanOrEqual(5);
    expect(pageRequests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(requests).toEqual(
      expect.arrayContaining([
        '/prod/docs',
        '/prod/docs/swagger-ui-bundle.js',
        '/prod/docs/swagger-ui.css',
        '/prod/docs/secureapi-docs.js',
        '/prod/docs/openapi.json',
      ]),
    );
  });

  it('keeps a screenshot of the page', async () => {
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  });
});
