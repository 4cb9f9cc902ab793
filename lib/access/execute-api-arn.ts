import { methodArnPattern } from '../../contracts/authorizer-cache';
import { languagesIntersect, ParameterValues, patternLanguage, requestLanguage } from '../common/arn-language';

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
 * What a path parameter's value may hold in a method ARN ({@link ParameterValues}):
 * - `segment`: one or more characters without `/` (a `{name+}` greedy value: one or more of any). This is
 *   what a client writes with literal slashes as separators.
 * - `any`: any string at all, `/` and the empty string included, for the case API Gateway writes a
 *   percent-encoded slash (`%2F`) decoded into the ARN, which it does not document either way.
 */
export type { ParameterValues };

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
