/** A scan of synthesized templates and snapshots for API key values. */

/**
 * Strings in a template that could be key material: a run of 20+ key-alphabet characters holding a
 * segment (between `-`, `_`, `.`, `/`, `:`) of 8+ characters that mixes lower case, upper case and
 * digits, the way random key values do, unless it is a logical id or a CDK name with an 8-hex hash
 * (`TestApi17E32BCB`). Hex asset hashes and words never mix all three classes.
 */
export function findKeyMaterial(template: unknown): string[] {
  // Names are never key values: logical ids of a template object, or every "name": key of a snapshot's text.
  const logicalIds =
    typeof template === 'string'
      ? new Set([...template.matchAll(/"([A-Za-z0-9]+)":/g)].map((m) => m[1]))
      : new Set(Object.keys((template as { Resources?: object }).Resources ?? {}));
  const suspicious: string[] = [];
  const looksRandom = (segment: string) =>
    segment.length >= 8 &&
    /[a-z]/.test(segment) &&
    /[A-Z]/.test(segment) &&
    /[0-9]/.test(segment) &&
    !/^[A-Za-z]+[0-9A-F]{8}$/.test(segment);
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const token of value.match(/[A-Za-z0-9_+/=.:-]{20,}/g) ?? []) {
        if (logicalIds.has(token)) continue;
        if (token.split(/[-_./:+=]/).some(looksRandom)) suspicious.push(token);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(template);
  return suspicious;
}
