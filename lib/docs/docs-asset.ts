import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageAssetDirectory } from '../common/bundled-handler';
import { DOCS_BASE_MARKER, DOCS_DOCUMENT_FILE, DOCS_INDEX_FILE, DOCS_STATIC_DIR } from '../../contracts/docs';
import { writeContentAddressedDirectory } from '../common/content-addressed-directory';
import { JsonObject } from '../model';

/**
 * The files copied from swagger-ui-dist, as served. Its source maps and standalone preset are left out.
 * The build copies them (and the licences below) into the package's `assets/swagger-ui/`
 * (scripts/bundle-lambdas.mjs, same list), so swagger-ui-dist stays a dev dependency.
 */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'index.css', 'oauth2-redirect.html', 'oauth2-redirect.js'];

/** Licence files shipped next to the handler (not served). */
const SWAGGER_UI_LICENSES = ['LICENSE', 'NOTICE', 'swagger-ui-bundle.js.LICENSE.txt'];

/** Our script that starts Swagger UI. An external file, because the page's policy forbids inline scripts. */
const START_SCRIPT = `(function () {
  'use strict';
  // Resolve everything against this script's URL: the page may sit behind any stage or base path.
  var base = new URL('.', document.currentScript.src);
  window.ui = SwaggerUIBundle({
    url: new URL('${DOCS_DOCUMENT_FILE}', base).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // Never send the document to swagger.io's online validator, and never load a document named in the query string.
    validatorUrl: null,
    queryConfigEnabled: false,
    oauth2RedirectUrl: new URL('oauth2-redirect.html', base).href,
    persistAuthorization: false,
    withCredentials: false
  });
})();
`;

/** The files the docs handler serves, by name: Swagger UI, our page and start script, and the public document. */
export function docsStaticFiles(publicDocument: JsonObject): Map<string, string> {
  const dist = swaggerUiDirectory();
  const files = new Map<string, string>();
  for (const name of SWAGGER_UI_FILES) files.set(name, withoutSourceMap(readFileSync(join(dist, name), 'utf8')));
  files.set('secureapi-docs.js', START_SCRIPT);
  files.set(DOCS_INDEX_FILE, indexPage(titleOf(publicDocument)));
  files.set(DOCS_DOCUMENT_FILE, JSON.stringify(publicDocument));
  return files;
}

/**
 * Writes the docs handler's asset: the bundled handler (`index.js`), the static files under
 * `static/`, and Swagger UI's licences. The folder's name is the hash of its content, so the same
 * input always gives the same folder and the same asset hash, on every machine.
 */
export function writeDocsAsset(handlerDirectory: string, staticFiles: Map<string, string>): string {
  const entries: Array<[string, string]> = [['index.js', readFileSync(join(handlerDirectory, 'index.js'), 'utf8')]];
  for (const name of [...staticFiles.keys()].sort()) entries.push([`${DOCS_STATIC_DIR}/${name}`, staticFiles.get(name)!]);
  const dist = swaggerUiDirectory();
  for (const name of SWAGGER_UI_LICENSES) {
    const file = join(dist, name);
    if (existsSync(file)) entries.push([`licenses/swagger-ui-dist/${name}`, readFileSync(file, 'utf8')]);
  }

  return writeContentAddressedDirectory('docs', entries);
}

function indexPage(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${DOCS_BASE_MARKER}swagger-ui.css">
<link rel="stylesheet" href="${DOCS_BASE_MARKER}index.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_BASE_MARKER}swagger-ui-bundle.js"></script>
<script src="${DOCS_BASE_MARKER}secureapi-docs.js"></script>
</body>
</html>
`;
}

function titleOf(document: JsonObject): string {
  const info = document.info as JsonObject | undefined;
  const title = typeof info?.title === 'string' && info.title.trim() !== '' ? info.title.trim() : 'API';
  return `${title}: API documentation`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Source maps are not shipped, so the comment that points browsers at them goes too. */
function withoutSourceMap(text: string): string {
  return text.replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*$/, '\n');
}

/** `assets/swagger-ui/`: swagger-ui-dist's files, copied at build time (never read from node_modules at synth). */
function swaggerUiDirectory(): string {
  return packageAssetDirectory(['swagger-ui'], SWAGGER_UI_FILES[0]);
}
