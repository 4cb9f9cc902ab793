import type { PolicyDocument } from 'aws-lambda';
import { methodArnPattern, RouteAlternative, routeAlternatives } from '../../contracts/authorizer-cache';
import { AuthorizerRoutes } from '../../contracts/authorizer-config';

/** A group of token-keyed routes with one requirement: every token gets one decision for all of them. */
interface RequirementClass {
  readonly alternatives: readonly RouteAlternative[];
  readonly patterns: readonly string[];
}

/** Policies kept per (stage prefix, issuer, relevant scopes); cleared when full, so memory stays bounded. */
const MEMO_LIMIT = 512;

/** What a second statement adds to the JSON document, besides its resources. */
const SECOND_STATEMENT_BYTES = JSON.stringify({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [] }).length + 1;

/**
 * The policy of the token-keyed authorizer: one document deciding every route of `routes.tokenKeyed`
 * for a token, whatever route it was asked for, so API Gateway can cache it under the token alone.
 * Either one Allow statement listing the allowed routes' patterns (IAM denies everything else by
 * default), or an Allow of `…/*` with one Deny statement listing the denied routes' patterns,
 * whichever lists fewer bytes; all allowed or all denied is one statement of `…/*`. The synth-time
 * proof (lib/auth/cache-proof.ts) showed that no pattern matches a request of a route with another
 * requirement, so either form decides every request exactly as its own route's scopes do.
 * Everything that does not depend on the token is computed once, when the handler starts.
 */
export function tokenKeyedPolicies(routes: AuthorizerRoutes) {
  const byRequirement = new Map<string, { alternatives: RouteAlternative[]; patterns: string[] }>();
  for (const key of routes.tokenKeyed ?? []) {
    if (!(key in routes.routes)) throw new Error(`the token-keyed route ${key} is not in the scope map`);
    const alternatives = routeAlternatives(routes, key);
    const id = JSON.stringify(alternatives);
    let group = byRequirement.get(id);
    if (group === undefined) byRequirement.set(id, (group = { alternatives, patterns: [] }));
    group.patterns.push(methodArnPattern(key));
  }
  const classes: RequirementClass[] = [...byRequirement.values()];
  // Only these scopes can change a decision: the memo key ignores every other scope a token holds.
  const relevant = new Set(classes.flatMap((c) => c.alternatives.flatMap((a) => a.scopes)));
  const memo = new Map<string, PolicyDocument>();

  return (arnPrefix: string, issuer: number, scopes: ReadonlySet<string>): PolicyDocument => {
    let key = `${arnPrefix}\n${issuer}\n`;
    for (const scope of [...scopes].filter((s) => relevant.has(s)).sort()) key += `${scope} `;
    let document = memo.get(key);
    if (document !== undefined) return document;
    const allow: string[] = [];
    const deny: string[] = [];
    let allowBytes = 0;
    let denyBytes = 0;
    for (const c of classes) {
      const allowed =
        c.alternatives.length === 0 ||
        c.alternatives.some((a) => (a.issuers === undefined || a.issuers.includes(issuer)) && a.scopes.every((s) => scopes.has(s)));
      for (const pattern of c.patterns) {
        const resource = `${arnPrefix}/${pattern}`;
        if (allowed) {
          allow.push(resource);
          allowBytes += resource.length + 3;
        } else {
          deny.push(resource);
          denyBytes += resource.length + 3;
        }
      }
    }
    const everything = `${arnPrefix}/*`;
    const statement = (Effect: 'Allow' | 'Deny', Resource: string[]) => ({ Action: 'execute-api:Invoke', Effect, Resource });
    const Statement =
      deny.length === 0
        ? [statement('Allow', [everything])]
        : allow.length === 0
          ? [statement('Deny', [everything])]
          : allowBytes <= denyBytes + everything.length + 3 + SECOND_STATEMENT_BYTES
            ? [statement('Allow', allow)]
            : [statement('Allow', [everything]), statement('Deny', deny)];
    document = { Version: '2012-10-17', Statement };
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, document);
    return document;
  };
}
