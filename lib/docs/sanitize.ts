import { withPublicServer } from '../../contracts/docs';
import { escapePointer, HTTP_METHODS, isObject, JsonObject, listOperations, OperationLocation, unescapePointer } from '../model';
import { DeployedSecurity, applyDeployedSecurity } from './deployed-security';
import { SecureApiConfigError } from '../model/config-error';

/**
 * Extensions never published, whatever `publishedExtensions` says: they describe the deployment rather
 * than the API. API Gateway's carry integration URIs, Lambda and role ARNs, resource policies and VPC
 * endpoint ids; ours carry limits and markers.
 */
export const ALWAYS_DENIED_EXTENSIONS: readonly string[] = ['x-amazon-apigateway-*', 'x-secureapi-*', 'x-internal'];

/**
 * The extensions published by default: only those that documentation tools render and that describe
 * the API to its readers. Every other `x-` extension is stripped, because an unknown extension is as
 * likely to be backend configuration (controller names, backend addresses, gateway policies) as docs.
 */
export const DEFAULT_PUBLISHED_EXTENSIONS: readonly string[] = [
  'x-logo',
  'x-tagGroups',
  'x-displayName',
  'x-codeSamples',
  'x-code-samples',
  'x-nullable',
  'x-enum-varnames',
  'x-enum-descriptions',
];

export interface SanitizeOptions {
  /**
   * operationIds to leave out of the public document, in addition to operations marked `x-internal: true`.
   * Each must name an operation of the document.
   */
  readonly internalOperations?: string[];
  /**
   * The extensions to publish (an allow-list), exact (`x-logo`) or as a prefix ending in `*` (`x-acme-docs-*`).
   * Every other extension is stripped; {@link ALWAYS_DENIED_EXTENSIONS} are stripped even when listed.
   * @default DEFAULT_PUBLISHED_EXTENSIONS
   */
  readonly publishedExtensions?: readonly string[];
  /**
   * The API's public URL. It replaces every server entry.
   * @default - server entries are removed; the serving layer writes the URL the document was fetched from
   */
  readonly publicUrl?: string;
  /**
   * The security as deployed: it replaces the document's security schemes and each operation's requirements.
   * @default - the document's own security is kept
   */
  readonly deployedSecurity?: DeployedSecurity;
}

export interface SanitizeResult {
  /** The public document. The input is not modified. */
  readonly document: JsonObject;
  /** The operations left out, as `METHOD path (operationId)`, sorted. */
  readonly removedOperations: string[];
  /** JSON pointers of the components and tags left out because only removed operations used them, sorted. */
  readonly removedDefinitions: string[];
  /** JSON pointers (in the input document) of every extension stripped. */
  readonly strippedExtensions: string[];
  /**
   * JSON pointers (in the input document) of the elements other than operations removed because they are
   * marked `x-internal: true` or reference a definition that is (as pointers at the time of removal), sorted.
   */
  readonly removedInternalElements: string[];
}

/** A method key of a path item that API Gateway accepts besides the OpenAPI methods: it is an operation too. */
const API_GATEWAY_ANY_METHOD = 'x-amazon-apigateway-any-method';

/**
 * Produces the public version of an OpenAPI document (2.0, 3.0 or 3.1, as written by the user):
 * internal operations, every other element marked `x-internal: true` (parameters, schemas, properties,
 * request bodies, responses, headers, tags, security schemes ...) and what only they use are removed,
 * extensions are published from an allow-list,
 * servers are replaced by the public URL, and the security schemes are those deployed.
 * Pure: it never reads anything but its arguments.
 */
