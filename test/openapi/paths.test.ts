import {
  expandEnumSegments,
  MAX_ENUM_EXPANSIONS,
  planApiGatewayPaths,
  requestPathOf,
  SourceRoute,
  whyPathIsImpossible,
} from '../../lib/openapi/paths';

const route = (operationId: string, method: SourceRoute['method'], sourcePath: string): SourceRoute => ({
  operationId,
  method,
  sourcePath,
});

describe('whyPathIsImpossible', () => {
  it.each(['/', '/pets', '/pets/{id}', '/files/{proxy+}', '/v1.2/a_b-c', '/{a}/{b}'])('accepts %s', (path) => {
    expect(whyPathIsImpossible(path)).toBeUndefined();
  });

  it.each([
    '/v{version}/areas',
    '/project.{output_format}',
    '/files/{name}.json',
    '/repos/{owner}/{repo}/pulls/{index}.{diffType}',
    '/v1/{name}:cancel',
    '/stream.{container}/x',
  ])('accepts the partial segment in %s (served as a whole-segment variable)', (path) => {
    expect(whyPathIsImpossible(path)).toBeUndefined();
  });

  it.each([
    [
      '/certificates(thumbprintAlgorithm={a},thumbprint={t})',
      "the segment 'certificates(thumbprintAlgorithm={a},thumbprint={t})' mixes a path parameter with other text; API Gateway parameters must cover a whole segment",
    ],
    [
      '/files/{name+}.json',
      "the segment '{name+}.json' mixes a path parameter with other text; API Gateway parameters must cover a whole segment",
    ],
    ['/rateplans/$count', "the segment '$count' contains '$'; API Gateway path parts may contain only a-z, A-Z, 0-9, '.', '_' and '-'"],
    ['/webhooks/feed/:token', "the segment ':token' contains ':'; API Gateway path parts may contain only a-z, A-Z, 0-9, '.', '_' and '-'"],
    ['/search?q={q}', "its path variable {q} stands after '?', which is not part of a request path"],
    ['/tags#{key}', "its path variable {key} stands after '#', which is not part of a request path"],
    ['/a:b#frag', "the segment 'a:b' contains ':'; API Gateway path parts may contain only a-z, A-Z, 0-9, '.', '_' and '-'"],
    ['/a b', "the segment 'a b' contains ' '; API Gateway path parts may contain only a-z, A-Z, 0-9, '.', '_' and '-'"],
  ])('still rejects %s', (path, reason) => {
    expect(whyPathIsImpossible(path)).toBe(reason);
  });

  it.each(['/#X-Amz-Target=Acm.List', '/assetservers#name', '/tags/{resourceArn}#tagKeys', '/search?q', '/?Action=List&Version=1'])(
    'accepts %s: a fragment or query string is not part of the request path',
    (path) => {
      expect(whyPathIsImpossible(path)).toBeUndefined();
    },
  );

  it('rejects a Google-style custom method on a literal segment', () => {
    expect(whyPathIsImpossible('/v1/things:batchGet')).toMatch(/contains ':'/);
  });

  it('rejects an empty segment and a greedy variable before the end', () => {
    expect(whyPathIsImpossible('/a//b')).toBe('it has an empty segment (//)');
    expect(whyPathIsImpossible('/{proxy+}/x')).toBe("the greedy variable '{proxy+}' is not the last segment");
  });
});

