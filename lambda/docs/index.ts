import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  buildContentSecurityPolicy,
  DOCS_BASE_MARKER,
  DOCS_DOCUMENT_FILE,
  DOCS_ENV,
  DOCS_FILE_PARAMETER,
  DOCS_INDEX_FILE,
  DOCS_STATIC_DIR,
  withPublicServer,
} from '../../contracts/docs';
import { errorBody, HTTP_ERRORS, HttpError, SECURITY_HEADERS } from '../../contracts/http-responses';

/**
 * Serves the API documentation: Swagger UI's static files and the sanitized OpenAPI document, both
 * bundled into this function's asset at synth. Nothing is fetched at runtime; every response carries
 * a strict Content-Security-Policy. Requests reach this handler only after the API's authorizer or
 * API key check (unless the docs were made public on purpose).
 */

const CONTENT_TYPES: { [extension: string]: string } = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Used only if the environment lost its policy: the strictest one. */
const FALLBACK_CSP = buildContentSecurityPolicy();

interface StaticFile {
  readonly body: string;
  readonly contentType: string;
}

interface Bundle {
  readonly files: Map<string, StaticFile>;
  readonly document: { [key: string]: unknown };
  readonly documentsByServer: Map<string, string>;
}

let bundle: Bundle | undefined;

/** Reads the asset once per container, on the first request. */
function loadBundle(): Bundle {
  if (bundle === undefined) {
    const files = loadStaticFiles(join(__dirname, DOCS_STATIC_DIR));
    bundle = { files, document: loadDocument(files.get(DOCS_DOCUMENT_FILE)), documentsByServer: new Map() };
  }
  return bundle;
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  if (event.httpMethod !== 'GET')
    return respond(405, 'application/json; charset=utf-8', errorAnswer(HTTP_ERRORS.methodNotAllowed, event), 'no-store', { Allow: 'GET' });
  const { files } = loadBundle();
  const name = event.pathParameters?.[DOCS_FILE_PARAMETER] ?? DOCS_INDEX_FILE;

  if (name === DOCS_DOCUMENT_FILE) {
    return respond(200, CONTENT_TYPES['.json'], documentFor(publicServerUrl(event)), 'no-store');
  }
  const file = files.get(name);
  if (file === undefined) {
    console.log(JSON.stringify({ level: 'WARN', message: 'docs: no such file', file: name.slice(0, 100) }));
    return respond(404, 'application/json; charset=utf-8', errorAnswer(HTTP_ERRORS.notFound, event), 'no-store');
  }
  if (name === DOCS_INDEX_FILE) {
    return respond(200, file.contentType, file.body.split(DOCS_BASE_MARKER).join(basePrefix(event.path)), 'no-store');
  }
  return respond(200, file.contentType, file.body, 'private, max-age=300');
}

/**
 * The relative prefix from the page to the static files, which live under the docs path:
 * `docs/` when the page is `/stage/docs`, `./` when it is `/stage/docs/`. Relative links work
 * behind any stage name, custom domain base path or CloudFront origin path.
 */
export function basePrefix(path: string | undefined): string {
  if (path === undefined || path === '' || path.endsWith('/')) return './';
  const last = path.slice(path.lastIndexOf('/') + 1);
  // The docs path is fixed at synth to letters, digits, '.', '_' and '-', so the segment needs no decoding.
  return `./${encodeURIComponent(last)}/`;
}

/**
 * The URL clients call: the configured public URL (a custom domain), or else the origin and base
 * path this request came through (the stage, or a custom domain's base path mapping).
 */
export function publicServerUrl(event: APIGatewayProxyEvent): string {
  const configured = process.env[DOCS_ENV.publicUrl];
  if (configured) return configured;
  const context = event.requestContext;
  const host = context?.domainName ?? event.headers?.Host ?? event.headers?.host ?? 'localhost';
  // requestContext.path is the full path (`/prod/docs/openapi.json`); the resource path with its
  // parameters filled in is what the API saw (`/docs/openapi.json`); what precedes it is the base.
  let resourcePath = context?.resourcePath ?? event.resource ?? '';
  for (const [key, value] of Object.entries(event.pathParameters ?? {})) resourcePath = resourcePath.replace(`{${key}}`, value ?? '');
  const fullPath = context?.path ?? event.path ?? '';
  const base = resourcePath !== '' && fullPath.endsWith(resourcePath) ? fullPath.slice(0, fullPath.length - resourcePath.length) : '';
  return `https://${host}${base}`;
}

function documentFor(serverUrl: string): string {
  const { document, documentsByServer } = loadBundle();
  let text = documentsByServer.get(serverUrl);
  if (text === undefined) {
    text = JSON.stringify(withPublicServer(document, serverUrl));
    // A handful of hostnames reach one function; bound the cache anyway.
    if (documentsByServer.size >= 16) documentsByServer.clear();
    documentsByServer.set(serverUrl, text);
  }
  return text;
}

function respond(
  statusCode: number,
  contentType: string,
  body: string,
  cacheControl: string,
  extra: { [name: string]: string } = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': process.env[DOCS_ENV.contentSecurityPolicy] || FALLBACK_CSP,
      ...SECURITY_HEADERS,
      'Cache-Control': cacheControl,
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
      ...extra,
    },
    body,
  };
}

function errorAnswer(error: HttpError, event: APIGatewayProxyEvent): string {
  return errorBody(error, event.requestContext?.requestId ?? '');
}

function loadStaticFiles(directory: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(directory).sort()) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType !== undefined) files.set(name, { body: readFileSync(join(directory, name), 'utf8'), contentType });
  }
  return files;
}

/** Parses the bundled document and fills in the values CloudFormation resolved at deploy time. */
function loadDocument(file: StaticFile | undefined): { [key: string]: unknown } {
  if (file === undefined) throw new Error(`docs: the asset has no ${DOCS_DOCUMENT_FILE}`);
  let text = file.body;
  const values = JSON.parse(process.env[DOCS_ENV.deployValues] || '{}') as { [placeholder: string]: string };
  for (const [placeholder, value] of Object.entries(values)) text = text.split(placeholder).join(JSON.stringify(value).slice(1, -1));
  return JSON.parse(text) as { [key: string]: unknown };
}
