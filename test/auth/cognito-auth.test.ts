import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AUTHORIZER_ENV } from '../../contracts/authorizer-config';
import { GROUP_SCOPES_ENV } from '../../contracts/cognito-scopes';
import { Auth, CognitoAuthProps, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { resourceServerName } from '../../lib/auth/cognito-server';
import { JwtAuthorizer } from '../../lib/auth/jwt-authorizer';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { allowedScopes, CONSUMERS } from './cognito-consumers';

const ORDERS_API = join(__dirname, '..', 'fixtures', 'auth', 'orders-api.yaml');
const DOCUMENT_SCOPES = ['admin', 'files:read', 'orders:admin', 'orders:read', 'orders:write', 'refunds:write'];

function synth(auth: CognitoAuthProps = {}, props: Partial<SecureApiProps> = {}, document?: object) {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: document === undefined ? OpenApi.fromFile(ORDERS_API) : OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.cognito(auth),
    ...props,
  });
  return { stack, api, template: Template.fromStack(stack) };
}

function only(template: Template, type: string): [string, any] {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

/** The authorizer's configuration: deploy-time values (pool id, client ids) make it an Fn::Join. */
function authorizerConfig(template: Template): any {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { [AUTHORIZER_ENV.config]: Match.anyValue() } } },
  });
  return Object.values(functions)[0].Properties.Environment.Variables[AUTHORIZER_ENV.config];
}

function clientNamed(template: Template, name: string): any {
  const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: name } }));
  expect(clients).toHaveLength(1);
  return clients[0];
}

