/**
 * State that outlives one remote key source: the fetched JWK Sets and the refetch gates,
 * keyed by URL. The `issuers` resolver re-creates key sources when its issuer cache evicts a
 * tenant; without this, each re-created source starts cold with a fresh cooldown and negative
 * cache, so cycling forged tokens over more tenants than the issuer cache holds would force one
 * JWKS fetch per token.
 */

import { RefetchPolicy } from './jwks-policy.js';
import type { JwksCacheEntry, JwksCacheStore } from './remote-options.js';

/** A Map that keeps at most `max` entries, evicting the least recently used. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

/**
 * A bounded in-memory {@link JwksCacheStore}: the least recently used URL is forgotten first.
 *
 * @example
 * const store = new BoundedJwksStore(1000);
 */
export class BoundedJwksStore implements JwksCacheStore {
  private readonly entries: Lru<JwksCacheEntry>;
  constructor(maxEntries: number) {
    this.entries = new Lru(maxEntries);
  }
  /** The entry for a JWKS URL (or discovery issuer). */
  get(uri: string): JwksCacheEntry | undefined {
    return this.entries.get(uri);
  }
  /** Replace the entry for a JWKS URL (or discovery issuer). */
  set(uri: string, entry: JwksCacheEntry): void {
    this.entries.set(uri, entry);
  }
}

/**
 * JWKS state shared by every key source one verifier creates (see the module comment).
 *
 * @example
 * const shared = new SharedJwksState(1000);
 * createKeySource({ jwksUri }, '', shared);
 */
export class SharedJwksState {
  /** The default store of every remote source built with this state. */
  readonly store: BoundedJwksStore;
  private readonly policies: Lru<RefetchPolicy>;

  /** `maxEntries`: most URLs remembered (store and refetch gates each). */
  constructor(maxEntries: number) {
    this.store = new BoundedJwksStore(maxEntries);
    this.policies = new Lru(maxEntries);
  }

  /** The refetch gate (cooldown, rotation budget, negative cache) of one URL. */
  policy(uri: string, cooldownMs: number, budget: number): RefetchPolicy {
    // The tuning is part of the key: two tenants on one URL with different cooldowns do not
    // weaken each other's gate.
    const key = `${cooldownMs}:${budget}:${uri}`;
    let policy = this.policies.get(key);
    if (!policy) {
      policy = new RefetchPolicy(cooldownMs, budget);
      this.policies.set(key, policy);
    }
    return policy;
  }
}
