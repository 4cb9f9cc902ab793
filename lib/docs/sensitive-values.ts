import { escapePointer, JsonObject } from '../model';

/** One value of the public document that must not be published. */
export interface SensitiveValueFinding {
  /** JSON pointer to the value (or to the key, for a sensitive key). */
  readonly pointer: string;
  /** What the value looks like, e.g. `an AWS access key id`. */
  readonly kind: string;
  /** A safe preview for the error message: secrets are masked, identifiers shown. */
  readonly preview: string;
}

export interface SensitiveValueOptions {
  /** Exact values that are known to be safe to publish (for example a documentation placeholder that looks real). */
  readonly allowedValues?: readonly string[];
  /**
   * More hostnames that are internal: a suffix (`corp.example.com` matches it and its subdomains).
   * Added to the built-in list (`localhost`, `.internal`, `.local`, `.corp`, private IP addresses, AWS backend endpoints ...).
   */
  readonly internalHostnames?: readonly string[];
}

/**
 * Values that AWS and other vendors use as documentation examples: never real, so never findings.
 * (Account ids from the AWS documentation; AWS's example access key pair.)
 */
export const DOCUMENTATION_PLACEHOLDERS: readonly string[] = [
  '123456789012',
  '111122223333',
  '444455556666',
  '777788889999',
  '555555555555',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
];

/** Where a string value sits, for rules that depend on what the value is for. */
interface ValueContext {
  /** The names that describe the value: its key, the property or parameter it is an example of. */
  readonly names: string[];
  /** The value is (inside) an example or default: data an author made up, where real credentials slip in. */
  readonly inExample: boolean;
  /** The value is an object key, not a value. */
  readonly isKey: boolean;
}

/** One deny-list rule: a small pure function from a value to the sensitive parts it contains. */
interface SensitiveValueRule {
  readonly kind: string;
  /** Secrets are masked in messages; identifiers (ARNs, hostnames) are shown so they can be found. */
  readonly secret: boolean;
  readonly find: (value: string, context: ValueContext, options: ResolvedOptions) => string[];
}

interface ResolvedOptions {
  readonly allowed: Set<string>;
  readonly internalHostnames: string[];
}

const AWS_PARTITIONS = 'aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc';
const ARN = new RegExp(`\\barn:(?:${AWS_PARTITIONS}):[a-z0-9-]+:[a-z0-9-]*:([^:\\s"'\`]*):[^\\s"'\`<>)\\]]+`, 'g');
const ACCOUNT_ID = /(?<!\d)(?<!\d\.)\d{12}(?!\d)(?!\.\d)/g;
const SECRET_NAME =
  /pass(word|wd|phrase)?$|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|credential|^authorization$|^x-api-key$|^cookie$|^set-cookie$|signature/i;
/** Names about a secret that are not the secret: `SecretID`, `token_type`, `password_hint`. */
const NOT_A_SECRET_NAME =
  /(id|ids|name|names|type|types|count|url|uri|length|hint|expires?|expiry|created|updated|(expires|created|updated)_?at)$/i;
const EXAMPLE_KEYS = new Set(['example', 'examples', 'x-example', 'x-examples', 'default', 'const']);
/** Keys that structure a document without naming what a value is for. */
const STRUCTURAL_KEYS = new Set([
  ...EXAMPLE_KEYS,
  'value',
  'schema',
  'items',
  'properties',
  'allOf',
  'anyOf',
  'oneOf',
  'content',
  'headers',
  'parameters',
  'enum',
]);
const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|changeme|redacted|your|xxxx|\*\*\*|\.\.\.|<|>|\{|\}|\$|%s/i;

/**
 * The deny-list, one rule a row. Each finds what must never be published in API documentation:
 * AWS account ids and ARNs (they map the deployment), internal hostnames (they map the network),
 * and example values that look like real credentials.
 */
