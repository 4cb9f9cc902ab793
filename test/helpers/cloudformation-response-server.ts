import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** What a custom-resource handler sent to its ResponseURL. */
export interface ReceivedResponse {
  readonly method?: string;
  readonly body: Record<string, unknown>;
}

/**
 * A local stand-in for CloudFormation's pre-signed response URL: an HTTP server on 127.0.0.1 that
 * records every response a custom-resource handler PUTs to it.
 */
export class CloudFormationResponseServer {
  public readonly received: ReceivedResponse[] = [];
  private readonly server: Server;
  private port = 0;

  constructor() {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        this.received.push({ method: request.method, body: JSON.parse(body) });
        response.end();
      });
    });
  }

  public async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The ResponseURL to put in events; `query` imitates a pre-signed URL's signature. */
  public url(query = ''): string {
    return `http://127.0.0.1:${this.port}/response${query}`;
  }

  /**
   * A custom-resource event that answers to this server, for the resource named by `resource`.
   * `responseUrl` defaults to {@link url}; `overrides` replace any field (RequestType, properties...).
   */
  public event(
    resource: {
      readonly LogicalResourceId: string;
      readonly ResourceType: string;
      readonly ResourceProperties: { ServiceToken: string; [key: string]: unknown };
    },
    responseUrl: string,
    overrides: Partial<CloudFormationCustomResourceEvent> = {},
  ): CloudFormationCustomResourceEvent {
    return {
      RequestType: 'Create',
      ServiceToken: resource.ResourceProperties.ServiceToken,
      ResponseURL: responseUrl,
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/s/1',
      RequestId: 'r-1',
      ...resource,
      ...overrides,
    } as CloudFormationCustomResourceEvent;
  }

  public clear(): void {
    this.received.length = 0;
  }

  public stop(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A CloudFormationResponseServer for the handler tests of one describe block: started before them, emptied
 * before each, stopped after them. `event` builds an event of `resource` whose ResponseURL is the server's,
 * with `query` (a pre-signed URL's signature, say) appended.
 */
export function responseServerForTests(
  resource: Parameters<CloudFormationResponseServer['event']>[0],
  query = '',
): {
  readonly received: ReceivedResponse[];
  readonly event: (overrides?: Partial<CloudFormationCustomResourceEvent>) => CloudFormationCustomResourceEvent;
} {
  const server = new CloudFormationResponseServer();
  beforeAll(() => server.start());
  beforeEach(() => server.clear());
  afterAll(() => server.stop());
  return { received: server.received, event: (overrides = {}) => server.event(resource, server.url(query), overrides) };
}
