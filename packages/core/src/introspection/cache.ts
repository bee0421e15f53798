// Active answers remembered by a hash of the token: bounded in entries (least recently used
// evicted) and in time (`maxAge`, and never past the token's own `exp`). An entry past `maxAge`
// is kept only for `staleIfError`, where an outage may use it; inactive answers are not kept.
import type { JWTClaims } from '../types.js';

interface Entry {
  readonly claims: JWTClaims;
  /** Epoch ms until which the answer is used without asking again. */
  readonly freshUntil: number;
  /** Epoch ms until which the answer may stand in for an endpoint that is down. */
  readonly usableUntil: number;
}

/**
 * A remembered answer: `fresh` ones are used as they are, others only while the endpoint is
 * down.
 *
 * @example
 * const hit: CachedAnswer | undefined = cache.get(key, Date.now());
 */
export interface CachedAnswer {
  readonly claims: JWTClaims;
  readonly fresh: boolean;
}

/**
 * The bounded answer cache of one introspecting issuer.
 *
 * @example
 * const cache = new IntrospectionCache(1000, 30_000, 0);
 * cache.set(key, claims, Date.now());
 */
export class IntrospectionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly staleIfErrorMs: number,
  ) {}

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The answer remembered under `key`, if it may still be used at `now` (epoch ms). */
  get(key: string, now: number): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.usableUntil) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { claims: entry.claims, fresh: now < entry.freshUntil };
  }

  /** Remember an active answer received at `now`, unless it is already past its bound. */
  set(key: string, claims: JWTClaims, now: number): void {
    const exp =
      typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : Infinity;
    const freshUntil = Math.min(now + this.maxAgeMs, exp);
    const usableUntil = Math.min(freshUntil + this.staleIfErrorMs, exp);
    this.entries.delete(key);
    if (freshUntil <= now) return;
    this.entries.set(key, { claims, freshUntil, usableUntil });
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
  }
}