export const SENSITIVE_VALUE_RULES: readonly SensitiveValueRule[] = [
  {
    kind: 'an AWS ARN',
    secret: false,
    find: (value, _context, options) => [...value.matchAll(ARN)].filter((m) => !isPlaceholderAccount(m[1], options)).map((m) => m[0]),
  },
  {
    kind: 'an AWS account id',
    secret: false,
    find: (value, context, options) => {
      const hits: string[] = [];
      for (const match of value.matchAll(ACCOUNT_ID)) {
        const id = match[0];
        if (options.allowed.has(id)) continue;
        const before = value.slice(Math.max(0, match.index! - 40), match.index);
        const after = value.slice(match.index! + id.length, match.index! + id.length + 40);
        const awsContext =
          context.names.some((n) => /account/i.test(n)) ||
          /account\b[^0-9]{0,25}$/i.test(before) ||
          /^\.dkr\.ecr\./.test(after) ||
          /amazonaws\.com(\.cn)?\/$/.test(before) ||
          /arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:$/.test(before);
        if (awsContext && !arnContains(value, id)) hits.push(id);
      }
      return hits;
    },
  },
  {
    kind: 'an AWS access key id',
    secret: true,
    find: (value, _context, options) =>
      matches(value, /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g).filter((v) => !options.allowed.has(v)),
  },
  {
    kind: 'a private key',
    secret: true,
    find: (value) => matches(value, /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g),
  },
  {
    kind: 'a JSON Web Token',
    secret: true,
    find: (value) => matches(value, /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g),
  },
  {
    kind: 'a well-known API token format',
    secret: true,
    find: (value) =>
      matches(
        value,
        /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/g,
      ),
  },
  {
    kind: 'a URL with a password',
    secret: true,
    find: (value) =>
      [...value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/gi)].filter((m) => !isPlaceholderSecret(m[1])).map((m) => m[0]),
  },
  {
    kind: 'an example value that looks like a secret',
    secret: true,
    find: (value, context, options) => {
      const name = context.names[context.names.length - 1];
      if (!context.inExample || context.isKey || name === undefined || !SECRET_NAME.test(name) || NOT_A_SECRET_NAME.test(name)) return [];
      const candidate = value.replace(/^(Bearer|Basic|Token|Digest)\s+/i, '').trim();
      if (options.allowed.has(candidate) || !looksRandom(candidate)) return [];
      return [value];
    },
  },
  {
    kind: 'an internal hostname',
    secret: false,
    find: (value, _context, options) => findInternalHosts(value, options),
  },
];

/**
 * Finds every value of the document that the deny-list names. An empty result means the
 * document may be published. Keys are checked as well as values, and numbers as well as strings.
 */
