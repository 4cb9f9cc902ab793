import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { buildContentSecurityPolicy, DOCS_ENV } from '../../contracts/docs';
import { ApiDocs, ApiDocsOptions, DocsAccess, docsRoutes } from '../../lib/docs';
import { analyzeDocument, buildOperationSecurity, JsonObject } from '../../lib/openapi';
import { loadDocumentObject } from '../../lib/openapi/load';
import { synthesizedInvocationUri } from '../support/invocation-uri';

/** A pet store with one internal operation, one operation needing a scope, and AWS extensions to strip. */
function petStore(): JsonObject {
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1.0.0' },
    servers: [{ url: 'https://pets.internal.example.com' }],
    paths: {
      '/pets': {
        get: { operationId: 'listPets', security: [{ oauth: ['pets:read'] }], responses: { '200': { description: 'OK' } } },
        post: {
          operationId: 'createPet',
          'x-amazon-apigateway-integration': { type: 'mock' },
          responses: { '201': { description: 'Created' } },
        },
      },
      '/admin/reindex': { post: { operationId: 'reindex', 'x-internal': true, responses: { '202': { description: 'Started' } } } },
    },
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://idp.example.com/token', scopes: { 'pets:read': 'Read pets' } } },
        },
      },
    },
  };
}

/** The pet store without any security requirement, for an API without auth. */
function openPetStore(): JsonObject {
  const document = petStore();
  delete ((document.paths as JsonObject)['/pets'] as { get: JsonObject }).get.security;
  return document;
}

/** The body security scheme an auth concern contributes: a Lambda authorizer. */
const AUTHORIZER_SCHEME = {
  jwt: {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': { type: 'request' },
  },
};
const API_KEY_SCHEME = { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } };

/** ApiDocs in a stack of its own, wired as the root wires it. */
function docsStack(
  options: ApiDocsOptions,
  securitySchemes: { [name: string]: JsonObject } = AUTHORIZER_SCHEME,
  document: JsonObject = petStore(),
  issuer?: string,
) {
  const stack = new Stack(new App(), 'Docs', { env: { account: '111111111111', region: 'eu-west-1' } });
  const loaded = loadDocumentObject(structuredClone(document));
  const analyzed = analyzeDocument(loaded, {});
  const authorizerSchemeName = Object.keys(securitySchemes).find((n) => securitySchemes[n]['x-amazon-apigateway-authorizer'] !== undefined);
  const apiKeySchemeName = Object.keys(securitySchemes).find((n) => securitySchemes[n]['x-amazon-apigateway-authorizer'] === undefined);
  const security = buildOperationSecurity(
    analyzed.operations,
    analyzed.securitySchemes,
    { authorizerSchemeName, apiKeySchemeName },
    analyzed.source,
  );
  const docs = new ApiDocs(stack, 'Docs', {
    options,
    apiLabel: 'Docs/Api',
    document: loaded,
    operations: analyzed.operations,
    securityDecisions: security.decisions,
    securitySchemes,
    issuer,
    logGroup: new logs.LogGroup(stack, 'DocsLogs'),
  });
  return { stack, docs };
}

function staticFile(docs: ApiDocs, name: string): string {
  return fs.readFileSync(path.join(docs.assetDirectory, 'static', name), 'utf8');
}

