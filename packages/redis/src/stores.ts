import type { JwksCacheStore, ReplayStore } from '@tokengate/core';
import type { RefreshTokenStore } from '@tokengate/issuer';
import { type RedisClientLike, redisCommands } from './client.js';
import { type RedisJwksCacheOptions, redisJwksCache } from './jwks-cache.js';
import { redisRefreshTokenStore } from './refresh-store.js';
import { redisReplayStore } from './replay.js';
import {
  type RedisRevocationOptions,
  type RedisRevocations,
  redisRevocations,
} from './revocations.js';

/**
 * Options of {@link createRedisStores}.
 *
 * @example
 * const options: RedisStoresOptions = { client, prefix: 'shop-api:', timeout: 500 };
 */
export interface RedisStoresOptions {
  /**
   * A connected node-redis (`redis` 5 or later, client or cluster), ioredis or iovalkey
   * client. Let it fail fast while disconnected (node-redis `disableOfflineQueue: true`,
   * ioredis `enableOfflineQueue: false`): a queued command could otherwise run after its
   * store call timed out.
   */
  client: RedisClientLike;
  /** Prefix of every key. Default `'tokengate:'`. */
  prefix?: string;
  /** Longest wait for one store operation, ms; past it the call rejects with `RedisUnavailableError`. Default 1000. */
  timeout?: number;
  /** `Retry-After` of `RedisUnavailableError`, seconds. Default 5. */
  retryAfter?: number;
  /** Options of the revocation list. */
  revocations?: RedisRevocationOptions;
  /** Options of the JWKS cache. */
  jwksCache?: RedisJwksCacheOptions;
}

/**
 * The four shared stores, over one client.
 *
 * @example
 * const { refreshTokens, revocations, replay, jwksCache }: RedisStores = createRedisStores({ client });
 */
export interface RedisStores {
  /** For `createTokenIssuer({ store })`. */
  refreshTokens: RefreshTokenStore;
  /** `revokeToken` / `revokeSubject` / `revokeClaim`, and `isRevoked` for `createVerifier({ isRevoked })`. */
  revocations: RedisRevocations;
  /** For `createVerifier({ dpop: { replayStore } })` and the issuer's DPoP proof checks. */
  replay: ReplayStore;
  /** For `createVerifier({ jwks: { store } })`. */
  jwksCache: JwksCacheStore;
}

/**
 * Shared state for every instance of an API or issuer, on the Redis (or Valkey) client the
 * application already has. Every call rejects with a `RedisUnavailableError` (503,
 * `Retry-After`) when Redis is down or slower than `timeout`, and works again once it is back.
 *
 * @example
 * const stores = createRedisStores({ client: await createClient({ url, disableOfflineQueue: true }).connect() });
 * const tokens = createTokenIssuer({ issuer, audience, keys, store: stores.refreshTokens });
 * const verifier = createVerifier({ jwksUri, issuer, audience, isRevoked: stores.revocations.isRevoked });
 */
export function createRedisStores(options: RedisStoresOptions): RedisStores {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createRedisStores() needs { client }');
  }
  const prefix = options.prefix ?? 'tokengate:';
  if (typeof prefix !== 'string') throw new TypeError('"prefix" must be a string');
  const commands = redisCommands(options.client, {
    timeout: options.timeout,
    retryAfter: options.retryAfter,
  });
  return {
    refreshTokens: redisRefreshTokenStore(commands, prefix),
    revocations: redisRevocations(commands, prefix, options.revocations),
    replay: redisReplayStore(commands, prefix),
    jwksCache: redisJwksCache(commands, prefix, options.jwksCache),
  };
}
