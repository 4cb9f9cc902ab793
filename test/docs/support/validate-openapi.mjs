// Validates OpenAPI documents with @apidevtools/swagger-parser, which is ESM-only and so runs
// outside jest. Reads a JSON array of documents on stdin; writes a JSON array of verdicts
// (null when valid, else the error message).
import SwaggerParser from '@apidevtools/swagger-parser';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const verdicts = [];
for (const document of JSON.parse(input)) {
  try {
    await SwaggerParser.validate(document, { resolve: { external: false } });
    verdicts.push(null);
  } catch (error) {
    verdicts.push(String(error.message ?? error));
  }
}
process.stdout.write(JSON.stringify(verdicts));
