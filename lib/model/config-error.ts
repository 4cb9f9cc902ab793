/**
 * The one error SecureApi throws for bad configuration: a prop, or a document, it cannot build a secure
 * API from. Like aws-cdk-lib's `ValidationError`, it names the construct; unlike it, it also names the
 * prop path (`auth.issuer`, `waf.rateLimit.limit`, `openApi`) so a user can find the line to change.
 *
 * Message format, one line: `SecureApi '<construct path>': <prop path> <problem>`.
 * This module has no dependencies, so the pure passes in `lib/openapi` can throw it too.
 */
export class SecureApiConfigError extends Error {
  /** The path of the SecureApi construct (`Stack/Api`), or '' when thrown outside one. */
  public readonly constructPath: string;
  /** The prop path that is wrong (`auth.issuer`), or '' when the problem is not one prop's. */
  public readonly propPath: string;
  /** What is wrong, without the construct and prop path. */
  public readonly problem: string;

  constructor(constructPath: string, propPath: string, problem: string) {
    super(formatConfigError(constructPath, propPath, problem));
    this.name = 'SecureApiConfigError';
    this.constructPath = constructPath;
    this.propPath = propPath;
    this.problem = problem;
  }

  /** The same error, named for the construct at `constructPath` (a pure pass throws it with none). */
  public inConstruct(constructPath: string): SecureApiConfigError {
    return new SecureApiConfigError(constructPath, this.propPath, this.problem);
  }
}

/**
 * Runs a pure pass (one that knows no construct) for the SecureApi at `constructPath`: a configuration
 * error the pass throws without a construct path is thrown again naming the construct. Anything else
 * (an invariant violation) passes through unchanged.
 */
export function inConstruct<T>(constructPath: string, pass: () => T): T {
  try {
    return pass();
  } catch (error) {
    if (error instanceof SecureApiConfigError && error.constructPath === '') throw error.inConstruct(constructPath);
    throw error;
  }
}

/** The one message format of configuration errors. */
export function formatConfigError(constructPath: string, propPath: string, problem: string): string {
  const where = constructPath === '' ? 'SecureApi' : `SecureApi '${constructPath}'`;
  return propPath === '' ? `${where}: ${problem}` : `${where}: ${propPath} ${problem}`;
}

/**
 * The one validation idiom: a checker bound to a construct path and a prop prefix. Concerns check their
 * props with `check.fail('issuer', 'must be …')` or `check.that(cond, 'issuer', 'must be …')`.
 */
export class PropCheck {
  constructor(
    /** The SecureApi construct's path. */
    public readonly constructPath: string,
    /** The prop prefix every path is under (`auth`, `waf`), or '' for top-level props. */
    public readonly prefix: string = '',
  ) {}

  /** Throws a {@link SecureApiConfigError} for `path` under the prefix. */
  fail(path: string, problem: string): never {
    throw new SecureApiConfigError(this.constructPath, this.join(path), problem);
  }

  /** Throws unless `condition` holds. */
  that(condition: boolean, path: string, problem: string): void {
    if (!condition) this.fail(path, problem);
  }

  /** A checker for a nested prop (`auth` → `auth.cognito`). */
  under(path: string): PropCheck {
    return new PropCheck(this.constructPath, this.join(path));
  }

  private join(path: string): string {
    if (this.prefix === '') return path;
    if (path === '') return this.prefix;
    return path.startsWith('[') ? `${this.prefix}${path}` : `${this.prefix}.${path}`;
  }
}
