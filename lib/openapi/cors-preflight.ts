import { SECURITY_HEADERS } from '../../contracts/http-responses';
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
  /**
   * Allow loopback origins (`localhost`, `*.localhost`, `127.0.0.0/8`, `0.0.0.0`, `[::1]`, any port)
   * together with `allowCredentials: true`. Any process on a user's machine can serve such an origin and
   * then make credentialed reads of the API, so this is for development only: synth fails without it, and
   * leaves a warning (`cdk-secure-api:cors-loopback-credentials`) with it.
   * @default false
   */
  readonly allowLoopbackOriginsWithCredentials?: boolean;
}

/** A warning `validateCors` asks the construct to add, with its stable id (`cdk-secure-api:<id>`). */
export interface CorsWarning {
  readonly id: string;
  readonly message: string;
}

const ORIGIN_PATTERN = /^https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

/**
 * Whether an origin's host is the user's own machine: `localhost` and its subdomains (browsers resolve
 * them to loopback, RFC 6761 section 6.3), `127.0.0.0/8`, `0.0.0.0`, `[::1]`, `[::]` and IPv4-mapped
 * loopback. The host is read through the WHATWG URL parser, so `127.1`, `0x7f.0.0.1` or `[0:0::1]`
 * are recognised as the loopback addresses a browser makes of them.
 */