export function sanitizeDocument(input: JsonObject, options: SanitizeOptions = {}): SanitizeResult {
  const original = structuredClone(input);
  const document = structuredClone(input);
  const isPublished = extensionMatcher(options.publishedExtensions ?? DEFAULT_PUBLISHED_EXTENSIONS);
  const isAlwaysDenied = extensionMatcher(ALWAYS_DENIED_EXTENSIONS);
  const isDenied = (name: string) => name.toLowerCase().startsWith('x-') && (isAlwaysDenied(name) || !isPublished(name));

  const removedOperations = removeInternalOperations(document, new Set(options.internalOperations ?? []));
  const removedInternalElements = removeInternalElements(document);
  const removedDefinitions = [...removeUnreachableDefinitions(original, document), ...removeUnusedTags(original, document)].sort();
  const strippedExtensions: string[] = [];
  stripExtensions(document, '', false, isDenied, strippedExtensions, isAlwaysDenied);

  let result = removeServers(document);
  if (options.publicUrl !== undefined) result = withPublicServer(result, options.publicUrl);
  if (options.deployedSecurity !== undefined) result = applyDeployedSecurity(result, options.deployedSecurity);
  return { document: result, removedOperations, removedDefinitions, strippedExtensions, removedInternalElements };
}

/** The keys of a path item that a reader of the docs sees as operations (API Gateway's catch-all included, to remove it). */
const DOCUMENTED_METHODS: readonly string[] = [...HTTP_METHODS, 'trace', API_GATEWAY_ANY_METHOD];

/** Every operation of a user's document (paths and webhooks), with where it is. */
export function documentedOperations(document: JsonObject): OperationLocation[] {
  return listOperations(document, { methods: DOCUMENTED_METHODS, containers: ['paths', 'webhooks'] });
}

function removeInternalOperations(document: JsonObject, internalIds: Set<string>): string[] {
  const all = documentedOperations(document);
  const known = new Set(all.map((o) => o.operation.operationId).filter((id): id is string => typeof id === 'string'));
  const unknown = [...internalIds].filter((id) => !known.has(id)).sort();
  if (unknown.length > 0) {
    throw new SecureApiConfigError(
      '',
      'docs.internalOperations',
      `names ${unknown.map((id) => `'${id}'`).join(', ')}, which ${unknown.length === 1 ? 'is not an operationId' : 'are not operationIds'} of the document`,
    );
  }
  const removed: string[] = [];
  for (const { path, method, operation, pathItem } of all) {
    const internal =
      operation['x-internal'] === true ||
      pathItem['x-internal'] === true ||
      (typeof operation.operationId === 'string' && internalIds.has(operation.operationId)) ||
      // API Gateway's catch-all method has no OpenAPI equivalent a reader could call.
      method === API_GATEWAY_ANY_METHOD;
    if (!internal) continue;
    delete pathItem[method];
    removed.push(
      `${method === API_GATEWAY_ANY_METHOD ? 'ANY' : method.toUpperCase()} ${path}${typeof operation.operationId === 'string' ? ` (${operation.operationId})` : ''}`,
    );
  }
  for (const container of ['paths', 'webhooks'] as const) {
    const items = document[container];
    if (!isObject(items)) continue;
    for (const [path, item] of Object.entries(items)) {
      if (path.startsWith('x-') || !isObject(item)) continue;
      const hasOperation = [...HTTP_METHODS, 'trace'].some((m) => isObject(item[m]));
      // A path item that is only a $ref (to components.pathItems) stays: its operations live elsewhere.
      if (!hasOperation && item.$ref === undefined) delete items[path];
    }
  }
  return removed.sort();
}

/** Keys whose values are data (examples, defaults, enumerations), not OpenAPI elements: never walked. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-examples']);

/**
 * Removes every element marked `x-internal: true` that is not an operation or a path item (those are
 * removed with their operations): reusable definitions, parameters, schemas and schema properties,
 * request bodies, responses, headers, media types, tags, security schemes, servers. An element that
 * references a removed definition is removed too (a public property typed by an internal schema would
 * otherwise leave a dangling `$ref`), until nothing changes. A removed schema property also leaves its
 * parent's `required` list. Returns the JSON pointers removed.
 */
