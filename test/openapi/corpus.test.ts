import AjvDraft04 from 'ajv-draft-04';
import { AnalyzedApi, analyzeDocument, emitApiGatewayBody, JsonObject, OpenApi, OpenApiError } from '../../lib/openapi';
import { CorpusDocument, corpusFile } from '../fixtures/corpus';
import { integrationsFor } from './helpers';

// Every document of the corpus (test/fixtures/corpus.ts) goes through load, analyze and emit, and either
// becomes an API Gateway body or fails with the precise error a user would need.
const spec = corpusFile;

const SUCCEEDING: Array<[file: CorpusDocument, version: string, operations: number]> = [
  ['petstore-expanded.yaml', '3.0', 4],
  ['uspto.yaml', '3.0', 3],
  ['petstore.yaml', '3.0', 20],
  ['petstore-3.1.yaml', '3.1', 20],
  ['apisguru-adyen.com-LegalEntityService.json', '3.1', 29],
  ['apisguru-twilio.com-twilio_verify_v2.json', '3.0', 53],
  ['apisguru-asana.com.json', '3.0', 167],
  ['apisguru-bbci.co.uk.json', '3.0', 30],
  ['petstore-swagger-2.0.yaml', '2.0', 20],
  ['apisguru-docker.com-engine.json', '3.0', 105],
];

function emitFor(analyzed: AnalyzedApi): JsonObject {
  return emitApiGatewayBody(analyzed, { integrations: integrationsFor(analyzed.operations.map((o) => o.operationId)) });
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}

/** The checks every emitted body must pass. */
function expectImportableBody(analyzed: AnalyzedApi, body: any): void {
  const methods = Object.values(body.paths).flatMap((item: any) => Object.values(item)) as any[];
  expect(methods).toHaveLength(analyzed.operations.length);
  for (const method of methods) {
    expect(method['x-amazon-apigateway-integration']).toBeDefined();
    expect(['body-and-params', 'params-only']).toContain(method['x-amazon-apigateway-request-validator']);
    expect(method['x-amazon-apigateway-request-validator']).toBe(method.requestBody ? 'body-and-params' : 'params-only');
    for (const parameter of method.parameters ?? []) expect(Object.keys(parameter).sort()).toEqual(['in', 'name', 'required', 'schema']);
    for (const response of Object.values(method.responses) as any[]) expect(Object.keys(response)).toEqual(['description']);
  }
  for (const path of Object.keys(body.paths))
    expect(path).toMatch(
      /^\/(([A-Za-z0-9._-]+|\{[A-Za-z0-9._-]+\})(\/([A-Za-z0-9._-]+|\{[A-Za-z0-9._-]+\}))*(\/\{[A-Za-z0-9._-]+\+\})?)?$/,
    );
  const models = body.components?.schemas ?? {};
  const ajv = new AjvDraft04({ strict: false });
  for (const [name, model] of Object.entries(models)) {
    expect(name).toMatch(/^[A-Za-z0-9]+$/);
    expect({ name, valid: ajv.validateSchema(model as object), errors: ajv.errors ?? null }).toEqual({ name, valid: true, errors: null });
  }
  for (const ref of collectRefs(body)) expect(Object.keys(models)).toContain(ref.replace('#/components/schemas/', ''));
}

describe.each(SUCCEEDING)('corpus document %s', (file, version, operations) => {
  let analyzed: AnalyzedApi;
  let body: any;
  beforeAll(() => {
    analyzed = analyzeDocument(OpenApi.fromFile(spec(file)).load());
    body = emitFor(analyzed);
  });

  it(`is OpenAPI ${version} with ${operations} operations`, () => {
    expect(analyzed.sourceVersion).toBe(version);
    expect(analyzed.operations).toHaveLength(operations);
  });

  it('becomes an importable body: every operation has an integration and a validator, every model is valid draft 4', () => {
    expectImportableBody(analyzed, body);
  });

  it('gives every warning a keyword and a message, and names the operation where there is one', () => {
    for (const warning of analyzed.warnings) {
      expect(warning.keyword).toBeDefined();
      if (warning.keyword === 'webhooks') continue;
      expect(warning.operationId).toBeDefined();
      expect(warning.keyword).toBeDefined();
      expect(warning.message).toContain(`operation '${warning.operationId}'`);
    }
  });
});

