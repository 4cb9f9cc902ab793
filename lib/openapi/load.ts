import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { validateAgainstOpenApiSchema } from './validate';
import { JsonObject, LoadedDocument, OpenApiError, OpenApiVersion } from '../model';

export const INLINE_SOURCE = '(inline document)';

/** Reads and parses a YAML or JSON file, then validates it. Every failure names the file. */
export function loadDocumentFile(file: string): LoadedDocument {
  const source = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'it is a directory, not a file'
          : `it cannot be read (${code ?? (e as Error).message})`;
    throw new OpenApiError(`cannot load the OpenAPI document: ${reason}`, source);
  }
  return loadDocumentText(text, source);
}

/** Parses document text (JSON, or YAML 1.2 which includes JSON) and validates it. */
export function loadDocumentText(text: string, source: string): LoadedDocument {
  const document = parseDocumentText(text, source);
  return loadDocumentObject(document, source);
}

/** Validates an already parsed document. */
export function loadDocumentObject(document: unknown, source: string = INLINE_SOURCE): LoadedDocument {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new OpenApiError(
      `the OpenAPI document must be an object, got ${Array.isArray(document) ? 'an array' : document === null ? 'null' : typeof document}`,
      source,
    );
  }
  const version = detectVersion(document as JsonObject, source);
  validateAgainstOpenApiSchema(document as JsonObject, version, source);
  return { source, version, document: document as JsonObject };
}

export function detectVersion(document: JsonObject, source: string): OpenApiVersion {
  const openapi = document.openapi;
  const swagger = document.swagger;
  if (typeof openapi === 'string') {
    if (/^3\.0\.\d+/.test(openapi)) return '3.0';
    if (/^3\.1\.\d+/.test(openapi)) return '3.1';
    throw new OpenApiError(
      `unsupported OpenAPI version '${openapi}'; SecureApi accepts OpenAPI 3.0, 3.1 and Swagger 2.0`,
      source,
      '/openapi',
    );
  }
  if (swagger !== undefined) {
    if (String(swagger) === '2.0' || swagger === 2) return '2.0';
    throw new OpenApiError(
      `unsupported Swagger version '${String(swagger)}'; SecureApi accepts OpenAPI 3.0, 3.1 and Swagger 2.0`,
      source,
      '/swagger',
    );
  }
  throw new OpenApiError(`not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' version field`, source);
}

function parseDocumentText(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const looksLikeJson = /^\s*[{[]/.test(body);
  if (looksLikeJson || source.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(body);
    } catch (e) {
      if (source.toLowerCase().endsWith('.json')) {
        throw new OpenApiError(`invalid JSON: ${describeJsonError(body, e as Error)}`, source);
      }
      // YAML flow style can start with '{' too: fall through to the YAML parser.
    }
  }
  // Plain errors and our own line counter: a pretty error repeats the position and appends the source lines.
  const lineCounter = new YAML.LineCounter();
  const parsed = YAML.parseDocument(body, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0];
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new OpenApiError(`invalid YAML at line ${line}, column ${col}: ${first.message.split('\n')[0]}`, source);
  }
  const value = parsed.toJS({ maxAliasCount: 1000 });
  if (value === undefined || value === null) throw new OpenApiError('the document is empty', source);
  return value;
}

function describeJsonError(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return error.message;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

/** A deep copy of plain JSON data, or an error saying why the value is not JSON data. */
export function copyJson(document: unknown, source: string): unknown {
  try {
    return document === undefined ? undefined : JSON.parse(JSON.stringify(document));
  } catch (e) {
    throw new OpenApiError(`the document is not plain JSON data: ${(e as Error).message}`, source);
  }
}
