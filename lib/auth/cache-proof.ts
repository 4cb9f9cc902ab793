import { methodArnPattern } from '../../contracts/authorizer-cache';

/**
 * The synth-time proof behind the token-keyed authorizer cache. Pure: no aws-cdk-lib.
 *
 * API Gateway caches a Lambda authorizer's answer by the identity sources and evaluates the cached
 * policy against each later request's `methodArn`, `arn:…:{apiId}/{stage}/{METHOD}/{path}` with the
 * path parameter values substituted (the root is `…/GET/`). In a policy `Resource`, `*` matches any run
 * of characters, `/` included, and the empty string; an explicit Deny wins (API Gateway developer guide,
 * "Lambda authorizer output" and "Control access with a Lambda authorizer"; IAM User Guide, "IAM JSON
 * policy elements: Resource"; AWS Knowledge Center, api-gateway-lambda-authorization-errors: "the cached
 * IAM policy is then applied to any additional API requests made within the cache's TTL"). With a cache
 * keyed by the token alone, one policy must therefore decide
 * every route, and it is exact only when no route's pattern matches a request of another route whose
 * requirement differs. This module decides that, pair by pair, by intersecting regular languages:
 *
 * - a route's pattern ({@link methodArnPattern}): its literal characters, `*` for every path parameter
 *   and for `ANY`; `*` and `?` are read as IAM wildcards wherever they appear;
 * - the requests of a route: its method (any run of characters without `/` for `ANY`), its literal path
 *   segments, and for every path parameter, greedy or not, **any string at all**, `/` included and
 *   empty included. A value may arrive raw or percent-decoded (undocumented), hold `*`, `?`, `%2F` or
 *   non-ASCII characters: the proof holds whichever way API Gateway writes it. This set contains every
 *   request API Gateway routes to the route, so ignoring routing priority (a literal sibling served before
 *   `{id}`, the most specific resource before `{proxy+}`) only makes the proof stricter, never wrong.
 *
 * Two routes with the same requirement may overlap: every token gets the same decision for both.
 */

/** One position of a language: one character of the set, or (`loop`) any number of them. */
interface Item {
  /** `'*'`: any character; `'/'`-less: any character but `/`; else exactly this character. */
  readonly set: { readonly kind: 'any' } | { readonly kind: 'notSlash' } | { readonly kind: 'char'; readonly c: string };
  readonly loop: boolean;
}

const ANY = { kind: 'any' } as const;
const NOT_SLASH = { kind: 'notSlash' } as const;

/** The language of an IAM resource pattern: `*` any run of characters (empty too), `?` one character. */
export function patternLanguage(pattern: string): Item[] {
  return Array.from(pattern, (c) =>
    c === '*' ? { set: ANY, loop: true } : c === '?' ? { set: ANY, loop: false } : { set: { kind: 'char', c } as const, loop: false },
  );
}

/** The `METHOD/path` part of the method ARNs of every request of the route `METHOD /path` (see the module comment). */
export function requestLanguage(routeKey: string): Item[] {
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
  for (const match of path.matchAll(/\{[^}/]*\}/g)) {
    items.push(...literal(path.slice(at, match.index)));
    items.push({ set: ANY, loop: true });
    at = match.index! + match[0].length;
  }
  items.push(...literal(path.slice(at)));
  return items;
}

function literal(text: string): Item[] {
  return Array.from(text, (c) => ({ set: { kind: 'char', c } as const, loop: false }));
}

function meet(a: Item['set'], b: Item['set']): boolean {
  if (a.kind === 'char' && b.kind === 'char') return a.c === b.c;
  if (a.kind === 'char') return b.kind === 'any' || a.c !== '/';
  if (b.kind === 'char') return a.kind === 'any' || b.c !== '/';
  return true;
}