describe('corpus documents that need a decision from the user', () => {
  it("rejects the AWS ACM document: every operation is POST / told apart by an '#X-Amz-Target' fragment, which API Gateway cannot route on", () => {
    const file = spec('apisguru-amazonaws.com-acm.json');
    let error: unknown;
    try {
      analyzeDocument(OpenApi.fromFile(file).load());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenApiError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^SecureApi: openApi ${file.replace(/[.]/g, '\\.')}#/paths: operations collide on API Gateway after unifying path variable names and trailing slashes:\n`,
      ),
    );
    expect(message).toContain(
      "  'AddTagsToCertificate' (POST /#X-Amz-Target=CertificateManager.AddTagsToCertificate) and 'DeleteCertificate' (POST /#X-Amz-Target=CertificateManager.DeleteCertificate) both become POST / (they differ only after '#' or '?', which a request does not carry in its path)\n",
    );
    expect(message).toMatch(
      /\nAPI Gateway serves one operation per method and path: merge them, or leave one out knowingly \(to keep the first of each: excludeOperations: \['DeleteCertificate', .*\]\)$/,
    );
  });

  describe('Discourse: {id}.json paths', () => {
    const file = spec('apisguru-discourse.local.json');
    const loaded = OpenApi.fromFile(file).load();

    it('is served as it is: each {id}.json segment is a whole-segment variable, with a warning that the backend checks the suffix', () => {
      const analyzed = analyzeDocument(loaded);
      // 84 operations; adminListUsers' '{flag}.json' has an enum of 6 flags, so it is 6 literal routes (issue 15).
      expect(analyzed.operations).toHaveLength(89);
      expectImportableBody(analyzed, emitFor(analyzed));
      const partial = analyzed.warnings.filter((w) => w.keyword === 'partial-segment');
      expect(partial).toHaveLength(27);
      expect(analyzed.operations.filter((o) => o.documentOperationId === 'adminListUsers').map((o) => o.path)).toEqual(
        ['active', 'new', 'staff', 'suspended', 'blocked', 'suspect'].map((flag) => `/admin/users/list/${flag}.json`),
      );
      expect(partial.map((w) => w.operationId)).toContain('listCategoryTopics');
      expect(analyzed.operations.find((o) => o.operationId === 'updateBadge')).toMatchObject({
        path: '/admin/badges/{id}',
        sourcePath: '/admin/badges/{id}.json',
      });
    });
  });

  describe('Microcks: two operations without an operationId', () => {
    const file = spec('apisguru-microcks.local.json');

    it('is served as it is, with operationIds derived for both', () => {
      const analyzed = analyzeDocument(OpenApi.fromFile(file).load());
      expect(analyzed.operations.filter((o) => o.derivedOperationId).map((o) => o.operationId)).toEqual(['getJobsId', 'postJobsId']);
      expectImportableBody(analyzed, emitFor(analyzed));
    });

    it('passes once they have operationIds; its multipart uploads are reported as not validated', () => {
      const document = structuredClone(OpenApi.fromFile(file).load().document) as any;
      document.paths['/jobs/{id}'].get.operationId = 'getJob';
      document.paths['/jobs/{id}'].post.operationId = 'updateJob';
      const analyzed = analyzeDocument(OpenApi.fromObject(document).load());
      expect(analyzed.operations).toHaveLength(44);
      expectImportableBody(analyzed, emitFor(analyzed));
      expect(analyzed.warnings.filter((w) => w.keyword === 'content-type:multipart/form-data').map((w) => w.operationId)).toEqual([
        'uploadArtifact',
        'importSnapshot',
      ]);
      // Its discriminator (Exchange) is used by responses only, so no request model carries it.
      expect(analyzed.models.Exchange).toBeUndefined();
      expect(analyzed.warnings.some((w) => w.keyword === 'discriminator')).toBe(false);
    });
  });
});

describe('corpus features', () => {
  it('Twilio: sibling path variables are unified, with a warning per affected operation', () => {
    const analyzed = analyzeDocument(OpenApi.fromFile(spec('apisguru-twilio.com-twilio_verify_v2.json')).load());
    const renamed = analyzed.warnings.filter((w) => w.keyword === 'path-variable-renamed');
    expect(renamed.map((w) => w.operationId)).toEqual([
      'CreateNotification',
      'FetchRateLimit',
      'UpdateRateLimit',
      'DeleteRateLimit',
      'FetchService',
      'UpdateService',
      'DeleteService',
    ]);
    const fetchService = analyzed.operations.find((o) => o.operationId === 'FetchService')!;
    expect([fetchService.sourcePath, fetchService.path]).toEqual(['/v2/Services/{Sid}', '/v2/Services/{ServiceSid}']);
    expect(fetchService.parameters).toContainEqual({ name: 'ServiceSid', in: 'path', required: true });
  });

  it('Twilio: every form-urlencoded body is reported as not validated', () => {
    const analyzed = analyzeDocument(OpenApi.fromFile(spec('apisguru-twilio.com-twilio_verify_v2.json')).load());
    const withBody = analyzed.operations.filter((o) => o.requestBody !== undefined).map((o) => o.operationId);
    const reported = analyzed.warnings
      .filter((w) => w.keyword === 'content-type:application/x-www-form-urlencoded')
      .map((w) => w.operationId);
    expect(reported).toEqual(withBody);
  });

  it('BBC: circular $refs load and analyze', () => {
    const analyzed = analyzeDocument(OpenApi.fromFile(spec('apisguru-bbci.co.uk.json')).load());
    expect(analyzed.operations).toHaveLength(30);
  });

  it('Adyen (3.1): null type arrays become draft-4 type arrays and readOnly properties leave the request models', () => {
    const analyzed = analyzeDocument(OpenApi.fromFile(spec('apisguru-adyen.com-LegalEntityService.json')).load());
    const models = JSON.stringify(analyzed.models);
    expect(models).not.toContain('nullable');
    expect(models).not.toContain('readOnly');
    expect(Object.values(analyzed.models).some((m) => JSON.stringify(m).includes('"null"'))).toBe(true);
  });

  it('Docker Engine: nullable becomes a type array in the models', () => {
    const analyzed = analyzeDocument(OpenApi.fromFile(spec('apisguru-docker.com-engine.json')).load());
    expect(JSON.stringify(analyzed.models)).toContain('"null"');
    expect(JSON.stringify(analyzed.models)).not.toContain('nullable');
  });
});
