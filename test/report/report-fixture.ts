import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { SecurityReport } from '../../lib/report';

/**
 * A small items API: a public health check, list/create/get with scopes, and a delete served by an
 * HTTPS backend. `secured: false` declares no security at all (for stacks without `auth`);
 * `xmlBody` makes createItem take XML, which API Gateway cannot validate.
 */
export function itemsDocument(options: { secured?: boolean; xmlBody?: boolean } = {}): Record<string, unknown> {
  const secured = options.secured ?? true;
  const security = (...scopes: string[]) => (secured ? { security: [{ oauth: scopes }] } : {});
  const idParameter = [{ name: 'itemId', in: 'path', required: true, schema: { type: 'string' } }];
  const ok = { '200': { description: 'ok' } };
  return {
    openapi: '3.0.3',
    info: { title: 'Items', version: '1' },
    paths: {
      '/health': { get: { operationId: 'getHealth', security: [], responses: ok } },
      '/items': {
        get: { operationId: 'listItems', ...security('items:read'), responses: ok },
        post: {
          operationId: 'createItem',
          ...security('items:write'),
          requestBody: {
            required: true,
            content: options.xmlBody
              ? { 'application/xml': { schema: { type: 'string' } } }
              : {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['name'],
                      additionalProperties: false,
                      properties: { name: { type: 'string', maxLength: 64 } },
                    },
                  },
                },
          },
          responses: { '201': { description: 'created' } },
        },
      },
      '/items/{itemId}': {
        get: { operationId: 'getItem', ...security('items:read'), parameters: idParameter, responses: ok },
        delete: { operationId: 'deleteItem', ...security('items:admin'), parameters: idParameter, responses: ok },
      },
    },
    components: secured
      ? {
          securitySchemes: {
            oauth: {
              type: 'oauth2',
              flows: {
                clientCredentials: {
                  tokenUrl: 'https://login.example.com/token',
                  scopes: { 'items:read': 'r', 'items:write': 'w', 'items:admin': 'a' },
                },
              },
            },
          },
        }
      : {},
  };
}

export interface ReportedStack {
  readonly report: SecurityReport;
  readonly markdown: string;
  readonly outdir: string;
  readonly api: SecureApi;
}

/**
 * Synthesizes one SecureApi over the items document into a fresh cloud assembly and reads back the
 * report SecureApi wrote there. `after` runs after SecureApi is built: escape hatches go there.
 */
export function synthesizeReport(
  options: {
    props?: Partial<SecureApiProps>;
    secured?: boolean;
    xmlBody?: boolean;
    after?: (api: SecureApi, stack: Stack) => void;
    stage?: string;
  } = {},
): ReportedStack {
  const outdir = mkdtempSync(path.join(tmpdir(), 'secure-api-report-'));
  const app = new App({ outdir });
  const parent = options.stage === undefined ? app : new Stage(app, options.stage);
  const stack = new Stack(parent, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const backend = new lambda.Function(stack, 'Backend', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
  });
  const secured = options.secured ?? true;
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(itemsDocument({ secured, xmlBody: options.xmlBody })),
    defaultIntegration: OperationIntegration.lambda(backend),
    integrations: { getHealth: OperationIntegration.mock(), deleteItem: OperationIntegration.http('https://backend.example.com') },
    ...(secured ? { auth: Auth.jwt({ issuer: 'https://login.example.com/', audience: ['https://api.example.com'] }) } : {}),
    docs: { path: '/docs' },
    ...options.props,
  });
  options.after?.(api, stack);
  app.synth();
  const assembly = options.stage === undefined ? outdir : path.join(outdir, `assembly-${options.stage}`);
  const base = path.join(assembly, `${stack.artifactId}.Api.secure-api-report`);
  return { report: JSON.parse(readFileSync(`${base}.json`, 'utf8')), markdown: readFileSync(`${base}.md`, 'utf8'), outdir, api };
}

/** One OWASP finding of a report. */
export function risk(report: SecurityReport, id: string) {
  const finding = report.owasp.find((f) => f.id === id);
  if (finding === undefined) throw new Error(`no ${id} in the report`);
  return finding;
}
