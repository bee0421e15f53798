export type { RedisClientLike } from './client.js';
export { RedisUnavailableError, type RedisUnavailableReason } from './errors.js';
export type { RedisJwksCacheOptions } from './jwks-cache.js';
export type { RedisRevocationOptions, RedisRevocations } from './revocations.js';
export { createRedisStores, type RedisStores, type RedisStoresOptions } from './stores.js';
