/**
 * Captures a handler's `console.log` lines for each test of the calling file, and fails a test whose lines match
 * `secretPattern`: the values the tests use for secrets are spelled so that this pattern finds every one.
 */
export function captureLogs(secretPattern: RegExp): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    expect(lines.filter((line) => secretPattern.test(line))).toEqual([]);
  });
  return lines;
}
