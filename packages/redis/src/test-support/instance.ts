// One instance of an example API with its issuer, sharing its state through Redis: run as a
// child process by two-instances.test.ts (twice, one per client library). It prints
// `{"port": N}` once listening.
//   POST /login   {"sub"}            → a token pair; {"sub", "jkt"}: a DPoP-bound access token
//   POST /refresh {"refresh_token"}  → a new pair; 400 invalid_grant; 503 while Redis is down
//   GET  /me                         → {"sub", "jti"} of the verified token
//   POST /revoke                     → revokes the presented access token (its jti)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isTokengateError } from '@tokengate/core';
import { createKeyRing, createTokenIssuer, importSigningKey } from '@tokengate/issuer';
import { jwtAuth } from '@tokengate/node';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createRedisStores } from '../index.js';
import { connectIoredis } from './clients.js';

const REDIS_URL = process.env.REDIS_URL!;
const SECRET = process.env.SECRET!;
const CLIENT = process.env.CLIENT;
// Generous: 1,000 requests at once on a small shared machine are slow, not an outage.
const TIMEOUT = 10_000;
const ISSUER = 'https://id.example';

async function connect() {
  if (CLIENT === 'ioredis') return connectIoredis(Redis, REDIS_URL);
  const client = createClient({
    url: REDIS_URL,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 50 },
  });
  client.on('error', () => {});
  return client.connect();
}

const stores = createRedisStores({ client: await connect(), prefix: 'api:', timeout: TIMEOUT });
const keys = createKeyRing(await importSigningKey(SECRET, 'HS256'));
const tokens = createTokenIssuer({
  issuer: ISSUER,
  audience: 'api',
  keys,
  store: stores.refreshTokens,
});
// Both instances serve one public origin, as behind a load balancer: a proof made for one is
// good at the other, which only the shared replay store can refuse (RFC 9449 §11.1).
const protect = jwtAuth({
  secret: SECRET,
  issuer: ISSUER,
  audience: 'api',
  isRevoked: stores.revocations.isRevoked,
  dpop: { mode: 'allowed', origin: 'https://api.example', replayStore: stores.replay },
});

async function login(given: Record<string, string>) {
  const sub = given.sub!;
  if (given.jkt === undefined) return tokens.issueTokens(sub);
  const bound = { cnf: { jkt: given.jkt } };
  return {
    access_token: await tokens.sign(bound, { subject: sub, audience: 'api', expiresIn: 300 }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: object = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}

// Token-endpoint failures: 400 invalid_grant, or 503 temporarily_unavailable while Redis is down.
async function tokenEndpoint(res: ServerResponse, run: () => Promise<unknown>): Promise<void> {
  try {
    send(res, 200, await run(), { 'cache-control': 'no-store' });
  } catch (error) {
    if (!isTokengateError(error)) throw error;
    const { status, headers, body: json } = error.toResponse();
    send(res, status, json, headers);
  }
}

const me = protect((_req, res, auth) =>
  send(res, 200, { sub: auth?.claims.sub, jti: auth?.claims.jti }),
);
const revoke = protect(async (_req, res, auth) => {
  await stores.revocations.revokeToken(auth!.claims as { jti: string; exp?: number });
  send(res, 204, undefined);
});

const server = createServer((req, res) => {
  const route = `${req.method} ${req.url}`;
  const handle = async () => {
    if (route === 'POST /login') return tokenEndpoint(res, async () => login(await body(req)));
    if (route === 'POST /refresh') {
      return tokenEndpoint(res, async () => tokens.refresh((await body(req)).refresh_token ?? ''));
    }
    if (route === 'GET /me') return me(req, res);
    if (route === 'POST /revoke') return revoke(req, res);
    send(res, 404, { error: 'not_found' });
  };
  handle().catch(() => send(res, 500, { error: 'server_error' }));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address?.port }));
});
