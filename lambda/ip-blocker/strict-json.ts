/**
 * JSON.parse keeps the last of two equal keys, so a log line in which an attacker-controlled value
 * breaks out of its string (`x","sourceIp":"<victim>`) would choose the address that is blocked.
 * The blocker therefore refuses every line with a duplicate key, at any depth.
 */

/** Whether `text`, which must be valid JSON, has an object with two members of the same name. */
export function hasDuplicateKeys(text: string): boolean {
  // One entry a nesting level: the names seen in an object, or null for an array.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const names = stack[stack.length - 1];
      if (names && expectKey) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (names.has(name)) return true;
        names.add(name);
        expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0;
    }
  }
  return false;
}

/** The JSON object in `text`, or why it cannot be used: not JSON, not an object, or a duplicate key. */
export function parseStrictObject(
  text: string,
): { readonly value: { [key: string]: unknown } } | { readonly problem: 'not-json' | 'duplicate-key' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not-json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'not-json' };
  if (hasDuplicateKeys(text)) return { problem: 'duplicate-key' };
  return { value: value as { [key: string]: unknown } };
}
