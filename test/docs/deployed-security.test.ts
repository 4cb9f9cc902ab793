import { DeployedSecurity, describeScopes } from '../../lib/docs/deployed-security';
import { documentedOperations, sanitizeDocument } from '../../lib/docs/sanitize';
import { loadDocumentFile } from '../../lib/openapi/load';
import { JsonObject } from '../../lib/model';
import { CorpusDocument, corpusFile } from '../fixtures/corpus';
import { swaggerParserVerdicts } from './support/swagger-parser';

function spec(file: CorpusDocument): JsonObject {
  return loadDocumentFile(corpusFile(file)).document;
}

/** Every operation requires a token with `pets:read`, and writes an API key too. */
function deployedFor(document: JsonObject, oauth2: Partial<DeployedSecurity['oauth2']> = {}): DeployedSecurity {
  const operations: DeployedSecurity['operations'] = {};
  for (const { method, operation } of documentedOperations(document)) {
    operations[String(operation.operationId)] = {
      jwt: true,
      apiKey: method !== 'get',
      scopeAlternatives: method === 'get' ? [['pets:read'], ['admin']] : [],
    };
  }
  return {
    operations,
    oauth2: {
      schemeName: 'oauth2',
      scopes: { 'pets:read': 'Read pets', admin: 'Everything', 'docs:read': 'Read the API documentation' },
      ...oauth2,
    },
    apiKey: { schemeName: 'apiKey', headerName: 'x-api-key' },
  };
}

describe('the security as deployed, in the public document', () => {
  const petstore = spec('petstore.yaml');
  const withFlows = sanitizeDocument(petstore, {
    deployedSecurity: deployedFor(petstore, {
      tokenUrl: 'https://login.example.com/token',
      authorizationUrl: 'https://login.example.com/authorize',
    }),
  }).document;
  const withDiscovery = sanitizeDocument(petstore, {
    deployedSecurity: deployedFor(petstore, { openIdConnectUrl: 'https://login.example.com/.well-known/openid-configuration' }),
  }).document;
  const bearerOnly = sanitizeDocument(petstore, { deployedSecurity: deployedFor(petstore) }).document;
  const petstore2 = spec('petstore-swagger-2.0.yaml');
  const swagger2 = sanitizeDocument(petstore2, {
    deployedSecurity: deployedFor(petstore2, { tokenUrl: 'https://login.example.com/token' }),
  }).document;
  const swagger2Discovery = sanitizeDocument(petstore2, {
    deployedSecurity: deployedFor(petstore2, { openIdConnectUrl: 'https://login.example.com/.well-known/openid-configuration' }),
  }).document;

  it('replaces the OAuth 2.0 implicit flow and api_key of the Swagger petstore with the deployed schemes', () => {
    const schemes = (withFlows.components as { securitySchemes: JsonObject }).securitySchemes;
    expect(Object.keys(schemes)).toEqual(['oauth2', 'apiKey']);
    expect(schemes.oauth2).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://login.example.com/token',
          scopes: { 'pets:read': 'Read pets', admin: 'Everything', 'docs:read': 'Read the API documentation' },
        },
        authorizationCode: { authorizationUrl: 'https://login.example.com/authorize', tokenUrl: 'https://login.example.com/token' },
      },
    });
    expect(schemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(JSON.stringify(withFlows)).not.toMatch(/petstore_auth|petstore3\.swagger\.io\/oauth/);
  });

  it("writes each operation's requirement as enforced: scope alternatives, and the key AND the token", () => {
    const paths = withFlows.paths as { [path: string]: { [method: string]: JsonObject } };
    expect(paths['/pet/{petId}'].get.security).toEqual([{ oauth2: ['pets:read'] }, { oauth2: ['admin'] }]);
    expect(paths['/pet/{petId}'].delete.security).toEqual([{ oauth2: [], apiKey: [] }]);
    expect(withFlows.security).toBeUndefined();
  });

  it('shows OpenID Connect discovery when no token URL is known, and a bearer scheme without scopes when nothing is', () => {
    expect((withDiscovery.components as { securitySchemes: JsonObject }).securitySchemes.oauth2).toMatchObject({
      type: 'openIdConnect',
      openIdConnectUrl: 'https://login.example.com/.well-known/openid-configuration',
    });
    expect((bearerOnly.components as { securitySchemes: JsonObject }).securitySchemes.oauth2).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    // Scopes may only be listed for OAuth 2.0 and OpenID Connect schemes; alternatives that then look alike are one.
    expect(((bearerOnly.paths as JsonObject)['/pet/{petId}'] as { get: JsonObject }).get.security).toEqual([{ oauth2: [] }]);
  });

  it('uses Swagger 2.0 forms in a Swagger 2.0 document', () => {
    expect(swagger2.securityDefinitions).toEqual({
      oauth2: expect.objectContaining({ type: 'oauth2', flow: 'application', tokenUrl: 'https://login.example.com/token' }),
      apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }),
    });
    expect((swagger2Discovery.securityDefinitions as JsonObject).oauth2).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
  });

  it('keeps every document valid OpenAPI', () => {
    expect(swaggerParserVerdicts([withFlows, withDiscovery, bearerOnly, swagger2, swagger2Discovery])).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('shows an operation the deployment leaves public as public', () => {
    const deployed = deployedFor(petstore);
    deployed.operations.getInventory = { jwt: false, apiKey: false, scopeAlternatives: [] };
    const document = sanitizeDocument(petstore, { deployedSecurity: deployed }).document;
    expect(((document.paths as JsonObject)['/store/inventory'] as { get: JsonObject }).get.security).toEqual([]);
  });
});

describe('describeScopes', () => {
  it("describes each scope with the document's own words, then the extra scopes, sorted", () => {
    const document = spec('apisguru-microcks.local.json');
    expect(
      describeScopes(document, [{ jwt: true, apiKey: false, scopeAlternatives: [['user'], ['admin', 'manager']] }], {
        'docs:read': 'Read the API documentation',
      }),
    ).toEqual({
      admin: 'Administrator of the Microcks instance',
      'docs:read': 'Read the API documentation',
      manager: 'Services & APIs content manager',
      user: 'Simple authenticated user',
    });
  });

  it('names a scope the document does not describe by itself', () => {
    expect(describeScopes({ openapi: '3.0.3' }, [{ jwt: true, apiKey: false, scopeAlternatives: [['pets:write']] }])).toEqual({
      'pets:write': 'pets:write',
    });
  });
});
