// The integ apps' probes (integ/support.ts probeCode): bundled at synth by esbuild into one file that needs nothing
// from the Lambda runtime but Node.js and the AWS SDK v3 clients the runtime provides, byte-identical wherever the
// checkout is, so the asset hash is stable. The SigV4 signing is checked against the signer with the SDK's own SHA-256.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { isBuiltin } from 'node:module';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Sha256Node } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { App } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import { buildGrantsInteg } from '../../integ/integ.grants';
import { probeBundleOptions } from '../../integ/support';

const root = path.join(__dirname, '..', '..');

/** The probe bundle as probeCode builds it, from the checkout at `from`. */
function bundle(folder: string, from = root): string {
  const result = buildSync({
    ...probeBundleOptions(folder),
    absWorkingDir: from,
    outfile: path.join(os.tmpdir(), 'index.js'),
    write: false,
  });
  return result.outputFiles[0].text;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Module names the bundle still requires at run time. */
const requiredModules = (code: string) => [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort();

describe('the grant probe bundle', () => {
  const env = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token',
  };
  let dir: string;
  let server: http.Server;
  let seen: http.IncomingHttpHeaders[];
  let apiUrl: string;
  beforeAll(async () => {
    // Outside the checkout: no node_modules to fall back on.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grant-probe-'));
    fs.writeFileSync(path.join(dir, 'index.js'), bundle('grant-probe'));
    seen = [];
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(req.headers.authorization === undefined ? 403 : 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = async (event: object) => {
    const script = `require('./index.js').handler(${JSON.stringify(event)}).then((r) => process.stdout.write(JSON.stringify(r)))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...env, API_URL: apiUrl },
    });
    return JSON.parse(stdout);
  };

  it('requires nothing but Node.js built-ins', () => {
    expect(requiredModules(bundle('grant-probe')).filter((m) => !m.startsWith('node:') && !isBuiltin(m))).toEqual([]);
  });

  it("runs from an empty directory and signs the request with the role's credentials, as the SDK's signer does", async () => {
    expect(await run({ path: '/reports/42' })).toEqual({ status: 200 });
    const headers = seen.at(-1)!;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-security-token']).toBe('session-token');
    // The same request, signed at the same instant by the signer with the SDK's SHA-256: the same signature.
    const date = String(headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
    const url = new URL(apiUrl);
    const expected = await new SignatureV4({
      service: 'execute-api',
      region: env.AWS_REGION,
      sha256: Sha256Node,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
    }).sign(
      { method: 'GET', protocol: url.protocol, hostname: url.hostname, path: '/v1/reports/42', headers: { host: url.hostname } },
      { signingDate: new Date(date) },
    );
    expect(headers.authorization).toBe(expected.headers.authorization);
  });

  it('sends no signature when asked for an unsigned call', async () => {
    expect(await run({ path: '/reports/42', signed: false })).toEqual({ status: 403 });
    expect(seen.at(-1)!.authorization).toBeUndefined();
    expect(seen.at(-1)!['x-amz-security-token']).toBeUndefined();
  });
});

describe('the probe bundle', () => {
  it('requires only Node.js built-ins and the AWS SDK v3 clients the Lambda runtime provides', () => {
    const external = requiredModules(bundle('probe')).filter((m) => !m.startsWith('node:') && !isBuiltin(m));
    expect(external).toEqual(['@aws-sdk/client-cognito-identity-provider', '@aws-sdk/client-secrets-manager']);
  });
});

describe('the probe assets', () => {
  it('are byte-identical from another checkout directory, and name no path', () => {
    // A second checkout of the probes and the signer, in a directory of another name and depth.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'other-checkout-'));
    try {
      fs.cpSync(path.join(root, 'integ'), path.join(other, 'nested', 'integ'), { recursive: true });
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(other, 'nested', 'node_modules'));
      for (const folder of ['grant-probe', 'probe']) {
        const code = bundle(folder);
        expect(sha256(bundle(folder, path.join(other, 'nested')))).toBe(sha256(code));
        expect(code).not.toMatch(/node_modules|\/work\/|\/home\/|\/tmp\//);
        expect(code).not.toContain(root);
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('get the same asset hash on every synth', () => {
    const probeAsset = () => {
      const app = new App();
      const { stack } = buildGrantsInteg(app);
      const resources = app.synth().getStackByName(stack.stackName).template.Resources as Record<string, { Type: string; Properties: any }>;
      const probe = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Probe'))!;
      return probe[1].Properties.Code.S3Key as string;
    };
    const first = probeAsset();
    expect(first).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(probeAsset()).toBe(first);
  });
});
