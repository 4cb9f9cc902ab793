import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DOCS_FILE_PARAMETER } from '../../../contracts/docs';

type DocsHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** Loads the handler exactly as Lambda does: `index.handler` from the asset folder. */
export function loadAssetHandler(assetDirectory: string): DocsHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the built bundle at run time, as Lambda does
  return require(join(assetDirectory, 'index.js')).handler as DocsHandler;
}

/**
 * The API Gateway proxy event for a GET of the docs route, as a REST API sends it:
 * `stage` is the stage name, `docsPath` the route (`/docs`), `file` the `{file}` parameter.
 */
export function docsEvent(options: {
  stage?: string;
  docsPath?: string;
  file?: string;
  trailingSlash?: boolean;
  method?: string;
  host?: string;
}): APIGatewayProxyEvent {
  const stage = options.stage ?? 'prod';
  const docsPath = options.docsPath ?? '/docs';
  const resource = options.file === undefined ? docsPath : `${docsPath}/{${DOCS_FILE_PARAMETER}}`;
  const path = options.file === undefined ? `${docsPath}${options.trailingSlash ? '/' : ''}` : `${docsPath}/${options.file}`;
  const host = options.host ?? 'abc123.execute-api.eu-west-1.amazonaws.com';
  return {
    httpMethod: options.method ?? 'GET',
    resource,
    path,
    pathParameters: options.file === undefined ? null : { [DOCS_FILE_PARAMETER]: options.file },
    headers: { Host: host },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      domainName: host,
      path: `/${stage}${path}`,
      resourcePath: resource,
      stage,
      requestId: 'test-request-id',
      httpMethod: options.method ?? 'GET',
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/**
 * A static server on 127.0.0.1 that serves exactly what the docs handler serves: each request under
 * `/<stage><docsPath>` becomes the API Gateway event the REST API would send, and the handler's
 * response is returned as is. Anything else is a 404, as API Gateway gives for a route it lacks.
 */
export async function startDocsServer(
  handler: DocsHandler,
  stage = 'prod',
  docsPath = '/docs',
): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const prefix = `/${stage}${docsPath}`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    let event: APIGatewayProxyEvent | undefined;
    if (url.pathname === prefix || url.pathname === `${prefix}/`) {
      event = docsEvent({ stage, docsPath, trailingSlash: url.pathname.endsWith('/'), method: req.method, host: req.headers.host });
    } else if (url.pathname.startsWith(`${prefix}/`) && !url.pathname.slice(prefix.length + 1).includes('/')) {
      event = docsEvent({
        stage,
        docsPath,
        file: decodeURIComponent(url.pathname.slice(prefix.length + 1)),
        method: req.method,
        host: req.headers.host,
      });
    }
    if (event === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"code":"NOT_FOUND"}}');
      return;
    }
    handler(event).then(
      (result) => {
        res.writeHead(result.statusCode, result.headers as { [name: string]: string }).end(result.body);
      },
      (error: Error) => {
        res.writeHead(500).end(error.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, requests };
}
