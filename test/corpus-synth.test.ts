import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as YAML from 'yaml';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../lib';
import { analyzeDocument } from '../lib/openapi';
import { CorpusDocument, corpusFile } from './fixtures/corpus';
import { nagFindings } from './helpers/nag';

// Every document of the corpus (test/fixtures/corpus.ts) goes through the whole construct (not only the pure pipeline, which
// test/openapi/corpus.test.ts covers): each either synthesizes into one locked-down REST API whose body
// carries every operation, or fails with the precise error a user would need.

const spec = corpusFile;
const ENV = { account: '111111111111', region: 'eu-west-1' };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** What a document needs configured: a JWT authorizer, API keys, operations left out knowingly. */
interface Needs {
  readonly auth?: boolean;
  readonly apiKeys?: boolean;
  readonly excludeOperations?: string[];
}

function propsFor(needs: Needs): Partial<SecureApiProps> {
  return {
    ...(needs.auth ? { auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }) } : {}),
    ...(needs.apiKeys
      ? {
          apiKeys: {
            tiers: [
              { name: 'partner', throttle: { rateLimit: 50, burstLimit: 100 }, quota: { limit: 100_000, period: apigw.Period.MONTH } },
            ],
            consumers: [{ id: 'partner-a', tier: 'partner' }],
          },
        }
      : {}),
    ...(needs.excludeOperations ? { excludeOperations: needs.excludeOperations } : {}),
  };
}

/** A fresh app and stack with a fixed environment holding one SecureApi with mock integrations. */
function build(openApi: OpenApi, needs: Needs): Stack {
  const stack = new Stack(new App(), 'Corpus', { env: ENV });
  new SecureApi(stack, 'Api', { openApi, defaultIntegration: OperationIntegration.mock(), ...propsFor(needs) });
  return stack;
}

/** The operationIds a document declares, read from the raw file (independently of the pipeline). */
function declaredOperationIds(document: any): string[] {
  const ids: string[] = [];
  for (const item of Object.values<any>(document.paths ?? {})) {
    for (const method of METHODS) if (item[method] !== undefined) ids.push(item[method].operationId);
  }
  return ids;
}

function readDocument(file: CorpusDocument): any {
  return YAML.parse(fs.readFileSync(spec(file), 'utf8'), { maxAliasCount: -1 });
}

function restApiBody(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

function resourceCount(template: Template): number {
  return Object.keys(template.toJSON().Resources).length;
}

/** A tiny document that asks for the same mechanisms, as the reference for the resource count. */
function tinyDocument(needs: Needs): Record<string, unknown> {
  const schemes: Record<string, unknown> = {};
  const requirement: Record<string, string[]> = {};
  if (needs.auth) {
    schemes.oauth = {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: 'https://login.example.com/token', scopes: { 'items:read': 'read' } } },
    };
    requirement.oauth = ['items:read'];
  }
  if (needs.apiKeys) {
    schemes.key = { type: 'apiKey', in: 'header', name: 'x-api-key' };
    requirement.key = [];
  }
  const ok = { '200': { description: 'ok' } };
  return {
    openapi: '3.0.3',
    info: { title: 'Tiny', version: '1' },
    ...(Object.keys(schemes).length > 0 ? { components: { securitySchemes: schemes }, security: [requirement] } : {}),
    paths: {
      '/items/{id}': {
        get: {
          operationId: 'getItem',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: ok,
        },
      },
    },
  };
}

const tinyCounts = new Map<string, number>();
function tinyResourceCount(needs: Needs): number {
  const key = `${needs.auth === true}/${needs.apiKeys === true}`;
  if (!tinyCounts.has(key)) {
    const stack = build(OpenApi.fromObject(tinyDocument(needs)), { auth: needs.auth, apiKeys: needs.apiKeys });
    tinyCounts.set(key, resourceCount(Template.fromStack(stack)));
  }
  return tinyCounts.get(key)!;
}

/** The Discourse operations whose '{id}.json' paths API Gateway cannot serve, in the order the error lists them. */
const DISCOURSE_EXCLUDED = [
  'updateBadge',
  'deleteBadge',
  'deleteGroup',
  'adminListUsers',
  'adminGetUser',
  'deleteUser',
  'listCategoryTopics',
  'updateCategory',
  'getGroup',
  'updateGroup',
  'getPost',
  'updatePost',
  'deletePost',
  'updateTopic',
  'getTopicByExternalId',
  'getTopic',
  'removeTopic',
  'getTag',
  'getTagGroup',
  'updateTagGroup',
  'getUserSentPrivateMessages',
  'listUserPrivateMessages',
  'getUserExternalId',
  'getUserIdentiyProviderExternalId',
  'getUser',
  'updateUser',
  'listUserBadges',
  'changePassword',
];

/** Microcks with the two operationIds its document lacks: what a user does after reading the error. */
function withMicrocksOperationIds(document: any): void {
  document.paths['/jobs/{id}'].get.operationId = 'getJob';
  document.paths['/jobs/{id}'].post.operationId = 'updateJob';
}

