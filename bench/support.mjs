// Helpers shared by the benchmark scripts.

/** The median of a list of numbers (the mean of the two middle values for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A numeric command-line flag `--name N`, or the fallback when it is absent. */
export function numberFlag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

/**
 * Bundles TypeScript from lib/ into one CommonJS file a benchmark can require, with packages left
 * external (so aws-cdk-lib and friends load from node_modules as they do for users).
 * `source` is either `{ entryPoints: [...] }` or `{ stdin: { contents, resolveDir, loader: 'ts' } }`.
 */
export async function bundleLibForBench(build, root, outfile, source) {
  await build({
    absWorkingDir: root,
    ...source,
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
}
