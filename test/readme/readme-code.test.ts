// Every ```ts block of the README compiles against the package's types (lib/index.ts, what the package
// exports as 'cdk-secure-api'), so the README cannot show an option, a name or a shape that does not exist.
// Each block becomes a module: its imports on top, names it uses from the package but does not import added
// (short blocks leave them out), its other lines in the constructor of a Stack (`this` is the scope), and the
// free variables examples lean on (a backend function, a role...) declared with their types below.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The values README examples use without defining them, with their types. */
const FREE_VARIABLES = `
import type { Construct as ReadmeConstruct } from 'constructs';
import type * as readmeIam from 'aws-cdk-lib/aws-iam';
import type * as readmeLambda from 'aws-cdk-lib/aws-lambda';
import type * as readmeS3 from 'aws-cdk-lib/aws-s3';
import { Stack as ReadmeStack } from 'aws-cdk-lib';
import type { OpenApi as ReadmeOpenApi, OperationIntegration as ReadmeIntegration, SecureApi as ReadmeApi, SecureApiProps as ReadmeProps } from 'cdk-secure-api';
declare const app: ReadmeConstruct;
declare const listPetsFn: readmeLambda.IFunction;
declare const petsFn: readmeLambda.IFunction;
declare const backend: readmeLambda.IFunction;
declare const partnerRole: readmeIam.IRole;
declare const hobbyistRole: readmeIam.IRole;
declare const myBucket: readmeS3.IBucket;
declare const openApi: ReadmeOpenApi;
declare const defaultIntegration: ReadmeIntegration;
declare const auth: ReadmeProps['auth'];
declare const api: ReadmeApi;
`;

/** The ```ts blocks (indented ones in lists too, de-indented), with the line each starts on. */
function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    const indent = lines[i].length - lines[i].trimStart().length;
    blocks.push({
      line: start + 1,
      code: lines
        .slice(start, end)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n'),
    });
    i = end;
  }
  return blocks;
}

/** The names lib/index.ts exports (types and values). */
function exportedNames(): string[] {
  const index = fs.readFileSync(path.join(root, 'lib', 'index.ts'), 'utf8');
  const names = new Set<string>();
  for (const match of index.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of match[1].split(',')) {
      const name = item
        .replace(/\btype\b/, '')
        .trim()
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name !== '') names.add(name);
    }
  }
  return [...names];
}

/** One block as a module, as described at the top. */
function blockModule(code: string, exported: string[]): string {
  const lines = code.split('\n');
  const importLines: string[] = [];
  let body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^import\s/.test(lines[i])) {
      let statement = lines[i];
      while (!/;\s*(\/\/.*)?$/.test(statement) && i + 1 < lines.length) statement += `\n${lines[++i]}`;
      importLines.push(statement);
    } else body.push(lines[i]);
  }
  const imported = new Set(importLines.flatMap((s) => [...s.matchAll(/\b([A-Za-z_$][\w$]*)\b/g)].map((m) => m[1])));
  const bodyText = body.join('\n');
  const used = exported.filter((name) => !imported.has(name) && new RegExp(`\\b${name}\\b`).test(bodyText));
  body = [
    'class ReadmeExample extends ReadmeStack {',
    '  constructor() {',
    "    super(app, 'ReadmeExample');",
    ...body.map((l) => `    ${l}`),
    '  }',
    '}',
  ];
  return [
    ...importLines,
    ...(used.length > 0 ? [`import { ${used.join(', ')} } from 'cdk-secure-api';`] : []),
    FREE_VARIABLES,
    ...body,
    'export { ReadmeExample };',
    '',
  ].join('\n');
}

/** Type-checks the README's blocks in one program; returns each block's diagnostics as text. */
function compileReadme(markdown: string): Array<{ line: number; errors: string[] }> {
  const blocks = typescriptBlocks(markdown);
  const exported = exportedNames();
  const files = new Map(
    blocks.map((b, i) => [path.join(root, 'test', 'readme', `__readme_block_${i + 1}.ts`), blockModule(b.code, exported)]),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    experimentalDecorators: true,
    types: ['node'],
    baseUrl: root,
    paths: { 'cdk-secure-api': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.getSourceFile = (f, v, onError, create) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, v) : getSourceFile(f, v, onError, create);
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.keys()].map((file, i) => {
    const source = program.getSourceFile(file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    return {
      line: blocks[i].line,
      errors: diagnostics.map((d) => {
        const at = d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start) : undefined;
        const text = at ? source.text.split('\n')[at.line].trim() : '';
        return `${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (in: ${text})`;
      }),
    };
  });
}

/** Blocks the check must reject: a name the package does not export, and a wrong option shape. */
const BROKEN = [
  '```ts',
  "new SecureApi(this, 'Api', { openApi, defaultIntegration, docs: { publishedExtensions: [...DEFAULT_DENIED_EXTENSIONS, 'x-team'] } });",
  '```',
  '```ts',
  "new SecureApi(this, 'Api', { openApi, defaultIntegration, waf: { rateLimit: 500 } });",
  '```',
].join('\n');

describe('README code', () => {
  // One TypeScript program for the README's blocks and the two broken ones (it type-checks lib/ once).
  let results: Array<{ line: number; errors: string[] }>;
  beforeAll(() => {
    results = compileReadme(`${readme}\n${BROKEN}\n`);
  }, 120_000);

  it('every TypeScript block compiles against the package types', () => {
    const own = results.slice(0, -2);
    expect(own.length).toBeGreaterThanOrEqual(10);
    expect(own.filter((r) => r.errors.length > 0)).toEqual([]);
  });

  it('the check catches a name the package does not export and a wrong option shape', () => {
    const [unexported, wrongShape] = results.slice(-2);
    expect(unexported.errors.join('\n')).toContain("Cannot find name 'DEFAULT_DENIED_EXTENSIONS'");
    expect(wrongShape.errors.join('\n')).toContain("Type 'number' is not assignable to type 'WafRateLimit'");
  });
});