interface Case {
  readonly file: CorpusDocument;
  readonly needs: Needs;
  /** A change the user makes to the document first (the document is then given with `OpenApi.fromObject`). */
  readonly patch?: (document: any) => void;
}

const SYNTHESIZING: Case[] = [
  { file: 'petstore-expanded.yaml', needs: {} },
  { file: 'uspto.yaml', needs: {} },
  { file: 'petstore.yaml', needs: { auth: true, apiKeys: true } },
  { file: 'petstore-3.1.yaml', needs: { auth: true, apiKeys: true } },
  { file: 'apisguru-adyen.com-LegalEntityService.json', needs: { apiKeys: true } },
  { file: 'apisguru-twilio.com-twilio_verify_v2.json', needs: {} },
  { file: 'apisguru-asana.com.json', needs: { auth: true } },
  { file: 'apisguru-bbci.co.uk.json', needs: {} },
  { file: 'apisguru-discourse.local.json', needs: { excludeOperations: DISCOURSE_EXCLUDED } },
  { file: 'apisguru-microcks.local.json', needs: { auth: true }, patch: withMicrocksOperationIds },
  { file: 'petstore-swagger-2.0.yaml', needs: { auth: true, apiKeys: true } },
  { file: 'apisguru-docker.com-engine.json', needs: {} },
];

function documentOf(c: Case): any {
  const document = readDocument(c.file);
  c.patch?.(document);
  return document;
}

function openApiOf(c: Case): OpenApi {
  return c.patch === undefined ? OpenApi.fromFile(spec(c.file)) : OpenApi.fromObject(documentOf(c));
}

// Stacks kept for the cdk-nag checks below (synthesizing them again would double their cost).
const stacks = new Map<string, Stack>();

describe.each(SYNTHESIZING.map((c) => [c.file + (c.patch ? ' (operationIds added)' : ''), c] as const))(
  'corpus document %s through SecureApi',
  (_name, c) => {
    let stack: Stack;
    let template: Template;
    let body: any;
    beforeAll(() => {
      stack = build(openApiOf(c), c.needs);
      template = Template.fromStack(stack);
      body = restApiBody(template);
      stacks.set(c.file, stack);
    });

    it('synthesizes exactly one REST API, imported from a body', () => {
      template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
      template.resourceCountIs('AWS::ApiGateway::Method', 0);
      template.resourceCountIs('AWS::ApiGateway::Resource', 0);
      expect(body.openapi).toMatch(/^3\.0\./);
    });

    it('carries every operation the document declares (less the excluded ones), each with an integration and a request validator', () => {
      const excluded = c.needs.excludeOperations ?? [];
      const expected = declaredOperationIds(documentOf(c)).filter((id) => !excluded.includes(id));
      const validators = body['x-amazon-apigateway-request-validators'];
      const emitted: string[] = [];
      for (const item of Object.values<any>(body.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) {
          expect(METHODS).toContain(method);
          emitted.push(operation.operationId);
          expect(operation['x-amazon-apigateway-integration']).toMatchObject({ type: 'mock' });
          expect(validators[operation['x-amazon-apigateway-request-validator']]).toMatchObject({ validateRequestParameters: true });
        }
      }
      expect(emitted.sort()).toEqual([...expected].sort());
    });

    it('has as many CloudFormation resources as a one-operation document with the same options', () => {
      expect(resourceCount(template)).toBe(tinyResourceCount(c.needs));
    });

    it('turns every pipeline warning into a synth warning or the findings file a warning names: nothing it cannot enforce is dropped silently', () => {
      const analyzed = analyzeDocument(openApiOf(c).load(), { excludeOperations: c.needs.excludeOperations });
      const warnings = Annotations.fromStack(stack)
        .findWarning('*', Match.anyValue())
        .map((w) => String(w.entry.data));
      for (const warning of warnings) expect(warning).toMatch(/ \[ack: cdk-secure-api:[^\]]+\]$/);
      const messages = new Set(warnings.map((w) => w.replace(/ \[ack: [^\]]+\]$/, '')));
      const file = path.join((stack.node.root as App).synth().directory, 'Corpus.Api.secure-api-findings.json');
      const written = fs.existsSync(file)
        ? Object.values<any>(JSON.parse(fs.readFileSync(file, 'utf8'))).flatMap((kind) => kind.findings.map((f: any) => f.message))
        : [];
      const detailed = new Set(written);
      expect(
        analyzed.warnings
          .filter((w) => w.level !== 'info')
          .map((w) => w.message)
          .filter((m) => !messages.has(m) && !detailed.has(m)),
      ).toEqual([]);
      expect(warnings.length).toBeLessThanOrEqual(12);
    });
  },
);

