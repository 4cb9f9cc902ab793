import * as path from 'node:path';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { AuthorizerConfig, AuthorizerIssuer, AuthorizerRoutes } from '../../../../contracts/authorizer-config';
import { buildScopeMap } from '../../../../lib/auth/scope-map';
import { analyzeDocument, buildOperationSecurity, OpenApi } from '../../../../lib/openapi';
import { AuthorizerDependencies, AuthorizerHandler, createAuthorizer } from '../../../../lambda/authorizer/authorizer';

export const ORDERS_API = path.join(__dirname, '..', '..', '..', 'fixtures', 'auth', 'orders-api.yaml');

/** The scope map of the orders fixture, computed by the same pipeline the construct runs at synth. */
export function ordersScopeMap(): AuthorizerRoutes {
  const analyzed = analyzeDocument(OpenApi.fromFile(ORDERS_API).load());
  const security = buildOperationSecurity(analyzed.operations, analyzed.securitySchemes, { authorizerSchemeName: 'jwt' }, analyzed.source);
  return buildScopeMap(analyzed.operations, security.decisions, 'jwt');
}

/** The configuration the construct writes for one issuer, with short timeouts for tests. */
export function configFor(
  issuer: Partial<AuthorizerIssuer> & { issuer: string },
  overrides: Partial<AuthorizerConfig> = {},
): AuthorizerConfig {
  return {
    issuers: [issuer],
    algorithms: ['RS256', 'ES256'],
    requiredClaims: ['sub'],
    clockToleranceSeconds: 30,
    maxTokenLength: 4096,
    scopeClaim: 'scope',
    contextClaims: [],
    jwks: {
      maxAgeSeconds: 300,
      refetchCooldownSeconds: 10,
      maxStaleSeconds: 3600,
      // Generous: a loaded test machine must not turn a slow local IdP answer into a timeout.
      fetchTimeoutMs: 2000,
      backoffBaseMs: 1000,
      backoffMaxMs: 60000,
    },
    ...overrides,
  };
}

export const API_ARN_PREFIX = 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod';

/** A REQUEST authorizer event as API Gateway sends it for `METHOD /template` at a concrete `requestPath`. */
export function requestEvent(
  authorization: string | undefined,
  operation = 'GET /orders/{orderId}',
  requestPath?: string,
  headers: { [name: string]: string } = {},
): unknown {
  const [method, resource] = operation.split(' ');
  const concrete = requestPath ?? resource.replace(/\{[^}]+\}/g, '42');
  const allHeaders: { [name: string]: string } = { Host: 'api.example.com', 'User-Agent': 'jest', ...headers };
  if (authorization !== undefined) allHeaders.Authorization = authorization;
  return {
    type: 'REQUEST',
    methodArn: `${API_ARN_PREFIX}/${method}${concrete}`,
    resource,
    path: concrete,
    httpMethod: method,
    headers: allHeaders,
    multiValueHeaders: Object.fromEntries(Object.entries(allHeaders).map(([k, v]) => [k, [v]])),
    queryStringParameters: {},
    pathParameters: {},
    stageVariables: {},
    requestContext: { requestId: 'req-1', resourcePath: resource, httpMethod: method, stage: 'prod' },
  };
}

/** What API Gateway makes of the handler's answer. */
export type Outcome = 'Allow' | '403' | '401';

export interface Run {
  readonly outcome: Outcome;
  readonly result?: APIGatewayAuthorizerResult;
  /** The reason codes of the rejection log lines written during the call. */
  readonly reasons: string[];
  readonly lines: string[];
}

/** An authorizer whose log lines are captured. */
export class AuthorizerUnderTest {
  readonly lines: string[] = [];
  readonly handler: AuthorizerHandler;

  constructor(config: AuthorizerConfig, routes: AuthorizerRoutes = ordersScopeMap(), deps: AuthorizerDependencies = {}) {
    this.handler = createAuthorizer(config, routes, { apiName: 'OrdersApi', write: (line) => this.lines.push(line), ...deps });
  }

  async run(event: unknown): Promise<Run> {
    const before = this.lines.length;
    let outcome: Outcome;
    let result: APIGatewayAuthorizerResult | undefined;
    try {
      result = await this.handler(event);
      // API Gateway's decision for this request: the policy evaluated against its method ARN (a token-keyed
      // policy decides every route at once, so its statements alone do not say what this request gets).
      const methodArn = (event as { methodArn?: unknown } | null)?.methodArn;
      outcome = typeof methodArn === 'string' && policyAllows(result, methodArn) ? 'Allow' : '403';
    } catch (error) {
      // API Gateway answers 401 only for exactly this error; anything else is a 500.
      if (!(error instanceof Error) || error.message !== 'Unauthorized')
        throw new Error(`the handler threw something other than Unauthorized: ${String(error)}`);
      outcome = '401';
    }
    const lines = this.lines.slice(before);
    return { outcome, result, lines, reasons: lines.map((l) => JSON.parse(l).Reason) };
  }

  /** The outcome of a request for `operation` carrying `Authorization: Bearer <token>`. */
  async call(token: string, operation?: string, requestPath?: string): Promise<Run> {
    return this.run(requestEvent(`Bearer ${token}`, operation, requestPath));
  }
}

/** IAM's matching of a policy resource against a method ARN: `*` any run of characters (slashes included), `?` one. */
export function arnMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(arn);
}

/** Whether `policy` lets the request with `methodArn` through, as API Gateway evaluates it (explicit Deny wins, default deny). */
export function policyAllows(result: APIGatewayAuthorizerResult, methodArn: string): boolean {
  let allowed = false;
  for (const statement of result.policyDocument.Statement as Array<{ Effect: string; Resource: string | string[] }>) {
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    if (!resources.some((r) => arnMatches(r, methodArn))) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