export function isLoopbackOrigin(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '0.0.0.0') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return host === '[::1]' || host === '[::]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/** Checks CORS props and names the one that is wrong. */
export function validateCors(cors: CorsOptions, apiName: string): CorsWarning[] {
  const warnings: CorsWarning[] = [];
  const check = new PropCheck(apiName, 'cors');
  const prefix = `SecureApi '${apiName}': cors`;
  if (cors.allowOrigins.length === 0) check.fail('allowOrigins', `must list at least one origin`);
  for (const origin of cors.allowOrigins) {
    if (origin === '*') {
      if (cors.allowCredentials === true) {
        check.fail(
          'allowOrigins',
          `'*' cannot be combined with allowCredentials: true (browsers refuse it, and it would expose credentials to every site); list the origins explicitly`,
        );
      }
      warnings.push({ id: 'cors', message: `${prefix}.allowOrigins is '*': any web site may call the API from a browser` });
      continue;
    }
    if (!ORIGIN_PATTERN.test(origin)) {
      check.fail('allowOrigins', `'${origin}' is not an origin (scheme://host[:port], no path, no wildcard)`);
    }
    const loopback = isLoopbackOrigin(origin);
    if (origin.toLowerCase().startsWith('http://') && !loopback) {
      check.fail('allowOrigins', `'${origin}' uses http://; only https:// origins (or http://localhost for development) are allowed`);
    }
    if (loopback && cors.allowCredentials === true) {
      if (cors.allowLoopbackOriginsWithCredentials !== true) {
        check.fail(
          'allowOrigins',
          `'${origin}' is a loopback origin allowed with allowCredentials: true: any process on a user's machine could serve it and make credentialed reads of the API; remove it, or set cors.allowLoopbackOriginsWithCredentials: true for a development stack`,
        );
      }
      warnings.push({
        id: 'cors-loopback-credentials',
        message: `${prefix}.allowOrigins '${origin}' is a loopback origin allowed with credentials (allowLoopbackOriginsWithCredentials): any process on a user's machine that serves it can make credentialed reads of the API; keep this to development stacks`,
      });
    }
  }
  if (cors.allowOrigins.length > 1 && cors.allowCredentials === true) {
    warnings.push({
      id: 'cors-errors-unreadable',
      message: `${prefix} allows several origins with allowCredentials: true: gateway error responses (401, 403, 429, 4XX/5XX) carry no Access-Control-Allow-Origin, because API Gateway can only echo the request's Origin unchecked there, so a browser app cannot read them (it sees a network error); allow one origin to make them readable`,
    });
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
 * The CORS headers of an answer whose mapping template SecureApi writes (the preflight's mock, the
 * non-proxy integrations' answers: SQS, EventBridge, Step Functions, mock), as integration response
 * `responseParameters` and a template prefix:
 * - one allowed origin (or `*`, never with credentials: validateCors refuses it) is a static header;
 * - several are checked in the template: the request's `Origin` is echoed through
 *   `$context.responseOverride.header.Access-Control-Allow-Origin` only when it equals an allowed
 *   origin exactly (case-sensitive), with or without credentials. The Origin is read into a variable and
 *   compared, never written into template text, so a value with quotes, `#set`, `$context` or newlines
 *   stays data and, not being on the list, is never echoed;
 * - `Vary: Origin` always, `Access-Control-Allow-Credentials: true` when credentials are allowed.
 */
export interface CorsResponseMapping {
  /** `method.response.header.<name>` = `'<value>'`, the static headers. */
  readonly responseParameters: { [parameter: string]: string };
  /** VTL that sets `Access-Control-Allow-Origin` from the checked request Origin, producing no output; '' when the header is static. */
  readonly originTemplate: string;
}

/** See {@link CorsResponseMapping}. */
export function corsResponseMapping(cors: CorsOptions): CorsResponseMapping {
  const responseParameters: { [parameter: string]: string } = { [`${METHOD_HEADER}Vary`]: "'Origin'" };
  if (cors.allowCredentials === true) responseParameters[`${METHOD_HEADER}Access-Control-Allow-Credentials`] = "'true'";
  if (cors.allowOrigins.length === 1) {
    responseParameters[`${METHOD_HEADER}Access-Control-Allow-Origin`] = `'${cors.allowOrigins[0]}'`;
    return { responseParameters, originTemplate: '' };
  }
  // validateCors admits only scheme://host[:port] origins here: no quote, `$` or `#` can enter the template text.
  const originCheck = cors.allowOrigins.map((o) => `$corsOrigin == "${o}"`).join(' || ');
  const originTemplate =
    `#set($corsOrigin = $input.params().header.get('Origin'))` +
    `#if(${originCheck})#set($context.responseOverride.header.Access-Control-Allow-Origin = $corsOrigin)#end`;
  return { responseParameters, originTemplate };
}

const METHOD_HEADER = 'method.response.header.';

/**
 * Adds a preflight (`OPTIONS`) method to every path of an API Gateway body, with the CORS headers of
 * {@link corsResponseMapping}: several origins are echoed only when on the allow-list, so one API serves
 * several origins without ever answering `*` to a credentialed request.
 */
export function addCorsPreflight(body: JsonObject, cors: CorsOptions): JsonObject {
  const paths = (body.paths ?? {}) as { [path: string]: JsonObject };
  const headers = (cors.allowHeaders ?? ['Authorization', 'Content-Type', 'X-Api-Key']).join(',');
  const maxAge = String(cors.maxAgeSeconds ?? 600);
  const mapping = corsResponseMapping(cors);
  const newPaths: { [path: string]: JsonObject } = {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    const methods = Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'head', 'patch'].includes(m));
    if (methods.length === 0 || item.options !== undefined) {
      newPaths[path] = item;
      continue;
    }
    const parameters: { [parameter: string]: string } = {
      ...mapping.responseParameters,
      [`${METHOD_HEADER}Access-Control-Allow-Methods`]: `'${[...methods.map((m) => m.toUpperCase()), 'OPTIONS'].join(',')}'`,
      [`${METHOD_HEADER}Access-Control-Allow-Headers`]: `'${headers}'`,
      [`${METHOD_HEADER}Access-Control-Max-Age`]: `'${maxAge}'`,
    };
    const responseParameters: JsonObject = {};
    for (const key of Object.keys(parameters).sort()) responseParameters[key] = parameters[key];
    const responseHeaders: JsonObject = {};
    for (const key of [...new Set([...Object.keys(responseParameters), `${METHOD_HEADER}Access-Control-Allow-Origin`])].sort()) {
      responseHeaders[key.slice(METHOD_HEADER.length)] = { schema: { type: 'string' } };
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
          // A static Access-Control-Allow-Origin needs no template: the mock's answer has no body.
          responses: {
            default: {
              statusCode: '204',
              responseParameters,
              ...(mapping.originTemplate !== '' ? { responseTemplates: { 'application/json': mapping.originTemplate } } : {}),
            },
          },
        },
      },
    };
  }
  return { ...body, paths: newPaths };
}

