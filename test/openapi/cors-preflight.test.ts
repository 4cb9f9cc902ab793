import {
  addCorsPreflight,
  addCorsToGatewayResponses,
  addCorsToIntegrationResponses,
  corsGatewayResponseParameters,
  corsResponseMapping,
  corsStaticResponseGap,
  corsStaticResponseHeaders,
  isLoopbackOrigin,
  validateCors,
} from '../../lib/openapi/cors-preflight';
import { buildGatewayResponses } from '../../lib/openapi/gateway-responses';
import { renderMappingTemplate } from '../support/api-gateway-vtl';

const body = {
  openapi: '3.0.1',
  paths: {
    '/pets': { get: { operationId: 'listPets' }, post: { operationId: 'createPet' } },
    '/pets/{id}': { get: { operationId: 'getPet' } },
  },
};

describe('validateCors', () => {
  it('rejects * together with credentials', () => {
    expect(() => validateCors({ allowOrigins: ['*'], allowCredentials: true }, 'Api')).toThrow(
      "SecureApi 'Api': cors.allowOrigins '*' cannot be combined with allowCredentials: true",
    );
  });
  it('warns about * without credentials', () => {
    expect(validateCors({ allowOrigins: ['*'] }, 'Api')).toEqual([
      { id: 'cors', message: "SecureApi 'Api': cors.allowOrigins is '*': any web site may call the API from a browser" },
    ]);
  });
  it('rejects an empty list, paths, wildcards in hosts and plain http origins', () => {
    expect(() => validateCors({ allowOrigins: [] }, 'Api')).toThrow('cors.allowOrigins must list at least one origin');
    expect(() => validateCors({ allowOrigins: ['https://app.example.com/path'] }, 'Api')).toThrow(
      "'https://app.example.com/path' is not an origin",
    );
    expect(() => validateCors({ allowOrigins: ['https://*.example.com'] }, 'Api')).toThrow('is not an origin');
    expect(() => validateCors({ allowOrigins: ['http://app.example.com'] }, 'Api')).toThrow('uses http://');
    expect(validateCors({ allowOrigins: ['http://localhost:3000'] }, 'Api')).toEqual([]);
  });
  it('rejects a max age outside 0..7200', () => {
    expect(() => validateCors({ allowOrigins: ['https://a.example.com'], maxAgeSeconds: 99999 }, 'Api')).toThrow(
      'maxAgeSeconds must be a whole number from 0 to 7200, got 99999',
    );
  });
});

describe('isLoopbackOrigin', () => {
  it('recognises localhost, its subdomains, 127.0.0.0/8, 0.0.0.0 and [::1] on any port, in the forms a browser normalises', () => {
    for (const origin of [
      'http://localhost',
      'http://localhost:3000',
      'https://LOCALHOST:8443',
      'http://dev.localhost:5173',
      'http://127.0.0.1:8080',
      'http://127.12.0.3',
      'http://127.1:9000',
      'http://0x7f.0.0.1',
      'http://0.0.0.0:3000',
      'http://[::1]:3000',
      'http://[0:0:0:0:0:0:0:1]',
      'http://[::ffff:127.0.0.1]:80',
    ]) {
      expect([origin, isLoopbackOrigin(origin)]).toEqual([origin, true]);
    }
  });
  it('does not take other hosts for loopback', () => {
    for (const origin of [
      'https://app.example.com',
      'https://localhost.example.com',
      'https://128.0.0.1',
      'https://[::2]',
      'https://mylocalhost',
    ]) {
      expect([origin, isLoopbackOrigin(origin)]).toEqual([origin, false]);
    }
  });
});

