import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LoadedDocument, JsonObject } from '../../lib/openapi';
import { loadDocumentObject } from '../../lib/openapi/load';

/** A minimal valid OpenAPI 3.0 document with the given paths (and optional components). */
export function doc30(paths: JsonObject, extra: JsonObject = {}): JsonObject {
  return { openapi: '3.0.3', info: { title: 'Test', version: '1.0.0' }, paths, ...extra };
}

/** A minimal valid OpenAPI 3.1 document. */
export function doc31(paths: JsonObject, extra: JsonObject = {}): JsonObject {
  return { openapi: '3.1.0', info: { title: 'Test', version: '1.0.0' }, paths, ...extra };
}

export function load(document: JsonObject): LoadedDocument {
  return loadDocumentObject(structuredClone(document));
}

/** An operation with a JSON request body. */
export function jsonBodyOperation(operationId: string, schema: unknown, extra: JsonObject = {}): JsonObject {
  return {
    operationId,
    requestBody: { required: true, content: { 'application/json': { schema } } },
    responses: { '200': { description: 'OK' } },
    ...extra,
  };
}

export function op(operationId: string, extra: JsonObject = {}): JsonObject {
  return { operationId, responses: { '200': { description: 'OK' } }, ...extra };
}

/** A directory that is removed when the process exits. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secureapi-openapi-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Mock-style integrations for every operation, for emit tests. */
export function integrationsFor(operationIds: string[]): { [id: string]: JsonObject } {
  return Object.fromEntries(
    operationIds.map((id) => [id, { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } }]),
  );
}
