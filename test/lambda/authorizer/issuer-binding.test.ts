import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AUTHORIZER_ENV, AUTHORIZER_ROUTES_FILE, AuthorizerConfig, AuthorizerRoutes } from '../../../contracts/authorizer-config';
import { UsageIdentifierMapping } from '../../../contracts/api-keys';
import { Auth, JwtAuthProps, OpenApi, OperationIntegration, SecureApi } from '../../../lib';
import { JwtAuthorizer } from '../../../lib/auth/jwt-authorizer';
import { AuthorizerUnderTest, ORDERS_API } from './support/harness';
import { API_AUDIENCE, ClientCredentials, TestIdp } from './support/idp';

// Issue 13 #7 and issue 19 #2, one root cause: a claim is trusted only together with the issuer that
// signed it. Two real OpenID providers on 127.0.0.1: the API's own IdP and a partner's, both trusted
// through `additionalIssuers`. The partner controls its IdP completely, so it can mint any scope and
// register any client id. The authorizer runs with the configuration and scope map that the construct
// synthesizes for these props.
const PARTNER_A: ClientCredentials = { id: 'partner-a', secret: 'partner-a-secret-for-tests-only' };
let own: TestIdp;
let partner: TestIdp;
let untrust: () => void;

beforeAll(async () => {
  [own, partner] = await Promise.all([TestIdp.start([PARTNER_A]), TestIdp.start([PARTNER_A])]);
  // Like NODE_EXTRA_CA_CERTS with both certificates: the handler's fetches trust both IdPs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('node:https') as typeof import('node:https');
  const previous = https.globalAgent.options.ca;
  https.globalAgent.options.ca = [own.ca, partner.ca];
  untrust = () => {
    https.globalAgent.options.ca = previous;
  };
});

afterAll(async () => {
  untrust?.();
  await Promise.all([own?.stop(), partner?.stop()]);
});

/** The authorizer's configuration and scope map, as synthesized for the orders API with `auth`. */
function synthesized(auth: (ownIssuer: string, partnerIssuer: string) => Partial<JwtAuthProps>): {
  config: AuthorizerConfig;
  routes: AuthorizerRoutes;
} {
  const stack = new Stack(new App(), 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromFile(ORDERS_API),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt({ issuer: own.issuer, audience: [API_AUDIENCE], ...auth(own.issuer, partner.issuer) }),
  });
  const authorizer = api.auth!.authorizer as JwtAuthorizer;
  const functionId = stack.getLogicalId(authorizer.function.node.defaultChild as CfnFunction);
  const config = JSON.parse(
    Template.fromStack(stack).toJSON().Resources[functionId].Properties.Environment.Variables[AUTHORIZER_ENV.config],
  ) as AuthorizerConfig;
  return { config, routes: JSON.parse(readFileSync(join(authorizer.assetDirectory, AUTHORIZER_ROUTES_FILE), 'utf8')) };
}

describe('scopes are bound to the issuer that the security scheme trusts', () => {
  it('denies (403) the admin operation to a partner IdP that mints orders:admin for itself', async () => {
    const { config, routes } = synthesized((_own, partnerIssuer) => ({
      additionalIssuers: [{ issuer: partnerIssuer, audience: [API_AUDIENCE] }],
    }));
    const authorizer = new AuthorizerUnderTest(config, routes);
    const forged = await partner.token(PARTNER_A, 'orders:read orders:write orders:admin refunds:write admin');
    for (const operation of ['DELETE /orders/{orderId}', 'POST /orders', 'POST /orders/{orderId}/refunds', 'GET /orders/{orderId}']) {
      const run = await authorizer.call(forged, operation);
      expect([operation, run.outcome, run.reasons]).toEqual([operation, '403', ['insufficient_scope']]);
    }
    // The API's own issuer still grants the same scopes.
    expect((await authorizer.call(await own.token('rs', 'orders:write orders:admin'), 'DELETE /orders/{orderId}')).outcome).toBe('Allow');
  });

  it("grants a partner's scopes only on the requirements of the scheme the partner is mapped to", async () => {
    const { config, routes } = synthesized((_own, partnerIssuer) => ({
      additionalIssuers: [{ issuer: partnerIssuer, audience: [API_AUDIENCE], securitySchemes: ['oidc'] }],
    }));
    const authorizer = new AuthorizerUnderTest(config, routes);
    const token = await partner.token(PARTNER_A, 'admin orders:write orders:admin');
    // deleteOrder: oauth (orders:write AND orders:admin) OR oidc (admin): the partner serves oidc only.
    expect((await authorizer.call(token, 'DELETE /orders/{orderId}')).outcome).toBe('Allow');
    const run = await authorizer.call(token, 'POST /orders');
    expect([run.outcome, run.reasons]).toEqual(['403', ['insufficient_scope']]);
    // The API's own issuer no longer serves oidc: its admin token passes only the oauth alternative.
    expect((await authorizer.call(await own.token('rs', 'admin'), 'DELETE /orders/{orderId}')).outcome).toBe('403');
    // whoAmI names the bearer scheme without scopes: the partner does not serve it, the own issuer does.
    expect((await authorizer.call(token, 'GET /me')).outcome).toBe('403');
    expect((await authorizer.call(await own.token('es', 'files:read'), 'GET /me')).outcome).toBe('Allow');
  });
});

describe('usage-plan keys are bound to the issuer of the consumer', () => {
  const PARTNER_A_SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:partner-a';
  const PARTNER_A_KEY = 'PartnerAKeyValue0123456789abcdefghijklm';

  function meteredAuthorizer(config: AuthorizerConfig, routes: AuthorizerRoutes, reads: string[]): AuthorizerUnderTest {
    // partner-a is the API's own IdP's client (ApiConsumer { clientId: 'partner-a', issuer: <own> }).
    const usageIdentifiers: UsageIdentifierMapping = {
      claim: 'client_id',
      consumers: [{ issuer: own.issuer, claimValue: 'partner-a', secretArn: PARTNER_A_SECRET }],
    };
    const readSecret = async (arn: string) => {
      reads.push(arn);
      return JSON.stringify({ consumerId: 'partner-a', apiKey: PARTNER_A_KEY });
    };
    return new AuthorizerUnderTest(config, routes, { usageIdentifiers, readSecret });
  }

  it("does not meter a partner IdP's token with client_id partner-a as the consumer partner-a", async () => {
    const { config, routes } = synthesized((_own, partnerIssuer) => ({
      additionalIssuers: [{ issuer: partnerIssuer, audience: [API_AUDIENCE], securitySchemes: ['oidc'] }],
    }));
    const reads: string[] = [];
    const authorizer = meteredAuthorizer(config, routes, reads);
    const impostor = await partner.token(PARTNER_A, 'admin');
    const run = await authorizer.call(impostor, 'DELETE /orders/{orderId}');
    // Authenticated (the partner is trusted for oidc), but it is nobody's consumer: no key, so API Gateway refuses key-required methods.
    expect(run.outcome).toBe('Allow');
    expect(run.result!.usageIdentifierKey).toBeUndefined();
    expect(reads).toEqual([]);
    // The genuine partner-a, of the issuer the consumer names, is metered as partner-a.
    const genuine = await authorizer.call(await own.token(PARTNER_A, 'orders:read'), 'GET /orders/{orderId}');
    expect([genuine.outcome, genuine.result!.usageIdentifierKey]).toEqual(['Allow', PARTNER_A_KEY]);
  });
});
