import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * swagger-parser's `validate()` verdict for each document: `null` when valid, else its message.
 * swagger-parser is ESM-only, so it runs in one child process for the whole batch.
 */
export function swaggerParserVerdicts(documents: unknown[]): Array<string | null> {
  const output = execFileSync(process.execPath, [join(__dirname, 'validate-openapi.mjs')], {
    input: JSON.stringify(documents),
    cwd: join(__dirname, '..', '..', '..'),
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output.toString('utf8')) as Array<string | null>;
}