describe('ApiDocs behind the JWT authorizer (the default)', () => {
  const { stack, docs } = docsStack({}, AUTHORIZER_SCHEME, petStore(), 'https://idp.example.com/');
  const template = Template.fromStack(stack);

  it('adds GET /docs and GET /docs/{file}, each behind the authorizer and integrated with the docs function', () => {
    expect(Object.keys(docs.extraPaths)).toEqual(['/docs', '/docs/{file}']);
    for (const item of Object.values(docs.extraPaths)) {
      const get = item.get as JsonObject;
      expect(get.security).toEqual([{ jwt: [] }]);
      expect(get['x-amazon-apigateway-request-validator']).toBe('params-only');
      expect(get['x-amazon-apigateway-integration']).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST' });
      expect(stack.resolve((get['x-amazon-apigateway-integration'] as JsonObject).uri)).toEqual(
        synthesizedInvocationUri(stack.getLogicalId(docs.handler.node.defaultChild as never)),
      );
    }
    expect((docs.extraPaths['/docs/{file}'].get as JsonObject).parameters).toEqual([
      { name: 'file', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('requires the docs:read scope on both routes, for the authorizer scope map', () => {
    expect(docs.routes).toEqual([
      { operationId: 'secureApiDocsPage', method: 'GET', path: '/docs', scopeAlternatives: [['docs:read']] },
      { operationId: 'secureApiDocsFile', method: 'GET', path: '/docs/{file}', scopeAlternatives: [['docs:read']] },
    ]);
    expect(docs.scopes).toEqual(['docs:read']);
    expect(docsRoutes({})).toEqual(docs.routes);
  });

  it('serves with a hardened function whose environment holds the strict Content-Security-Policy', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 5,
      Environment: {
        Variables: {
          [DOCS_ENV.contentSecurityPolicy]:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' https://idp.example.com; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        },
      },
    });
  });

  it('bundles Swagger UI from swagger-ui-dist and loads nothing from another origin', () => {
    const files = fs.readdirSync(path.join(docs.assetDirectory, 'static')).sort();
    expect(files).toEqual([
      'index.css',
      'index.html',
      'oauth2-redirect.html',
      'oauth2-redirect.js',
      'openapi.json',
      'secureapi-docs.js',
      'swagger-ui-bundle.js',
      'swagger-ui.css',
    ]);
    expect(fs.existsSync(path.join(docs.assetDirectory, 'index.js'))).toBe(true);
    const dist = path.dirname(require.resolve('swagger-ui-dist/package.json'));
    expect(staticFile(docs, 'swagger-ui-bundle.js').trim()).toBe(
      fs
        .readFileSync(path.join(dist, 'swagger-ui-bundle.js'), 'utf8')
        .replace(/\/\/# sourceMappingURL=.*$/, '')
        .trim(),
    );
    const page = staticFile(docs, 'index.html');
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script>|<style>|style=/);
    expect(page.match(/<script src="%SECUREAPI_DOCS_BASE%[a-z-]+\.js"><\/script>/g)).toHaveLength(2);
    expect(staticFile(docs, 'secureapi-docs.js')).toContain('validatorUrl: null');
  });

  it('bundles the sanitized document with the security as deployed', () => {
    const document = JSON.parse(staticFile(docs, 'openapi.json'));
    expect(document).toEqual(docs.publicDocument);
    expect(Object.keys(document.paths)).toEqual(['/pets']);
    expect(document.servers).toBeUndefined();
    expect(JSON.stringify(document)).not.toMatch(/x-amazon-apigateway|x-internal|internal\.example/);
    expect(document.components.securitySchemes).toEqual({
      oauth2: {
        type: 'openIdConnect',
        openIdConnectUrl: 'https://idp.example.com/.well-known/openid-configuration',
        description: 'An OAuth 2.0 access token (a JWT) in the Authorization header: `Authorization: Bearer <token>`.',
      },
    });
    expect(document.paths['/pets'].get.security).toEqual([{ oauth2: ['pets:read'] }]);
    expect(document.paths['/pets'].post.security).toEqual([{ oauth2: [] }]);
    expect(docs.removedOperations).toEqual(['POST /admin/reindex (reindex)']);
    Annotations.fromStack(stack).hasInfo(
      '/Docs/Docs',
      "SecureApi 'Docs/Api': the API documentation leaves out POST /admin/reindex (reindex)",
    );
  });

  it('produces the same asset from the same input, on every synth', () => {
    const again = docsStack({}, AUTHORIZER_SCHEME, petStore(), 'https://idp.example.com/').docs;
    expect(again.assetDirectory).toBe(docs.assetDirectory);
    const code = (s: Stack) => Template.fromStack(s).findResources('AWS::Lambda::Function');
    expect(JSON.stringify(code(docsStack({}, AUTHORIZER_SCHEME, petStore(), 'https://idp.example.com/').stack))).toBe(
      JSON.stringify(code(stack)),
    );
  });
});

describe('ApiDocs options', () => {
  it('requires the configured scopes instead of docs:read', () => {
    const { docs } = docsStack({ access: DocsAccess.authorizer({ scopes: ['internal:docs', 'api:read'] }) });
    expect(docs.routes.map((r) => r.scopeAlternatives)).toEqual([[['api:read', 'internal:docs']], [['api:read', 'internal:docs']]]);
  });

  it('puts the docs behind the API key when asked', () => {
    const { docs } = docsStack({ access: DocsAccess.apiKey() }, { ...AUTHORIZER_SCHEME, ...API_KEY_SCHEME });
    expect((docs.extraPaths['/docs'].get as JsonObject).security).toEqual([{ api_key: [] }]);
    expect(docs.routes[0].scopeAlternatives).toEqual([]);
    expect((docs.publicDocument.components as JsonObject).securitySchemes).toMatchObject({
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    });
  });

  it('serves public docs only on request, and says so at synth', () => {
    const { stack, docs } = docsStack({ access: DocsAccess.unauthenticated(), path: '/reference/' });
    expect(Object.keys(docs.extraPaths)).toEqual(['/reference', '/reference/{file}']);
    expect((docs.extraPaths['/reference'].get as JsonObject).security).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(
      '/Docs/Docs',
      Match.stringLikeRegexp(
        "SecureApi 'Docs/Api': the API documentation at /reference/ is public \\(docs.access: DocsAccess.unauthenticated\\(\\)\\); anyone can read the sanitized OpenAPI document",
      ),
    );
  });

  it('leaves no warning when the docs are behind authentication', () => {
    const { stack } = docsStack({});
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('is public'))).toEqual([]);
  });

  it('shows the configured OAuth 2.0 endpoints and allows the page to call the token endpoint', () => {
    const { stack, docs } = docsStack({
      oauth2: { tokenUrl: 'https://login.example.com/oauth2/token', authorizationUrl: 'https://login.example.com/oauth2/authorize' },
      publicUrl: 'https://api.example.com/v1',
    });
    const scheme = ((docs.publicDocument.components as JsonObject).securitySchemes as JsonObject).oauth2 as JsonObject;
    expect(scheme.flows).toEqual({
      clientCredentials: {
        tokenUrl: 'https://login.example.com/oauth2/token',
        scopes: { 'docs:read': 'Read the API documentation', 'pets:read': 'Read pets' },
      },
      authorizationCode: {
        authorizationUrl: 'https://login.example.com/oauth2/authorize',
        tokenUrl: 'https://login.example.com/oauth2/token',
        scopes: { 'docs:read': 'Read the API documentation', 'pets:read': 'Read pets' },
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [DOCS_ENV.contentSecurityPolicy]: buildContentSecurityPolicy(['https://api.example.com', 'https://login.example.com']),
          [DOCS_ENV.publicUrl]: 'https://api.example.com/v1',
        },
      },
    });
  });

  it('leaves operations named in internalOperations out of the docs', () => {
    const { docs } = docsStack({ internalOperations: ['createPet'] });
    expect(Object.keys((docs.publicDocument.paths as JsonObject)['/pets'] as JsonObject)).toEqual(['get']);
  });
});

