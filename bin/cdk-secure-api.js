#!/usr/bin/env node
// The package's command: `cdk-secure-api report [cdk.out] [--format json|markdown] [--fail-on ...]`.
// The implementation is compiled from lib/report/cli.ts into dist/.
'use strict';
const { runCli } = require('../dist/lib/report/cli');

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