describe('Auth.cognito with a client for people', () => {
  const { stack, api, template } = synth({
    ...CONSUMERS,
    userClient: { callbackUrls: ['https://app.example.com/callback'], logoutUrls: ['http://localhost:3000/'] },
  });
  const [poolId, pool] = only(template, 'AWS::Cognito::UserPool');

  it('creates a user pool with a strong password policy, required TOTP MFA and no self sign-up', () => {
    expect(pool.Properties).toMatchObject({
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
          PasswordHistorySize: 24,
        },
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('turns on threat protection (Plus plan, full function) and deletion protection, and retains the pool', () => {
    expect(pool.Properties).toMatchObject({
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('defines a resource server whose scopes are the scopes the document names', () => {
    const [, server] = only(template, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties.Identifier).toBe('api');
    expect(server.Properties.Scopes.map((s: { ScopeName: string }) => s.ScopeName)).toEqual(DOCUMENT_SCOPES);
  });

  it('creates one client_credentials client per machine consumer, with a generated secret', () => {
    const clients = Object.values(
      template.findResources('AWS::Cognito::UserPoolClient', { Properties: { AllowedOAuthFlows: ['client_credentials'] } }),
    );
    expect(clients.map((c) => c.Properties.ClientName).sort()).toEqual(['billing', 'refunds-service']);
    for (const client of clients) {
      expect(client.Properties).toMatchObject({
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
        AccessTokenValidity: 60,
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      });
    }
  });

  it("lets each machine client get only its own scopes, never another consumer's or an admin scope", () => {
    expect(allowedScopes(stack, clientNamed(template, 'billing'))).toEqual(['api/orders:read', 'api/orders:write']);
    expect(allowedScopes(stack, clientNamed(template, 'refunds-service'))).toEqual(['api/refunds:write']);
    expect(Object.keys(api.auth!.oauthServer!.machineClients).sort()).toEqual(['billing', 'refunds-service']);
  });

  it('allows the client for people only openid and the scopes its groups grant, trimmed per user by a V2_0 pre-token-generation trigger', () => {
    const people = Object.values(
      template.findResources('AWS::Cognito::UserPoolClient', { Properties: { AllowedOAuthFlows: ['code'] } }),
    )[0];
    expect(allowedScopes(stack, people).sort()).toEqual(['api/admin', 'api/orders:admin', 'api/orders:read', 'api/orders:write', 'openid']);
    const triggerId = stack.getLogicalId(api.auth!.oauthServer!.scopeTrigger!.node.defaultChild as any);
    expect(pool.Properties.LambdaConfig).toEqual({
      PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [triggerId, 'Arn'] }, LambdaVersion: 'V2_0' },
    });
    const env = template.toJSON().Resources[triggerId].Properties.Environment.Variables;
    expect(JSON.parse(env[GROUP_SCOPES_ENV])).toEqual({
      scopesByGroup: { admins: ['api/admin', 'api/orders:admin'], clerks: ['api/orders:read', 'api/orders:write'] },
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'))
      .map((g) => g.Properties.GroupName)
      .sort();
    expect(groups).toEqual(['admins', 'clerks']);
  });

  it('creates a public client for people with the authorization code flow only (PKCE, never implicit)', () => {
    const clients = template.findResources('AWS::Cognito::UserPoolClient', {
      Properties: { AllowedOAuthFlows: Match.arrayWith(['code']) },
    });
    const [client] = Object.values(clients);
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://app.example.com/callback'],
      LogoutURLs: ['http://localhost:3000/'],
    });
    expect(client.Properties.AllowedOAuthScopes).toContain('openid');
    for (const c of Object.values(template.findResources('AWS::Cognito::UserPoolClient')))
      expect(c.Properties.AllowedOAuthFlows).not.toContain('implicit');
  });

  it('serves the token endpoint on a Cognito domain whose default prefix is unique to the construct and account', () => {
    const [, domain] = only(template, 'AWS::Cognito::UserPoolDomain');
    expect(domain.Properties.Domain).toEqual({
      'Fn::Join': ['-', [expect.stringMatching(/^secureapi-[0-9a-f]{10}$/), { Ref: 'AWS::AccountId' }]],
    });
    expect(stack.resolve(api.auth!.tokenUrl)).toEqual({
      'Fn::Join': ['', ['https://', { Ref: expect.any(String) }, '.auth.eu-west-1.amazoncognito.com/oauth2/token']],
    });
  });

  it('points the same JWT authorizer at the pool: issuer, JWKS, client_id instead of aud, token_use access, prefixed scopes', () => {
    const config = authorizerConfig(template);
    const json = config['Fn::Join'][1];
    const text = json.map((part: unknown) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
    expect(text).toContain(
      `{"issuers":[{"issuer":"{"Fn::GetAtt":["${poolId}","ProviderURL"]}","jwksUri":"{"Fn::GetAtt":["${poolId}","ProviderURL"]}/.well-known/jwks.json","clientIds":[`,
    );
    expect(text).toContain('"tokenUse":"access","scopePrefix":"api/"}]');
    expect(text).not.toContain('"audience"');
    const clientIds = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'));
    for (const id of clientIds) expect(text).toContain(`{"Ref":"${id}"}`);
    expect(body(template).components.securitySchemes[JwtAuthorizer.SCHEME_NAME]['x-amazon-apigateway-authorizer'].type).toBe('request');
  });

  it('is clean under the five cdk-nag packs, Cognito rules included', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('resourceServerName', () => {
  it('drops the scheme of a URL identifier and keeps what CloudFormation allows in a Name', () => {
    expect(resourceServerName('https://orders.example.com')).toBe('orders.example.com');
    expect(resourceServerName('https://orders.example.com/v1/')).toBe('orders.example.com-v1');
    expect(resourceServerName('urn:orders:api')).toBe('urn-orders-api');
    expect(resourceServerName('api')).toBe('api');
  });

  it('always gives a name that matches the CloudFormation pattern', () => {
    for (const identifier of ['https://', '///', '~!#$%^&*()', 'a'.repeat(300), 'x@y+z=1,2.3_4-5']) {
      expect(resourceServerName(identifier)).toMatch(/^[\w\s+=,.@-]{1,256}$/);
    }
  });
});

function body(template: Template): any {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
}

describe('Auth.cognito options', () => {
  it('adds the docs scope to the resource server when the docs are behind the authorizer', () => {
    const { template } = synth({ machineClients: CONSUMERS.machineClients }, { docs: {} });
    const [, server] = only(template, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties.Scopes.map((s: { ScopeName: string }) => s.ScopeName)).toContain('docs:read');
  });

  it('uses the given domain prefix, resource server, token lifetime and extra scopes', () => {
    const { stack, template } = synth({
      domainPrefix: 'orders-auth',
      resourceServerIdentifier: 'https://orders.example.com',
      accessTokenValidity: Duration.minutes(15),
      additionalScopes: ['reports:read'],
      machineClients: [{ clientName: 'reports', scopes: ['reports:read'] }],
    });
    expect(only(template, 'AWS::Cognito::UserPoolDomain')[1].Properties.Domain).toBe('orders-auth');
    const [, server] = only(template, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties.Identifier).toBe('https://orders.example.com');
    expect(server.Properties.Name).toBe('orders.example.com');
    expect(server.Properties.Scopes.map((s: { ScopeName: string }) => s.ScopeName)).toContain('reports:read');
    expect(only(template, 'AWS::Cognito::UserPoolClient')[1].Properties.AccessTokenValidity).toBe(15);
    // A URL identifier used as the Name fails CloudFormation's pattern at deploy; the derived Name passes.
    expect(templateFindings(stack)).toEqual([]);
  });

  it('warns and acknowledges the Plus-plan finding when threat protection is turned off', () => {
    const { stack, template } = synth({
      ...CONSUMERS,
      threatProtection: false,
      userClient: { callbackUrls: ['https://app.example.com/cb'] },
    });
    expect(only(template, 'AWS::Cognito::UserPool')[1].Properties.UserPoolTier).toBe('ESSENTIALS');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('auth.threatProtection is off'));
    expect(nagFindings(stack)).toEqual([]);
  });

  it('warns when MFA is optional', () => {
    const { stack, template } = synth({
      ...CONSUMERS,
      mfa: cognito.Mfa.OPTIONAL,
      userClient: { callbackUrls: ['https://app.example.com/cb'] },
    });
    expect(only(template, 'AWS::Cognito::UserPool')[1].Properties.MfaConfiguration).toBe('OPTIONAL');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('auth.mfa is OPTIONAL'));
  });
});

describe('Auth.cognito bad props', () => {
  it.each<[string, CognitoAuthProps, string]>([
    [
      'MFA off',
      { machineClients: CONSUMERS.machineClients, mfa: cognito.Mfa.OFF },
      "SecureApi 'Orders/Api': auth.mfa cannot be Mfa.OFF; use Mfa.OPTIONAL to let users choose",
    ],
    ['no client at all', {}, "SecureApi 'Orders/Api': auth declares no machineClients and no userClient, so no client could get a token"],
    [
      'an http callback URL',
      { userClient: { callbackUrls: ['http://app.example.com/cb'] } },
      "SecureApi 'Orders/Api': auth.userClient URL #1 must be https:// (http:// only for localhost), got 'http://app.example.com/cb'",
    ],
    [
      'a domain prefix with aws in it',
      { machineClients: CONSUMERS.machineClients, domainPrefix: 'my-aws-login' },
      "SecureApi 'Orders/Api': auth.domainPrefix must be 1 to 63 lower-case letters, digits and inner hyphens, without 'aws', 'amazon' or 'cognito', got 'my-aws-login'",
    ],
    [
      'a token lifetime over a day',
      { machineClients: CONSUMERS.machineClients, accessTokenValidity: Duration.days(2) },
      "SecureApi 'Orders/Api': auth.accessTokenValidity must be between 5 minutes and 1 day, got 172800 s",
    ],
    [
      'a scope Cognito cannot define',
      { machineClients: CONSUMERS.machineClients, additionalScopes: ['reports/read'] },
      "SecureApi 'Orders/Api': auth cannot define the Cognito scope 'reports/read' (printable ASCII without \", / or \\, at most 256 characters); rename it in the document or use Auth.jwt with another provider",
    ],
    [
      'a machine client without scopes',
      { machineClients: [{ clientName: 'billing', scopes: [] }] },
      "SecureApi 'Orders/Api': auth.machineClients[0].scopes must name at least one scope: a client_credentials client without scopes could call nothing",
    ],
    [
      'a machine client with a scope the API does not define',
      { machineClients: [{ clientName: 'billing', scopes: ['orders:delete'] }] },
      "SecureApi 'Orders/Api': auth.machineClients[0].scopes names the scope 'orders:delete', which the resource server does not define (defined: admin, files:read, orders:admin, orders:read, orders:write, refunds:write); name it in the document or in auth.additionalScopes",
    ],
    [
      'two machine clients of one name',
      {
        machineClients: [
          { clientName: 'billing', scopes: ['orders:read'] },
          { clientName: 'billing', scopes: ['admin'] },
        ],
      },
      "SecureApi 'Orders/Api': auth.machineClients[1].clientName 'billing' is declared twice",
    ],
    [
      'a machine client name with a space',
      { machineClients: [{ clientName: 'bil ling', scopes: ['orders:read'] }] },
      "SecureApi 'Orders/Api': auth.machineClients[0].clientName must be 1 to 64 letters, digits, '.', '_' or '-', got 'bil ling'",
    ],
    [
      'groups without a client for people',
      {
        userGroups: [{ groupName: 'clerks', scopes: ['orders:read'] }],
        machineClients: [{ clientName: 'billing', scopes: ['orders:read'] }],
      },
      "SecureApi 'Orders/Api': auth.userGroups grant scopes to people, but no userClient is set for people to sign in with",
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('grants no scope by default: without machineClients or userGroups, the client for people is allowed openid alone', () => {
    const { stack, template } = synth({ userClient: { callbackUrls: ['https://app.example.com/cb'] } });
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    expect(allowedScopes(stack, clients[0])).toEqual(['openid']);
  });
});
