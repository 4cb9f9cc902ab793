/**
 * Real-shaped documents written for these tests (not copied from any API): each reproduces a pattern
 * measured on public API directories (issue 15). Documents are built by functions so each test gets its own copy.
 */

const ok = { '200': { description: 'OK' } };
const str = { type: 'string' };

/** A code-forge API (Gitea-like shape) where some operations have no operationId. */
export function forgeDocument(): Record<string, any> {
  const owner = { name: 'owner', in: 'path', required: true, schema: str };
  const repo = { name: 'repo', in: 'path', required: true, schema: str };
  return {
    openapi: '3.0.3',
    info: { title: 'Forge', version: '1.21' },
    paths: {
      '/repos/{owner}/{repo}': {
        parameters: [owner, repo],
        get: { summary: 'Get a repository', responses: ok },
        delete: { operationId: 'repoDelete', responses: { '204': { description: 'Deleted' } } },
      },
      '/repos/{owner}/{repo}/issues': {
        parameters: [owner, repo],
        get: {
          summary: 'List issues',
          parameters: [
            { name: 'state', in: 'query', schema: { type: 'string', enum: ['open', 'closed', 'all'] } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: ok,
        },
        post: {
          summary: 'Create an issue',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['title'],
                  properties: { title: str, due_date: { type: 'string', format: 'date-time' } },
                },
              },
            },
          },
          responses: { '201': { description: 'Created' } },
        },
      },
      '/user/login': { post: { summary: 'Log in', responses: ok } },
    },
  };
}

/**
 * A large commerce API (346 operations, the size of the document that gave 1,619 warnings): every
 * operation has typed query and path parameters, and every write has a body with formats and patterns.
 */
export function largeCommerceDocument(resources = 69): Record<string, any> {
  const paths: Record<string, any> = {};
  const entity = (name: string) => ({
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', maxLength: 200 },
      created: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email' },
      amount: { type: 'integer', minimum: 0 },
      currency: { type: 'string', pattern: '^[a-z]{3}$' },
      metadata: { type: 'object', additionalProperties: { type: 'string' } },
      kind: { type: 'string', enum: [name, 'other'] },
    },
  });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]+_[A-Za-z0-9]+$' } };
  for (let i = 0; i < resources; i++) {
    const r = `resource${i}`;
    const schema = entity(r);
    paths[`/v1/${r}s`] = {
      get: {
        operationId: `list${i}`,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'starting_after', in: 'query', schema: { type: 'string', maxLength: 5000 } },
          { name: 'created', in: 'query', schema: { type: 'string', format: 'date-time' } },
        ],
        responses: ok,
      },
      post: { operationId: `create${i}`, requestBody: { required: true, content: { 'application/json': { schema } } }, responses: ok },
    };
    paths[`/v1/${r}s/{id}`] = {
      parameters: [id],
      get: {
        operationId: `retrieve${i}`,
        parameters: [{ name: 'expand', in: 'query', schema: { type: 'array', items: str } }],
        responses: ok,
      },
      post: {
        operationId: `update${i}`,
        requestBody: { content: { 'application/json': { schema }, 'application/x-www-form-urlencoded': { schema } } },
        responses: ok,
      },
      delete: { operationId: `delete${i}`, responses: ok },
    };
  }
  paths['/v1/health'] = { get: { operationId: 'health', responses: ok } };
  return { openapi: '3.0.3', info: { title: 'Commerce', version: '2024-06-20' }, paths };
}