/** Integration types whose answers API Gateway writes from SecureApi's mapping; a proxy's backend writes its own headers. */
const MAPPED_INTEGRATION_TYPES = new Set(['aws', 'mock', 'http']);

/**
 * Adds the CORS headers of {@link corsResponseMapping} to every answer of every non-proxy integration
 * (`aws`: SQS, EventBridge, Step Functions; `mock`; non-proxy `http`), success and mapped error alike, so a
 * browser app on an allowed origin can read them, and declares those headers on the method responses (the
 * import requires it). The origin check goes in front of each of the answer's templates; an answer without a
 * template (a passthrough, which SecureApi's integrations never write) gets the static headers only.
 * Proxy integrations (`aws_proxy`, `http_proxy`) are left alone: their backend writes the answer's headers.
 */
export function addCorsToIntegrationResponses(body: JsonObject, cors: CorsOptions): JsonObject {
  const mapping = corsResponseMapping(cors);
  const paths = (body.paths ?? {}) as { [path: string]: { [method: string]: JsonObject } };
  const newPaths: JsonObject = {};
  for (const path of Object.keys(paths)) {
    const item: JsonObject = {};
    for (const [method, operation] of Object.entries(paths[path])) {
      const integration = operation?.['x-amazon-apigateway-integration'] as JsonObject | undefined;
      item[method] =
        integration !== undefined && MAPPED_INTEGRATION_TYPES.has(String(integration.type)) && integration.responses !== undefined
          ? withCorsAnswers(operation, integration, mapping)
          : operation;
    }
    newPaths[path] = item;
  }
  return { ...body, paths: newPaths };
}

function withCorsAnswers(operation: JsonObject, integration: JsonObject, mapping: CorsResponseMapping): JsonObject {
  const answers = integration.responses as { [selection: string]: JsonObject };
  const newAnswers: JsonObject = {};
  const methodResponses = { ...((operation.responses ?? {}) as { [status: string]: JsonObject }) };
  for (const selection of Object.keys(answers)) {
    const answer = answers[selection];
    const own = (answer.responseParameters ?? {}) as { [parameter: string]: string };
    const templates = answer.responseTemplates as { [mediaType: string]: unknown } | undefined;
    const parameters: { [parameter: string]: string } = { ...own, ...mapping.responseParameters };
    const echoes = mapping.originTemplate !== '' && templates !== undefined && Object.keys(templates).length > 0;
    if (parameters[`${METHOD_HEADER}Access-Control-Allow-Origin`] !== undefined || echoes) {
      const exposed = exposableHeaders(
        Object.keys(own)
          .filter((p) => p.startsWith(METHOD_HEADER))
          .map((p) => p.slice(METHOD_HEADER.length)),
      );
      if (exposed.length > 0) parameters[`${METHOD_HEADER}Access-Control-Expose-Headers`] = `'${exposed.join(',')}'`;
    }
    const responseParameters: JsonObject = {};
    for (const key of Object.keys(parameters).sort()) responseParameters[key] = parameters[key];
    const newAnswer: JsonObject = { ...answer, responseParameters };
    if (echoes) {
      const prefixed: JsonObject = {};
      for (const [mediaType, template] of Object.entries(templates!)) {
        // A template is text; anything else API Gateway refuses at import, so it is left for that error to name.
        prefixed[mediaType] = typeof template === 'string' ? mapping.originTemplate + template : (template as JsonObject);
      }
      newAnswer.responseTemplates = prefixed;
    }
    newAnswers[selection] = newAnswer;
    // API Gateway refuses an answer without a status at import; there is no method response to declare.
    if (typeof answer.statusCode !== 'string') continue;
    const status = answer.statusCode;
    const declared = methodResponses[status] ?? { description: 'Response' };
    const headers: JsonObject = { ...((declared.headers ?? {}) as JsonObject) };
    const names = Object.keys(responseParameters)
      .filter((p) => p.startsWith(METHOD_HEADER))
      .map((p) => p.slice(METHOD_HEADER.length));
    if (echoes) names.push('Access-Control-Allow-Origin');
    const sorted: JsonObject = {};
    for (const name of [...new Set([...Object.keys(headers), ...names])].sort())
      sorted[name] = headers[name] ?? { schema: { type: 'string' } };
    methodResponses[status] = { ...declared, headers: sorted };
  }
  return { ...operation, responses: methodResponses, 'x-amazon-apigateway-integration': { ...integration, responses: newAnswers } };
}

