import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { API_ARN_PREFIX, policyAllows } from './harness';

/**
 * A test double of API Gateway's request path for Lambda-authorized methods: routing, the authorizer
 * cache and policy evaluation. It is a model of documented behaviour, not an integration.
 *
 * - Routing: a request goes to the resource whose path matches it most specifically, segment by segment
 *   from the left: a literal segment before `{param}`, `{param}` before `{proxy+}`; an explicit method
 *   before `ANY` on the same resource.
 * - The cache: per authorizer, keyed by the values of its identity sources (`method.request.header.X`,
 *   `context.httpMethod`, `context.resourcePath`); an entry is reused for every request with the same key.
 * - Policy evaluation: against the request's method ARN, `…/{stage}/{METHOD}/{path}` with the values
 *   substituted; `*` any run of characters, an explicit Deny wins, default deny.
 * - A public method calls no authorizer.
 */
export interface DoubleRoute {
  /** `METHOD /path` (`ANY` allowed). */
  readonly key: string;
  /** The authorizer that protects it, and its identity source; `undefined` for a public route. */
  readonly authorizer?: { readonly name: string; readonly identitySource: string };
}

export type Invoke = (event: unknown) => Promise<APIGatewayAuthorizerResult>;

export interface DoubleAnswer {
  /** The route the request reached, or undefined (no route: API Gateway answers 403 without an authorizer). */
  readonly route?: string;
  readonly allowed: boolean;
  /** Whether the authorizer was invoked (a cache miss). */
  readonly invoked: boolean;
}

export class ApiGatewayDouble {
  invocations = 0;
  private readonly cache = new Map<string, APIGatewayAuthorizerResult | 'Unauthorized'>();

  constructor(
    private readonly routes: DoubleRoute[],
    private readonly invoke: Invoke,
  ) {}

  /** Forgets every cached answer (a new TTL period). */
  expire(): void {
    this.cache.clear();
  }

  /**
   * A request `method rawPath` with `Authorization: <header>`. `arnPath` is the path as it appears in the
   * method ARN: by default the raw path (`decoded` writes percent-decoded values instead, since API Gateway
   * does not document which it uses).
   */
  async request(header: string, method: string, rawPath: string, decoded = false): Promise<DoubleAnswer> {
    const match = this.route(method, rawPath);
    if (match === undefined) return { allowed: false, invoked: false };
    const { route, values } = match;
    if (route.authorizer === undefined) return { route: route.key, allowed: true, invoked: false };
    const resourcePath = route.key.slice(route.key.indexOf(' ') + 1);
    const arnPath = substitute(
      resourcePath,
      values.map((v) => (decoded ? safeDecode(v) : v)),
    );
    const methodArn = `${API_ARN_PREFIX}/${method}${arnPath}`;
    const sources = route.authorizer.identitySource.split(',').map((s) => s.trim());
    const identity = sources.map((source) =>
      source === 'method.request.header.Authorization'
        ? header
        : source === 'context.httpMethod'
          ? method
          : source === 'context.resourcePath'
            ? resourcePath
            : `unsupported:${source}`,
    );
    const cacheKey = JSON.stringify([route.authorizer.name, identity]);
    let answer = this.cache.get(cacheKey);
    let invoked = false;
    if (answer === undefined) {
      invoked = true;
      this.invocations++;
      const event = {
        type: 'REQUEST',
        methodArn,
        resource: resourcePath,
        path: rawPath,
        httpMethod: method,
        headers: { Authorization: header },
        multiValueHeaders: { Authorization: [header] },
        queryStringParameters: {},
        pathParameters: {},
        stageVariables: {},
        requestContext: { requestId: `req-${this.invocations}`, resourcePath, httpMethod: method, stage: 'prod' },
      };
      try {
        answer = await this.invoke(event);
      } catch (error) {
        if (!(error instanceof Error) || error.message !== 'Unauthorized') throw error;
        answer = 'Unauthorized';
      }
      this.cache.set(cacheKey, answer);
    }
    return { route: route.key, invoked, allowed: answer !== 'Unauthorized' && policyAllows(answer, methodArn) };
  }

  /** API Gateway's routing: the most specific resource, then the explicit method before ANY. */
  route(method: string, rawPath: string): { route: DoubleRoute; values: string[] } | undefined {
    const segments = rawPath === '/' ? [] : rawPath.slice(1).split('/');
    let best: { route: DoubleRoute; values: string[]; rank: number[] } | undefined;
    for (const route of this.routes) {
      const [routeMethod, path] = [route.key.slice(0, route.key.indexOf(' ')), route.key.slice(route.key.indexOf(' ') + 1)];
      if (routeMethod !== method && routeMethod !== 'ANY') continue;
      const template = path === '/' ? [] : path.slice(1).split('/');
      const matched = matchSegments(template, segments);
      if (matched === undefined) continue;
      const rank = [...matched.rank, routeMethod === 'ANY' ? 0 : 1];
      if (best === undefined || compare(rank, best.rank) > 0) best = { route, values: matched.values, rank };
    }
    return best === undefined ? undefined : { route: best.route, values: best.values };
  }
}

/** Segment by segment: literal 3, `{param}` 2, `{proxy+}` 1; undefined when the template does not match. */
function matchSegments(template: string[], segments: string[]): { rank: number[]; values: string[] } | undefined {
  const rank: number[] = [];
  const values: string[] = [];
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    if (/^\{[^}]+\+\}$/.test(t)) {
      if (i !== template.length - 1 || segments.length <= i) return undefined;
      const rest = segments.slice(i).join('/');
      if (rest === '') return undefined;
      values.push(rest);
      rank.push(1);
      return { rank, values };
    }
    if (i >= segments.length) return undefined;
    if (/^\{[^}]+\}$/.test(t)) {
      if (segments[i] === '') return undefined;
      values.push(segments[i]);
      rank.push(2);
    } else if (t === segments[i]) {
      rank.push(3);
    } else {
      return undefined;
    }
  }
  return segments.length === template.length ? { rank, values } : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

function substitute(resourcePath: string, values: string[]): string {
  let i = 0;
  return resourcePath.replace(/\{[^}]+\}/g, () => values[i++]);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
