// The esbuild options every handler bundle is built with (scripts/bundle-lambdas.mjs), shared with the
// benchmarks so they measure exactly what ships. They keep the output byte-identical on every machine:
// no source maps, no absolute paths, no legal-comment banners, a fixed target.
export function lambdaBundleOptions(root) {
  return {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  };
}