export function removeInternalElements(document: JsonObject): string[] {
  const removed: string[] = [];
  const removedRefs = new Set<string>();
  const isInternal = (node: unknown): boolean =>
    isObject(node) && (node['x-internal'] === true || (typeof node.$ref === 'string' && removedRefs.has(node.$ref)));

  const walk = (node: unknown, pointer: string): boolean => {
    let changed = false;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        if (isInternal(node[i])) {
          removed.push(`${pointer}/${i}`);
          node.splice(i, 1);
          changed = true;
        } else changed = walk(node[i], `${pointer}/${i}`) || changed;
      }
      return changed;
    }
    if (!isObject(node)) return false;
    for (const key of Object.keys(node)) {
      if (DATA_KEYS.has(key)) continue;
      const child = node[key];
      const childPointer = `${pointer}/${escapePointer(key)}`;
      if (key === 'properties' && isObject(child)) {
        for (const name of Object.keys(child)) {
          if (!isInternal(child[name])) continue;
          delete child[name];
          removed.push(`${childPointer}/${escapePointer(name)}`);
          if (Array.isArray(node.required)) node.required = node.required.filter((r) => r !== name);
          changed = true;
        }
      } else if (key !== 'paths' && key !== 'webhooks' && isInternal(child) && pointer !== '') {
        delete node[key];
        removed.push(childPointer);
        if (isDefinitionPointer(document, childPointer)) removedRefs.add(`#${childPointer}`);
        changed = true;
        continue;
      }
      changed = walk(child, childPointer) || changed;
    }
    if (Array.isArray(node.required) && node.required.length === 0) delete node.required;
    return changed;
  };

  // Definitions first, so that what references them goes in the same pass.
  for (const container of definitionContainers(document)) {
    const map = container.reduce<unknown>((n, k) => (isObject(n) ? n[k] : undefined), document);
    if (!isObject(map)) continue;
    for (const name of Object.keys(map)) {
      if (map[name] === undefined || !isObject(map[name]) || map[name]['x-internal'] !== true) continue;
      const pointer = '/' + [...container, name].map(escapePointer).join('/');
      delete map[name];
      removed.push(pointer);
      removedRefs.add(`#${pointer}`);
    }
  }
  const schemes = asObject(asObject(document.components)['securitySchemes'] ?? document.securityDefinitions);
  const schemeNames = Object.keys(schemes).filter((name) => isInternal(schemes[name]));
  const internalTags = new Set(
    (Array.isArray(document.tags) ? document.tags : []).filter((t) => isInternal(t)).map((t) => String((t as JsonObject).name)),
  );
  while (walk(document, '')) {
    // Each pass may remove an element that others reference: repeat until nothing changes.
  }
  // Requirements naming a removed security scheme go with it.
  if (schemeNames.length > 0) {
    const dropSchemes = (requirements: unknown) =>
      Array.isArray(requirements)
        ? requirements.filter((r) => !isObject(r) || !Object.keys(r).some((k) => schemeNames.includes(k)))
        : requirements;
    if (document.security !== undefined) document.security = dropSchemes(document.security);
    for (const { container, path, method } of documentedOperations(document)) {
      const operation = asObject(asObject(asObject(document[container])[path])[method]);
      if (operation.security !== undefined) operation.security = dropSchemes(operation.security);
    }
  }
  // Operations no longer name a removed tag.
  if (internalTags.size > 0) {
    for (const { container, path, method } of documentedOperations(document)) {
      const operation = asObject(asObject(asObject(document[container])[path])[method]);
      if (Array.isArray(operation.tags)) operation.tags = operation.tags.filter((t) => !internalTags.has(String(t)));
    }
  }
  return [...new Set(removed)].sort();
}

/** Whether a JSON pointer names a reusable definition (`/components/schemas/Pet`, `/definitions/Pet`). */
function isDefinitionPointer(document: JsonObject, pointer: string): boolean {
  const segments = pointer.split('/').slice(1).map(unescapePointer);
  return definitionContainers(document).some((c) => segments.length === c.length + 1 && c.every((k, i) => segments[i] === k));
}

