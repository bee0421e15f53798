// Redis killed, or too slow, under each client library: every store call rejects with a
// RedisUnavailableError within the timeout, and the same stores work again once Redis is back.
import { randomUUID } from 'node:crypto';
import { IssuerError } from '@tokengate/issuer';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisStores, type RedisStores, RedisUnavailableError } from './index.js';
import { CLIENT_LIBRARIES, type TestClient } from './test-support/clients.js';
import { issuerOn } from './test-support/issuer.js';
import { startRedisServer, type TestRedisServer } from './test-support/redis-server.js';

const TIMEOUT = 300;

let server: TestRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.close());

// Every operation of every store, as a caller would run them.
const operations = (stores: RedisStores): [string, () => Promise<unknown>][] => {
  const record = { familyId: 'f', subject: 'u', claims: {}, expiresAt: Date.now() + 60_000 };
  return [
    ['refreshTokens.insert', () => stores.refreshTokens.insert('h', record)],
    ['refreshTokens.get', () => stores.refreshTokens.get('h')],
    [
      'refreshTokens.rotate',
      () => stores.refreshTokens.rotate('h', { hash: 'h2', record }, Date.now()),
    ],
    ['refreshTokens.revokeFamily', () => stores.refreshTokens.revokeFamily('f')],
    ['revocations.isRevoked', () => stores.revocations.isRevoked({ jti: 'j', sub: 'u', iat: 1 })],
    ['revocations.revokeToken', () => stores.revocations.revokeToken({ jti: 'j' })],
    ['revocations.revokeSubject', () => stores.revocations.revokeSubject('u')],
    ['replay.claim', async () => stores.replay.claim(randomUUID(), Date.now() + 60_000)],
    ['jwksCache.get', async () => stores.jwksCache.get('https://id.example/jwks')],
    [
      'jwksCache.set',
      async () =>
        stores.jwksCache.set('https://id.example/jwks', {
          jwks: { keys: [] },
          fetchedAt: Date.now(),
        }),
    ],
  ];
};

// Bounded: the clients reconnect every 50 ms; give them up to 10 s.
async function untilAnswering(stores: RedisStores): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await stores.replay.claim(randomUUID(), Date.now() + 60_000);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('the client did not reconnect');
}

describe.each(CLIENT_LIBRARIES)('faults over %s', (name, connect) => {
  let test: TestClient;
  let stores: RedisStores;

  beforeAll(async () => {
    test = await connect(server.url);
  });
  afterAll(() => test?.close());
  beforeEach(() => {
    stores = createRedisStores({
      client: test.client,
      prefix: `t${randomUUID()}:`,
      timeout: TIMEOUT,
      retryAfter: 7,
    });
  });

  it('rejects every call with a typed 503 while Redis is down, and works again once it is back', async () => {
    await server.kill();
    let slowest = 0;
    for (const [operation, run] of operations(stores)) {
      const started = performance.now();
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      slowest = Math.max(slowest, performance.now() - started);
      expect(error, operation).toBeInstanceOf(RedisUnavailableError);
      expect((error as RedisUnavailableError).toResponse()).toEqual({
        status: 503,
        headers: { 'Retry-After': '7', 'Cache-Control': 'no-store' },
        body: {
          error: 'temporarily_unavailable',
          error_description: 'The shared token state is temporarily unavailable',
          code: 'ERR_REDIS_UNAVAILABLE',
        },
      });
    }
    console.info(
      `[redis ${name}] Redis down: slowest rejection ${slowest.toFixed(0)} ms (timeout ${TIMEOUT} ms)`,
    );

    await server.restart();
    await untilAnswering(stores);
    for (const [, run] of operations(stores)) await run();
    expect(await stores.refreshTokens.get('h2')).toMatchObject({ state: 'revoked' });
  });

  it('times out on a Redis that does not answer; the refresh token still works after', async () => {
    const { issuer, login } = await issuerOn(stores.refreshTokens);

    server.pause();
    const started = performance.now();
    const error = await issuer.refresh(login.refresh_token).catch((e: unknown) => e);
    const waited = performance.now() - started;
    server.resume();
    console.info(
      `[redis ${name}] Redis paused: refresh rejected after ${waited.toFixed(0)} ms (timeout ${TIMEOUT} ms)`,
    );

    // A temporary failure, not invalid_grant: the client keeps its session and retries.
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error).not.toBeInstanceOf(IssuerError);
    expect(error).toMatchObject({ reason: 'timeout', status: 503 });

    const refreshed = await issuer.refresh(login.refresh_token);
    expect(refreshed.refresh_token).not.toBe(login.refresh_token);
  });
});

describe('a client that was never connected', () => {
  it('rejects with a RedisUnavailableError, not the client library error', async () => {
    const stores = createRedisStores({ client: createClient({ url: server.url }) });
    const error = await Promise.resolve(stores.replay.claim('k', Date.now() + 1000)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error).toMatchObject({ reason: 'error', cause: expect.any(Error) });
  });
});
