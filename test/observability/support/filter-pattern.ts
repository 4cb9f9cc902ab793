// A small evaluator of CloudWatch Logs' JSON filter-pattern syntax, written for tests so the
// metric filters can be matched against realistic access-log lines without an AWS account.
// It covers the subset our patterns use and the documented rules around it:
//   { $.a = "x" }  { $.a != "x*" }  { $.n >= 500 }  { $.a IS NULL }  { $.a NOT EXISTS }
//   &&, || (&& binds tighter), parentheses, `*` wildcards in string values, $.a.b and $.a[0].
// Comparisons are strict about types, as CloudWatch documents: a quoted or bare-word value
// matches only a JSON string, a numeric value (with <, >, <=, >=, =, !=) only a JSON number.
// A selector that resolves to nothing makes any comparison false (including !=).

type Token =
  | { kind: 'selector'; path: (string | number)[]; text: string }
  | { kind: 'op'; value: '=' | '!=' | '<' | '>' | '<=' | '>=' }
  | { kind: 'and' | 'or' | 'lparen' | 'rparen' }
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'number'; value: number };

type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; path: (string | number)[]; op: string; value: { type: 'string' | 'number'; text: string; number?: number } }
  | { kind: 'is'; path: (string | number)[]; what: 'NULL' | 'TRUE' | 'FALSE' }
  | { kind: 'notExists'; path: (string | number)[] };

export class FilterPatternSyntaxError extends Error {}

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (body.startsWith('&&', i)) {
      tokens.push({ kind: 'and' });
      i += 2;
      continue;
    }
    if (body.startsWith('||', i)) {
      tokens.push({ kind: 'or' });
      i += 2;
      continue;
    }
    if (c === '(') {
      tokens.push({ kind: 'lparen' });
      i++;
      continue;
    }
    if (c === ')') {
      tokens.push({ kind: 'rparen' });
      i++;
      continue;
    }
    const op = ['!=', '<=', '>=', '=', '<', '>'].find((o) => body.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op as '=' });
      i += op.length;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\' && j + 1 < body.length) {
          value += body[j + 1];
          j += 2;
          continue;
        }
        value += body[j++];
      }
      if (j >= body.length) throw new FilterPatternSyntaxError(`unterminated string at ${i}`);
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$((?:\.[A-Za-z0-9_@-]+|\[\d+\])*)/.exec(body.slice(i))!;
      const path: (string | number)[] = [...m[1].matchAll(/\.([A-Za-z0-9_@-]+)|\[(\d+)\]/g)].map((p) =>
        p[1] !== undefined ? p[1] : Number(p[2]),
      );
      if (path.length === 0) throw new FilterPatternSyntaxError(`empty selector at ${i}`);
      tokens.push({ kind: 'selector', path, text: m[0] });
      i += m[0].length;
      continue;
    }
    const m = /^[^\s()&|=!<>"]+/.exec(body.slice(i));
    if (!m) throw new FilterPatternSyntaxError(`unexpected '${c}' at ${i}`);
    const text = m[0];
    if (/^-?\d+(\.\d+)?$/.test(text)) tokens.push({ kind: 'number', value: Number(text) });
    else tokens.push({ kind: 'word', value: text });
    i += text.length;
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const expr = this.or();
    if (this.pos !== this.tokens.length) throw new FilterPatternSyntaxError(`unexpected token ${JSON.stringify(this.tokens[this.pos])}`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new FilterPatternSyntaxError('unexpected end of pattern');
    return t;
  }

  private or(): Expr {
    let left = this.and();
    while (this.peek()?.kind === 'or') {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.primary();
    while (this.peek()?.kind === 'and') {
      this.pos++;
      left = { kind: 'and', left, right: this.primary() };
    }
    return left;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'lparen') {
      const inner = this.or();
      if (this.next().kind !== 'rparen') throw new FilterPatternSyntaxError('missing )');
      return inner;
    }
    if (t.kind !== 'selector') throw new FilterPatternSyntaxError(`expected a selector, got ${JSON.stringify(t)}`);
    const after = this.next();
    if (after.kind === 'word' && after.value === 'IS') {
      const what = this.next();
      if (what.kind !== 'word' || !['NULL', 'TRUE', 'FALSE'].includes(what.value))
        throw new FilterPatternSyntaxError('IS must be followed by NULL, TRUE or FALSE');
      return { kind: 'is', path: t.path, what: what.value as 'NULL' };
    }
    if (after.kind === 'word' && after.value === 'NOT') {
      const what = this.next();
      if (what.kind !== 'word' || what.value !== 'EXISTS') throw new FilterPatternSyntaxError('NOT must be followed by EXISTS');
      return { kind: 'notExists', path: t.path };
    }
    if (after.kind !== 'op') throw new FilterPatternSyntaxError(`expected an operator after ${t.text}`);
    const v = this.next();
    if (v.kind === 'number')
      return { kind: 'compare', path: t.path, op: after.value, value: { type: 'number', text: String(v.value), number: v.value } };
    if (v.kind === 'string' || v.kind === 'word') {
      if (!['=', '!='].includes(after.value)) throw new FilterPatternSyntaxError(`${after.value} needs a numeric value`);
      return { kind: 'compare', path: t.path, op: after.value, value: { type: 'string', text: v.value } };
    }
    throw new FilterPatternSyntaxError(`expected a value after ${t.text} ${after.value}`);
  }
}

const MISSING = Symbol('missing');

function select(event: unknown, path: (string | number)[]): unknown {
  let current: unknown = event;
  for (const part of path) {
    if (typeof part === 'number') {
      if (!Array.isArray(current) || part >= current.length) return MISSING;
      current = current[part];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(part in current)) return MISSING;
      current = (current as Record<string, unknown>)[part];
    }
  }
  return current;
}

function wildcardMatch(value: string, pattern: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
  return regex.test(value);
}

function evaluate(expr: Expr, event: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, event) && evaluate(expr.right, event);
    case 'or':
      return evaluate(expr.left, event) || evaluate(expr.right, event);
    case 'notExists':
      return select(event, expr.path) === MISSING;
    case 'is': {
      const v = select(event, expr.path);
      return expr.what === 'NULL' ? v === null : v === (expr.what === 'TRUE');
    }
    case 'compare': {
      const v = select(event, expr.path);
      if (v === MISSING) return false;
      if (expr.value.type === 'number') {
        if (typeof v !== 'number') return false;
        const n = expr.value.number!;
        switch (expr.op) {
          case '=':
            return v === n;
          case '!=':
            return v !== n;
          case '<':
            return v < n;
          case '>':
            return v > n;
          case '<=':
            return v <= n;
          default:
            return v >= n;
        }
      }
      if (typeof v !== 'string') return false;
      const matched = wildcardMatch(v, expr.value.text);
      return expr.op === '=' ? matched : !matched;
    }
  }
}

/** Parses a JSON filter pattern (`{ ... }`); throws FilterPatternSyntaxError on bad syntax. */
export function parseFilterPattern(pattern: string): Expr {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) throw new FilterPatternSyntaxError('a JSON filter pattern is enclosed in { }');
  return new Parser(tokenize(trimmed.slice(1, -1))).parse();
}

/** Whether the log event `message` matches `pattern`. A message that is not JSON never matches. */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  const expr = parseFilterPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return false;
  }
  return evaluate(expr, event);
}
