import * as fs from 'fs';
import * as path from 'path';
import { OpenApi, OpenApiError } from '../../lib/openapi';
import { doc30, op, tempDir } from './helpers';

describe('OpenApi.fromFile', () => {
  const dir = tempDir();
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads a YAML document', () => {
    const file = write(
      'api.yaml',
      'openapi: 3.0.3\ninfo:\n  title: Pets\n  version: "1"\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        "200":\n          description: OK\n',
    );
    const loaded = OpenApi.fromFile(file).load();
    expect(loaded.version).toBe('3.0');
    expect(loaded.source).toBe(file);
    expect((loaded.document.paths as any)['/pets'].get.operationId).toBe('listPets');
  });

  it('reads a JSON document', () => {
    const file = write('api.json', JSON.stringify(doc30({ '/pets': { get: op('listPets') } })));
    expect(OpenApi.fromFile(file).load().version).toBe('3.0');
  });

  it('reads a Swagger 2.0 document and reports its version', () => {
    const file = write(
      'swagger.yaml',
      'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {"200": {description: OK}}\n',
    );
    expect(OpenApi.fromFile(file).load().version).toBe('2.0');
  });

  it('parses and validates once, however often load() is called', () => {
    const file = write('once.json', JSON.stringify(doc30({ '/a': { get: op('getA') } })));
    const api = OpenApi.fromFile(file);
    const first = api.load();
    fs.writeFileSync(file, 'not: [valid');
    expect(api.load()).toBe(first);
  });

  it('names a missing file', () => {
    const file = path.join(dir, 'missing.yaml');
    expect(() => OpenApi.fromFile(file).load()).toThrow(
      new OpenApiError('cannot load the OpenAPI document: the file does not exist', file),
    );
    expect(() => OpenApi.fromFile(file).load()).toThrow(`${file}: cannot load the OpenAPI document: the file does not exist`);
  });

  it('names a directory given as the document', () => {
    expect(() => OpenApi.fromFile(dir).load()).toThrow(`${dir}: cannot load the OpenAPI document: it is a directory, not a file`);
  });

  it('reports invalid JSON with its line and column', () => {
    const file = write('broken.json', '{\n  "openapi": "3.0.3",\n  "info": {,\n}');
    expect(() => OpenApi.fromFile(file).load()).toThrow(/broken\.json: invalid JSON: .* at line 3, column 12$/);
  });

  it('reports invalid YAML with its line and column, once, on one line', () => {
    const file = write('broken.yaml', 'openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n');
    expect(() => OpenApi.fromFile(file).load()).toThrow(
      new OpenApiError(
        'invalid YAML at line 4, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]',
        file,
      ),
    );
  });

  it('reports invalid YAML on one clean line: the location once, no dangling colon', () => {
    const file = write('nested.yaml', 'openapi: 3.0.3\ninfo: title: T\n');
    let message = '';
    try {
      OpenApi.fromFile(file).load();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/nested\.yaml: invalid YAML at line 2, column 7: Nested mappings are not allowed in compact mappings$/);
    expect(message).not.toContain('\n');
    expect(message.match(/at line/g)).toHaveLength(1);
  });

  it('rejects duplicate keys in YAML', () => {
    const file = write('dup.yaml', 'openapi: 3.0.3\nopenapi: 3.0.1\ninfo: {title: T, version: "1"}\npaths: {}\n');
    expect(() => OpenApi.fromFile(file).load()).toThrow(
      new OpenApiError('invalid YAML at line 2, column 1: Map keys must be unique', file),
    );
  });

  it('reports an empty file', () => {
    const file = write('empty.yaml', '');
    expect(() => OpenApi.fromFile(file).load()).toThrow(`${file}: the document is empty`);
  });

  it('names the JSON pointer of an invalid OpenAPI document', () => {
    const file = write(
      'invalid.yaml',
      'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n',
    );
    expect(() => OpenApi.fromFile(file).load()).toThrow(
      `${file}#/paths/~1pets/get: invalid OpenAPI 3.0 document: missing required property 'responses'`,
    );
  });
});

describe('OpenApi.fromObject', () => {
  it('copies the document, so later changes by the caller do not leak in', () => {
    const document = doc30({ '/a': { get: op('getA') } });
    const api = OpenApi.fromObject(document);
    (document.paths as any)['/a'].get.operationId = 'changed';
    expect((api.load().document.paths as any)['/a'].get.operationId).toBe('getA');
  });

  it('names the inline document in errors', () => {
    expect(() => OpenApi.fromObject({ openapi: '3.0.3', paths: {} }).load()).toThrow(
      "(inline document)#: invalid OpenAPI 3.0 document: missing required property 'info'",
    );
  });

  it('rejects a document that is not an object', () => {
    expect(() => OpenApi.fromObject([] as any).load()).toThrow('(inline document): the OpenAPI document must be an object, got an array');
  });

  it('rejects a document without a version field', () => {
    expect(() => OpenApi.fromObject({ info: {}, paths: {} }).load()).toThrow(
      "(inline document): not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' version field",
    );
  });

  it('rejects an unsupported version', () => {
    expect(() => OpenApi.fromObject({ openapi: '4.0.0', info: {}, paths: {} }).load()).toThrow(
      "(inline document)#/openapi: unsupported OpenAPI version '4.0.0'; SecureApi accepts OpenAPI 3.0, 3.1 and Swagger 2.0",
    );
  });

  it('accepts unknown formats (they are common in real documents)', () => {
    const document = doc30({
      '/a': { get: op('getA', { parameters: [{ name: 'x', in: 'query', schema: { type: 'string', format: 'uriref' } }] }) },
    });
    expect(OpenApi.fromObject(document).load().version).toBe('3.0');
  });

  it('validates OpenAPI 3.1 documents against the 3.1 schema', () => {
    const document = { openapi: '3.1.0', info: { title: 'T' }, paths: {} };
    expect(() => OpenApi.fromObject(document).load()).toThrow(
      "(inline document)#/info: invalid OpenAPI 3.1 document: missing required property 'version'",
    );
  });

  it('validates Swagger 2.0 documents against the 2.0 schema', () => {
    const document = {
      swagger: '2.0',
      info: { title: 'T', version: '1' },
      paths: { '/a': { get: { responses: { '200': { description: 'OK' } }, bogus: 1 } } },
    };
    expect(() => OpenApi.fromObject(document).load()).toThrow(
      "(inline document)#/paths/~1a/get: invalid Swagger 2.0 document: unexpected property 'bogus'",
    );
  });

  it('reports a value that is not JSON data when the document is loaded', () => {
    const document: any = doc30({});
    document.self = document;
    expect(() => OpenApi.fromObject(document).load()).toThrow(
      /^SecureApi: openApi \(inline document\): the document is not plain JSON data: Converting circular structure to JSON/,
    );
  });
});
