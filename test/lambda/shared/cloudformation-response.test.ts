import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CustomResourceRequest, sendCloudFormationResponse } from '../../../lambda/shared/cloudformation-response';

/** A stand-in for the pre-signed S3 URL that records the raw request and answers with `status`. */
class ResponseUrl {
  public readonly received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
  public status = 200;
  private readonly server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      this.received.push({ method: request.method, url: request.url, headers: request.headers, body });
      response.statusCode = this.status;
      response.end();
    });
  });

  public async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  public url(pathAndQuery: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${pathAndQuery}`;
  }

  public stop(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const target = new ResponseUrl();
beforeAll(() => target.start());
afterAll(() => target.stop());
beforeEach(() => {
  target.received.length = 0;
  target.status = 200;
});

const event = (): CustomResourceRequest => ({
  ResponseURL: target.url('/bucket/response?X-Amz-Signature=abc&X-Amz-Expires=7200'),
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/s/1',
  RequestId: 'r-1',
  LogicalResourceId: 'Resource',
});

describe('sendCloudFormationResponse', () => {
  it('PUTs the outcome to the pre-signed URL, query string intact', async () => {
    await sendCloudFormationResponse(event(), { status: 'SUCCESS', reason: 'done', physicalResourceId: 'id-1', data: { Arn: 'arn:x' } });
    expect(target.received).toHaveLength(1);
    expect(target.received[0].method).toBe('PUT');
    expect(target.received[0].url).toBe('/bucket/response?X-Amz-Signature=abc&X-Amz-Expires=7200');
    expect(JSON.parse(target.received[0].body)).toEqual({
      Status: 'SUCCESS',
      Reason: 'done',
      PhysicalResourceId: 'id-1',
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/s/1',
      RequestId: 'r-1',
      LogicalResourceId: 'Resource',
      Data: { Arn: 'arn:x' },
    });
  });

  it('sends an empty content type, as the URL was signed without one', async () => {
    await sendCloudFormationResponse(event(), { status: 'SUCCESS', reason: 'done', physicalResourceId: 'id-1' });
    expect(target.received[0].headers['content-type'] ?? '').toBe('');
  });

  it('sends empty Data when the outcome has none', async () => {
    await sendCloudFormationResponse(event(), { status: 'FAILED', reason: 'it broke', physicalResourceId: 'id-1' });
    expect(JSON.parse(target.received[0].body)).toMatchObject({ Status: 'FAILED', Reason: 'it broke', Data: {} });
  });

  it('escapes a reason holding quotes and newlines, so it cannot change another field', async () => {
    const reason = 'bad "x"\n","Status":"SUCCESS';
    await sendCloudFormationResponse(event(), { status: 'FAILED', reason, physicalResourceId: 'id-1' });
    expect(JSON.parse(target.received[0].body)).toMatchObject({ Status: 'FAILED', Reason: reason });
  });

  it('fails when the URL refuses the response, naming the HTTP status', async () => {
    target.status = 403;
    await expect(sendCloudFormationResponse(event(), { status: 'SUCCESS', reason: 'done', physicalResourceId: 'id-1' })).rejects.toThrow(
      'CloudFormation response was refused: HTTP 403',
    );
  });

  it('does not put the response URL (a bearer credential) into the error', async () => {
    target.status = 500;
    const error = await sendCloudFormationResponse(event(), { status: 'SUCCESS', reason: 'done', physicalResourceId: 'id-1' }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).not.toContain('X-Amz-Signature');
  });
});
