/**
 * `cdk-secure-api report [cdk.out] [--format json|markdown] [--fail-on partial|not-covered|weakened]`:
 * prints the security report of every SecureApi in a cloud assembly, and exits non-zero when a
 * `--fail-on` condition holds, so CI can gate a merge. Reads only the report files written at synth.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { renderReportMarkdown } from './markdown';
import { SecurityReport } from './types';

export const USAGE = 'usage: cdk-secure-api report [cdk.out] [--format json|markdown] [--fail-on partial|not-covered|weakened]';

const FAIL_ON = ['partial', 'not-covered', 'weakened'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface ReportCommand {
  readonly assembly: string;
  readonly format: 'json' | 'markdown';
  readonly failOn: FailOn[];
}

/** Parses the arguments after the program name; throws with the usage on anything unknown. */
export function parseArgs(argv: string[]): ReportCommand {
  const [command, ...rest] = argv;
  if (command !== 'report') throw new Error(USAGE);
  let assembly: string | undefined;
  let format: 'json' | 'markdown' = 'markdown';
  const failOn: FailOn[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--format' || flag === '--fail-on') {
      const value = inline ?? rest[++i];
      if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      if (flag === '--format') {
        if (value !== 'json' && value !== 'markdown') throw new Error(`--format must be json or markdown, got '${value}'\n${USAGE}`);
        format = value;
      } else {
        for (const v of value.split(',')) {
          if (!(FAIL_ON as readonly string[]).includes(v))
            throw new Error(`--fail-on must be partial, not-covered or weakened, got '${v}'\n${USAGE}`);
          failOn.push(v as FailOn);
        }
      }
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option '${arg}'\n${USAGE}`);
    } else if (assembly === undefined) {
      assembly = arg;
    } else {
      throw new Error(`unexpected argument '${arg}'\n${USAGE}`);
    }
  }
  return { assembly: assembly ?? 'cdk.out', format, failOn };
}

/** Report files in a cloud assembly, nested assemblies (stages) included, sorted. */
export function findReportFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (name.endsWith('.secure-api-report.json')) out.push(full);
    else if (name.startsWith('assembly-') && statSync(full).isDirectory()) out.push(...findReportFiles(full));
  }
  return out;
}

/** Which `--fail-on` conditions a report meets, each with what triggered it. */
export function failures(report: SecurityReport, failOn: FailOn[]): string[] {
  const out: string[] = [];
  const where = `${report.api.stack}/${report.api.path}`;
  if (failOn.includes('partial') || failOn.includes('not-covered')) {
    const bad = report.owasp.filter((f) => f.status === 'not covered' || (failOn.includes('partial') && f.status === 'partial'));
    for (const f of bad) out.push(`${where}: ${f.id} ${f.title} is ${f.status}`);
  }
  if (failOn.includes('weakened')) {
    for (const w of report.attackSurface.weakenedDefaults)
      out.push(`${where}: weakened default ${w.prop}${w.resource ? ` (${w.resource})` : ''}: ${w.detail}`);
  }
  return out;
}

/** Runs the CLI; returns the exit code: 0 fine, 1 a --fail-on condition holds, 2 usage or input error. */
export function runCli(argv: string[], io: CliIo): number {
  let command: ReportCommand;
  try {
    command = parseArgs(argv);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 2;
  }
  if (!existsSync(command.assembly) || !statSync(command.assembly).isDirectory()) {
    io.stderr(`cdk-secure-api: no cloud assembly at '${command.assembly}' (run cdk synth first)\n`);
    return 2;
  }
  const files = findReportFiles(command.assembly);
  if (files.length === 0) {
    io.stderr(`cdk-secure-api: no SecureApi security report in '${command.assembly}' (synthesize an app that uses SecureApi)\n`);
    return 2;
  }
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as SecurityReport);
  io.stdout(command.format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(renderReportMarkdown).join('\n'));
  const failed = reports.flatMap((r) => failures(r, command.failOn));
  for (const line of failed) io.stderr(`FAIL ${line}\n`);
  return failed.length > 0 ? 1 : 0;
}
