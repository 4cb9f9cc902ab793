// Runs the bundled authorizer (assets/lambda/authorizer/index.js, the file Lambda runs) in a fresh
// Node process, the way the Lambda runtime does: require the module, call `handler` per event.
// Events arrive over IPC; outcomes go back over IPC; the handler's own log lines go to stdout.
const bundle = require(process.argv[2]);
process.on('message', async ({ id, event }) => {
  try {
    const result = await bundle.handler(event);
    process.send({ id, result });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.send({ ready: true });