describe('planApiGatewayPaths', () => {
  it('keeps paths that API Gateway serves as they are', () => {
    const plan = planApiGatewayPaths([route('a', 'get', '/pets'), route('b', 'get', '/pets/{id}')], 'api.yaml');
    expect(plan.paths.get('/pets/{id}')).toEqual({ path: '/pets/{id}', renamedVariables: {} });
    expect(plan.warnings).toEqual([]);
  });

  it('lists every impossible path in one error that suggests excludeOperations', () => {
    expect(() =>
      planApiGatewayPaths(
        [route('getJson', 'get', '/posts/{id}(json)'), route('ok', 'get', '/posts'), route('custom', 'post', '/things:batchGet')],
        'api.yaml',
      ),
    ).toThrow(
      'api.yaml#/paths: 2 operation(s) have paths API Gateway cannot serve:\n' +
        "  GET /posts/{id}(json) (operationId 'getJson'): the segment '{id}(json)' mixes a path parameter with other text; API Gateway parameters must cover a whole segment\n" +
        "  POST /things:batchGet (operationId 'custom'): the segment 'things:batchGet' contains ':'; API Gateway path parts may contain only a-z, A-Z, 0-9, '.', '_' and '-'\n" +
        "Change these paths, or leave the operations out knowingly with excludeOperations: ['getJson', 'custom']",
    );
  });

  it('unifies sibling variables under the name most operations use, and says what the backend now receives', () => {
    const plan = planApiGatewayPaths(
      [route('getById', 'get', '/c/{id}'), route('putById', 'put', '/c/{id}'), route('getBySlug', 'get', '/c/{slug}/topics')],
      'api.yaml',
    );
    expect(plan.paths.get('/c/{slug}/topics')).toEqual({ path: '/c/{id}/topics', renamedVariables: { slug: 'id' } });
    expect(plan.paths.get('/c/{id}')!.path).toBe('/c/{id}');
    expect(plan.warnings).toEqual([
      {
        operationId: 'getBySlug',
        pointer: '/paths/~1c~1{slug}~1topics',
        keyword: 'path-variable-renamed',
        message:
          "operation 'getBySlug': GET /c/{slug}/topics is served as /c/{id}/topics because API Gateway requires sibling path variables to share one name; its backend receives path parameter 'slug' as 'id' (for a Lambda proxy: event.pathParameters.id)",
      },
    ]);
  });

  it('breaks a tie between variable names alphabetically, so the plan does not depend on document order', () => {
    const forward = planApiGatewayPaths([route('a', 'get', '/c/{slug}'), route('b', 'get', '/c/{id}/x')], 's');
    const backward = planApiGatewayPaths([route('b', 'get', '/c/{id}/x'), route('a', 'get', '/c/{slug}')], 's');
    expect(forward.paths.get('/c/{slug}')!.path).toBe('/c/{id}');
    expect(backward.paths.get('/c/{slug}')!.path).toBe('/c/{id}');
  });

  it('unifies nested levels one after the other', () => {
    const plan = planApiGatewayPaths(
      [
        route('a', 'get', '/s/{ServiceSid}/e/{Identity}'),
        route('b', 'get', '/s/{ServiceSid}/e/{Identity}/x'),
        route('c', 'get', '/s/{Sid}/e/{Id}/y'),
      ],
      's',
    );
    expect(plan.paths.get('/s/{Sid}/e/{Id}/y')).toEqual({
      path: '/s/{ServiceSid}/e/{Identity}/y',
      renamedVariables: { Sid: 'ServiceSid', Id: 'Identity' },
    });
  });

  it('rejects two operations that become the same method and path after unification, naming both', () => {
    expect(() => planApiGatewayPaths([route('byId', 'get', '/c/{id}'), route('bySlug', 'get', '/c/{slug}')], 'api.yaml')).toThrow(
      'api.yaml#/paths: operations collide on API Gateway after unifying path variable names and trailing slashes:\n' +
        "  'byId' (GET /c/{id}) and 'bySlug' (GET /c/{slug}) both become GET /c/{id}\n" +
        "API Gateway serves one operation per method and path: merge them, or leave one out knowingly (to keep the first of each: excludeOperations: ['bySlug'])",
    );
  });

  it('rejects a greedy and a plain variable side by side', () => {
    expect(() => planApiGatewayPaths([route('a', 'get', '/f/{proxy+}'), route('b', 'get', '/f/{id}')], 'api.yaml')).toThrow(
      "api.yaml#/paths: paths '/f/{proxy+}', '/f/{id}' put a greedy {name+} and a plain {name} variable side by side under '/f'",
    );
  });

  it('names both operations when distinct names still land on one route after unification', () => {
    expect(() =>
      planApiGatewayPaths(
        [route('a', 'get', '/a/{id}/b/{x}'), route('b', 'put', '/a/{id}/c'), route('c', 'get', '/a/{x}/b/{id}')],
        'api.yaml',
      ),
    ).toThrow("'a' (GET /a/{id}/b/{x}) and 'c' (GET /a/{x}/b/{id}) both become GET /a/{id}/b/{id2}");
  });

  it('serves a path with a trailing slash without it, with a warning', () => {
    const plan = planApiGatewayPaths([route('list', 'get', '/pets/')], 's');
    expect(plan.paths.get('/pets/')!.path).toBe('/pets');
    expect(plan.warnings.map((w) => w.keyword)).toEqual(['trailing-slash']);
  });

  it('treats /pets and /pets/ as the same resource', () => {
    expect(() => planApiGatewayPaths([route('a', 'get', '/pets'), route('b', 'get', '/pets/')], 's')).toThrow(
      /'a' \(GET \/pets\) and 'b' \(GET \/pets\/\) both become GET \/pets/,
    );
  });
});

