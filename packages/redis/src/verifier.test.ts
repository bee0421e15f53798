// The stores wired into @tokengate/core's verifier, as two instances of one API would use
// them, each with its own client (node-redis on one, ioredis on the other).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, RevokedTokenError } from '@tokengate/core';
import {
  createKeyRing,
  createTokenIssuer,
  generateSigningKey,
  type KeyRing,
} from '@tokengate/issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStores, type RedisStores, RedisUnavailableError } from './index.js';
import { CLIENT_LIBRARIES, type TestClient } from './test-support/clients.js';
import { startRedisServer, type TestRedisServer } from './test-support/redis-server.js';

const ISSUER = 'https://id.example';
const policy = { issuer: ISSUER, audience: 'api', typ: 'rfc9068' } as const;

let server: TestRedisServer;
let ring: KeyRing;
let jwksServer: Server;
let jwksUri: string;
let fetches = 0;
const clients: TestClient[] = [];
let first: RedisStores;
let second: RedisStores;

beforeAll(async () => {
  server = await startRedisServer();
  ring = createKeyRing(await generateSigningKey('ES256'));
  jwksServer = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(ring.jwks()));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  const [[, nodeRedis], [, ioredis]] = CLIENT_LIBRARIES as [
    (typeof CLIENT_LIBRARIES)[0],
    (typeof CLIENT_LIBRARIES)[0],
  ];
  clients.push(await nodeRedis(server.url), await ioredis(server.url));
  const stores = (client: TestClient) =>
    createRedisStores({ client: client.client, prefix: 'api:', timeout: 300 });
  first = stores(clients[0]!);
  second = stores(clients[1]!);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await new Promise((resolve) => jwksServer?.close(resolve));
  await server?.close();
});

// The clients reconnect by themselves after a restart; wait (bounded) until both answer.
async function untilAnswering(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const claims = [first, second].map((s) =>
      Promise.resolve(s.replay.claim(`${attempt}-${Math.random()}`, Date.now() + 1000)),
    );
    if ((await Promise.allSettled(claims)).every((r) => r.status === 'fulfilled')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the clients did not reconnect');
}

const accessToken = async (subject = 'user-1') => {
  const tokens = createTokenIssuer({
    issuer: ISSUER,
    audience: 'api',
    keys: ring,
    store: first.refreshTokens,
  });
  return (await tokens.issueTokens(subject, { client_id: 'app' })).access_token;
};

describe('the revocation list as the verifier hook', () => {
  const verifierOf = (stores: RedisStores) =>
    createVerifier({ ...policy, keys: ring.jwks(), isRevoked: stores.revocations.isRevoked });

  it('refuses on one instance a token revoked through the other', async () => {
    const [a, b] = [verifierOf(first), verifierOf(second)];
    const token = await accessToken();
    const auth = await b.verify(token);
    await first.revocations.revokeToken(auth.claims as { jti: string; exp: number });
    await expect(a.verify(token)).rejects.toBeInstanceOf(RevokedTokenError);
    await expect(b.verify(token)).rejects.toBeInstanceOf(RevokedTokenError);
    await expect(b.verify(await accessToken())).resolves.toMatchObject({
      claims: { sub: 'user-1' },
    });
  });

  it('refuses the tokens of a revoked subject on every instance', async () => {
    const token = await accessToken('user-2');
    await second.revocations.revokeSubject('user-2', Date.now() + 1000);
    await expect(verifierOf(first).verify(token)).rejects.toBeInstanceOf(RevokedTokenError);
  });

  it('answers 503 with Retry-After while Redis is down (never 401, never accepted), and recovers', async () => {
    const verifier = verifierOf(first);
    const token = await accessToken('user-3');
    await expect(verifier.verify(token)).resolves.toBeDefined();
    await server.kill();
    const error = await verifier.verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as RedisUnavailableError).toResponse()).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: { error: 'temporarily_unavailable', code: 'ERR_REDIS_UNAVAILABLE' },
    });
    await server.restart();
    // The same verifier and client, once the client has reconnected by itself.
    await untilAnswering();
    await expect(verifier.verify(token)).resolves.toMatchObject({ claims: { sub: 'user-3' } });
  });
});

describe('the JWKS cache', () => {
  const verifierOf = (stores: RedisStores) =>
    createVerifier({ ...policy, jwksUri, jwks: { store: stores.jwksCache } });

  it('lets a second instance verify with the set the first one fetched', async () => {
    const token = await accessToken();
    fetches = 0;
    await verifierOf(first).verify(token);
    expect(fetches).toBe(1);
    // The verifier writes the set to its store without waiting for the write.
    for (
      let attempt = 0;
      attempt < 100 && (await second.jwksCache.get(jwksUri)) === undefined;
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await verifierOf(second).verify(token);
    expect(fetches).toBe(1);
  });

  it('fetches the set itself while Redis is down: the cache is not needed to verify', async () => {
    const token = await accessToken();
    await server.kill();
    fetches = 0;
    await expect(verifierOf(second).verify(token)).resolves.toBeDefined();
    expect(fetches).toBe(1);
    await server.restart();
    await untilAnswering();
  });
});

describe('the cost of the revocation check', () => {
  it('verifies the same token with and without it (printed: µs per verification)', async () => {
    const token = await accessToken();
    const without = createVerifier({ ...policy, keys: ring.jwks() });
    const withRedis = createVerifier({
      ...policy,
      keys: ring.jwks(),
      isRevoked: first.revocations.isRevoked,
    });
    // One request after the other: the latency a request pays, not the throughput.
    const perVerification = async (verifier: typeof without, rounds: number) => {
      const started = performance.now();
      for (let round = 0; round < rounds; round++) {
        expect((await verifier.verify(token)).claims.sub).toBe('user-1');
      }
      return ((performance.now() - started) * 1000) / rounds;
    };
    await perVerification(without, 100);
    await perVerification(withRedis, 100);
    const plain = await perVerification(without, 1000);
    const revocable = await perVerification(withRedis, 1000);
    console.info(
      `[redis] verification of a cached token: ${plain.toFixed(1)} µs without, ${revocable.toFixed(1)} µs with the Redis revocation check (node-redis, sequential)`,
    );
  });
});
