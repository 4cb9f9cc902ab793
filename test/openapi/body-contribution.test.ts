import { foldContributions } from '../../lib/openapi/body-contribution';

describe('foldContributions', () => {
  it('folds every kind of contribution of several concerns into one', () => {
    const folded = foldContributions([
      { securitySchemes: { api_key: { type: 'apiKey' } }, rootExtensions: { 'x-amazon-apigateway-api-key-source': 'HEADER' } },
      undefined,
      {
        securitySchemes: { Jwt: { type: 'apiKey', 'x-amazon-apigateway-authtype': 'custom' } },
        responseHeaders: { UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer' } },
      },
      { extraPaths: { '/docs': { get: { operationId: 'docs' } } }, operationExtensions: { listPets: { 'x-a': 1 } } },
      {
        operationParameters: { listPets: [{ name: 'Authorization', in: 'header', required: false }] },
        integrationSettings: { listPets: { cacheKeyParameters: ['method.request.header.Authorization'] } },
      },
    ]);
    expect(folded).toEqual({
      securitySchemes: { api_key: { type: 'apiKey' }, Jwt: { type: 'apiKey', 'x-amazon-apigateway-authtype': 'custom' } },
      rootExtensions: { 'x-amazon-apigateway-api-key-source': 'HEADER' },
      responseHeaders: { UNAUTHORIZED: { 'WWW-Authenticate': 'Bearer' } },
      extraPaths: { '/docs': { get: { operationId: 'docs' } } },
      operationExtensions: { listPets: { 'x-a': 1 } },
      operationParameters: { listPets: [{ name: 'Authorization', in: 'header', required: false }] },
      integrationSettings: { listPets: { cacheKeyParameters: ['method.request.header.Authorization'] } },
    });
  });

  it('merges the response headers of one response type, and the methods of one path', () => {
    const folded = foldContributions([
      { responseHeaders: { UNAUTHORIZED: { A: '1' } }, extraPaths: { '/x': { get: {} } } },
      { responseHeaders: { UNAUTHORIZED: { B: '2' } }, extraPaths: { '/x': { post: {} } } },
    ]);
    expect(folded.responseHeaders).toEqual({ UNAUTHORIZED: { A: '1', B: '2' } });
    expect(folded.extraPaths).toEqual({ '/x': { get: {}, post: {} } });
  });

  it('refuses two concerns writing the same scheme, root extension, route or operation extension', () => {
    expect(() => foldContributions([{ securitySchemes: { a: {} } }, { securitySchemes: { a: {} } }])).toThrow(
      "the security scheme 'a' is contributed twice",
    );
    expect(() => foldContributions([{ rootExtensions: { 'x-a': 1 } }, { rootExtensions: { 'x-a': 2 } }])).toThrow(
      "the root extension 'x-a' is contributed twice",
    );
    expect(() => foldContributions([{ extraPaths: { '/x': { get: {} } } }, { extraPaths: { '/x': { get: {} } } }])).toThrow(
      "on the path /x the method 'get' is contributed twice",
    );
    expect(() => foldContributions([{ operationExtensions: { op: { 'x-a': 1 } } }, { operationExtensions: { op: { 'x-a': 1 } } }])).toThrow(
      "on operation 'op' the extension 'x-a' is contributed twice",
    );
  });
});
