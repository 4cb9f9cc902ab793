import { escapePointer, HttpMethod, OpenApiError, PipelineWarning } from '../model';

/** One route as written in the document. */
export interface SourceRoute {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly sourcePath: string;
}

/** Where a source path is served on API Gateway, and which path variables were renamed to get there. */
export interface PlannedPath {
  readonly path: string;
  /** Original variable name → the name API Gateway uses. Only renamed variables appear. */
  readonly renamedVariables: { [from: string]: string };
}

export interface PathPlan {
  /** By source path. */
  readonly paths: Map<string, PlannedPath>;
  readonly warnings: PipelineWarning[];
}

const LITERAL_SEGMENT = /^[A-Za-z0-9._-]+$/;
const VARIABLE_SEGMENT = /^\{([A-Za-z0-9._-]+)(\+)?\}$/;
/**
 * A segment with literal text around its variable(s): `v{version}`, `{id}.json`, `stream.{container}`,
 * `{name}:cancel`, `{index}.{diffType}`. It is served as one whole-segment variable named after its
 * first variable; the literal text is characters a URL path segment carries as they are.
 */
const PARTIAL_SEGMENT = /^([A-Za-z0-9._~:@-]*)\{([A-Za-z0-9._-]+)\}((?:[A-Za-z0-9._~:@-]|\{[A-Za-z0-9._-]+\})*)$/;

/** The whole-segment variable a partial segment is served as, or undefined when the segment is not one. */
export function partialSegmentVariable(segment: string): string | undefined {
  if (VARIABLE_SEGMENT.test(segment)) return undefined;
  return PARTIAL_SEGMENT.exec(segment)?.[2];
}

/**
 * The path a client requests for a document path: everything from the first `#` or `?` on is not part of
 * an HTTP request path (a fragment is never sent; a query string is not the path). Documents use such keys
 * to tell operations on one URL apart (`/assetservers#name`, `/#X-Amz-Target=Acm.List`, `/search?q`).
 */
