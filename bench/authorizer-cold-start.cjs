// One cold start, in a fresh Node process started by bench/authorizer.bench.mjs: require the bundled
// handler, then verify the first token, which fetches the JWKS from the local HTTPS server. Prints
// {"requireMs", "firstMs", "totalMs"} measured from this script's first line (Node's own start-up is
// the same for every handler and left out; the parent also reports the wall time of the whole process).
const start = performance.now();
const handler = require(process.argv[2]).handler;
const required = performance.now();
const event = JSON.parse(process.env.BENCH_EVENT);
handler(event).then(
  (result) => {
    const done = performance.now();
    const effect = result.policyDocument.Statement[0].Effect;
    process.stdout.write(JSON.stringify({ effect, requireMs: required - start, firstMs: done - required, totalMs: done - start }) + '\n');
  },
  (error) => {
    process.stdout.write(JSON.stringify({ error: String(error) }) + '\n');
    process.exitCode = 1;
  },
);
