/**
 * What the docs handler (lambda/docs) and the docs construct (lib/docs) agree on: the asset's
 * layout, the environment, and how the public server URL is written into a document.
 * Dependency-free: it is bundled into the handler.
 */

/** Environment variables of the docs handler. None holds a secret. */
export const DOCS_ENV = {
  /** The Content-Security-Policy header value of every response. */
  contentSecurityPolicy: 'SECUREAPI_DOCS_CSP',
  /** The API's public URL (a custom domain). When absent, the handler derives it from each request. */
  publicUrl: 'SECUREAPI_DOCS_PUBLIC_URL',
  /**
   * A JSON object mapping placeholders in the bundled document to values known only at deploy time
   * (for example a Cognito domain's token URL), which CloudFormation resolves into the environment.
   */
  deployValues: 'SECUREAPI_DOCS_DEPLOY_VALUES',
} as const;

/** The asset folder that holds the files the handler serves, next to its `index.js`. */
export const DOCS_STATIC_DIR = 'static';

/** The sanitized OpenAPI document, as a file of the static folder. */
export const DOCS_DOCUMENT_FILE = 'openapi.json';

/** The HTML page that starts Swagger UI. It is served at the docs path itself. */
export const DOCS_INDEX_FILE = 'index.html';

/** The path parameter of the route that serves one static file (`<docs path>/{file}`). */
export const DOCS_FILE_PARAMETER = 'file';

/** Replaced in index.html by the relative prefix that leads from the page's URL to the static files. */
export const DOCS_BASE_MARKER = '%SECUREAPI_DOCS_BASE%';

/**
 * The docs pages' Content-Security-Policy: only this origin's scripts, styles and fonts (no inline
 * script or style), images from this origin and `data:` (Swagger UI's icons), no frames, no plugins,
 * no `<base>`, no form posts. `connectSources` are added to `connect-src` for "Try it out" against a
 * custom domain and for OAuth 2.0 token requests made from the page.
 */
export function buildContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The placeholder that stands for the deploy-time value number `index` in the bundled document. */
export function deployValuePlaceholder(index: number): string {
  return `@@secureapi-deploy-value-${index}@@`;
}

type Json = { [key: string]: unknown };

/**
 * Returns a copy of `document` whose only server is `url`: OpenAPI 3.x `servers`, or Swagger 2.0
 * `host`, `basePath` and `schemes`. The public document describes this deployment, so every other
 * server entry (staging hosts, localhost, internal load balancers) is replaced.
 */
export function withPublicServer(document: Json, url: string): Json {
  const copy: Json = { ...document };
  if (typeof document.swagger === 'string') {
    const parsed = new URL(url);
    copy.host = parsed.host;
    copy.basePath = parsed.pathname === '' ? '/' : parsed.pathname.replace(/(.)\/+$/, '$1');
    copy.schemes = [parsed.protocol.replace(/:$/, '')];
    return copy;
  }
  copy.servers = [{ url: url.replace(/\/+$/, '') }];
  return copy;
}