export function requestPathOf(sourcePath: string): string {
  const cut = sourcePath.search(/[?#]/);
  if (cut < 0) return sourcePath;
  return sourcePath.slice(0, cut) || '/';
}

/** At most this many literal paths come of one document path; beyond it, the partial segments stay variables. */
export const MAX_ENUM_EXPANSIONS = 20;

/** One literal path an enum-valued partial segment was expanded into. */
export interface EnumExpansion {
  /** The path with every expanded variable replaced by one of its values (`/v1/areas`). */
  readonly path: string;
  /** The values this path fixes, by variable name (`{ version: '1' }`). */
  readonly values: { readonly [variable: string]: string };
}

/**
 * Expands the partial segments of a path whose every variable has an enum (`/v{version}/areas` with
 * `version` in `[1, 2]`) into literal paths (`/v1/areas`, `/v2/areas`), so API Gateway routes exactly
 * the listed values and the literal text around them, instead of any value of a whole-segment variable
 * that the backend must check. Returns undefined, leaving the path to {@link partialSegmentVariable},
 * when no partial segment is fully enum-valued, when an expanded segment would hold a character API
 * Gateway does not allow in a path part, or when the expansion would exceed {@link MAX_ENUM_EXPANSIONS}
 * paths. Whole-segment variables are never expanded: API Gateway serves them as they are.
 */
export function expandEnumSegments(
  sourcePath: string,
  enums: { readonly [variable: string]: ReadonlyArray<string> },
): EnumExpansion[] | undefined {
  if (sourcePath === '/') return undefined;
  const segments = trimTrailingSlash(sourcePath).slice(1).split('/');
  const expandable = (segment: string) => {
    if (partialSegmentVariable(segment) === undefined) return false;
    const names = [...segment.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    return names.every((n) => (enums[n]?.length ?? 0) > 0);
  };
  if (!segments.some(expandable)) return undefined;
  let partialPaths: Array<{ segments: string[]; values: { [variable: string]: string } }> = [{ segments: [], values: {} }];
  for (const segment of segments) {
    if (!expandable(segment)) {
      partialPaths = partialPaths.map((p) => ({ segments: [...p.segments, segment], values: p.values }));
      continue;
    }
    const names = [...new Set([...segment.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]))];
    let choices: Array<{ [variable: string]: string }> = [{}];
    for (const name of names) choices = choices.flatMap((c) => [...new Set(enums[name])].map((v) => ({ ...c, [name]: v })));
    const next: typeof partialPaths = [];
    for (const p of partialPaths) {
      for (const choice of choices) {
        const literal = segment.replace(/\{([^}]*)\}/g, (_m, n: string) => choice[n]);
        if (!LITERAL_SEGMENT.test(literal)) return undefined;
        next.push({ segments: [...p.segments, literal], values: { ...p.values, ...choice } });
      }
    }
    if (next.length > MAX_ENUM_EXPANSIONS) return undefined;
    partialPaths = next;
  }
  const trailing = sourcePath.length > 1 && sourcePath.endsWith('/') ? '/' : '';
  return partialPaths.map((p) => ({ path: '/' + p.segments.join('/') + trailing, values: p.values }));
}

/** Why API Gateway can never serve a path, or undefined when it can (after variable unification). */
export function whyPathIsImpossible(documentPath: string): string | undefined {
  if (!documentPath.startsWith('/')) return 'it does not start with /';
  const cut = documentPath.search(/[?#]/);
  if (cut >= 0 && /\{[^}]*\}/.test(documentPath.slice(cut))) {
    return `its path variable ${/\{[^}]*\}/.exec(documentPath.slice(cut))![0]} stands after '${documentPath[cut]}', which is not part of a request path`;
  }
  const sourcePath = requestPathOf(documentPath);
  if (sourcePath === '/') return undefined;
  const segments = trimTrailingSlash(sourcePath).slice(1).split('/');
  const names = [...sourcePath.matchAll(/\{([^}]*)\}/g)].map((m) => m[1].replace(/\+$/, ''));
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) return `it uses the variable {${repeated}} twice`;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '') return 'it has an empty segment (//)';
    const variable = VARIABLE_SEGMENT.exec(segment);
    if (variable) {
      if (variable[2] === '+' && i !== segments.length - 1) return `the greedy variable '${segment}' is not the last segment`;
      continue;
    }
    if (LITERAL_SEGMENT.test(segment)) continue;
    if (partialSegmentVariable(segment) !== undefined) continue;
    if (segment.includes('{') || segment.includes('}')) {
      return `the segment '${segment}' mixes a path parameter with other text; API Gateway parameters must cover a whole segment`;
    }
    const bad = [...new Set(segment.replace(/[A-Za-z0-9._-]/g, ''))].map((c) => `'${c}'`).join(', ');
    return `the segment '${segment}' contains ${bad}; API Gateway path parts may contain only a-z, A-Z, 0-9, '.', '_' and '-'`;
  }
  return undefined;
}

/**
 * Maps every document path to an API Gateway resource path. Paths API Gateway can never serve are
 * errors (all listed at once). Sibling variables with different names (`/c/{id}`, `/c/{slug}`) are
 * given one name, with a warning per operation about what its backend now receives.
 */