/** The maps of reusable definitions, as JSON pointer prefixes, for the document's dialect. */
function definitionContainers(document: JsonObject): string[][] {
  if (typeof document.swagger === 'string') return [['definitions'], ['parameters'], ['responses']];
  const components = asObject(document.components);
  return Object.keys(components)
    .filter((k) => k !== 'securitySchemes' && !k.startsWith('x-'))
    .map((k) => ['components', k]);
}

/**
 * Removes the definitions (schemas, parameters, responses ...) that the original document's
 * operations reached and the public document's no longer reach: those only internal operations used.
 * Definitions no operation ever used are the author's to keep.
 */
function removeUnreachableDefinitions(original: JsonObject, document: JsonObject): string[] {
  const before = reachableDefinitions(original);
  const after = reachableDefinitions(document);
  const removed: string[] = [];
  for (const pointer of before) {
    if (after.has(pointer)) continue;
    const segments = pointer.split('/').slice(1).map(unescapePointer);
    const parent = segments.slice(0, -1).reduce<unknown>((node, key) => asObject(node)[key], document);
    if (isObject(parent)) {
      delete parent[segments[segments.length - 1]];
      removed.push(pointer);
    }
  }
  return removed;
}

/** JSON pointers of the definitions reachable from everything but the definition maps themselves, transitively. */
export function reachableDefinitions(document: JsonObject): Set<string> {
  const containers = definitionContainers(document);
  const containerPointers = new Set(containers.map((c) => '/' + c.map(escapePointer).join('/')));
  const definitionOf = (ref: string): string | undefined => {
    if (!ref.startsWith('#/')) return undefined;
    const segments = ref.slice(2).split('/');
    for (const container of containers) {
      if (container.every((key, i) => segments[i] === escapePointer(key)) && segments.length > container.length) {
        return '/' + segments.slice(0, container.length + 1).join('/');
      }
    }
    return undefined;
  };
  const reached = new Set<string>();
  const queue: unknown[] = [];
  const visit = (node: unknown, schemaNames: boolean): void => {
    for (const ref of collectRefs(node)) {
      const definition = definitionOf(ref);
      if (definition !== undefined && !reached.has(definition)) {
        reached.add(definition);
        queue.push(resolvePointer(document, definition));
      }
    }
    // discriminator.mapping may name a schema without a $ref.
    if (schemaNames) {
      for (const name of collectMappingNames(node)) {
        const definition =
          typeof document.swagger === 'string' ? `/definitions/${escapePointer(name)}` : `/components/schemas/${escapePointer(name)}`;
        if (!reached.has(definition) && resolvePointer(document, definition) !== undefined) {
          reached.add(definition);
          queue.push(resolvePointer(document, definition));
        }
      }
    }
  };
  // Roots: the document without its definition maps.
  for (const [key, value] of Object.entries(document)) {
    if (containerPointers.has(`/${escapePointer(key)}`)) continue;
    if (key === 'components' && isObject(value)) {
      for (const [kind, map] of Object.entries(value)) if (!containerPointers.has(`/components/${escapePointer(kind)}`)) visit(map, true);
      continue;
    }
    visit(value, true);
  }
  while (queue.length > 0) visit(queue.shift(), true);
  return reached;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, out);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else if (key === 'mapping' && isObject(value)) {
        for (const target of Object.values(value)) if (typeof target === 'string' && target.startsWith('#/')) out.push(target);
      } else collectRefs(value, out);
    }
  }
  return out;
}

function collectMappingNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) collectMappingNames(item, out);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'discriminator' && isObject(value) && isObject(value.mapping)) {
        for (const target of Object.values(value.mapping)) if (typeof target === 'string' && !target.includes('/')) out.push(target);
      }
      collectMappingNames(value, out);
    }
  }
  return out;
}