/** Every CORS header SecureApi writes: the non-proxy integrations' answers, the preflights, the gateway responses. */
export function addCors(body: JsonObject, cors: CorsOptions): JsonObject {
  return addCorsToGatewayResponses(addCorsPreflight(addCorsToIntegrationResponses(body, cors), cors), cors);
}

/** Response headers a browser shows a script without `Access-Control-Expose-Headers` (Fetch standard, CORS-safelisted). */
const SAFELISTED_RESPONSE_HEADERS = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];
const ACAO = 'gatewayresponse.header.Access-Control-Allow-Origin';

/**
 * The headers of an error answer a script must be told it may read (`Access-Control-Expose-Headers`):
 * its own headers, less the CORS-safelisted ones, the security headers, `Vary` and the CORS headers.
 */
function exposableHeaders(headers: readonly string[]): string[] {
  const hidden = new Set([...SAFELISTED_RESPONSE_HEADERS, ...Object.keys(SECURITY_HEADERS).map((h) => h.toLowerCase()), 'vary']);
  return headers.filter((h) => !hidden.has(h.toLowerCase()) && !h.toLowerCase().startsWith('access-control-')).sort();
}

/**
 * The CORS headers every gateway response carries (the errors API Gateway answers itself, before or
 * instead of the integration: 401, 403, 429, 4XX/5XX ...), as `responseParameters` values, so a browser
 * app can read the error, refresh its token or back off instead of seeing a network error.
 *
 * Gateway responses take only static values or request parameters (`method.request.header.Origin`),
 * with no condition: API Gateway cannot check the Origin against the allow-list there, as the preflight's
 * mapping template does (x-amazon-apigateway-gateway-responses.responseParameters, API Gateway Developer
 * Guide: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseParameters.html).
 * So: one allowed origin is written statically (with `Access-Control-Allow-Credentials` when credentials
 * are allowed); several are echoed from the request only without credentials (the body is a generic
 * error, readable to a script of any site that sent an uncredentialed request anyway); several with
 * credentials get no `Access-Control-Allow-Origin` at all, since echoing an unchecked Origin with
 * credentials would hand every site the caller's credentialed errors. `*` is never written for a list.
 */
export function corsGatewayResponseParameters(cors: CorsOptions): { [parameter: string]: string } {
  const parameters: { [parameter: string]: string } = { 'gatewayresponse.header.Vary': "'Origin'" };
  if (cors.allowOrigins.length === 1) {
    parameters[ACAO] = `'${cors.allowOrigins[0]}'`;
    if (cors.allowCredentials === true) parameters['gatewayresponse.header.Access-Control-Allow-Credentials'] = "'true'";
  } else if (cors.allowCredentials !== true) {
    parameters[ACAO] = 'method.request.header.Origin';
  }
  return parameters;
}

