import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

// Bad configuration is a synth error through the one idiom (SecureApiConfigError / PropCheck). A plain
// `new Error(` in lib/ is allowed only for an internal invariant (a bug in SecureApi, not in the user's
// props): it is listed here, file by file, and marked in the code by the comment below on the line above.
const INVARIANT_MARK = '// Invariant (a bug, not configuration):';
const ALLOWED_INVARIANTS: { [file: string]: number } = {
  'lib/access/api-access.ts': 2,
  'lib/access/authorization-flow.ts': 2,
  'lib/access/invoke-routes.ts': 1,
  'lib/account/api-gateway-account-logging.ts': 1,
  'lib/auth/cognito-server.ts': 1,
  'lib/auth/scope-map.ts': 2,
  'lib/common/acknowledge.ts': 1,
  'lib/common/bundled-handler.ts': 1,
  'lib/common/content-addressed-directory.ts': 1,
  'lib/common/least-privilege-role.ts': 1,
  'lib/docs/api-docs.ts': 1,
  'lib/integrations/caller-identity.ts': 1,
  'lib/docs/docs-publishing.ts': 1,
  'lib/integrations/operation-integration.ts': 1,
  'lib/observability/api-logs.ts': 4,
  'lib/openapi/body-contribution.ts': 1,
  'lib/openapi/gateway-responses.ts': 2,
  'lib/waf/capacity.ts': 5,
};

// The `cdk-secure-api report` command line: its usage errors are about arguments, not a construct's props,
// and carry the usage text. Counted, so a new plain Error there is still noticed.
const COMMAND_LINE_USAGE_ERRORS: { [file: string]: number } = {
  'lib/report/cli.ts': 6,
};

const ROOT = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/**
 * The mark sits on the line above the throw, or above the `if` whose condition the formatter put on the
 * line before a long throw (`if (bad)\n  throw new Error(...)`).
 */
function markedAbove(lines: string[], i: number): boolean {
  const above = (lines[i - 1] ?? '').trim();
  if (above.startsWith(INVARIANT_MARK)) return true;
  return /^if \(.*\)$/.test(above) && (lines[i - 2] ?? '').trim().startsWith(INVARIANT_MARK);
}

/** Every `new Error(` in lib/, with whether the line above carries the invariant mark. */
function plainErrors(): Array<{ file: string; line: number; marked: boolean }> {
  return sourceFiles('lib').flatMap((file) => {
    const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    return lines.flatMap((text, i) => (/\bnew Error\(/.test(text) ? [{ file, line: i + 1, marked: markedAbove(lines, i) }] : []));
  });
}

describe('configuration errors in lib/', () => {
  const found = plainErrors();

  it('throw a plain Error only at the listed invariant sites', () => {
    const counts: { [file: string]: number } = {};
    for (const { file } of found) counts[file] = (counts[file] ?? 0) + 1;
    expect(counts).toEqual({ ...ALLOWED_INVARIANTS, ...COMMAND_LINE_USAGE_ERRORS });
  });

  it('mark every plain Error as an invariant, on the line above it', () => {
    expect(
      found.filter((site) => !site.marked && !(site.file in COMMAND_LINE_USAGE_ERRORS)).map(({ file, line }) => `${file}:${line}`),
    ).toEqual([]);
  });
});
