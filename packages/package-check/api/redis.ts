/**
 * Shared state on Redis or Valkey: refresh-token store, revocation list, DPoP replay store, JWKS cache.
 *
 * @module @tokengate/redis
 */
export * from '../../redis/src/index.js';