/**
 * Adds the CORS headers of `corsGatewayResponseParameters` to every gateway response of an API Gateway
 * body, and, where a response may be read cross-origin, exposes its own non-safelisted headers
 * (`WWW-Authenticate`, `Retry-After` ...) to the script with `Access-Control-Expose-Headers`.
 */
export function addCorsToGatewayResponses(body: JsonObject, cors: CorsOptions): JsonObject {
  const responses = (body['x-amazon-apigateway-gateway-responses'] ?? {}) as { [type: string]: JsonObject };
  const cross = corsGatewayResponseParameters(cors);
  const out: { [type: string]: JsonObject } = {};
  for (const type of Object.keys(responses)) {
    const own = (responses[type].responseParameters ?? {}) as { [parameter: string]: string };
    const merged: { [parameter: string]: string } = { ...own, ...cross };
    // A Vary another pass wrote (none does today) keeps its values, with Origin added.
    const vary = own['gatewayresponse.header.Vary'];
    if (vary !== undefined && /^'.*'$/.test(vary))
      merged['gatewayresponse.header.Vary'] = /\borigin\b/i.test(vary) ? vary : `${vary.slice(0, -1)}, Origin'`;
    const exposed = exposableHeaders(
      Object.keys(own)
        .filter((p) => p.startsWith('gatewayresponse.header.'))
        .map((p) => p.slice('gatewayresponse.header.'.length)),
    );
    if (merged[ACAO] !== undefined && exposed.length > 0)
      merged['gatewayresponse.header.Access-Control-Expose-Headers'] = `'${exposed.join(',')}'`;
    const responseParameters: JsonObject = {};
    for (const key of Object.keys(merged).sort()) responseParameters[key] = merged[key];
    out[type] = { ...responses[type], responseParameters };
  }
  return { ...body, 'x-amazon-apigateway-gateway-responses': out };
}

/**
 * The CORS headers of an error answer whose headers can only be static: the web ACL's own custom
 * responses (403, 413, 429), which WAF sends before API Gateway, so without the gateway responses'
 * headers. A WAF custom response takes fixed `ResponseHeaders` only, with no request value to echo
 * (AWS WAF developer guide, "Sending custom responses for Block actions",
 * https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html).
 *
 * One allowed origin (or `*`, never with credentials: validateCors refuses it) is written as it is,
 * with `Vary: Origin`, `Access-Control-Allow-Credentials` when credentials are allowed, and the
 * response's own non-safelisted headers (`Retry-After`) exposed. Several allowed origins get no CORS
 * header at all: WAF cannot pick the caller's origin from the list, and `*` would hand the error to
 * every site (and browsers refuse it with credentials). `corsStaticResponseGap` says so at synth.
 */
export function corsStaticResponseHeaders(cors: CorsOptions, ownHeaders: readonly string[]): { [header: string]: string } {
  if (cors.allowOrigins.length !== 1) return {};
  const headers: { [header: string]: string } = { Vary: 'Origin', 'Access-Control-Allow-Origin': cors.allowOrigins[0] };
  if (cors.allowCredentials === true) headers['Access-Control-Allow-Credentials'] = 'true';
  const exposed = exposableHeaders(ownHeaders);
  if (exposed.length > 0) headers['Access-Control-Expose-Headers'] = exposed.join(',');
  return headers;
}

/** The synth info for `corsStaticResponseHeaders`' case without CORS headers (several allowed origins), or undefined. */
export function corsStaticResponseGap(cors: CorsOptions | undefined, apiName: string): string | undefined {
  if (cors === undefined || cors.allowOrigins.length <= 1) return undefined;
  return `SecureApi '${apiName}': cors allows ${cors.allowOrigins.length} origins: the web ACL's own answers (403 blocked, 413 body too large, 429 rate limit) carry no Access-Control-Allow-Origin, because a WAF custom response has only static headers and cannot echo the caller's origin from the allow-list; a browser app sees a network error for them and should back off as for a 429. Allow one origin to make them readable`;
}
