/**
 * A thin stand-in for API Gateway's mapping-template engine, for in-process tests of our templates:
 * velocityjs (a JavaScript Velocity) plus `$input`, `$util` and `$context` as the API Gateway developer guide
 * ("Variables for data transformations") describes them. Tested in test/support/api-gateway-vtl.test.ts.
 *
 * Where it differs from API Gateway (Java Velocity 1.7 with AWS's own `$input`/`$util`), and what we do about it:
 * - Method calls on strings run JavaScript's String methods, except `replaceAll`, which here takes a Java-style
 *   regular expression (translated with `new RegExp(pattern, 'g')`) as Java's `String.replaceAll` does. Java and
 *   JavaScript regex syntax agree for the patterns we use (`\\'`); possessive quantifiers, `\Q…\E` and the
 *   replacement's `\` escapes do not translate. JavaScript's own `replaceAll` would take the pattern literally.
 * - `$util.escapeJavaScript` follows Apache Commons Lang 2 `StringEscapeUtils.escapeJavaScript`, the function the
 *   guide's behaviour matches (`'` → `\'`, `/` → `\/`, non-ASCII → `\uXXXX` upper-case, control characters).
 * - `$util.urlEncode` follows Java's `URLEncoder.encode(s, "UTF-8")` (space → `+`, `*-._` kept).
 * - `$input.json(path)` / `$input.path(path)` know `$`, `$.a.b` and `$.a[0].b` only (API Gateway has full JSONPath);
 *   `$input.json` re-serializes compactly with `JSON.stringify` (API Gateway's spacing and unicode escaping may differ,
 *   both valid JSON).
 * - An absent `$context` key renders as an empty string only through quiet references (`$!x`), as in Java Velocity;
 *   our templates use those. A plain reference to an absent key renders its own text in both engines.
 * - `#set($context.responseOverride.status = n)` is captured in {@link RenderedTemplate.statusOverride}, and
 *   `#set($context.responseOverride.header.<name> = v)` in {@link RenderedTemplate.headerOverrides}.
 * - `$input.params().header.get(name)` looks the name up exactly as given (the request's header names as written).
 * The real engine is exercised by the integ test (`TestInvokeMethod`), whose log shows the transformed request.
 */
import { render } from 'velocityjs';

/** A request as the mapping template sees it. */
export interface TemplateRequest {
  /** The raw body text (what `$input.body` is). */
  readonly body?: string;
  /** The JWT authorizer's context (`$context.authorizer.*`). */
  readonly authorizer?: { [key: string]: string };
  readonly requestId?: string;
  readonly path?: { [name: string]: string };
  readonly querystring?: { [name: string]: string };
  readonly header?: { [name: string]: string };
}

export interface RenderedTemplate {
  readonly output: string;
  /** What the template set `$context.responseOverride.status` to, if anything. */
  readonly statusOverride?: number;
  /** What the template set `$context.responseOverride.header.<name>` to, by name. */
  readonly headerOverrides: { [name: string]: string };
}

/** Apache Commons Lang 2 `StringEscapeUtils.escapeJavaScript`. */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (const unit of text) {
    for (let i = 0; i < unit.length; i++) {
      const ch = unit.charCodeAt(i);
      const hex = ch.toString(16).toUpperCase();
      if (ch > 0x7f) out += '\\u' + hex.padStart(4, '0');
      else if (ch < 32) {
        const named: { [code: number]: string } = { 8: '\\b', 10: '\\n', 9: '\\t', 12: '\\f', 13: '\\r' };
        out += named[ch] ?? '\\u' + hex.padStart(4, '0');
      } else if (ch === 0x27) out += "\\'";
      else if (ch === 0x22) out += '\\"';
      else if (ch === 0x5c) out += '\\\\';
      else if (ch === 0x2f) out += '\\/';
      else out += String.fromCharCode(ch);
    }
  }
  return out;
}

/** Java `URLEncoder.encode(text, "UTF-8")`. */
export function urlEncode(text: string): string {
  let out = '';
  for (const ch of text) {
    if (/^[A-Za-z0-9.\-*_]$/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else {
      // A lone surrogate becomes '?', as Java's encoder does.
      const bytes = Buffer.from(/[\uD800-\uDFFF]/.test(ch) && ch.length === 1 ? '?' : ch, 'utf8');
      for (const b of bytes) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

/** `$`, `$.a.b`, `$.a[0].b` against a parsed JSON value. */
export function jsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`unsupported JSONPath '${path}'`);
  const steps = [...path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)];
  if (steps.map((m) => m[0]).join('') !== path.slice(1)) throw new Error(`unsupported JSONPath '${path}'`);
  let current: unknown = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as { [k: string]: unknown })[step[1] ?? Number(step[2])];
  }
  return current;
}

/** Renders `template` for `request` as API Gateway would (within the differences listed above). */
export function renderMappingTemplate(template: string, request: TemplateRequest = {}): RenderedTemplate {
  const raw = request.body ?? '';
  const parsed = (): unknown => (raw === '' ? {} : JSON.parse(raw));
  const params = { path: request.path ?? {}, querystring: request.querystring ?? {}, header: request.header ?? {} };
  const responseOverride: { status?: number; header: { [name: string]: string } } = { header: {} };
  const context = {
    input: {
      body: raw,
      json: (path: string) => JSON.stringify(jsonPath(parsed(), path) ?? null),
      path: (path: string) => jsonPath(parsed(), path),
      params: (name?: string) =>
        name === undefined ? params : (params.path[name] ?? params.querystring[name] ?? params.header[name] ?? ''),
    },
    util: {
      escapeJavaScript: (text: unknown) => escapeJavaScript(String(text ?? '')),
      urlEncode: (text: unknown) => urlEncode(String(text ?? '')),
      base64Encode: (text: unknown) => Buffer.from(String(text ?? ''), 'utf8').toString('base64'),
      parseJson: (text: string) => JSON.parse(text),
    },
    context: {
      requestId: request.requestId ?? 'c0ffee00-0000-4000-8000-000000000001',
      authorizer: { ...(request.authorizer ?? {}) },
      responseOverride,
    },
  };
  const output = render(template, context, undefined, {
    escape: false,
    customMethodHandlers: [
      {
        uid: 'java-string-replace-all',
        match: ({ property, context: target }) => property === 'replaceAll' && typeof target === 'string',
        resolve: ({ context: target, params: [pattern, replacement] }) =>
          (target as string).replace(new RegExp(String(pattern), 'g'), String(replacement)),
      },
    ],
  });
  const headerOverrides: { [name: string]: string } = {};
  for (const [name, value] of Object.entries(responseOverride.header)) headerOverrides[name] = String(value);
  return {
    output,
    statusOverride: responseOverride.status === undefined ? undefined : Number(responseOverride.status),
    headerOverrides,
  };
}