describe('corpus documents the construct rejects with the error a user needs', () => {
  it("AWS ACM: every operation is POST / told apart by an '#X-Amz-Target' fragment, and the error names the colliding operations", () => {
    const file = spec('apisguru-amazonaws.com-acm.json');
    const ids = declaredOperationIds(readDocument('apisguru-amazonaws.com-acm.json'));
    expect(ids).toHaveLength(15);
    let message = '';
    try {
      build(OpenApi.fromFile(file), {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      new RegExp(
        `^SecureApi 'Corpus/Api': openApi ${escapeRegExp(file)}#/paths: operations collide on API Gateway after unifying path variable names and trailing slashes:\n`,
      ),
    );
    expect(message).toContain(
      "  'AddTagsToCertificate' (POST /#X-Amz-Target=CertificateManager.AddTagsToCertificate) and 'DeleteCertificate' (POST /#X-Amz-Target=CertificateManager.DeleteCertificate) both become POST / (they differ only after '#' or '?', which a request does not carry in its path)\n",
    );
    // Every operation but the first is suggested: API Gateway can serve one of them on POST /.
    expect(suggestedExclusions(message).sort()).toEqual(ids.filter((id) => id !== 'AddTagsToCertificate').sort());
  });

  it("Discourse: synthesizes as it is, its '{id}.json' paths served as whole-segment variables", () => {
    const body = restApiBody(Template.fromStack(build(OpenApi.fromFile(spec('apisguru-discourse.local.json')), {})));
    expect(body.paths['/admin/badges/{id}'].put.operationId).toBe('updateBadge');
    // 84 operations, one of them (adminListUsers, an enum of 6 flags in '{flag}.json') served as 6 literal routes.
    expect(Object.values<any>(body.paths).flatMap((item) => Object.keys(item))).toHaveLength(89);
    expect(body.paths['/admin/users/list/active.json'].get.operationId).toBe('adminListUsers_active');
  });

  it('Microcks: synthesizes as it is, the two operations without an operationId given derived ones', () => {
    const file = spec('apisguru-microcks.local.json');
    const body = restApiBody(Template.fromStack(build(OpenApi.fromFile(file), { auth: true })));
    expect([body.paths['/jobs/{id}'].get.operationId, body.paths['/jobs/{id}'].post.operationId]).toEqual(['getJobsId', 'postJobsId']);
  });

  it('Microcks with operationIds but without auth: its first OAuth 2.0 operation names the missing prop', () => {
    const document = documentOf({ file: 'apisguru-microcks.local.json', needs: {}, patch: withMicrocksOperationIds });
    expect(() => build(OpenApi.fromObject(document), {})).toThrow(
      "(inline document)#/paths/~1artifact~1upload/post/security: operation 'uploadArtifact' requires an OAuth 2.0 / OpenID Connect token, but SecureApi has no 'auth' configured; set auth: Auth.jwt({ issuer, audience }) or Auth.cognito({...})",
    );
  });

  it('Swagger Petstore: getPetById accepts an API key OR a token, which API Gateway cannot express', () => {
    // As swagger-api/swagger-petstore's OpenAPI 3.0 edition declares it; ReadMe's copy keeps only the key.
    const document = readDocument('petstore.yaml');
    document.paths['/pet/{petId}'].get.security = [{ api_key: [] }, { petstore_auth: ['write:pets', 'read:pets'] }];
    expect(() => build(OpenApi.fromObject(document), { auth: true, apiKeys: true })).toThrow(
      `(inline document)#/paths/~1pet~1{petId}/get/security: operation 'getPetById' accepts an API key OR a token; API Gateway applies one authorizer and one API-key check to every request of a method, so alternatives must use the same mechanisms. Require both in one requirement object (AND), or pick one`,
    );
  });

  it('Swagger Petstore without apiKeys: its key-protected operation names the missing prop', () => {
    const file = spec('petstore.yaml');
    expect(() => build(OpenApi.fromFile(file), { auth: true, excludeOperations: ['getPetById'] })).toThrow(
      `${file}#/paths/~1store~1inventory/get/security: operation 'getInventory' requires an API key, but SecureApi has no 'apiKeys' configured; configure apiKeys (usage plans and consumers)`,
    );
  });
});

describe('corpus stacks pass the five cdk-nag packs', () => {
  it.each<CorpusDocument>(['apisguru-asana.com.json', 'apisguru-docker.com-engine.json', 'petstore.yaml'])(
    '%s has no unacknowledged finding',
    (file) => {
      const c = SYNTHESIZING.find((s) => s.file === file)!;
      const stack = stacks.get(file) ?? build(openApiOf(c), c.needs);
      expect(nagFindings(stack)).toEqual([]);
    },
  );
});

/** The operationIds an unservable-paths or a collision error suggests for excludeOperations, in its order. */
function suggestedExclusions(message: string): string[] {
  const list =
    /\n(?:Change these paths, or leave the operations out knowingly with|.*to keep the first of each:) excludeOperations: \[(.*)\]\)?$/.exec(
      message,
    );
  expect(list).not.toBeNull();
  return list![1].split(', ').map((quoted) => quoted.replace(/^'(.*)'$/, '$1'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
