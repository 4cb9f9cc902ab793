import { JsonObject } from '../model';
import { PropCheck } from '../model/config-error';

/** Strict CORS: explicit origins only. */
export interface CorsOptions {
  /**
   * The exact origins allowed to call the API from a browser, e.g. `https://app.example.com`.
   * `*` is accepted only without credentials.
   */
  readonly allowOrigins: string[];
  /**
   * Request headers a browser may send.
   * @default ['Authorization', 'Content-Type', 'X-Api-Key']
   */
  readonly allowHeaders?: string[];
  /**
   * Allow cookies and the Authorization header on cross-origin requests.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long a browser may cache a preflight answer, in seconds (at most 7200).
   * @default 600
   */
  readonly maxAgeSeconds?: number;
}

const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/** Checks CORS props and names the one that is wrong. */
export function validateCors(cors: CorsOptions, apiName: string): string[] {
  const warnings: string[] = [];
  const check = new PropCheck(apiName, 'cors');
  const prefix = `SecureApi '${apiName}': cors`;
  if (cors.allowOrigins.length === 0) check.fail('allowOrigins', `must list at least one origin`);
  for (const origin of cors.allowOrigins) {
    if (origin === '*') {
      if (cors.allowCredentials === true) {
        check.fail('allowOrigins', `'*' cannot be combined with allowCredentials: true (browsers refuse it, and it would expose credentials to every site); list the origins explicitly`);
      }
      warnings.push(`${prefix}.allowOrigins is '*': any web site may call the API from a browser`);
      continue;
    }
    if (!ORIGIN_PATTERN.test(origin)) {
      check.fail('allowOrigins', `'${origin}' is not an origin (scheme://host[:port], no path, no wildcard)`);
    }
    if (origin.toLowerCase().startsWith('http://') && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/i.test(origin)) {
      check.fail('allowOrigins', `'${origin}' uses http://; only https:// origins (or http://localhost for development) are allowed`);
    }
  }
  if (cors.allowOrigins.includes('*') && cors.allowOrigins.length > 1) {
    check.fail('allowOrigins', `'*' cannot be mixed with explicit origins`);
  }
  const maxAge = cors.maxAgeSeconds ?? 600;
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 7200) {
    check.fail('maxAgeSeconds', `must be a whole number from 0 to 7200, got ${maxAge}`);
  }
  for (const header of cors.allowHeaders ?? []) {
    if (!/^[A-Za-z0-9-]+$/.test(header)) check.fail('allowHeaders', `'${header}' is not a header name`);
  }
  return warnings;
}

/**
 * Adds a preflight (`OPTIONS`) method to every path of an API Gateway body. The mock integration
 * echoes the request's Origin only when it is on the allow-list, so one API serves several origins
 * without ever answering `*` to a credentialed request.
 */
export function addCorsPreflight(body: JsonObject, cors: CorsOptions): JsonObject {
  const paths = (body.paths ?? {}) as { [path: string]: JsonObject };
  const headers = (cors.allowHeaders ?? ['Authorization', 'Content-Type', 'X-Api-Key']).join(',');
  const maxAge = String(cors.maxAgeSeconds ?? 600);
  const anyOrigin = cors.allowOrigins.includes('*');
  const originCheck = cors.allowOrigins.map((o) => `$origin == "${o}"`).join(' || ');
  const template = anyOrigin
    ? '#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")'
    : `#set($origin = $input.params().header.get('Origin'))#if(${originCheck})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end`;
  const newPaths: { [path: string]: JsonObject } = {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    const methods = Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'head', 'patch'].includes(m));
    if (methods.length === 0 || item.options !== undefined) {
      newPaths[path] = item;
      continue;
    }
    const responseParameters: JsonObject = {
      'method.response.header.Access-Control-Allow-Methods': `'${[...methods.map((m) => m.toUpperCase()), 'OPTIONS'].join(',')}'`,
      'method.response.header.Access-Control-Allow-Headers': `'${headers}'`,
      'method.response.header.Access-Control-Max-Age': `'${maxAge}'`,
      'method.response.header.Vary': "'Origin'",
    };
    if (cors.allowCredentials === true) responseParameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
    const responseHeaders: JsonObject = {};
    for (const key of [...Object.keys(responseParameters), 'method.response.header.Access-Control-Allow-Origin']) {
      responseHeaders[key.replace('method.response.header.', '')] = { schema: { type: 'string' } };
    }
    newPaths[path] = {
      ...item,
      options: {
        summary: 'CORS preflight',
        responses: { '204': { description: 'CORS preflight', headers: responseHeaders } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          passthroughBehavior: 'when_no_match',
          requestTemplates: { 'application/json': '{"statusCode": 204}' },
          responses: { default: { statusCode: '204', responseParameters, responseTemplates: { 'application/json': template } } },
        },
      },
    };
  }
  return { ...body, paths: newPaths };
}