describe('validateCors with loopback origins and credentials', () => {
  it('rejects a credentialed loopback origin without the explicit opt-in, naming the origin', () => {
    // The attack: any process on the user's machine (a dev server, a malicious npm postinstall, another user's
    // service) serves http://localhost:3000 and reads the API with the user's cookies/Authorization header.
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'https://dev.localhost']) {
      expect(() => validateCors({ allowOrigins: ['https://app.example.com', origin], allowCredentials: true }, 'Api')).toThrow(
        `SecureApi 'Api': cors.allowOrigins '${origin}' is a loopback origin allowed with allowCredentials: true: any process on a user's machine could serve it and make credentialed reads of the API; remove it, or set cors.allowLoopbackOriginsWithCredentials: true for a development stack`,
      );
    }
  });
  it('accepts a credentialed loopback origin with the opt-in, with a warning naming it', () => {
    expect(
      validateCors({ allowOrigins: ['http://localhost:3000'], allowCredentials: true, allowLoopbackOriginsWithCredentials: true }, 'Api'),
    ).toEqual([
      {
        id: 'cors-loopback-credentials',
        message:
          "SecureApi 'Api': cors.allowOrigins 'http://localhost:3000' is a loopback origin allowed with credentials (allowLoopbackOriginsWithCredentials): any process on a user's machine that serves it can make credentialed reads of the API; keep this to development stacks",
      },
    ]);
  });
  it('accepts a loopback origin without credentials, and http:// for the other loopback forms', () => {
    expect(validateCors({ allowOrigins: ['http://localhost:3000'] }, 'Api')).toEqual([]);
    expect(validateCors({ allowOrigins: ['http://[::1]:3000'] }, 'Api')).toEqual([]);
    expect(validateCors({ allowOrigins: ['http://127.0.0.2'] }, 'Api')).toEqual([]);
  });
  it('warns that gateway errors are unreadable with several origins and credentials', () => {
    expect(validateCors({ allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowCredentials: true }, 'Api')).toEqual([
      {
        id: 'cors-errors-unreadable',
        message:
          "SecureApi 'Api': cors allows several origins with allowCredentials: true: gateway error responses (401, 403, 429, 4XX/5XX) carry no Access-Control-Allow-Origin, because API Gateway can only echo the request's Origin unchecked there, so a browser app cannot read them (it sees a network error); allow one origin to make them readable",
      },
    ]);
  });
});

describe('corsGatewayResponseParameters', () => {
  it('writes one allowed origin statically, with credentials when allowed, and Vary: Origin', () => {
    expect(corsGatewayResponseParameters({ allowOrigins: ['https://app.example.com'], allowCredentials: true })).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      'gatewayresponse.header.Vary': "'Origin'",
    });
    expect(corsGatewayResponseParameters({ allowOrigins: ['https://app.example.com'] })).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Vary': "'Origin'",
    });
  });
  it('echoes the Origin for several origins without credentials, never *', () => {
    expect(corsGatewayResponseParameters({ allowOrigins: ['https://a.example.com', 'https://b.example.com'] })).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
      'gatewayresponse.header.Vary': "'Origin'",
    });
  });
  it('writes no Access-Control-Allow-Origin for several origins with credentials', () => {
    expect(
      corsGatewayResponseParameters({ allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowCredentials: true }),
    ).toEqual({
      'gatewayresponse.header.Vary': "'Origin'",
    });
  });
});

describe('corsStaticResponseHeaders (static error answers: the web ACL custom responses)', () => {
  it('writes one allowed origin with Vary: Origin, credentials when allowed, and exposes only non-safelisted own headers', () => {
    expect(
      corsStaticResponseHeaders({ allowOrigins: ['https://app.example.com'], allowCredentials: true }, [
        'Cache-Control',
        'Retry-After',
        'X-Frame-Options',
        'Vary',
      ]),
    ).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'Retry-After',
    });
    expect(corsStaticResponseHeaders({ allowOrigins: ['https://app.example.com'] }, ['Cache-Control'])).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://app.example.com',
    });
  });
  it("writes nothing for several origins, with or without credentials: a static answer cannot pick the caller's origin", () => {
    const several = ['https://a.example.com', 'https://b.example.com'];
    expect(corsStaticResponseHeaders({ allowOrigins: several }, ['Retry-After'])).toEqual({});
    expect(corsStaticResponseHeaders({ allowOrigins: several, allowCredentials: true }, ['Retry-After'])).toEqual({});
  });
});

describe('corsStaticResponseGap', () => {
  it('says, for several origins only, that the web ACL answers carry no CORS headers', () => {
    expect(corsStaticResponseGap({ allowOrigins: ['https://a.example.com', 'https://b.example.com'] }, 'S/Api')).toMatch(
      /^SecureApi 'S\/Api': cors allows 2 origins: the web ACL's own answers \(403 blocked, 413 body too large, 429 rate limit\) carry no Access-Control-Allow-Origin/,
    );
    expect(corsStaticResponseGap({ allowOrigins: ['https://a.example.com'] }, 'S/Api')).toBeUndefined();
    expect(corsStaticResponseGap(undefined, 'S/Api')).toBeUndefined();
  });
});

