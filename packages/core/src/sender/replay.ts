// The default replay store of DPoP proofs (RFC 9449 §11.1): one process's memory, bounded.
import type { ReplayStore } from './types.js';

/**
 * Options of {@link MemoryReplayStore}.
 *
 * @example
 * const options: MemoryReplayStoreOptions = { maxEntries: 500_000 };
 */
export interface MemoryReplayStoreOptions {
  /**
   * Most claims kept at once. When it is reached, the oldest claim is forgotten early: its
   * proof could then be replayed for the rest of its window. Set it above the number of DPoP
   * requests one process serves within the proof window (`dpop.maxAge` plus the clock
   * tolerance). Default 100 000.
   */
  maxEntries?: number;
}

/**
 * A {@link ReplayStore} in this process's memory: `claim` is atomic because it runs to its
 * end without waiting. Expired claims are dropped as new ones arrive; at `maxEntries` the
 * oldest is dropped. Each instance of the API has its own, so behind a load balancer a proof
 * may be replayed once per instance: share a store (Redis) there.
 *
 * @example
 * createVerifier({ ...options, dpop: { origin, replayStore: new MemoryReplayStore({ maxEntries: 500_000 }) } });
 */
export class MemoryReplayStore implements ReplayStore {
  // Claims by key, in the order they were made: their expiry times nearly follow that order.
  readonly #claims = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const { maxEntries = 100_000 } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
      throw new TypeError('"maxEntries" must be a positive integer');
    this.#maxEntries = maxEntries;
  }

  /** The number of claims kept. */
  get size(): number {
    return this.#claims.size;
  }

  /** Claim `key` until `expiresAt` (milliseconds since the epoch); `false` when it is taken. */
  claim(key: string, expiresAt: number): boolean {
    const now = Date.now();
    const held = this.#claims.get(key);
    if (held !== undefined && held > now) return false;
    this.#claims.delete(key);
    this.#dropExpired(now);
    if (this.#claims.size >= this.#maxEntries) this.#dropOldest();
    this.#claims.set(key, expiresAt);
    return true;
  }

  // From the oldest claim on, while they have expired: constant time per claim on average. A
  // claim that expires before an older one stays until the older one goes; a lookup compares
  // its time anyway.
  #dropExpired(now: number): void {
    for (const [key, expiresAt] of this.#claims) {
      if (expiresAt > now) return;
      this.#claims.delete(key);
    }
  }

  #dropOldest(): void {
    for (const key of this.#claims.keys()) {
      this.#claims.delete(key);
      return;
    }
  }
}