/** Whether some string is in both languages: reachability in their product automaton. */
export function languagesIntersect(a: Item[], b: Item[]): boolean {
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

/** Whether the policy pattern of route `a` matches some request of route `b`. */
export function patternMatchesRequestsOf(a: string, b: string): boolean {
  return languagesIntersect(patternLanguage(methodArnPattern(a)), requestLanguage(b));
}

/** A route the token-keyed authorizer could serve. */
export interface CacheRoute {
  /** `METHOD /path`, as in the scope map. */
  readonly key: string;
  /** The operation's name for messages (its operationId). */
  readonly label: string;
  /** Canonical requirement: routes with equal requirements give every token the same decision. */
  readonly requirement: string;
}

/** Limits the plan keeps to. */
export interface CachePlanOptions {
  /** Largest policy document (JSON, bytes) for the worst-case scope set. */
  readonly budgetBytes: number;
  /** Upper bound of `arn:…:{apiId}/{stage}/`, the prefix of every resource. */
  readonly arnPrefixBytes: number;
}

/** Why a route stays on the per-route cache key. */
export interface PerRouteReason {
  readonly key: string;
  readonly label: string;
  /** `'<a>' overlaps '<b>'`, or the size budget. */
  readonly reason: string;
}

/** Which routes the token-keyed authorizer serves, and why the others are per-route. */
export interface CachePlan {
  /** Route keys, sorted. */
  readonly tokenKeyed: string[];
  readonly perRoute: PerRouteReason[];
  /** Upper bound of the policy document size for any token, in bytes. */
  readonly worstCasePolicyBytes: number;
}

/**
 * Plans the cache: every route whose pattern matches a request of a route with another requirement,
 * or whose requests another such route's pattern matches, stays on the per-route key (both routes of a
 * pair); of the rest, routes join the token-keyed set in key order while the worst-case policy fits
 * the budget. The remaining set has no such pair, so one policy decides each of its requests exactly.
 */
export function planAuthorizerCache(routes: CacheRoute[], options: CachePlanOptions): CachePlan {
  const sorted = [...routes].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const patterns = sorted.map((r) => patternLanguage(methodArnPattern(r.key)));
  const requests = sorted.map((r) => requestLanguage(r.key));
  // The literal text before the first wildcard: two languages whose heads disagree cannot meet.
  const head = (items: Item[]) => {
    let text = '';
    for (const item of items) {
      if (item.loop || item.set.kind !== 'char') break;
      text += item.set.c;
    }
    return text;
  };
  const patternHeads = patterns.map(head);
  const requestHeads = requests.map(head);
  const overlap = new Map<number, string>();
  for (let a = 0; a < sorted.length; a++) {
    for (let b = 0; b < sorted.length; b++) {
      if (a === b || sorted[a].requirement === sorted[b].requirement) continue;
      const pa = patternHeads[a];
      const rb = requestHeads[b];
      if (!(pa.startsWith(rb) || rb.startsWith(pa))) continue;
      if (!languagesIntersect(patterns[a], requests[b])) continue;
      const reason = `'${pathOf(sorted[a].key)}' overlaps '${pathOf(sorted[b].key)}'`;
      if (!overlap.has(a)) overlap.set(a, reason);
      if (!overlap.has(b)) overlap.set(b, reason);
    }
  }
  const perRoute: PerRouteReason[] = [];
  const tokenKeyed: string[] = [];
  const size = policySize(options.arnPrefixBytes);
  let total = 0;
  let worst = size.worst(0);
  sorted.forEach((route, i) => {
    const reason = overlap.get(i);
    if (reason !== undefined) {
      perRoute.push({ key: route.key, label: route.label, reason });
      return;
    }
    const cost = size.resource(methodArnPattern(route.key));
    if (size.worst(total + cost) > options.budgetBytes) {
      perRoute.push({ key: route.key, label: route.label, reason: `the worst-case policy would exceed ${options.budgetBytes} bytes` });
      return;
    }
    total += cost;
    worst = size.worst(total);
    tokenKeyed.push(route.key);
  });
  return { tokenKeyed, perRoute, worstCasePolicyBytes: tokenKeyed.length === 0 ? 0 : worst };
}

function pathOf(key: string): string {
  const [method, path] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
  return method === 'ANY' ? path : `${method} ${path}`;
}

/**
 * Bytes of the policy documents the handler writes (see `lambda/authorizer/cache-policy.ts`): either one
 * Allow statement listing the allowed routes, or an Allow of every route (`…/*`) with a Deny statement
 * listing the denied ones, whichever is smaller. For resources costing `total` bytes in all, the
 * smaller form is at most half the sum of both, whatever the token's scopes.
 */
export function policySize(arnPrefixBytes: number) {
  const doc = (statements: Array<[string, string[]]>) =>
    Buffer.byteLength(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: statements.map(([Effect, Resource]) => ({ Action: 'execute-api:Invoke', Effect, Resource })),
      }),
    );
  const one = doc([['Allow', []]]);
  const two = doc([
    ['Allow', []],
    ['Deny', []],
  ]);
  const resource = (pattern: string) => arnPrefixBytes + Buffer.byteLength(JSON.stringify(pattern)) + 1;
  const star = resource('*');
  return {
    resource,
    /** Worst case over all tokens for resources of `total` bytes: all allowed or all denied give one statement of `…/*`. */
    worst: (total: number) => Math.ceil(Math.max(one + star, (one + two + star + total) / 2)),
  };
}