describe('addCorsToGatewayResponses', () => {
  const gatewayBody = {
    openapi: '3.0.1',
    paths: {},
    'x-amazon-apigateway-gateway-responses': buildGatewayResponses({ UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer realm="Api"' } }),
  };

  it('puts the CORS headers on every gateway response and exposes the 401 WWW-Authenticate header', () => {
    const result = addCorsToGatewayResponses(gatewayBody, { allowOrigins: ['https://app.example.com'], allowCredentials: true }) as any;
    const responses = result['x-amazon-apigateway-gateway-responses'];
    expect(Object.keys(responses)).toEqual(Object.keys(gatewayBody['x-amazon-apigateway-gateway-responses']));
    for (const type of Object.keys(responses)) {
      expect([type, responses[type].responseParameters['gatewayresponse.header.Access-Control-Allow-Origin']]).toEqual([
        type,
        "'https://app.example.com'",
      ]);
      expect([type, responses[type].responseParameters['gatewayresponse.header.Access-Control-Allow-Credentials']]).toEqual([
        type,
        "'true'",
      ]);
      expect([type, responses[type].responseParameters['gatewayresponse.header.Vary']]).toEqual([type, "'Origin'"]);
    }
    expect(responses.UNAUTHORIZED.responseParameters).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Access-Control-Expose-Headers': "'WWW-Authenticate'",
      'gatewayresponse.header.Cache-Control': "'no-store'",
      'gatewayresponse.header.Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
      'gatewayresponse.header.Vary': "'Origin'",
      'gatewayresponse.header.WWW-Authenticate': '\'Bearer realm="Api"\'',
      'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
      'gatewayresponse.header.X-Frame-Options': "'DENY'",
    });
    expect(responses.THROTTLED.responseParameters['gatewayresponse.header.Access-Control-Expose-Headers']).toBeUndefined();
    expect(responses.UNAUTHORIZED.responseTemplates).toEqual(
      gatewayBody['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED.responseTemplates,
    );
  });

  it('adds Origin to a Vary header a response already has', () => {
    const withVary = {
      'x-amazon-apigateway-gateway-responses': { THROTTLED: { responseParameters: { 'gatewayresponse.header.Vary': "'Accept'" } } },
    };
    const responses = (addCorsToGatewayResponses(withVary, { allowOrigins: ['https://app.example.com'] }) as any)[
      'x-amazon-apigateway-gateway-responses'
    ];
    expect(responses.THROTTLED.responseParameters['gatewayresponse.header.Vary']).toBe("'Accept, Origin'");
  });

  it('echoes the request Origin on every response for several origins without credentials', () => {
    const responses = (addCorsToGatewayResponses(gatewayBody, { allowOrigins: ['https://a.example.com', 'https://b.example.com'] }) as any)[
      'x-amazon-apigateway-gateway-responses'
    ];
    for (const type of Object.keys(responses)) {
      expect([type, responses[type].responseParameters['gatewayresponse.header.Access-Control-Allow-Origin']]).toEqual([
        type,
        'method.request.header.Origin',
      ]);
      expect([type, responses[type].responseParameters['gatewayresponse.header.Access-Control-Allow-Credentials']]).toEqual([
        type,
        undefined,
      ]);
      expect(JSON.stringify(responses[type].responseParameters)).not.toContain("'*'");
    }
  });

  it('leaves Access-Control-Allow-Origin off every response for several origins with credentials', () => {
    const responses = (
      addCorsToGatewayResponses(gatewayBody, {
        allowOrigins: ['https://a.example.com', 'https://b.example.com'],
        allowCredentials: true,
      }) as any
    )['x-amazon-apigateway-gateway-responses'];
    for (const type of Object.keys(responses)) {
      const names = Object.keys(responses[type].responseParameters);
      expect([type, names.filter((n) => n.includes('Access-Control-'))]).toEqual([type, []]);
      expect([type, responses[type].responseParameters['gatewayresponse.header.Vary']]).toEqual([type, "'Origin'"]);
    }
  });
});

describe('addCorsPreflight', () => {
  const result = addCorsPreflight(body, {
    allowOrigins: ['https://app.example.com', 'https://admin.example.com'],
    allowCredentials: true,
  }) as any;

  it('adds an OPTIONS mock method listing the path methods', () => {
    const preflight = result.paths['/pets'].options['x-amazon-apigateway-integration'];
    expect(preflight.type).toBe('mock');
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Methods']).toBe(
      "'GET,POST,OPTIONS'",
    );
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Credentials']).toBe("'true'");
    expect(result.paths['/pets/{id}'].options).toBeDefined();
    expect(result.paths['/pets'].get).toEqual(body.paths['/pets'].get);
  });

  it('echoes only allow-listed origins and never answers * to a credentialed request', () => {
    const template: string =
      result.paths['/pets'].options['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'];
    expect(template).toContain('$corsOrigin == "https://app.example.com" || $corsOrigin == "https://admin.example.com"');
    expect(template).not.toContain('"*"');
  });
});

