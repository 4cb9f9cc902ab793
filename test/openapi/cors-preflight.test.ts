import { addCorsPreflight, validateCors } from '../../lib/openapi/cors-preflight';

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
    expect(validateCors({ allowOrigins: ['*'] }, 'Api')).toEqual(["SecureApi 'Api': cors.allowOrigins is '*': any web site may call the API from a browser"]);
  });
  it('rejects an empty list, paths, wildcards in hosts and plain http origins', () => {
    expect(() => validateCors({ allowOrigins: [] }, 'Api')).toThrow('cors.allowOrigins must list at least one origin');
    expect(() => validateCors({ allowOrigins: ['https://app.example.com/path'] }, 'Api')).toThrow("'https://app.example.com/path' is not an origin");
    expect(() => validateCors({ allowOrigins: ['https://*.example.com'] }, 'Api')).toThrow('is not an origin');
    expect(() => validateCors({ allowOrigins: ['http://app.example.com'] }, 'Api')).toThrow('uses http://');
    expect(validateCors({ allowOrigins: ['http://localhost:3000'] }, 'Api')).toEqual([]);
  });
  it('rejects a max age outside 0..7200', () => {
    expect(() => validateCors({ allowOrigins: ['https://a.example.com'], maxAgeSeconds: 99999 }, 'Api')).toThrow('maxAgeSeconds must be a whole number from 0 to 7200, got 99999');
  });
});

describe('addCorsPreflight', () => {
  const result = addCorsPreflight(body, { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true }) as any;

  it('adds an OPTIONS mock method listing the path methods', () => {
    const preflight = result.paths['/pets'].options['x-amazon-apigateway-integration'];
    expect(preflight.type).toBe('mock');
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Methods']).toBe("'GET,POST,OPTIONS'");
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Credentials']).toBe("'true'");
    expect(result.paths['/pets/{id}'].options).toBeDefined();
    expect(result.paths['/pets'].get).toEqual(body.paths['/pets'].get);
  });

  it('echoes only allow-listed origins and never answers * to a credentialed request', () => {
    const template: string = result.paths['/pets'].options['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'];
    expect(template).toContain('$origin == "https://app.example.com" || $origin == "https://admin.example.com"');
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

  /** The Access-Control-Allow-Origin the mock integration's template sets for a request from `origin`. */
  function allowOriginFor(origin: string): string | undefined {
    const template: string = preflight.responses.default.responseTemplates['application/json'];
    const condition = /#if\((.*)\)#set/.exec(template)![1];
    const allowed = [...condition.matchAll(/\$origin == "([^"]*)"/g)].map((m) => m[1]);
    expect(condition).toBe(allowed.map((o) => `$origin == "${o}"`).join(' || '));
    return allowed.includes(origin) ? origin : undefined;
  }

  /** Whether a browser on `origin` sends a cross-site request carrying `header`. */
  function browserSends(origin: string, header: string): boolean {
    const allowHeaders = preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Headers'].slice(1, -1).toLowerCase().split(',');
    return allowOriginFor(origin) === origin && allowHeaders.includes(header.toLowerCase());
  }

  it('lets no foreign page make its visitors send an Authorization or x-api-key header, so it cannot make them send forged tokens', () => {
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null', 'https://APP.example.com']) {
      expect({ origin, authorization: browserSends(origin, 'Authorization'), apiKey: browserSends(origin, 'X-Api-Key') }).toEqual({ origin, authorization: false, apiKey: false });
    }
    expect(browserSends('https://app.example.com', 'Authorization')).toBe(true);
  });
});