export function findSensitiveValues(document: JsonObject, options: SensitiveValueOptions = {}): SensitiveValueFinding[] {
  const resolved: ResolvedOptions = {
    allowed: new Set([...DOCUMENTATION_PLACEHOLDERS, ...(options.allowedValues ?? [])]),
    internalHostnames: (options.internalHostnames ?? []).map((h) => h.toLowerCase().replace(/^\*?\.?/, '')),
  };
  const findings: SensitiveValueFinding[] = [];
  const check = (value: string, pointer: string, context: ValueContext): void => {
    if (resolved.allowed.has(value)) return;
    const seen = new Set<string>();
    for (const rule of SENSITIVE_VALUE_RULES) {
      for (const hit of rule.find(value, context, resolved)) {
        if (seen.has(hit) || resolved.allowed.has(hit)) continue;
        seen.add(hit);
        findings.push({ pointer, kind: rule.kind, preview: rule.secret ? mask(hit) : truncate(hit) });
      }
    }
  };
  const walk = (node: unknown, pointer: string, names: string[], inExample: boolean): void => {
    if (typeof node === 'string') {
      // A `pattern` is a regular expression, and a `$ref` a pointer into the document: neither is data.
      const key = names[names.length - 1];
      if (key !== 'pattern' && key !== '$ref') check(node, pointer, { names, inExample, isKey: false });
      return;
    }
    if (typeof node === 'number') {
      if (Number.isInteger(node)) check(String(node), pointer, { names, inExample, isKey: false });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`, names, inExample));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const object = node as JsonObject;
    // A parameter's or header's example is described by the parameter's name.
    const ownName = typeof object.name === 'string' && typeof object.in === 'string' ? [object.name] : [];
    for (const [key, value] of Object.entries(object)) {
      const childPointer = `${pointer}/${escapePointer(key)}`;
      check(key, childPointer, { names, inExample, isKey: true });
      walk(
        value,
        childPointer,
        STRUCTURAL_KEYS.has(key) || /^\d+$/.test(key) ? [...names, ...ownName] : [...names, ...ownName, key],
        inExample || EXAMPLE_KEYS.has(key),
      );
    }
  };
  walk(document, '', [], false);
  return findings;
}

/** The synth error for findings: each JSON pointer, what it looks like, and how to resolve it. */
export function formatFindings(findings: SensitiveValueFinding[]): string {
  const lines = findings.map((f) => `  ${f.pointer || '/'}: ${f.kind} (${f.preview})`);
  return (
    `the public API documentation would publish ${findings.length} sensitive value${findings.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n` +
    'Remove them from the OpenAPI document, mark their operations internal (x-internal: true or docs.internalOperations), ' +
    'or list values that are safe to publish in docs.allowedValues.'
  );
}

function isPlaceholderAccount(account: string, options: ResolvedOptions): boolean {
  // `arn:aws:acm:region:account:certificate/...`: a template, not an ARN of anything.
  if (account !== '' && !/^\d{12}$/.test(account)) return true;
  return options.allowed.has(account);
}

function arnContains(value: string, id: string): boolean {
  return [...value.matchAll(ARN)].some((m) => m[1] === id);
}

const PRIVATE_IPV4 =
  /^(?:10\.\d{1,3}|127\.\d{1,3}|169\.254|192\.168|172\.(?:1[6-9]|2\d|3[01])|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7]))\.\d{1,3}\.\d{1,3}$/;
const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?(\[[0-9a-f:]+\]|[^\s/:?#"'`<>)\]\\]+)/gi;
const HOSTNAME =
  /(?<![A-Za-z0-9@._-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?![A-Za-z0-9_-])/g;

/** Top-level names and suffixes that are never reachable from the internet, and AWS endpoints of backends. */
const INTERNAL_SUFFIXES = [
  'internal',
  'local',
  'localdomain',
  'localhost',
  'lan',
  'corp',
  'intranet',
  'intra',
  'private',
  'home.arpa',
  'svc',
  'compute.amazonaws.com',
  'elb.amazonaws.com',
  'rds.amazonaws.com',
  'cache.amazonaws.com',
  'es.amazonaws.com',
  'aoss.amazonaws.com',
  'vpce.amazonaws.com',
];

/**
 * Internal hosts: any hostname under an internal suffix (in a URL or in prose), and, in URLs only,
 * `localhost`, loopback and private IP addresses. (A bare private address in an example is data, as in
 * an API that manages networks; an address in a URL is a host someone meant to call.)
 */
function findInternalHosts(value: string, options: ResolvedOptions): string[] {
  const suffixes = [...INTERNAL_SUFFIXES, ...options.internalHostnames];
  const isInternalName = (name: string): boolean =>
    suffixes.some((s) => name.endsWith(`.${s}`) || name === s) || /\.lambda-url\.[a-z0-9-]+\.on\.aws$/.test(name);
  const hits: string[] = [];
  for (const match of value.matchAll(URL_HOST)) {
    const host = match[1].toLowerCase();
    if (host === 'localhost' || host === '[::1]' || PRIVATE_IPV4.test(host) || isInternalName(host)) hits.push(match[1]);
  }
  for (const host of matches(value, HOSTNAME)) {
    if (!hits.includes(host) && isInternalName(host.toLowerCase())) hits.push(host);
  }
  return hits;
}

/** A credential-like string: long, varied characters, no spaces, not a placeholder. */
function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value) || value.includes('://') || isPlaceholderSecret(value)) return false;
  // Mixed case or letters with digits: words joined by dashes (`img-authz-plugin`) are not keys.
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((c) => c.test(value)).length;
  return classes >= 2 && shannonEntropy(value) >= 3.5;
}

function isPlaceholderSecret(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value) || /^(.)\1+$/.test(value) || /^(password|secret|pass|token|string|null)$/i.test(value);
}

function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function matches(value: string, pattern: RegExp): string[] {
  return [...value.matchAll(pattern)].map((m) => m[0]);
}

function mask(secret: string): string {
  return `${secret.slice(0, 4)}… ${secret.length} characters`;
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
