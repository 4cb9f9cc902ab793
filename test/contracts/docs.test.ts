import {
  buildContentSecurityPolicy,
  DOCS_BASE_MARKER,
  DOCS_DOCUMENT_FILE,
  DOCS_ENV,
  DOCS_INDEX_FILE,
  deployValuePlaceholder,
  withPublicServer,
} from '../../contracts/docs';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('buildContentSecurityPolicy', () => {
  it('denies by default and allows only this origin for scripts, styles, fonts and connections', () => {
    const csp = directives(buildContentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('font-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('allows no inline or evaluated script, no framing, no plugins, no <base>, no form posts', () => {
    const text = buildContentSecurityPolicy(['https://auth.example.com']);
    expect(text).not.toContain('unsafe-inline');
    expect(text).not.toContain('unsafe-eval');
    const csp = directives(text);
    for (const name of ['frame-ancestors', 'object-src', 'base-uri', 'form-action']) expect(csp.get(name)).toEqual(["'none'"]);
  });

  it('adds connect sources to connect-src only', () => {
    const csp = directives(buildContentSecurityPolicy(['https://api.example.com', 'https://auth.example.com/oauth2/token']));
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://api.example.com', 'https://auth.example.com/oauth2/token']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('is one header value without line breaks', () => {
    expect(buildContentSecurityPolicy(['https://a.example.com'])).not.toMatch(/[\r\n]/);
  });
});

describe('deployValuePlaceholder', () => {
  it('gives each index its own placeholder, none a prefix of another', () => {
    const placeholders = Array.from({ length: 12 }, (_, i) => deployValuePlaceholder(i));
    expect(new Set(placeholders).size).toBe(12);
    for (const a of placeholders) for (const b of placeholders) if (a !== b) expect(b.includes(a)).toBe(false);
  });
});

describe('withPublicServer', () => {
  it('replaces every OpenAPI 3 server with the public URL, without a trailing slash', () => {
    const document = { openapi: '3.0.3', servers: [{ url: 'http://localhost:8080' }, { url: 'https://internal.corp/api' }] };
    expect(withPublicServer(document, 'https://api.example.com/v1/')).toEqual({
      openapi: '3.0.3',
      servers: [{ url: 'https://api.example.com/v1' }],
    });
  });

  it('adds the server to an OpenAPI 3 document that had none', () => {
    expect(withPublicServer({ openapi: '3.1.0' }, 'https://api.example.com')).toEqual({
      openapi: '3.1.0',
      servers: [{ url: 'https://api.example.com' }],
    });
  });

  it('writes host, basePath and schemes for Swagger 2.0', () => {
    const document = { swagger: '2.0', host: 'localhost:8080', basePath: '/internal', schemes: ['http', 'https'] };
    expect(withPublicServer(document, 'https://api.example.com/v1/')).toEqual({
      swagger: '2.0',
      host: 'api.example.com',
      basePath: '/v1',
      schemes: ['https'],
    });
  });

  it('writes the root as basePath / for Swagger 2.0, and keeps a port in the host', () => {
    expect(withPublicServer({ swagger: '2.0' }, 'https://api.example.com:8443')).toMatchObject({
      host: 'api.example.com:8443',
      basePath: '/',
    });
    expect(withPublicServer({ swagger: '2.0' }, 'https://api.example.com//')).toMatchObject({ basePath: '/' });
  });

  it('leaves the given document unchanged', () => {
    const document = { openapi: '3.0.3', servers: [{ url: 'http://localhost' }] };
    withPublicServer(document, 'https://api.example.com');
    expect(document.servers).toEqual([{ url: 'http://localhost' }]);
  });
});

describe('names', () => {
  it('uses distinct SECUREAPI_ environment variables', () => {
    const names = Object.values(DOCS_ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^SECUREAPI_DOCS_[A-Z_]+$/);
  });

  it('names plain files and a marker that cannot occur in a URL path', () => {
    for (const file of [DOCS_DOCUMENT_FILE, DOCS_INDEX_FILE]) expect(file).toMatch(/^[a-z]+\.[a-z]+$/);
    expect(DOCS_BASE_MARKER).toMatch(/^%[A-Z_]+%$/);
  });
});