export function planApiGatewayPaths(routes: SourceRoute[], source: string): PathPlan {
  const impossible: string[] = [];
  for (const route of routes) {
    const reason = whyPathIsImpossible(route.sourcePath);
    if (reason !== undefined)
      impossible.push(`${route.method.toUpperCase()} ${route.sourcePath} (operationId '${route.operationId}'): ${reason}`);
  }
  if (impossible.length > 0) {
    const ids = routes.filter((r) => whyPathIsImpossible(r.sourcePath) !== undefined).map((r) => `'${r.operationId}'`);
    throw new OpenApiError(
      `${impossible.length} operation(s) have paths API Gateway cannot serve:\n  ${impossible.join('\n  ')}\n` +
        `Change these paths, or leave the operations out knowingly with excludeOperations: [${[...new Set(ids)].join(', ')}]`,
      source,
      '/paths',
    );
  }

  const warnings: PipelineWarning[] = [];
  const sourcePaths = [...new Set(routes.map((r) => r.sourcePath))];
  // segments[i] is rewritten in place as variables are unified, depth by depth.
  const partials = new Map<string, string[]>(sourcePaths.map((p) => [p, []]));
  const segmentsOf = new Map(
    sourcePaths.map((p) => [
      p,
      (requestPathOf(p) === '/' ? [] : trimTrailingSlash(requestPathOf(p)).slice(1).split('/')).map((segment) => {
        const variable = partialSegmentVariable(segment);
        if (variable === undefined) return segment;
        partials.get(p)!.push(`'${segment}' as {${variable}}`);
        return `{${variable}}`;
      }),
    ]),
  );
  const renames = new Map<string, { [from: string]: string }>(sourcePaths.map((p) => [p, {}]));
  const weight = new Map<string, number>();
  for (const route of routes) weight.set(route.sourcePath, (weight.get(route.sourcePath) ?? 0) + 1);

  const maxDepth = Math.max(0, ...[...segmentsOf.values()].map((s) => s.length));
  for (let depth = 0; depth < maxDepth; depth++) {
    const groups = new Map<string, string[]>();
    for (const [path, segments] of segmentsOf) {
      if (segments.length <= depth || !VARIABLE_SEGMENT.test(segments[depth])) continue;
      const prefix = segments.slice(0, depth).join('/');
      groups.set(prefix, [...(groups.get(prefix) ?? []), path]);
    }
    for (const [prefix, paths] of groups) {
      const usage = new Map<string, number>();
      const kinds = new Set<string>();
      for (const path of paths) {
        const [, name, greedy] = VARIABLE_SEGMENT.exec(segmentsOf.get(path)![depth])!;
        usage.set(name, (usage.get(name) ?? 0) + (weight.get(path) ?? 0));
        kinds.add(greedy ?? '');
      }
      if (kinds.size > 1) {
        const examples = paths.map((p) => `'${p}'`).join(', ');
        throw new OpenApiError(
          `paths ${examples} put a greedy {name+} and a plain {name} variable side by side under '/${prefix}'; API Gateway allows one variable per level. Merge them into one path, or leave one side out with excludeOperations`,
          source,
          '/paths',
        );
      }
      // The names the shared prefix already uses cannot be taken again at this depth.
      const taken = new Set(
        prefix
          .split('/')
          .map((segment) => VARIABLE_SEGMENT.exec(segment)?.[1])
          .filter((n): n is string => n !== undefined),
      );
      if (usage.size < 2 && ![...usage.keys()].some((n) => taken.has(n))) continue;
      // The name most operations use wins; ties go to the alphabetically first, so the plan is deterministic.
      const ranked = [...usage.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
      const canonical = ranked.find((n) => !taken.has(n)) ?? freshName(ranked[0], taken);
      for (const path of paths) {
        const segments = segmentsOf.get(path)!;
        const [, name, greedy] = VARIABLE_SEGMENT.exec(segments[depth])!;
        if (name === canonical) continue;
        segments[depth] = `{${canonical}${greedy ?? ''}}`;
        renames.get(path)![name] = canonical;
        // A deeper variable of this path with the chosen name gets a distinct one, so no name repeats along the path.
        for (let deeper = depth + 1; deeper < segments.length; deeper++) {
          const match = VARIABLE_SEGMENT.exec(segments[deeper]);
          if (match === null || match[1] !== canonical) continue;
          const used = new Set(segments.map((x) => VARIABLE_SEGMENT.exec(x)?.[1]).filter((n): n is string => n !== undefined));
          const distinct = freshName(canonical, used);
          segments[deeper] = `{${distinct}${match[2] ?? ''}}`;
          renames.get(path)![canonical] = distinct;
        }
      }
    }
  }

  const paths = new Map<string, PlannedPath>();
  for (const sourcePath of sourcePaths) {
    const segments = segmentsOf.get(sourcePath)!;
    const path = '/' + segments.join('/');
    const names = segments.map((s) => VARIABLE_SEGMENT.exec(s)?.[1]).filter((n): n is string => n !== undefined);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined) {
      throw new OpenApiError(
        `path '${sourcePath}' would use the variable {${repeated}} twice after unifying sibling variable names for API Gateway (as '${path}'); rename its variables to match its sibling paths`,
        source,
        `/paths/${escapePointer(sourcePath)}`,
      );
    }
    paths.set(sourcePath, { path, renamedVariables: renames.get(sourcePath)! });
  }

  const served = new Map<string, SourceRoute>();
  const collisions: string[] = [];
  const later: string[] = [];
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${paths.get(route.sourcePath)!.path}`;
    const other = served.get(key);
    if (other !== undefined) {
      const bySuffix = requestPathOf(other.sourcePath) !== other.sourcePath || requestPathOf(route.sourcePath) !== route.sourcePath;
      later.push(`'${route.operationId}'`);
      collisions.push(
        `'${other.operationId}' (${other.method.toUpperCase()} ${other.sourcePath}) and '${route.operationId}' (${route.method.toUpperCase()} ${route.sourcePath}) both become ${key}` +
          (bySuffix ? ` (they differ only after '#' or '?', which a request does not carry in its path)` : ''),
      );
    } else {
      served.set(key, route);
    }
  }
  if (collisions.length > 0) {
    throw new OpenApiError(
      `operations collide on API Gateway after unifying path variable names and trailing slashes:\n  ${collisions.join('\n  ')}\nAPI Gateway serves one operation per method and path: merge them, or leave one out knowingly (to keep the first of each: excludeOperations: [${later.join(', ')}])`,
      source,
      '/paths',
    );
  }

  for (const route of routes) {
    const planned = paths.get(route.sourcePath)!;
    const renamed = Object.entries(planned.renamedVariables);
    if (renamed.length > 0) {
      const what = renamed.map(([from, to]) => `'${from}' as '${to}' (for a Lambda proxy: event.pathParameters.${to})`).join(', ');
      warnings.push({
        operationId: route.operationId,
        pointer: `/paths/${escapePointer(route.sourcePath)}`,
        keyword: 'path-variable-renamed',
        message: `operation '${route.operationId}': ${route.method.toUpperCase()} ${route.sourcePath} is served as ${planned.path} because API Gateway requires sibling path variables to share one name; its backend receives path parameter ${what}`,
      });
    }
    const partial = partials.get(route.sourcePath)!;
    if (partial.length > 0) {
      warnings.push({
        operationId: route.operationId,
        pointer: `/paths/${escapePointer(route.sourcePath)}`,
        keyword: 'partial-segment',
        message:
          `operation '${route.operationId}': ${route.method.toUpperCase()} ${route.sourcePath} is served as ${planned.path} (${partial.join(', ')}): API Gateway matches whole segments only, ` +
          `so it passes any value of such a segment, whole, to the backend (for '${/'([^']*)'/.exec(partial[0])![1]}' the path parameter holds the literal text too); the backend must check the literal text and split the value`,
      });
    }
    if (requestPathOf(route.sourcePath) !== route.sourcePath) {
      const dropped = route.sourcePath.slice(requestPathOf(route.sourcePath).length);
      warnings.push({
        operationId: route.operationId,
        pointer: `/paths/${escapePointer(route.sourcePath)}`,
        keyword: 'path-suffix-not-routed',
        message: `operation '${route.operationId}': ${route.method.toUpperCase()} ${route.sourcePath} is served as ${planned.path}: '${dropped}' is not part of the path a client requests (a fragment is never sent; a query string is not the path), so API Gateway cannot route on it; the backend must check what it stood for`,
      });
    }
    const servedPath = requestPathOf(route.sourcePath);
    if (servedPath !== '/' && servedPath.endsWith('/')) {
      warnings.push({
        operationId: route.operationId,
        pointer: `/paths/${escapePointer(route.sourcePath)}`,
        keyword: 'trailing-slash',
        message: `operation '${route.operationId}': ${route.method.toUpperCase()} ${route.sourcePath} is served as ${planned.path}; API Gateway resource paths have no trailing slash`,
      });
    }
  }
  return { paths, warnings };
}

function trimTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}

/** `name2`, `name3`, ...: the first that is not in `used`. */
function freshName(name: string, used: ReadonlySet<string>): string {
  for (let n = 2; ; n++) if (!used.has(`${name}${n}`)) return `${name}${n}`;
}