/** Removes root `tags` entries that only removed operations used. */
function removeUnusedTags(original: JsonObject, document: JsonObject): string[] {
  const tags = document.tags;
  if (!Array.isArray(tags)) return [];
  const used = (doc: JsonObject): Set<string> =>
    new Set(documentedOperations(doc).flatMap((o) => (Array.isArray(o.operation.tags) ? o.operation.tags.map(String) : [])));
  const before = used(original);
  const after = used(document);
  const removed: string[] = [];
  document.tags = tags.filter((tag, index) => {
    const name = isObject(tag) ? String(tag.name) : undefined;
    const drop = name !== undefined && before.has(name) && !after.has(name);
    if (drop) removed.push(`/tags/${index}`);
    return !drop;
  });
  return removed;
}

/**
 * Fields whose object value is a map keyed by names the author chose (property, header, media type,
 * component, scheme, scope, variable names), not by OpenAPI fields: a key there such as `X-Request-Id`
 * or `x-tenant` is a name, never an extension.
 */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'headers',
  'content',
  'encoding',
  'links',
  'callbacks',
  'variables',
  'scopes',
  'mapping',
  'schemas',
  'parameters',
  'responses',
  'requestBodies',
  'securitySchemes',
  'securityDefinitions',
  'definitions',
  'pathItems',
  'webhooks',
]);

/**
 * Strips extensions everywhere in the document: those `isDenied` names on OpenAPI objects, and in data
 * (examples, defaults, enumerations) only those `isAlwaysDenied` names, so example payloads stay as
 * written but for deployment configuration. Keys of name maps ({@link NAME_MAPS}, security
 * requirements) are names, so they are kept.
 */
function stripExtensions(
  node: unknown,
  pointer: string,
  keysAreNames: boolean,
  isDenied: (name: string) => boolean,
  stripped: string[],
  isAlwaysDenied: (name: string) => boolean = isDenied,
  inData = false,
): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => stripExtensions(item, `${pointer}/${i}`, false, isDenied, stripped, isAlwaysDenied, inData));
    return;
  }
  if (!isObject(node)) return;
  for (const key of Object.keys(node)) {
    const childPointer = `${pointer}/${escapePointer(key)}`;
    if (!keysAreNames && (inData ? isAlwaysDenied(key) : isDenied(key))) {
      delete node[key];
      stripped.push(childPointer);
      continue;
    }
    const child = node[key];
    const childInData = inData || (!keysAreNames && DATA_KEYS.has(key));
    const childKeysAreNames = !childInData && !keysAreNames && isObject(child) && NAME_MAPS.has(key);
    if (!childInData && !keysAreNames && key === 'security' && Array.isArray(child)) {
      // Security requirements are keyed by scheme names.
      child.forEach((requirement, i) =>
        stripExtensions(requirement, `${childPointer}/${i}`, true, isDenied, stripped, isAlwaysDenied, false),
      );
      continue;
    }
    stripExtensions(child, childPointer, childKeysAreNames, isDenied, stripped, isAlwaysDenied, childInData);
  }
}

/** Server entries point at the hosts the author knows (staging, localhost, internal load balancers): none is public. */
function removeServers(document: JsonObject): JsonObject {
  if (typeof document.swagger === 'string') {
    delete document.host;
    delete document.basePath;
    delete document.schemes;
    return document;
  }
  delete document.servers;
  for (const { pathItem, operation } of documentedOperations(document)) {
    delete pathItem.servers;
    delete operation.servers;
  }
  return document;
}

/** `x-kong-*` matches by prefix; anything else matches exactly. Case-insensitive, as extension names are. */
export function extensionMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    const p = pattern.toLowerCase();
    if (!p.startsWith('x-'))
      throw new SecureApiConfigError(
        '',
        'docs.publishedExtensions',
        `holds '${pattern}', which is not a vendor extension name: it must start with 'x-'`,
      );
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (name) => {
    const n = name.toLowerCase();
    return n.startsWith('x-') && (exact.has(n) || prefixes.some((p) => n.startsWith(p)));
  };
}

function resolvePointer(document: JsonObject, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map(unescapePointer)
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}
