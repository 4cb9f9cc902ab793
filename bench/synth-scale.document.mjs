// A realistic OpenAPI 3.0 document with exactly `operations` operations, generated deterministically
// (the same count always gives the same document) for bench/synth-scale.bench.mjs.
//
// The document is a set of resource families, six operations each, spread over eight top-level areas:
//   GET    /{area}/{things}                    list, with limit/cursor/sort query parameters
//   POST   /{area}/{things}                    create, JSON body $ref NewThing
//   GET    /{area}/{things}/{thingId}          read, with an optional If-None-Match header
//   PUT    /{area}/{things}/{thingId}          replace, JSON body $ref NewThing
//   DELETE /{area}/{things}/{thingId}          delete
//   GET    /{area}/{things}/{thingId}/events   history, with since/limit query parameters
// so a third of the operations have a JSON request body. Each family has its own schemas (NewThing,
// Thing = allOf NewThing + id/createdAt), which reference a few shared ones (Money, Address, Tag, Error).

const AREAS = ['catalog', 'sales', 'billing', 'shipping', 'support', 'identity', 'analytics', 'inventory'];
const COLLECTIONS = [
  'products',
  'orders',
  'invoices',
  'shipments',
  'tickets',
  'accounts',
  'reports',
  'warehouses',
  'customers',
  'payments',
  'returns',
  'coupons',
  'reviews',
  'carts',
  'suppliers',
  'contracts',
  'refunds',
  'subscriptions',
  'vendors',
  'carriers',
];
export const OPERATIONS_PER_FAMILY = 6;

const SHARED_SCHEMAS = {
  Money: {
    type: 'object',
    required: ['amount', 'currency'],
    additionalProperties: false,
    properties: {
      amount: { type: 'number', minimum: 0 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', example: 'EUR' },
    },
  },
  Address: {
    type: 'object',
    required: ['line1', 'city', 'country'],
    additionalProperties: false,
    properties: {
      line1: { type: 'string', minLength: 1, maxLength: 200 },
      line2: { type: 'string', maxLength: 200 },
      city: { type: 'string', minLength: 1, maxLength: 100 },
      postalCode: { type: 'string', maxLength: 16 },
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
    },
  },
  Tag: {
    type: 'object',
    required: ['key'],
    additionalProperties: false,
    properties: {
      key: { type: 'string', minLength: 1, maxLength: 64 },
      value: { type: 'string', maxLength: 256 },
    },
  },
  Error: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string' }, message: { type: 'string' } },
  },
};

/** The family `index`: its area, collection segment, entity name and id parameter. */
function family(index) {
  const round = Math.floor(index / COLLECTIONS.length);
  const collection = COLLECTIONS[index % COLLECTIONS.length] + (round === 0 ? '' : String(round + 1));
  const noun = COLLECTIONS[index % COLLECTIONS.length].replace(/s$/, '');
  const entity = noun[0].toUpperCase() + noun.slice(1) + (round === 0 ? '' : String(round + 1));
  return { area: AREAS[index % AREAS.length], collection, entity, idParam: `${noun}Id` };
}

function ref(name) {
  return { $ref: `#/components/schemas/${name}` };
}

function jsonContent(schema) {
  return { content: { 'application/json': { schema } } };
}

/** The request schema of a family; which shared schemas it uses varies with the family. */
function newEntitySchema(index, entity) {
  const properties = {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    status: { type: 'string', enum: ['draft', 'active', 'archived'] },
    quantity: { type: 'integer', minimum: 0, maximum: 100000 },
    tags: { type: 'array', maxItems: 20, items: ref('Tag') },
  };
  if (index % 2 === 0) properties.price = ref('Money');
  if (index % 3 === 0) properties.address = ref('Address');
  return { type: 'object', description: `A new ${entity}.`, required: ['name', 'status'], additionalProperties: false, properties };
}

const errorResponses = {
  400: { description: 'Invalid request', ...jsonContent(ref('Error')) },
  404: { description: 'Not found', ...jsonContent(ref('Error')) },
};

/** The six operations of family `index`, as [path, method, operation]. */
function familyOperations(index) {
  const { area, collection, entity, idParam } = family(index);
  const base = `/${area}/${collection}`;
  const item = `${base}/{${idParam}}`;
  const idParameter = { name: idParam, in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]{8,64}$' } };
  const limit = { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
  return [
    [
      base,
      'get',
      {
        operationId: `list${entity}s`,
        summary: `List ${entity} records`,
        tags: [area],
        parameters: [
          limit,
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['name', '-name', 'createdAt', '-createdAt'] } },
        ],
        responses: { 200: { description: 'A page', ...jsonContent({ type: 'array', items: ref(entity) }) }, 400: errorResponses[400] },
      },
    ],
    [
      base,
      'post',
      {
        operationId: `create${entity}`,
        summary: `Create a ${entity}`,
        tags: [area],
        requestBody: { required: true, ...jsonContent(ref(`New${entity}`)) },
        responses: { 201: { description: 'Created', ...jsonContent(ref(entity)) }, 400: errorResponses[400] },
      },
    ],
    [
      item,
      'get',
      {
        operationId: `get${entity}`,
        summary: `Read a ${entity}`,
        tags: [area],
        parameters: [idParameter, { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          200: { description: 'The record', ...jsonContent(ref(entity)) },
          304: { description: 'Not modified' },
          404: errorResponses[404],
        },
      },
    ],
    [
      item,
      'put',
      {
        operationId: `replace${entity}`,
        summary: `Replace a ${entity}`,
        tags: [area],
        parameters: [idParameter],
        requestBody: { required: true, ...jsonContent(ref(`New${entity}`)) },
        responses: { 200: { description: 'Replaced', ...jsonContent(ref(entity)) }, ...errorResponses },
      },
    ],
    [
      item,
      'delete',
      {
        operationId: `delete${entity}`,
        summary: `Delete a ${entity}`,
        tags: [area],
        parameters: [idParameter],
        responses: { 204: { description: 'Deleted' }, 404: errorResponses[404] },
      },
    ],
    [
      `${item}/events`,
      'get',
      {
        operationId: `list${entity}Events`,
        summary: `The history of a ${entity}`,
        tags: [area],
        parameters: [idParameter, { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } }, limit],
        responses: {
          200: {
            description: 'Events',
            ...jsonContent({
              type: 'array',
              items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, type: { type: 'string' } } },
            }),
          },
          404: errorResponses[404],
        },
      },
    ],
  ];
}

/** An OpenAPI 3.0.3 document with exactly `operations` operations. */
export function generateDocument(operations) {
  if (!Number.isInteger(operations) || operations < 1) throw new Error(`operations must be a positive integer, got ${operations}`);
  const paths = {};
  const schemas = { ...structuredClone(SHARED_SCHEMAS) };
  let count = 0;
  for (let index = 0; count < operations; index++) {
    const { entity } = family(index);
    for (const [path, method, operation] of familyOperations(index)) {
      if (count === operations) break;
      paths[path] ??= {};
      paths[path][method] = operation;
      count++;
    }
    schemas[`New${entity}`] = newEntitySchema(index, entity);
    schemas[entity] = {
      allOf: [
        ref(`New${entity}`),
        {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', readOnly: true }, createdAt: { type: 'string', format: 'date-time', readOnly: true } },
        },
      ],
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: `Generated API (${operations} operations)`, version: '1.0.0' },
    servers: [{ url: 'https://api.example.com/v1' }],
    paths,
    components: { schemas },
  };
}

/** Every operation of a document as { path, method, operation }, in document order. */
export function listOperations(document) {
  const out = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) out.push({ path, method, operation });
  }
  return out;
}