describe('ApiDocs: bad configuration is a synth error', () => {
  it('refuses the default authorizer access when SecureApi has no auth', () => {
    expect(() => docsStack({}, {}, openPetStore())).toThrow(
      "SecureApi 'Docs/Api': docs.access is DocsAccess.authorizer() (the default), but SecureApi has no 'auth' configured; set auth: Auth.jwt({ issuer, audience }), or choose docs.access: DocsAccess.apiKey() or DocsAccess.unauthenticated()",
    );
  });

  it('refuses API-key access when SecureApi has no API keys', () => {
    expect(() => docsStack({ access: DocsAccess.apiKey() })).toThrow(
      "SecureApi 'Docs/Api': docs.access is DocsAccess.apiKey(), but SecureApi has no API keys configured; configure apiKeys, or choose docs.access: DocsAccess.authorizer()",
    );
  });

  it('refuses a docs path an operation of the document already uses', () => {
    expect(() => docsStack({ path: '/pets' })).toThrow(
      "SecureApi 'Docs/Api': docs.path '/pets' is taken by GET /pets (listPets), POST /pets (createPet); choose another docs.path",
    );
  });

  it('refuses a docs path with variables', () => {
    expect(() => docsStack({ path: '/docs/{version}' })).toThrow(
      "SecureApi 'Docs/Api': docs.path must be a fixed path such as '/docs' (segments of letters, digits, '.', '_' and '-'), got '/docs/{version}'",
    );
  });

  it('refuses an unknown operationId in internalOperations', () => {
    expect(() => docsStack({ internalOperations: ['deletePet'] })).toThrow(
      "SecureApi 'Docs/Api': docs.internalOperations names 'deletePet', which is not an operationId of the document",
    );
  });

  it('refuses an invalid scope', () => {
    expect(() => DocsAccess.authorizer({ scopes: ['docs read'] })).toThrow(
      "SecureApi: docs.access DocsAccess.authorizer scope 'docs read' is not a valid OAuth 2.0 scope (RFC 6749 §3.3)",
    );
  });

  it('fails synth when the public document would publish an ARN, naming where', () => {
    const document = petStore();
    ((document.paths as JsonObject)['/pets'] as { get: JsonObject }).get.description =
      'Served by arn:aws:lambda:eu-west-1:210987654321:function:pets';
    expect(() => docsStack({}, AUTHORIZER_SCHEME, document)).toThrow(
      "SecureApi 'Docs/Api': the public API documentation would publish 1 sensitive value:\n  /paths/~1pets/get/description: an AWS ARN (arn:aws:lambda:eu-west-1:210987654321:function:pets)\n",
    );
  });

  it('lets a value through when it is listed in allowedValues', () => {
    const document = petStore();
    ((document.paths as JsonObject)['/pets'] as { get: JsonObject }).get.description =
      'Served by arn:aws:lambda:eu-west-1:210987654321:function:pets';
    expect(() =>
      docsStack({ allowedValues: ['arn:aws:lambda:eu-west-1:210987654321:function:pets'] }, AUTHORIZER_SCHEME, document),
    ).not.toThrow();
  });

  it('does not check what an internal operation holds, since it is not published', () => {
    const document = petStore();
    ((document.paths as JsonObject)['/admin/reindex'] as { post: JsonObject }).post.description = 'Calls http://10.1.2.3:8080/reindex';
    expect(() => docsStack({}, AUTHORIZER_SCHEME, document)).not.toThrow();
  });
});
