import { methodArnPattern } from '../../contracts/authorizer-cache';
import { languagesIntersect, LanguageItem, patternLanguage, requestLanguage } from '../common/arn-language';

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

export { languagesIntersect, patternLanguage, requestLanguage };
type Item = LanguageItem;

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
