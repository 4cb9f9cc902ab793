// The integration test's probe: the requests that need a secret (a Cognito client secret, an API key), made
// inside the test stack so that no secret reaches the assertion provider's event, its logs or the template.
// It returns status codes and response bodies only. Bundled at synth (integ/support.ts) with its SigV4 signer;
// the AWS SDK v3 clients it imports are the ones the Lambda Node.js runtime provides.
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import { signedHeaders } from '../sigv4.mjs';

const cognito = new CognitoIdentityProviderClient({});
const secrets = new SecretsManagerClient({});
const env = process.env;

async function accessToken(scope) {
  const { UserPoolClient: client } = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: env.USER_POOL_ID, ClientId: env.CLIENT_ID }),
  );
  const basic = Buffer.from(`${client.ClientId}:${client.ClientSecret}`).toString('base64');
  const response = await fetch(env.TOKEN_URL, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()).access_token;
}

async function apiKey(stage = 'AWSCURRENT') {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: env.KEY_SECRET_ARN, VersionStage: stage }));
  return JSON.parse(SecretString).apiKey;
}

async function call({ method = 'GET', path, scope, key, contentType, body }) {
  const headers = {};
  if (scope !== undefined) headers.authorization = `Bearer ${await accessToken(scope)}`;
  if (key !== undefined) headers['x-api-key'] = key;
  if (contentType !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${env.API_URL}${path}`, { method, headers, body });
  return { status: response.status, body: await response.text() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function handler(event) {
  switch (event.probe) {
    // One request with a fresh client-credentials token for `scope` (and the consumer's current key if asked).
    case 'request': {
      const key = event.withKey ? await apiKey() : undefined;
      return call({ ...event.request, key });
    }
    // `count` requests at once: the stage's burst limit must answer some with 429.
    case 'burst': {
      const token = await accessToken(event.scope);
      const responses = await Promise.all(
        Array.from({ length: event.count }, () => fetch(`${env.API_URL}${event.path}`, { headers: { authorization: `Bearer ${token}` } })),
      );
      const statuses = responses.map((r) => r.status);
      return { sawThrottle: statuses.includes(429), sawSuccess: statuses.includes(200) };
    }
    // Rotate the consumer's key now; then both the superseded and the new key must be accepted (grace period).
    case 'rotation': {
      const before = await apiKey();
      const { VersionIdsToStages: stagesBefore } = await secrets.send(new DescribeSecretCommand({ SecretId: env.KEY_SECRET_ARN }));
      const current = Object.keys(stagesBefore).find((v) => stagesBefore[v].includes('AWSCURRENT'));
      await secrets.send(new RotateSecretCommand({ SecretId: env.KEY_SECRET_ARN, RotateImmediately: true }));
      for (let i = 0; i < 60; i++) {
        const { VersionIdsToStages: stages } = await secrets.send(new DescribeSecretCommand({ SecretId: env.KEY_SECRET_ARN }));
        if (!stages[current]?.includes('AWSCURRENT')) break;
        await sleep(5000);
      }
      const after = await apiKey();
      await sleep(30000); // API Gateway applies a new key to the usage plan within seconds
      const scope = event.scope;
      const old = await call({ path: event.path, scope, key: before });
      const renewed = await call({ path: event.path, scope, key: after });
      return { rotated: before !== after, oldKey: old.status, newKey: renewed.status };
    }
    // A GET signed with SigV4 as the probe's own role (IAM operations), with the runtime's credentials.
    case 'sigv4': {
      const target = new URL(`${env.API_URL}${event.path}`);
      const response = await fetch(target, { method: 'GET', headers: await signedHeaders('GET', target) });
      return { status: response.status, body: await response.text() };
    }
    // A request with client-sent (forged) identity headers, to the echo backend behind a VPC link
    // (integ/integ.backends-net.ts): what arrived in each identity header. 'caller' means exactly the token's
    // client (the sub of a client-credentials token is its client id); anything else is returned as seen.
    case 'identity': {
      const headers = { ...event.headers };
      if (event.scope !== undefined) headers.authorization = `Bearer ${await accessToken(event.scope)}`;
      const response = await fetch(`${env.API_URL}${event.path}`, { headers });
      if (response.status !== 200) return { status: response.status };
      const seen = await response.json();
      const values = (name) => seen.headers?.[name] ?? null;
      const asCaller = (v) => (JSON.stringify(v) === JSON.stringify([env.CLIENT_ID]) ? 'caller' : v);
      const forged = Object.values(event.headers ?? {});
      return {
        status: response.status,
        backendPath: seen.path,
        sub: asCaller(values('x-secureapi-caller-sub')),
        clientId: asCaller(values('x-secureapi-caller-client-id')),
        scopes: values('x-secureapi-caller-scopes'),
        forgedSeen: Object.values(seen.headers ?? {}).some((list) => list.some((v) => forged.includes(v))),
      };
    }
    default:
      throw new Error(`unknown probe '${event.probe}'`);
  }
}
