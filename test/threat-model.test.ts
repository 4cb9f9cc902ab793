// THREAT-MODEL.md links each threat to the test that proves its control. This keeps the links true:
// every linked file exists and holds a test of exactly the linked name.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const model = readFileSync(path.join(root, 'THREAT-MODEL.md'), 'utf8');

interface Row {
  readonly section: string;
  readonly threat: string;
  readonly testCell: string;
}

/** The table rows of THREAT-MODEL.md, with the section each stands in. */
export function threatRows(markdown: string): Row[] {
  const rows: Row[] = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!line.startsWith('|') || /^\|\s*(Threat|---)/.test(line)) continue;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    rows.push({ section, threat: cells[0], testCell: cells[2] ?? '' });
  }
  return rows;
}

/** The `file` › `name` links of one Test cell. */
export function testLinks(cell: string): Array<{ file: string; name: string }> {
  return [...cell.matchAll(/`([^`]+\.test\.ts)`\s*›\s*`([^`]+)`/g)].map((m) => ({ file: m[1], name: m[2] }));
}

/** Whether a test file declares a test (or describe block) of exactly this name. */
export function declaresTest(source: string, name: string): boolean {
  return [`'${name.replace(/'/g, "\\'")}'`, `"${name}"`, `\`${name}\``].some((quoted) =>
    new RegExp(`\\b(it|test|describe)(\\.each\\([^)]*\\))?\\(\\s*${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(source),
  );
}

const rows = threatRows(model);

describe('THREAT-MODEL.md', () => {
  it('has rows in every component section', () => {
    expect(rows.length).toBeGreaterThan(5);
  });

  it.each(rows.map((r) => [`${r.section}: ${r.threat}`, r]))('links at least one test for %s', (_label, row) => {
    expect(testLinks((row as Row).testCell).length).toBeGreaterThan(0);
  });

  const links = rows.flatMap((r) => testLinks(r.testCell).map((l) => [`${l.file} › ${l.name}`, l] as const));
  it.each(links)('links a test that exists: %s', (_label, link) => {
    const file = path.join(root, link.file);
    expect(existsSync(file)).toBe(true);
    expect(declaresTest(readFileSync(file, 'utf8'), link.name)).toBe(true);
  });
});

describe('declaresTest', () => {
  it('finds it(), test() and describe() with the exact name only', () => {
    expect(declaresTest("it('rejects a forged token', async () => {})", 'rejects a forged token')).toBe(true);
    expect(declaresTest('test("rejects a forged token", () => {})', 'rejects a forged token')).toBe(true);
    expect(declaresTest("it('rejects a forged token twice', () => {})", 'rejects a forged token')).toBe(false);
    expect(declaresTest('// rejects a forged token', 'rejects a forged token')).toBe(false);
  });

  it('finds names with quotes escaped in the source', () => {
    expect(declaresTest("it('strips the ACM document\\'s extension', () => {})", "strips the ACM document's extension")).toBe(true);
  });
});

describe('testLinks', () => {
  it('reads every file › name link of a cell, and nothing else', () => {
    expect(testLinks('`test/a.test.ts` › `does x`; `test/b.test.ts` › `does y`')).toEqual([
      { file: 'test/a.test.ts', name: 'does x' },
      { file: 'test/b.test.ts', name: 'does y' },
    ]);
    expect(testLinks('— none')).toEqual([]);
  });
});
