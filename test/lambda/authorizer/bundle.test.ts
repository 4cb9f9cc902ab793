import { ChildProcess, fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USAGE_IDENTIFIER_ENV } from '../../../contracts/api-keys';
import { AUTHORIZER_ENV, AUTHORIZER_ROUTES_FILE } from '../../../contracts/authorizer-config';
import { AUTHORIZER_METRICS, AUTHORIZER_METRICS_ENV } from '../../../contracts/authorizer-metrics';
import { configFor, ordersScopeMap, requestEvent } from './support/harness';
import { API_AUDIENCE, TestIdp } from './support/idp';

// The bundle Lambda runs (assets/lambda/authorizer/index.js, built by `npm run build:lambda`) in a
// fresh Node process that trusts the IdP only through NODE_EXTRA_CA_CERTS, configured only through
// its environment and the scope map next to it (routes.json), exactly as the construct packages it.
const BUNDLE = join(__dirname, '..', '..', '..', 'assets', 'lambda', 'authorizer', 'index.js');

let idp: TestIdp;
let dir: string;

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run 'npm run build:lambda' first`);
  dir = mkdtempSync(join(tmpdir(), 'secureapi-bundle-'));
  // A private copy, so a concurrent rebuild of assets/ cannot pull the file away mid-test.
  copyFileSync(BUNDLE, join(dir, 'index.js'));
  writeFileSync(join(dir, AUTHORIZER_ROUTES_FILE), JSON.stringify(ordersScopeMap()));
  idp = await TestIdp.start();
});

afterAll(async () => {
  await idp?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** A Lambda-like process running the bundle. */
class BundleProcess {
  static async start(env: { [name: string]: string }): Promise<BundleProcess> {
    const child = fork(join(__dirname, 'support', 'run-bundle.js'), [join(dir, 'index.js')], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const started = new BundleProcess(child);
    await new Promise((resolve) => child.once('message', resolve));
    return started;
  }

  stdout = '';
  private nextId = 0;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk) => (this.stdout += String(chunk)));
  }

  invoke(
    event: unknown,
  ): Promise<{ result?: { policyDocument: { Statement: Array<{ Effect: string }> }; context?: object }; error?: string }> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const onMessage = (m: { id: number }) => {
        if (m.id !== id) return;
        this.child.off('message', onMessage);
        resolve(m as never);
      };
      this.child.on('message', onMessage);
      this.child.send({ id, event });
    });
  }

  /** The handler's log lines so far, parsed (each must be one JSON document). */
  async logLines(): Promise<Array<{ [key: string]: unknown }>> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return this.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}

function lambdaEnvironment(extra: { [name: string]: string } = {}): { [name: string]: string } {
  return {
    [AUTHORIZER_ENV.config]: JSON.stringify(configFor({ issuer: idp.issuer, audience: [API_AUDIENCE], tokenTypes: ['at+jwt'] })),
    [AUTHORIZER_METRICS_ENV.apiName]: 'OrdersApi',
    ...extra,
  };
}

describe('the bundled handler in a fresh process', () => {
  let lambda: BundleProcess;
  beforeAll(async () => {
    lambda = await BundleProcess.start(lambdaEnvironment({ NODE_EXTRA_CA_CERTS: idp.caFile }));
  });
  afterAll(async () => {
    await lambda?.stop();
  });

  it('verifies ES256 and RS256 tokens through discovery and the JWKS over HTTPS, trusting the IdP through NODE_EXTRA_CA_CERTS', async () => {
    for (const client of ['es', 'rs'] as const) {
      const answer = await lambda.invoke(requestEvent(`Bearer ${await idp.token(client, 'orders:read')}`, 'GET /orders/{orderId}'));
      expect(answer.error).toBeUndefined();
      expect(answer.result!.policyDocument.Statement[0].Effect).toBe('Allow');
      expect(answer.result!.context).toMatchObject({ client_id: `${client}-client`, scopes: 'orders:read' });
    }
    expect(await idp.counts()).toMatchObject({ discovery: 1, jwks: 1 });
  });

  it('enforces the scope map read from routes.json next to the handler, as the construct packages it', async () => {
    const answer = await lambda.invoke(requestEvent(`Bearer ${await idp.token('es', 'orders:read')}`, 'POST /orders/{orderId}/refunds'));
    expect(answer.result!.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  it('answers a bad token with exactly Error("Unauthorized") and one EMF log line with the reason', async () => {
    const before = (await lambda.logLines()).length;
    const answer = await lambda.invoke(requestEvent('Bearer not.a.token'));
    expect(answer).toEqual({ id: expect.any(Number), error: 'Unauthorized' });
    const lines = (await lambda.logLines()).slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      status: 401,
      requestId: 'req-1',
      operation: 'GET /orders/{orderId}',
      [AUTHORIZER_METRICS.apiDimension]: 'OrdersApi',
      [AUTHORIZER_METRICS.reasonDimension]: 'malformed_token',
      [AUTHORIZER_METRICS.rejections]: 1,
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: AUTHORIZER_METRICS.defaultNamespace,
            Dimensions: [[AUTHORIZER_METRICS.apiDimension, AUTHORIZER_METRICS.reasonDimension]],
            Metrics: [{ Name: AUTHORIZER_METRICS.rejections, Unit: 'Count' }],
          },
        ],
      },
    });
  });
});

describe('the bundled handler, misconfigured', () => {
  /** Starts the bundle with `environment`, checks that it refuses a valid token, and returns the reasons it logged. */
  async function reasonsRefusingAValidToken(environment: Parameters<typeof BundleProcess.start>[0]): Promise<unknown[]> {
    const lambda = await BundleProcess.start(environment);
    try {
      const answer = await lambda.invoke(requestEvent(`Bearer ${await idp.token('es', 'orders:read')}`));
      expect(answer.error).toBe('Unauthorized');
      return (await lambda.logLines()).map((l) => l.Reason);
    } finally {
      await lambda.stop();
    }
  }

  it('does not trust the IdP without NODE_EXTRA_CA_CERTS', async () => {
    expect(await reasonsRefusingAValidToken(lambdaEnvironment())).toEqual(['jwks_unavailable']);
  });

  it('refuses every request, logging config_invalid, when its configuration is missing', async () => {
    expect(await reasonsRefusingAValidToken({ NODE_EXTRA_CA_CERTS: idp.caFile })).toEqual(['config_invalid']);
  });

  it('refuses every request when the API-key mapping of ApiKeySource.authorizer() is malformed', async () => {
    expect(
      await reasonsRefusingAValidToken(lambdaEnvironment({ NODE_EXTRA_CA_CERTS: idp.caFile, [USAGE_IDENTIFIER_ENV]: '{"claim":7}' })),
    ).toEqual(['config_invalid']);
  });

  it('refuses every request when the scope-map file is missing', async () => {
    expect(
      await reasonsRefusingAValidToken(
        lambdaEnvironment({ NODE_EXTRA_CA_CERTS: idp.caFile, [AUTHORIZER_ENV.routesFile]: join(dir, 'missing.json') }),
      ),
    ).toEqual(['config_invalid']);
  });
});
