import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';

/**
 * A small API with a sensitive login operation (declaring a stricter rate limit and a larger body in
 * the document), a path with a parameter, and a proxy path.
 */
export function wafTestDocument(): Record<string, unknown> {
  const json = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
  return {
    openapi: '3.0.3',
    info: { title: 'Shop', version: '1' },
    paths: {
      '/auth/token': {
        post: {
          operationId: 'issueToken',
          'x-secureapi-rate-limit': { limit: 20, windowSeconds: 60 },
          requestBody: json({ type: 'object', properties: { username: { type: 'string' }, password: { type: 'string' } } }),
          responses: { '200': { description: 'ok' } },
        },
      },
      '/orders/{orderId}': {
        get: {
          operationId: 'getOrder',
          parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'ok' } },
        },
        put: {
          operationId: 'replaceOrder',
          parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: json({ type: 'object' }),
          responses: { '200': { description: 'ok' } },
        },
      },
      '/files/{path+}': {
        get: {
          operationId: 'getFile',
          parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
}

export interface Synthesized {
  readonly stack: Stack;
  readonly api: SecureApi;
  readonly template: Template;
  /** Warnings on the WAF construct, as their message text. */
  readonly wafWarnings: string[];
}

/** One SecureApi over {@link wafTestDocument} (or `document`) with mock integrations. */
export function synthWaf(props: Partial<SecureApiProps> = {}, document: Record<string, unknown> = wafTestDocument()): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'WafTest', { env: { account: '111122223333', region: 'eu-west-1' } });
  // With the JWT authorizer, whose probing rejections automatic blocking counts.
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt({ issuer: 'https://idp.example.com', audience: ['shop'] }),
    ...props,
  });
  const template = Template.fromStack(stack);
  const wafWarnings = Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .filter((w) => w.id.includes('/Waf'))
    .map((w) => String(w.entry.data));
  return { stack, api, template, wafWarnings };
}

/** The single resource of `type`, failing when there is not exactly one. */
export function onlyResource(template: Template, type: string): { Properties: any; DependsOn?: string[] } {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0] as { Properties: any };
}

/** The web ACL's rules, by name. */
export function rulesByName(template: Template, scope: 'REGIONAL' | 'CLOUDFRONT' = 'REGIONAL'): { [name: string]: any } {
  const acls = Object.values(template.findResources('AWS::WAFv2::WebACL', { Properties: { Scope: scope } }));
  if (acls.length !== 1) throw new Error(`expected one ${scope} web ACL, found ${acls.length}`);
  return Object.fromEntries(acls[0].Properties.Rules.map((r: any) => [r.Name, r]));
}

/** The logical id of the single resource of `type`. */
export function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}