describe('requestPathOf', () => {
  it.each([
    ['/assetservers#name', '/assetservers'],
    ['/#X-Amz-Target=Acm.List', '/'],
    ['/tags/{resourceArn}#tagKeys', '/tags/{resourceArn}'],
    ['/search?q', '/search'],
    ['/?Action=List', '/'],
    ['/a#b?c', '/a'],
    ['/a?b#c', '/a'],
    ['/pets/{id}', '/pets/{id}'],
  ])('%s is requested as %s', (documentPath, requested) => {
    expect(requestPathOf(documentPath)).toBe(requested);
  });
});

describe('planApiGatewayPaths: fragments and query strings in path keys', () => {
  it('serves /assetservers#name at /assetservers, with a warning that the backend must check what the suffix stood for', () => {
    const plan = planApiGatewayPaths([route('getByName', 'get', '/assetservers#name')], 'doc.yaml');
    expect(plan.paths.get('/assetservers#name')?.path).toBe('/assetservers');
    const warning = plan.warnings.find((w) => w.keyword === 'path-suffix-not-routed');
    expect(warning).toMatchObject({ operationId: 'getByName', pointer: '/paths/~1assetservers#name' });
    expect(warning?.message).toMatch(/served as \/assetservers: '#name' is not part of the path a client requests/);
  });

  it('rejects operations that differ only by a fragment (an AWS-style X-Amz-Target document), naming both', () => {
    expect(() =>
      planApiGatewayPaths(
        [route('listCertificates', 'post', '/#X-Amz-Target=Acm.List'), route('deleteCertificate', 'post', '/#X-Amz-Target=Acm.Delete')],
        'doc.yaml',
      ),
    ).toThrow(
      /'listCertificates' \(POST \/#X-Amz-Target=Acm.List\) and 'deleteCertificate' \(POST \/#X-Amz-Target=Acm.Delete\) both become POST \//,
    );
  });

  it('serves different methods on the same fragment-free path side by side', () => {
    const plan = planApiGatewayPaths([route('get', 'get', '/tags/{arn}#tagKeys'), route('put', 'put', '/tags/{arn}')], 'doc.yaml');
    expect(plan.paths.get('/tags/{arn}#tagKeys')?.path).toBe('/tags/{arn}');
    expect(plan.paths.get('/tags/{arn}')?.path).toBe('/tags/{arn}');
  });

  it('unifies a variable before a fragment with its siblings', () => {
    const plan = planApiGatewayPaths(
      [route('a', 'get', '/tags/{resourceArn}#tagKeys'), route('b', 'put', '/tags/{arn}'), route('c', 'post', '/tags/{arn}')],
      'doc.yaml',
    );
    expect(plan.paths.get('/tags/{resourceArn}#tagKeys')?.path).toBe('/tags/{arn}');
  });
});

describe('planApiGatewayPaths: partial-segment parameters', () => {
  it('serves v{version}, {id}.json and {name}:cancel as whole-segment variables, warning that the backend must check the literal text', () => {
    const plan = planApiGatewayPaths(
      [
        route('listAreas', 'get', '/v{version}/areas'),
        route('getFile', 'get', '/files/{name}.json'),
        route('cancel', 'post', '/v1/{name}:cancel'),
        route('diff', 'get', '/pulls/{index}.{diffType}'),
      ],
      'api.yaml',
    );
    expect([...plan.paths.entries()].map(([from, p]) => [from, p.path])).toEqual([
      ['/v{version}/areas', '/{version}/areas'],
      ['/files/{name}.json', '/files/{name}'],
      ['/v1/{name}:cancel', '/v1/{name}'],
      ['/pulls/{index}.{diffType}', '/pulls/{index}'],
    ]);
    expect(plan.warnings.filter((w) => w.keyword === 'partial-segment').map((w) => w.message)).toEqual([
      "operation 'listAreas': GET /v{version}/areas is served as /{version}/areas ('v{version}' as {version}): API Gateway matches whole segments only, so it passes any value of such a segment, whole, to the backend (for 'v{version}' the path parameter holds the literal text too); the backend must check the literal text and split the value",
      "operation 'getFile': GET /files/{name}.json is served as /files/{name} ('{name}.json' as {name}): API Gateway matches whole segments only, so it passes any value of such a segment, whole, to the backend (for '{name}.json' the path parameter holds the literal text too); the backend must check the literal text and split the value",
      "operation 'cancel': POST /v1/{name}:cancel is served as /v1/{name} ('{name}:cancel' as {name}): API Gateway matches whole segments only, so it passes any value of such a segment, whole, to the backend (for '{name}:cancel' the path parameter holds the literal text too); the backend must check the literal text and split the value",
      "operation 'diff': GET /pulls/{index}.{diffType} is served as /pulls/{index} ('{index}.{diffType}' as {index}): API Gateway matches whole segments only, so it passes any value of such a segment, whole, to the backend (for '{index}.{diffType}' the path parameter holds the literal text too); the backend must check the literal text and split the value",
    ]);
  });

  it('keeps two operations that land on the same route an error naming both', () => {
    expect(() =>
      planApiGatewayPaths([route('getJson', 'get', '/files/{name}.json'), route('getXml', 'get', '/files/{name}.xml')], 'api.yaml'),
    ).toThrow("'getJson' (GET /files/{name}.json) and 'getXml' (GET /files/{name}.xml) both become GET /files/{name}");
  });
});

describe('planApiGatewayPaths: unique variable names after sibling unification', () => {
  it('gives a deeper variable a distinct name instead of repeating one, and names the original and the new name', () => {
    const plan = planApiGatewayPaths(
      [route('getPrefs', 'get', '/prefs/{repository}/{property}'), route('getPref', 'get', '/prefs/{property}')],
      'api.yaml',
    );
    expect(plan.paths.get('/prefs/{repository}/{property}')).toEqual({
      path: '/prefs/{property}/{property2}',
      renamedVariables: { repository: 'property', property: 'property2' },
    });
    expect(plan.paths.get('/prefs/{property}')).toEqual({ path: '/prefs/{property}', renamedVariables: {} });
    expect(plan.warnings.map((w) => w.message)).toEqual([
      "operation 'getPrefs': GET /prefs/{repository}/{property} is served as /prefs/{property}/{property2} because API Gateway requires sibling path variables to share one name; its backend receives path parameter 'repository' as 'property' (for a Lambda proxy: event.pathParameters.property), 'property' as 'property2' (for a Lambda proxy: event.pathParameters.property2)",
    ]);
  });

  it('still rejects a document path that repeats a variable itself', () => {
    expect(() => planApiGatewayPaths([route('a', 'get', '/a/{id}/b/{id}')], 'api.yaml')).toThrow(
      "GET /a/{id}/b/{id} (operationId 'a'): it uses the variable {id} twice",
    );
  });
});

describe('expandEnumSegments', () => {
  it('expands an enum-valued partial segment into one literal path per value, keeping the literal text', () => {
    expect(expandEnumSegments('/v{version}/areas', { version: ['1', '2'] })).toEqual([
      { path: '/v1/areas', values: { version: '1' } },
      { path: '/v2/areas', values: { version: '2' } },
    ]);
    expect(expandEnumSegments('/project.{format}/{id}', { format: ['json', 'xml'] })).toEqual([
      { path: '/project.json/{id}', values: { format: 'json' } },
      { path: '/project.xml/{id}', values: { format: 'xml' } },
    ]);
  });

  it('expands a segment of several enum-valued variables, and several segments, as their product', () => {
    expect(expandEnumSegments('/v{major}.{minor}/items', { major: ['1', '2'], minor: ['0'] })!.map((e) => e.path)).toEqual([
      '/v1.0/items',
      '/v2.0/items',
    ]);
    expect(expandEnumSegments('/v{v}/x/{f}.json', { v: ['1', '2'], f: ['a', 'b'] })!.map((e) => e.path)).toEqual([
      '/v1/x/a.json',
      '/v1/x/b.json',
      '/v2/x/a.json',
      '/v2/x/b.json',
    ]);
  });

  it('keeps a trailing slash, and lists a repeated enum value once', () => {
    expect(expandEnumSegments('/v{version}/', { version: ['1', '1'] })).toEqual([{ path: '/v1/', values: { version: '1' } }]);
  });

  it('does not expand whole-segment variables, partial segments without an enum, or partly enum-valued segments', () => {
    expect(expandEnumSegments('/{version}/areas', { version: ['1', '2'] })).toBeUndefined();
    expect(expandEnumSegments('/files/{name}.json', {})).toBeUndefined();
    expect(expandEnumSegments('/repos/{index}.{diffType}', { diffType: ['diff', 'patch'] })).toBeUndefined();
  });

  it('leaves the segment a variable when a value holds a character API Gateway does not allow in a path part', () => {
    expect(expandEnumSegments('/v{version}/areas', { version: ['1', '2 beta'] })).toBeUndefined();
    expect(expandEnumSegments('/v{version}/areas', { version: ['1', '../admin'] })).toBeUndefined();
  });

  it(`leaves the segment a variable beyond ${MAX_ENUM_EXPANSIONS} paths`, () => {
    const values = Array.from({ length: MAX_ENUM_EXPANSIONS + 1 }, (_, i) => String(i));
    expect(expandEnumSegments('/v{version}/areas', { version: values })).toBeUndefined();
    expect(expandEnumSegments('/v{version}/areas', { version: values.slice(1) })).toHaveLength(MAX_ENUM_EXPANSIONS);
  });
});
