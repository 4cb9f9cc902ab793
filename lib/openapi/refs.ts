import { isObject, isRef, JsonObject, OpenApiError } from '../model';

/**
 * Internal `$ref` resolution on demand. Documents are never dereferenced as a whole: that is
 * what makes large documents slow and circular ones impossible. Each pass follows a reference
 * only where it needs the target, and keeps the pointer so errors and model names can say where
 * a schema came from.
 */
export class RefResolver {
  constructor(
    private readonly document: JsonObject,
    private readonly source: string,
  ) {}

  /** The value at a JSON pointer (`/components/schemas/Pet`), or an error naming the pointer. */
  get(pointer: string, referencedFrom?: string): unknown {
    let current: unknown = this.document;
    if (pointer === '') return current;
    if (!pointer.startsWith('/')) {
      throw new OpenApiError(`invalid JSON pointer '${pointer}'`, this.source, referencedFrom);
    }
    for (const raw of pointer.slice(1).split('/')) {
      const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (
        current === null ||
        typeof current !== 'object' ||
        !Object.prototype.hasOwnProperty.call(current, token) ||
        (Array.isArray(current) && !/^(0|[1-9][0-9]*)$/.test(token))
      ) {
        throw new OpenApiError(`$ref '#${pointer}' points to nothing`, this.source, referencedFrom);
      }
      current = (current as JsonObject)[token];
    }
    return current;
  }

  /** The JSON pointer an internal `$ref` names; external references are not supported. */
  pointerOf(ref: string, referencedFrom?: string): string {
    if (!ref.startsWith('#')) {
      throw new OpenApiError(
        `external $ref '${ref}' is not supported; bundle the document into one file first (for example with 'npx @redocly/cli bundle')`,
        this.source,
        referencedFrom,
      );
    }
    try {
      return decodeURIComponent(ref.slice(1));
    } catch {
      throw new OpenApiError(`$ref '${ref}' is not a valid URI fragment`, this.source, referencedFrom);
    }
  }

  /**
   * Follows `$ref`s until a value without one, returning it and the pointer it lives at.
   * A chain that loops back on itself (`A -> B -> A` with nothing else) is an error.
   */
  follow(value: unknown, pointer: string): { value: unknown; pointer: string } {
    const seen = new Set<string>();
    let current = value;
    let at = pointer;
    while (isRef(current)) {
      const target = this.pointerOf(current.$ref, at);
      if (seen.has(target)) {
        throw new OpenApiError(
          `$ref chain loops without reaching a value (${[...seen, target].map((p) => '#' + p).join(' -> ')})`,
          this.source,
          at,
        );
      }
      seen.add(target);
      current = this.get(target, at);
      at = target;
    }
    return { value: current, pointer: at };
  }
}

/**
 * A copy of the path item a `$ref` (at `pointer`) names, references followed as analysis follows them,
 * keeping the reference's own `summary`, `description` and extensions, which apply to its path.
 */
export function inlinedPathItem(reference: JsonObject, pointer: string, resolver: RefResolver): JsonObject {
  const target = resolver.follow(reference, pointer).value;
  const annotations = Object.fromEntries(
    Object.entries(reference).filter(([key]) => key === 'summary' || key === 'description' || key.startsWith('x-')),
  );
  return { ...(isObject(target) ? structuredClone(target) : {}), ...annotations };
}
