import { methodArnPattern } from '../../contracts/authorizer-cache';

/**
 * Method ARNs of `execute-api`, and how IAM matches them. Pure: no aws-cdk-lib.
 *
 * A request's method ARN is `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`, with
 * the path parameter values substituted (the root is `…/GET/`). In a policy `Resource`, `*` matches any run
 * of characters, `/` included, and the empty string; `?` matches exactly one character; matching is
 * case-sensitive (IAM User Guide, "IAM JSON policy elements: Resource"). So `GET/reports/*`, the pattern of
 * `GET /reports/{id}`, also matches every request of `GET /reports/{id}/audit`: a pattern can reach routes
 * deeper than its own, which is what {@link patternReaches} finds.
 */

/** The policy pattern of a route after `{stage}/`: `GET /reports/{id}` → `GET/reports/*`, `ANY /a` → `*\/a`. */
export function routePattern(routeKey: string): string {
  return methodArnPattern(routeKey);
}

/**
 * Whether an IAM resource pattern matches a value, as IAM does: `*` any run of characters (`/` and the empty
 * run included), `?` exactly one character, everything else literally and case-sensitively. Linear in the
 * product of the lengths (no backtracking blow-up on many `*`).
 */
export function arnMatches(pattern: string, value: string): boolean {
  // reachable[j]: the first i pattern characters can match the first j value characters.
  let reachable = new Uint8Array(value.length + 1);
  reachable[0] = 1;
  for (const p of pattern) {
    const next = new Uint8Array(value.length + 1);
    if (p === '*') {
      let seen = 0;
      for (let j = 0; j <= value.length; j++) {
        seen |= reachable[j];
        next[j] = seen;
      }
    } else {
      for (let j = 1; j <= value.length; j++) next[j] = reachable[j - 1] & (p === '?' || p === value[j - 1] ? 1 : 0);
    }
    reachable = next;
  }
  return reachable[value.length] === 1;
}

/**
 * What a path parameter's value may hold in a method ARN.
 * - `segment`: one or more characters without `/` (a `{name+}` greedy value: one or more of any). This is
 *   what a client writes with literal slashes as separators.
 * - `any`: any string at all, `/` and the empty string included, for the case API Gateway writes a
 *   percent-encoded slash (`%2F`) decoded into the ARN, which it does not document either way.
 */
export type ParameterValues = 'segment' | 'any';

/** One position of a language: one character of a set, or (`loop`) any number of them. */
interface Item {
  readonly set: CharSet;
  readonly loop: boolean;
}
type CharSet = { readonly kind: 'any' } | { readonly kind: 'notSlash' } | { readonly kind: 'char'; readonly c: string };

const ANY: CharSet = { kind: 'any' };
const NOT_SLASH: CharSet = { kind: 'notSlash' };

function literal(text: string): Item[] {
  return Array.from(text, (c) => ({ set: { kind: 'char', c } as const, loop: false }));
}

/** The language of an IAM resource pattern: `*` any run of characters (empty too), `?` one character. */
function patternLanguage(pattern: string): Item[] {
  return Array.from(pattern, (c) =>
    c === '*' ? { set: ANY, loop: true } : c === '?' ? { set: ANY, loop: false } : { set: { kind: 'char', c } as const, loop: false },
  );
}

/** The `METHOD/path` part of the method ARNs of the requests of route `METHOD /path` (`ANY`: any method). */
function requestLanguage(routeKey: string, values: ParameterValues): Item[] {
  const space = routeKey.indexOf(' ');
  const method = routeKey.slice(0, space);
  const items: Item[] =
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
    const greedy = match[1].endsWith('+');
    if (values === 'any') items.push({ set: ANY, loop: true });
    else {
      const set = greedy ? ANY : NOT_SLASH;
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
function languagesIntersect(a: Item[], b: Item[]): boolean {
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
    if (i < a.length && a[i].loop) push(i + 1, j);
    if (j < b.length && b[j].loop) push(i, j + 1);
    if (i < a.length && j < b.length && meet(a[i].set, b[j].set)) push(a[i].loop ? i : i + 1, b[j].loop ? j : j + 1);
  }
  return false;
}

/**
 * Whether the resource pattern (after `{stage}/`) matches the method ARN of some request of the route
 * `METHOD /path`, its path parameters holding values of the given kind.
 */
export function patternReaches(pattern: string, routeKey: string, values: ParameterValues): boolean {
  return languagesIntersect(patternLanguage(pattern), requestLanguage(routeKey, values));
}

/**
 * A method ARN suffix (`{METHOD}/{path}`) of one concrete request of a route, each path parameter given
 * `value` (default `v`): for tests and examples, `GET /reports/{id}` → `GET/reports/v`.
 */
export function sampleRequestSuffix(routeKey: string, value = 'v'): string {
  const space = routeKey.indexOf(' ');
  const method = routeKey.slice(0, space);
  return `${method === 'ANY' ? 'GET' : method}${routeKey.slice(space + 1).replace(/\{[^}/]*\}/g, value)}`;
}
