/**
 * Languages of execute-api method ARNs (`METHOD/path`), as finite automata over characters: an IAM
 * resource pattern (`*` any run of characters, `/` included; `?` one character), and the ARNs of every
 * request of a route. Two languages intersect when some ARN is in both. The authorizer cache proof
 * (lib/auth) and the grant scope (lib/access) both decide with these. Pure, no dependencies.
 */

/** How a path parameter's value may look in a request's method ARN: one segment, or any string (`%2F` decoded). */
export type ParameterValues = 'segment' | 'any';

/** One character of a set: any character, any but `/`, or exactly one. */
export type CharSet = { readonly kind: 'any' } | { readonly kind: 'notSlash' } | { readonly kind: 'char'; readonly c: string };

/** One position of a language: one character of a set, or (`loop`) any number of them. */
export interface LanguageItem {
  readonly set: CharSet;
  readonly loop: boolean;
}

const ANY: CharSet = { kind: 'any' };
const NOT_SLASH: CharSet = { kind: 'notSlash' };

function literal(text: string): LanguageItem[] {
  return Array.from(text, (c) => ({ set: { kind: 'char', c } as const, loop: false }));
}

/** The language of an IAM resource pattern: `*` any run of characters (empty too), `?` one character. */
export function patternLanguage(pattern: string): LanguageItem[] {
  return Array.from(pattern, (c) =>
    c === '*' ? { set: ANY, loop: true } : c === '?' ? { set: ANY, loop: false } : { set: { kind: 'char', c } as const, loop: false },
  );
}

/**
 * The `METHOD/path` part of the method ARNs of the requests of route `METHOD /path` (`ANY`: any method). With
 * `values: 'any'` a path parameter is any string, the empty one included; with `'segment'` it is one or more
 * characters other than `/` (a greedy `{name+}`: one or more of any).
 */
export function requestLanguage(routeKey: string, values: ParameterValues = 'any'): LanguageItem[] {
  const space = routeKey.indexOf(' ');
  const method = routeKey.slice(0, space);
  const items: LanguageItem[] =
    method === 'ANY'
      ? [
          { set: NOT_SLASH, loop: false },
          { set: NOT_SLASH, loop: true },
        ]
      : literal(method);
  const path = routeKey.slice(space + 1);
  let at = 0;
  for (const match of path.matchAll(/\{([^}/]*)\}/g)) {
    items.push(...literal(path.slice(at, match.index)));
    if (values === 'any') items.push({ set: ANY, loop: true });
    else {
      const set = match[1].endsWith('+') ? ANY : NOT_SLASH;
      items.push({ set, loop: false }, { set, loop: true });
    }
    at = match.index! + match[0].length;
  }
  items.push(...literal(path.slice(at)));
  return items;
}

function meet(a: CharSet, b: CharSet): boolean {
  if (a.kind === 'char' && b.kind === 'char') return a.c === b.c;
  if (a.kind === 'char') return b.kind === 'any' || a.c !== '/';
  if (b.kind === 'char') return a.kind === 'any' || b.c !== '/';
  return true;
}

/** Whether some string is in both languages: reachability in their product automaton. */
export function languagesIntersect(a: LanguageItem[], b: LanguageItem[]): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack: number[] = [0];
  seen[0] = 1;
  const push = (i: number, j: number) => {
    const s = i * width + j;
    if (seen[s] === 0) {
      seen[s] = 1;
      stack.push(s);
    }
  };
  while (stack.length > 0) {
    const s = stack.pop()!;
    const i = Math.floor(s / width);
    const j = s % width;
    if (i === a.length && j === b.length) return true;
    // A loop may match nothing.
    if (i < a.length && a[i].loop) push(i + 1, j);
    if (j < b.length && b[j].loop) push(i, j + 1);
    // Both consume one character that is in both sets.
    if (i < a.length && j < b.length && meet(a[i].set, b[j].set)) push(a[i].loop ? i : i + 1, b[j].loop ? j : j + 1);
  }
  return false;
}
