// A test double of API Gateway's response cache, driven by a synthesized template. API Gateway keys a
// cache entry by the cache namespace (by default the resource) and the values of the integration's
// cacheKeyParameters, nothing else (developer guide, "Enable API caching" and "Use method or integration
// parameters as cache keys"); a method caches when its MethodSettings entry (or the stage-wide `/*/*`
// entry) has CachingEnabled.

export interface CachedRequest {
  readonly method: string;
  /** The resource path as in the body (`/orders/{id}`). */
  readonly resource: string;
  readonly path?: { [name: string]: string };
  readonly query?: { [name: string]: string };
  readonly headers?: { [name: string]: string };
}

interface MethodSetting {
  readonly HttpMethod: string;
  readonly ResourcePath: string;
  readonly CachingEnabled?: boolean;
}

export class ApiGatewayCacheDouble {
  private readonly entries = new Map<string, string>();
  private readonly body: any;
  private readonly settings: MethodSetting[];

  constructor(template: { [key: string]: any }) {
    const resources = Object.values(template.Resources as { [id: string]: any });
    this.body = resources.find((r) => r.Type === 'AWS::ApiGateway::RestApi').Properties.Body;
    this.settings = resources.find((r) => r.Type === 'AWS::ApiGateway::Stage').Properties.MethodSettings ?? [];
  }

  /** Whether API Gateway caches this method: its own entry, else the stage-wide one. */
  caches(method: string, resource: string): boolean {
    const own = this.settings.find((s) => s.HttpMethod === method.toUpperCase() && s.ResourcePath === `/${resource.replace(/\//g, '~1')}`);
    const stageWide = this.settings.find((s) => s.HttpMethod === '*' && s.ResourcePath === '/*');
    return (own ?? stageWide)?.CachingEnabled === true;
  }

  /** The cache key of a request: the resource and the values of the declared cache key parameters. */
  keyOf(request: CachedRequest): string {
    const integration = this.body.paths[request.resource][request.method.toLowerCase()]['x-amazon-apigateway-integration'];
    const values = ((integration.cacheKeyParameters ?? []) as string[]).map((parameter) => {
      const [, , location, name] = parameter.split('.');
      if (location === 'path') return request.path?.[name];
      if (location === 'querystring') return request.query?.[name];
      const header = Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
      return header?.[1];
    });
    return JSON.stringify([request.method.toUpperCase(), request.resource, values]);
  }

  /** Serves the request from the cache when API Gateway would, else from the backend, caching its answer. */
  serve(request: CachedRequest, backend: (request: CachedRequest) => string): string {
    if (!this.caches(request.method, request.resource)) return backend(request);
    const key = this.keyOf(request);
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const answer = backend(request);
    this.entries.set(key, answer);
    return answer;
  }
}
