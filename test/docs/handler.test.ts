import * as path from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { buildContentSecurityPolicy, deployValuePlaceholder, DOCS_ENV } from '../../contracts/docs';
import { basePrefix } from '../../lambda/docs';
import { docsStaticFiles, writeDocsAsset } from '../../lib/docs/docs-asset';
import { JsonObject } from '../../lib/model';
import { docsEvent } from './support/docs-server';

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'lambda', 'docs');

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const PUBLIC_DOCUMENT: JsonObject = {
  openapi: '3.0.3',
  info: { title: 'Pets <beta>', version: '1.0.0' },
  paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'OK' } } } } },
  components: {
    securitySchemes: {
      oauth2: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: deployValuePlaceholder(0), scopes: { 'docs:read': 'Read the API documentation' } } },
      },
    },
  },
};

/**
 * The handler as Lambda runs it: the bundled `index.js` in a docs asset, loaded fresh (a new
 * container) with the given environment.
 */
function coldStart(environment: { [name: string]: string }, document: JsonObject = PUBLIC_DOCUMENT): Handler {
  const directory = writeDocsAsset(HANDLER_BUNDLE, docsStaticFiles(document));
  for (const name of Object.values(DOCS_ENV)) delete process.env[name];
  Object.assign(process.env, environment);
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the built bundle at run time, fresh, as Lambda does
    handler = require(path.join(directory, 'index.js')).handler;
  });
  return handler!;
}

const CSP = buildContentSecurityPolicy(['https://login.example.com']);

afterAll(() => {
  for (const name of Object.values(DOCS_ENV)) delete process.env[name];
});
const DEPLOY_VALUES = JSON.stringify({ [deployValuePlaceholder(0)]: 'https://login.example.com/oauth2/token' });

describe('docs handler', () => {
  const handler = coldStart({ [DOCS_ENV.contentSecurityPolicy]: CSP, [DOCS_ENV.deployValues]: DEPLOY_VALUES });

  it('serves the Swagger UI page at the docs path, with links relative to it', async () => {
    const response = await handler(docsEvent({}));
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    expect(response.body).toContain('<title>Pets &#60;beta&#62;: API documentation</title>');
    expect(response.body).toContain('<script src="./docs/swagger-ui-bundle.js"></script>');
    expect(response.body).toContain('<link rel="stylesheet" href="./docs/swagger-ui.css">');
  });

  it('links from /docs/ (with a trailing slash) to the files beside it', async () => {
    const response = await handler(docsEvent({ trailingSlash: true }));
    expect(response.body).toContain('<script src="./swagger-ui-bundle.js"></script>');
  });

  it('puts the strict Content-Security-Policy and security headers on every response', async () => {
    for (const event of [
      docsEvent({}),
      docsEvent({ file: 'swagger-ui-bundle.js' }),
      docsEvent({ file: 'openapi.json' }),
      docsEvent({ file: 'missing.js' }),
    ]) {
      const { headers } = await handler(event);
      expect(headers).toMatchObject({
        'Content-Security-Policy': CSP,
        'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
    }
  });

  it('serves Swagger UI files with their content types and a short private cache', async () => {
    const js = await handler(docsEvent({ file: 'swagger-ui-bundle.js' }));
    expect(js.statusCode).toBe(200);
    expect(js.headers).toMatchObject({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'private, max-age=300' });
    expect(js.body.length).toBeGreaterThan(1_000_000);
    expect((await handler(docsEvent({ file: 'swagger-ui.css' }))).headers).toMatchObject({ 'Content-Type': 'text/css; charset=utf-8' });
  });

  it('serves the document with the URL the request came through as its server', async () => {
    const response = await handler(docsEvent({ file: 'openapi.json', stage: 'prod' }));
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    const document = JSON.parse(response.body);
    expect(document.servers).toEqual([{ url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod' }]);
    expect(document.paths).toEqual(PUBLIC_DOCUMENT.paths);
  });

  it('fills in values resolved at deploy time', async () => {
    const document = JSON.parse((await handler(docsEvent({ file: 'openapi.json' }))).body);
    expect(document.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toBe('https://login.example.com/oauth2/token');
  });

  it('derives the server from a custom domain and its base path mapping', async () => {
    const event = docsEvent({ file: 'openapi.json', host: 'api.example.com' });
    const custom = { ...event, path: '/v1/docs/openapi.json', requestContext: { ...event.requestContext, path: '/v1/docs/openapi.json' } };
    expect(JSON.parse((await handler(custom)).body).servers).toEqual([{ url: 'https://api.example.com/v1' }]);
  });

  it('serves nothing but the bundled static files, and logs each refusal', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const files = ['index.js', '../index.js', '..%2Findex.js', 'licenses', '.env', 'openapi.yaml'];
    for (const file of files) {
      const response = await handler(docsEvent({ file }));
      expect([file, response.statusCode]).toEqual([file, 404]);
      expect(JSON.parse(response.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found', requestId: 'test-request-id' } });
    }
    expect(log.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual(
      files.map((file) => ({ level: 'WARN', message: 'docs: no such file', file })),
    );
    log.mockRestore();
  });

  it('answers only GET', async () => {
    const response = await handler(docsEvent({ method: 'POST' }));
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ Allow: 'GET' });
  });
});

describe('docs handler configuration', () => {
  it('writes the configured public URL as the server, whatever the request', async () => {
    const handler = coldStart({ [DOCS_ENV.contentSecurityPolicy]: CSP, [DOCS_ENV.publicUrl]: 'https://api.example.com/v2' });
    expect(JSON.parse((await handler(docsEvent({ file: 'openapi.json' }))).body).servers).toEqual([{ url: 'https://api.example.com/v2' }]);
  });

  it('writes host and basePath into a Swagger 2.0 document', async () => {
    const swagger: JsonObject = { swagger: '2.0', info: { title: 'Old', version: '1' }, paths: {} };
    const handler = coldStart({}, swagger);
    const document = JSON.parse((await handler(docsEvent({ file: 'openapi.json', stage: 'live' }))).body);
    expect([document.host, document.basePath, document.schemes]).toEqual([
      'abc123.execute-api.eu-west-1.amazonaws.com',
      '/live',
      ['https'],
    ]);
  });

  it('falls back to the strictest policy when the environment has none', async () => {
    const handler = coldStart({});
    expect((await handler(docsEvent({}))).headers!['Content-Security-Policy']).toBe(buildContentSecurityPolicy([]));
  });
});

describe('basePrefix', () => {
  it.each([
    ['/docs', './docs/'],
    ['/docs/', './'],
    ['/api/reference', './reference/'],
    [undefined, './'],
  ])('links from %s with %s', (pagePath, prefix) => {
    expect(basePrefix(pagePath)).toBe(prefix);
  });
});
