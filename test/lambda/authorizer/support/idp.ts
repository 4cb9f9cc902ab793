import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The audience (resource indicator) the test IdP puts into its access tokens. */
export const API_AUDIENCE = 'https://orders.example.com';

/** Every scope the test clients may ask for. */
export const IDP_SCOPES = 'orders:read orders:write orders:admin refunds:write files:read admin';

/** Client credentials of the test IdP: `rs-client` gets RS256 tokens, `es-client` ES256 ones. */
export const CLIENTS = {
  rs: { id: 'rs-client', secret: 'rs-client-secret-for-tests-only' },
  es: { id: 'es-client', secret: 'es-client-secret-for-tests-only' },
} as const;

export type Alg = 'RS256' | 'ES256';

/** A signing key of the test IdP, with its private half so tests can also sign forged tokens. */
export interface TestKey {
  readonly kid: string;
  readonly alg: Alg;
  readonly privateKey: KeyObject;
  /** The private JWK, as oidc-provider wants it. */
  readonly privateJwk: JsonWebKey;
  /** The public JWK, as published in the JWKS. */
  readonly publicJwk: JsonWebKey;
}

/** A new key pair; `withoutAlg` publishes the JWK with no `alg` member, as some IdPs do. */
export function makeKey(kid: string, alg: Alg, withoutAlg = false): TestKey {
  const { privateKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk: JsonWebKey = { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', ...(withoutAlg ? {} : { alg }) };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  return { kid, alg, privateKey, privateJwk, publicJwk };
}

/** A PEM private key re-imported, for tests that need the same key as a KeyObject. */
export function keyObject(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export type IdpMode = 'up' | 'down' | 'hang' | 'error500';

export interface IdpCounts {
  readonly connections: number;
  readonly discovery: number;
  readonly jwks: number;
  readonly token: number;
}

/**
 * oidc-provider on https://127.0.0.1:<port>, in a child process (it is ESM-only), with a certificate
 * made for this run by openssl. Tests trust that certificate explicitly: it is not in any store.
 */
/** Client credentials of a client the IdP registers besides {@link CLIENTS}. */
export interface ClientCredentials {
  readonly id: string;
  readonly secret: string;
}

export class TestIdp {
  /** Starts the IdP with the {@link CLIENTS}, and `extraClients` (for example a partner's `partner-a`). */
  static async start(extraClients: ClientCredentials[] = []): Promise<TestIdp> {
    const dir = mkdtempSync(join(tmpdir(), 'secureapi-idp-'));
    const keyFile = join(dir, 'tls-key.pem');
    const certFile = join(dir, 'tls-cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const child = fork(join(__dirname, 'oidc-server.mjs'), [], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        IDP_KEY_FILE: keyFile,
        IDP_CERT_FILE: certFile,
        IDP_AUDIENCE: API_AUDIENCE,
        IDP_SCOPES,
        IDP_CLIENTS: JSON.stringify(
          [...Object.values(CLIENTS), ...extraClients].map((c) => ({ client_id: c.id, client_secret: c.secret, scope: IDP_SCOPES })),
        ),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`oidc-server exited with ${code}: ${stderr}`)));
    });
    const idp = new TestIdp(child, dir, `https://127.0.0.1:${port}`, readFileSync(certFile, 'utf8'), certFile);
    await idp.publish([makeKey('rs-1', 'RS256'), makeKey('es-1', 'ES256')]);
    return idp;
  }

  /** The keys the IdP publishes now; it signs with the first of each algorithm. */
  keys: TestKey[] = [];
  private nextId = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly issuer: string,
    /** The PEM certificate of the IdP's HTTPS server, the only thing that makes it trusted. */
    readonly ca: string,
    readonly caFile: string,
  ) {}

  key(kid: string): TestKey {
    const key = this.keys.find((k) => k.kid === kid);
    if (key === undefined) throw new Error(`the IdP publishes no key ${kid}`);
    return key;
  }

  /** Publishes `keys` as the JWKS and signs new tokens with the first key of each algorithm. */
  async publish(keys: TestKey[]): Promise<void> {
    this.keys = keys;
    const signing: { [alg: string]: string } = {};
    for (const key of [...keys].reverse()) signing[key.alg] = key.kid;
    await this.send({ type: 'keys', jwks: { keys: keys.map((k) => k.privateJwk) }, signing });
  }

  async setMode(mode: IdpMode): Promise<void> {
    await this.send({ type: 'mode', mode });
  }

  /** TCP connections accepted, and requests for discovery, the JWKS and tokens, since the last reset. */
  async counts(): Promise<IdpCounts> {
    return ((await this.send({ type: 'counts' })) as { counts: IdpCounts }).counts;
  }

  async resetCounts(): Promise<void> {
    await this.send({ type: 'reset' });
  }

  /** An access token from the token endpoint, by client_credentials. */
  async token(client: keyof typeof CLIENTS | ClientCredentials, scope: string): Promise<string> {
    const { id, secret } = typeof client === 'string' ? CLIENTS[client] : client;
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope }).toString();
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${this.issuer}/token`,
        {
          method: 'POST',
          ca: this.ca,
          agent: false,
          headers: {
            authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += String(c)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${response.text}`);
    return JSON.parse(response.text).access_token as string;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill();
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private send(message: object): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const onMessage = (m: { id?: number; error?: string }) => {
        if (m.id !== id) return;
        this.child.off('message', onMessage);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m);
      };
      this.child.on('message', onMessage);
      this.child.send({ id, ...message });
    });
  }
}

/**
 * Makes this process trust the IdP's certificate for outgoing HTTPS, the way NODE_EXTRA_CA_CERTS does
 * for a fresh process: aws-jwt-verify's fetch uses Node's global HTTPS agent. Returns the undo.
 */
export function trustForThisProcess(idp: TestIdp): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('node:https') as typeof import('node:https');
  const previous = https.globalAgent.options.ca;
  https.globalAgent.options.ca = idp.ca;
  return () => {
    https.globalAgent.options.ca = previous;
  };
}