// Issue 13 #2: automatic blocking counts forged tokens, so no foreign page may make its visitors'
// browsers send one. The Fetch standard lets a page send Authorization or x-api-key cross-site only
// after a preflight whose Access-Control-Allow-Origin matches the page's origin (a "CORS-unsafe"
// request header; https://fetch.spec.whatwg.org/#cors-preflight-fetch).
describe('the preflight as a browser sees it', () => {
  const cors = { allowOrigins: ['https://app.example.com'], allowCredentials: true };
  const preflight = (addCorsPreflight(body, cors) as any).paths['/pets'].options['x-amazon-apigateway-integration'];

  /** The Access-Control-Allow-Origin the mock integration answers a request from `origin` with: its static header, or what its template sets. */
  function allowOriginFor(origin: string): string | undefined {
    const answer = preflight.responses.default;
    const fixed: string | undefined = answer.responseParameters['method.response.header.Access-Control-Allow-Origin'];
    if (fixed !== undefined) return fixed.slice(1, -1);
    return renderMappingTemplate(answer.responseTemplates['application/json'], { header: { Origin: origin } }).headerOverrides[
      'Access-Control-Allow-Origin'
    ];
  }

  /** Whether a browser on `origin` sends a cross-site request carrying `header`. */
  function browserSends(origin: string, header: string): boolean {
    const allowHeaders = preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Headers']
      .slice(1, -1)
      .toLowerCase()
      .split(',');
    return allowOriginFor(origin) === origin && allowHeaders.includes(header.toLowerCase());
  }

  it('lets no foreign page make its visitors send an Authorization or x-api-key header, so it cannot make them send forged tokens', () => {
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null', 'https://APP.example.com']) {
      expect({ origin, authorization: browserSends(origin, 'Authorization'), apiKey: browserSends(origin, 'X-Api-Key') }).toEqual({
        origin,
        authorization: false,
        apiKey: false,
      });
    }
    expect(browserSends('https://app.example.com', 'Authorization')).toBe(true);
  });
});

