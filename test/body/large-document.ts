/**
 * A deterministic OpenAPI 3.0 document with `operations` operations (a multiple of 3): for each
 * resource, list, create (JSON body with a shared schema) and read. `marker` goes into the info
 * version and the first operation's summary, so two documents can differ in one place.
 */
export function largeDocument(operations: number, marker = 'v1'): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations / 3; i++) {
    const name = `things${String(i).padStart(4, '0')}`;
    paths[`/${name}`] = {
      get: {
        operationId: `list${i}`,
        summary: i === 0 ? `List (${marker})` : undefined,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'string' } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'ok' } },
      },
      post: {
        operationId: `create${i}`,
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } } },
        responses: { '201': { description: 'created' } },
      },
    };
    paths[`/${name}/{thingId}`] = {
      get: {
        operationId: `read${i}`,
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Large', version: marker },
    paths,
    components: {
      schemas: {
        NewThing: {
          type: 'object',
          required: ['name', 'price'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 120 },
            price: { type: 'number', minimum: 0 },
            tags: { type: 'array', items: { type: 'string', maxLength: 40 } },
          },
        },
      },
    },
  };
}
