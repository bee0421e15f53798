// The DPoP replay store (RFC 9449 §11.1) on Redis: one `SET key 1 NX PXAT expiresAt` per
// proof, which Redis runs atomically, so of two instances claiming the same proof one wins.
import type { ReplayStore } from '@tokengate/core';
import type { RedisCommands } from './client.js';

/**
 * A `ReplayStore` for `dpop: { replayStore }` shared by every instance.
 *
 * @example
 * const verifier = createVerifier({ ...options, dpop: { origin, replayStore: redisReplayStore(commands, 'app:') } });
 */
export function redisReplayStore(commands: RedisCommands, prefix: string): ReplayStore {
  return {
    claim(key, expiresAt) {
      if (typeof key !== 'string' || key === '') {
        return Promise.reject(new TypeError('"key" must be a non-empty string'));
      }
      if (!Number.isFinite(expiresAt)) {
        return Promise.reject(new TypeError('"expiresAt" must be epoch milliseconds'));
      }
      return commands.set(`${prefix}dpop:${key}`, '1', { nx: true, pxat: Math.ceil(expiresAt) });
    },
  };
}