describe('corsResponseMapping (the answers SecureApi maps: preflights, non-proxy integrations)', () => {
  it('writes one allowed origin (or *) statically, with Vary: Origin and credentials when allowed, and no template', () => {
    expect(corsResponseMapping({ allowOrigins: ['https://app.example.com'], allowCredentials: true })).toEqual({
      responseParameters: {
        'method.response.header.Access-Control-Allow-Credentials': "'true'",
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'method.response.header.Vary': "'Origin'",
      },
      originTemplate: '',
    });
    expect(corsResponseMapping({ allowOrigins: ['*'] }).responseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(
      "'*'",
    );
  });

  it('checks the request Origin against several origins in the template, with or without credentials, and never writes *', () => {
    for (const allowCredentials of [false, true]) {
      const mapping = corsResponseMapping({ allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials });
      expect(mapping.responseParameters['method.response.header.Access-Control-Allow-Origin']).toBeUndefined();
      expect(mapping.responseParameters['method.response.header.Vary']).toBe("'Origin'");
      expect(mapping.responseParameters['method.response.header.Access-Control-Allow-Credentials']).toBe(
        allowCredentials ? "'true'" : undefined,
      );
      expect(mapping.originTemplate).not.toContain('*');
      const echoed = (origin: string) =>
        renderMappingTemplate(`${mapping.originTemplate}{}`, { header: { Origin: origin } }).headerOverrides['Access-Control-Allow-Origin'];
      expect(echoed('https://app.example.com')).toBe('https://app.example.com');
      expect(echoed('https://admin.example.com')).toBe('https://admin.example.com');
      expect(echoed('https://evil.example')).toBeUndefined();
    }
  });

  it('abuse: an Origin that is not exactly an allowed origin is never echoed, and cannot break out of the template', () => {
    const mapping = corsResponseMapping({ allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true });
    const hostile = [
      'https://evil.example',
      'https://app.example.com.evil.example',
      'https://APP.example.com',
      'https://app.example.com ',
      'https://app.example.com\n',
      'https://app.example.com\r\nSet-Cookie: a=b',
      'null',
      '*',
      '"https://app.example.com"',
      'https://app.example.com" || "a" == "a',
      '#set($context.responseOverride.header.Access-Control-Allow-Origin = "https://evil.example")',
      '$context.requestId',
      "$input.params().header.get('Origin')",
      '#end#set($context.responseOverride.status = 200)',
    ];
    for (const origin of hostile) {
      const rendered = renderMappingTemplate(`${mapping.originTemplate}{"ok":true}`, { header: { Origin: origin } });
      expect({ origin, rendered }).toEqual({ origin, rendered: { output: '{"ok":true}', statusOverride: undefined, headerOverrides: {} } });
    }
    expect(renderMappingTemplate(`${mapping.originTemplate}{}`, {}).headerOverrides).toEqual({});
  });
});

describe('addCorsToIntegrationResponses', () => {
  const mapped = (type: string) => ({
    type,
    responses: {
      default: {
        statusCode: '202',
        responseParameters: { 'method.response.header.X-Frame-Options': "'DENY'" },
        responseTemplates: { 'application/json': '{"messageId":"m-1"}' },
      },
      '5\\d{2}': { statusCode: '502', responseTemplates: { 'application/json': '{"error":{}}' } },
    },
  });
  const apiBody = {
    openapi: '3.0.1',
    paths: {
      '/orders': {
        post: {
          operationId: 'sendOrder',
          responses: { '202': { description: 'accepted', headers: { 'X-Frame-Options': { schema: { type: 'string' } } } } },
          'x-amazon-apigateway-integration': mapped('aws'),
        },
        get: { operationId: 'listOrders', responses: {}, 'x-amazon-apigateway-integration': mapped('mock') },
      },
      '/lambda': { get: { operationId: 'proxied', 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'arn' } } },
      '/http': { get: { operationId: 'http', 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://b.example' } } },
    },
  };

  it('puts the one allowed origin statically on every answer of aws and mock integrations, success and mapped error', () => {
    const out = addCorsToIntegrationResponses(apiBody, { allowOrigins: ['https://app.example.com'], allowCredentials: true }) as any;
    for (const method of ['post', 'get']) {
      const integration = out.paths['/orders'][method]['x-amazon-apigateway-integration'];
      for (const answer of Object.values<any>(integration.responses)) {
        expect(answer.responseParameters).toMatchObject({
          'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'method.response.header.Access-Control-Allow-Credentials': "'true'",
          'method.response.header.Vary': "'Origin'",
        });
        expect(Object.values(answer.responseTemplates)[0]).not.toContain('#');
      }
    }
    // Kept: the answer's own headers; the method responses declare every mapped header (the import requires it).
    expect(
      out.paths['/orders'].post['x-amazon-apigateway-integration'].responses.default.responseParameters[
        'method.response.header.X-Frame-Options'
      ],
    ).toBe("'DENY'");
    expect(Object.keys(out.paths['/orders'].post.responses['202'].headers)).toEqual([
      'Access-Control-Allow-Credentials',
      'Access-Control-Allow-Origin',
      'Vary',
      'X-Frame-Options',
    ]);
    expect(out.paths['/orders'].post.responses['202'].description).toBe('accepted');
    expect(Object.keys(out.paths['/orders'].get.responses).sort()).toEqual(['202', '502']);
  });

  it('leaves proxy integrations alone: their backend writes its own answer headers', () => {
    const out = addCorsToIntegrationResponses(apiBody, { allowOrigins: ['https://app.example.com'] }) as any;
    expect(out.paths['/lambda']).toEqual(apiBody.paths['/lambda']);
    expect(out.paths['/http']).toEqual(apiBody.paths['/http']);
  });

  it('echoes only an allowed Origin on every answer for several origins, keeping what the answer renders', () => {
    const out = addCorsToIntegrationResponses(apiBody, {
      allowOrigins: ['https://app.example.com', 'https://admin.example.com'],
      allowCredentials: true,
    }) as any;
    const integration = out.paths['/orders'].post['x-amazon-apigateway-integration'];
    for (const answer of Object.values<any>(integration.responses)) {
      expect(answer.responseParameters['method.response.header.Access-Control-Allow-Origin']).toBeUndefined();
      const template = answer.responseTemplates['application/json'];
      const fromApp = renderMappingTemplate(template, { header: { Origin: 'https://admin.example.com' } });
      expect(fromApp.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': 'https://admin.example.com' });
      expect(fromApp.output).toBe(answer.statusCode === '202' ? '{"messageId":"m-1"}' : '{"error":{}}');
      expect(renderMappingTemplate(template, { header: { Origin: 'https://evil.example' } }).headerOverrides).toEqual({});
    }
    expect(out.paths['/orders'].post.responses['502'].headers['Access-Control-Allow-Origin']).toEqual({ schema: { type: 'string' } });
  });
});
