// A real OpenID provider for the authorizer tests: oidc-provider (ESM-only, so it runs in its own
// process, started by test/lambda/authorizer/support/idp.ts) behind an HTTPS server on 127.0.0.1
// with a throwaway self-signed certificate. It issues RFC 9068 JWT access tokens by client_credentials.
// The parent steers it over IPC: the keys it publishes and signs with (rotation), and whether it
// answers at all (up, down, hanging, 500), and it reports how often the JWKS and discovery were fetched.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import Provider from 'oidc-provider';

const { IDP_KEY_FILE, IDP_CERT_FILE, IDP_AUDIENCE } = process.env;
const clients = JSON.parse(process.env.IDP_CLIENTS);
const scopes = process.env.IDP_SCOPES;

let mode = 'up';
let counts = { connections: 0, discovery: 0, jwks: 0, token: 0 };
let handle;
let signing = {};
const hanging = new Set();
const sockets = new Set();

const server = createServer({ key: readFileSync(IDP_KEY_FILE), cert: readFileSync(IDP_CERT_FILE) }, (req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/.well-known/openid-configuration') counts.discovery++;
  if (path === '/jwks') counts.jwks++;
  if (path === '/token') counts.token++;
  if (mode === 'down') {
    req.socket.destroy();
    return;
  }
  if (mode === 'hang') {
    hanging.add(res);
    return;
  }
  if (mode === 'error500') {
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"server_error"}');
    return;
  }
  handle(req, res);
});
// "Down": the TCP connection is accepted and reset at once, as by a host with nothing listening behind a load balancer.
server.on('secureConnection', (socket) => {
  if (mode === 'down') socket.destroy();
});
server.on('connection', (socket) => {
  counts.connections++;
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  if (mode === 'down') socket.destroy();
});

function providerFor(issuer, jwks) {
  const provider = new Provider(issuer, {
    jwks,
    clients,
    scopes: scopes.split(' '),
    clientDefaults: {
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => IDP_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, _resource, client) => {
          const alg = client.clientId.startsWith('es-') ? 'ES256' : 'RS256';
          return {
            scope: scopes,
            audience: IDP_AUDIENCE,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg, kid: signing[alg] } },
          };
        },
      },
    },
  });
  provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider: ${error.stack}\n`));
  return provider.callback();
}

process.on('message', (message) => {
  const reply = (body = {}) => process.send({ id: message.id, ...body });
  switch (message.type) {
    case 'keys':
      signing = message.signing;
      handle = providerFor(`https://127.0.0.1:${server.address().port}`, message.jwks);
      return reply();
    case 'mode':
      mode = message.mode;
      // Whatever the new mode, clients must open new connections: kept-alive ones would bypass it.
      for (const socket of sockets) socket.destroy();
      if (mode !== 'hang') {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
      return reply();
    case 'counts':
      return reply({ counts });
    case 'reset':
      counts = { connections: 0, discovery: 0, jwks: 0, token: 0 };
      return reply();
    default:
      return reply({ error: `unknown message ${message.type}` });
  }
});

server.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));
