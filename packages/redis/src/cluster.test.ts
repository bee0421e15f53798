// The stores on a real three-node Redis Cluster, through node-redis's and ioredis's cluster
// clients: a script may only touch keys of one slot (CROSSSLOT otherwise), which the hash tag
// of a refresh-token family guarantees.
import { randomUUID } from 'node:crypto';
import { IssuerError, RefreshTokenReuseError } from '@tokengate/issuer';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClientLike } from './client.js';
import { createRedisStores, type RedisStores } from './index.js';
import { issuerOn } from './test-support/issuer.js';
import { startRedisCluster, type TestRedisCluster } from './test-support/redis-server.js';

let cluster: TestRedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.close());

interface ClusterClient {
  client: RedisClientLike;
  /** The slot of a key, and the node count the client sees. */
  keySlot(key: string): Promise<number>;
  close(): Promise<void>;
}

const CLUSTER_CLIENTS: [string, () => Promise<ClusterClient>][] = [
  [
    'node-redis',
    async () => {
      const client = createCluster({
        rootNodes: [{ url: `redis://127.0.0.1:${cluster.ports[0]}` }],
        defaults: { disableOfflineQueue: true },
      });
      client.on('error', () => {});
      await client.connect();
      return {
        client,
        keySlot: async (key) =>
          Number(await client.sendCommand(key, true, ['CLUSTER', 'KEYSLOT', key])),
        close: async () => client.destroy(),
      };
    },
  ],
  [
    'ioredis',
    async () => {
      const client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0]! }], {
        lazyConnect: true,
      });
      client.on('error', () => {});
      await client.connect();
      return {
        client,
        keySlot: async (key) => Number(await client.call('CLUSTER', 'KEYSLOT', key)),
        close: async () => client.disconnect(),
      };
    },
  ],
];

describe.each(CLUSTER_CLIENTS)('stores on Redis Cluster over %s', (_name, connect) => {
  let test: ClusterClient;
  let stores: RedisStores;
  const prefix = `t${randomUUID()}:`;

  beforeAll(async () => {
    test = await connect();
    stores = createRedisStores({ client: test.client, prefix });
  });
  afterAll(() => test?.close());

  it('keeps the keys of one family on one slot, and other families on others', async () => {
    const slots = new Set(
      await Promise.all(
        [`${prefix}rt:{f1}`, `${prefix}rt:{f1}:t:a`, `${prefix}rt:{f1}:t:b`].map((k) =>
          test.keySlot(k),
        ),
      ),
    );
    expect(slots.size).toBe(1);
    const families = new Set(
      await Promise.all(Array.from({ length: 20 }, (_, i) => test.keySlot(`${prefix}rt:{f${i}}`))),
    );
    expect(families.size).toBeGreaterThan(1);
  });

  it('rotates atomically: one winner of 200 concurrent rotations, reuse revokes the family', async () => {
    const { issuer: tokens, login } = await issuerOn(stores.refreshTokens);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => tokens.refresh(login.refresh_token)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    // Every loser is refused as invalid_grant: as reuse (which revokes the family), or, once an
    // earlier loser has revoked it, as revoked.
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost.every((r) => r.reason instanceof IssuerError)).toBe(true);
    expect(lost.some((r) => r.reason instanceof RefreshTokenReuseError)).toBe(true);
    const successor = (won[0] as PromiseFulfilledResult<{ refresh_token: string }>).value
      .refresh_token;
    await expect(tokens.refresh(successor)).rejects.toMatchObject({ reason: 'revoked' });
  });

  it('revokes by jti and subject, claims replays once and caches JWK Sets across slots', async () => {
    const now = Math.floor(Date.now() / 1000);
    await stores.revocations.revokeToken({ jti: 'j1', exp: now + 60 });
    await stores.revocations.revokeSubject('u1');
    expect(await stores.revocations.isRevoked({ jti: 'j1', sub: 'u2', iat: now })).toBe(true);
    expect(await stores.revocations.isRevoked({ jti: 'j2', sub: 'u1', iat: now - 5 })).toBe(true);
    expect(await stores.revocations.isRevoked({ jti: 'j2', sub: 'u2', iat: now })).toBe(false);
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => stores.replay.claim('p1', Date.now() + 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const entry = { jwks: { keys: [] }, fetchedAt: Date.now() };
    await stores.jwksCache.set('https://id.example/jwks', entry);
    expect(await stores.jwksCache.get('https://id.example/jwks')).toEqual(entry);
  });
});
