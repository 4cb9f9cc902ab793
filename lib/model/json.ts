import { JsonObject } from './api-model';

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON Reference object: `{ "$ref": "#/..." }`. */
export function isRef(value: unknown): value is { $ref: string } {
  return isObject(value) && typeof value.$ref === 'string';
}

/** Escapes one JSON-pointer reference token (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reverses {@link escapePointer}. */
export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `base` extended by escaped reference tokens: `pointerJoin('/paths', '/pets')` is `/paths/~1pets`. */
export function pointerJoin(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => '/' + escapePointer(String(t))).join('');
}

/** Where an operation is in a document. */
export interface OperationLocation {
  readonly container: 'paths' | 'webhooks';
  /** The key under `paths` (or `webhooks`), as written. */
  readonly path: string;
  readonly method: string;
  readonly operation: JsonObject;
  /** The path item the operation is in (the `$ref` target when the path item is a reference that was followed). */
  readonly pathItem: JsonObject;
  /** JSON pointer of the path item (after following, when followed). */
  readonly pathItemPointer: string;
  /** JSON pointer of the operation object. */
  readonly pointer: string;
}

export interface ListOperationsOptions {
  /** The keys of a path item that are operations, in the order they are listed. */
  readonly methods: readonly string[];
  /** @default ['paths'] */
  readonly containers?: ReadonlyArray<'paths' | 'webhooks'>;
  /** Follows a path item that is a `$ref`. @default - a reference path item is skipped (it holds no operation itself) */
  readonly followPathItem?: (value: unknown, pointer: string) => { value: unknown; pointer: string };
}

/** Every operation of a document, in document order (`x-` keys under the containers are skipped). */
export function listOperations(document: JsonObject, options: ListOperationsOptions): OperationLocation[] {
  const found: OperationLocation[] = [];
  for (const container of options.containers ?? ['paths']) {
    const items = document[container];
    if (!isObject(items)) continue;
    for (const path of Object.keys(items)) {
      if (path.startsWith('x-')) continue;
      const at = pointerJoin(`/${container}`, path);
      const followed = options.followPathItem !== undefined ? options.followPathItem(items[path], at) : { value: items[path], pointer: at };
      const pathItem = followed.value;
      if (!isObject(pathItem)) continue;
      for (const method of options.methods) {
        const operation = pathItem[method];
        if (isObject(operation)) {
          found.push({
            container,
            path,
            method,
            operation,
            pathItem,
            pathItemPointer: followed.pointer,
            pointer: pointerJoin(followed.pointer, method),
          });
        }
      }
    }
  }
  return found;
}
