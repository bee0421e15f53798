/**
 * When an unknown `kid` may trigger a refetch: a cooldown, a small rotation budget, and a
 * bounded negative cache of `kid`s the current set is known not to hold.
 *
 * Budget vs flood resistance: after any fetch, the next `cooldownDuration` ms form a
 * window in which at most `rotationBudget` extra fetches are allowed for unknown `kid`s.
 * A larger budget shortens the time a freshly rotated key can be rejected (a key published
 * right after our fetch is picked up by the next token that carries it, not only after the
 * cooldown), but lets a flood of random `kid`s cost up to `1 + rotationBudget` fetches per
 * window instead of 1. With the defaults (30 s, 2) an attacker sending any number of random
 * `kid`s causes at most 3 fetches per 30 s per key source; a budget of 0 gives jose's
 * behaviour (one fetch per cooldown, a rotated key may be refused for up to 30 s). The budget
 * can be used up by an attacker just before a genuine rotation; the rotated key is then
 * accepted when the window ends (at most `cooldownDuration` later). Unknown `kid`s are
 * remembered for one cooldown (bounded to `NEGATIVE_CACHE_SIZE` entries) so repeats of the
 * same random `kid` are refused without even checking the budget. Failed fetches count too,
 * so an outage never raises the fetch rate; while the last fetch failed, a token whose `kid`
 * the budget cannot look up any more is answered 503 (its key may have rotated meanwhile), not
 * refused as a forgery.
 */

/** Most unknown `kid`s remembered; the oldest is forgotten first. */
export const NEGATIVE_CACHE_SIZE = 1000;

/** The refetch gate of one key source. Time is epoch ms from the caller. */
export class RefetchPolicy {
  private windowStart = Number.NEGATIVE_INFINITY;
  private budgetUsed = 0;
  private readonly unknown = new Map<string, number>();
  /** Consecutive failed fetches (any kind), for the backoff. */
  failures = 0;
  /** Epoch ms before which no fetch is tried after a failure (exponential backoff). */
  nextAttemptAt = 0;

  constructor(
    private readonly cooldownMs: number,
    private readonly budget: number,
  ) {}

  /** Record that a fetch (of any kind) starts now; opens a new window after the cooldown. */
  noteFetch(now: number): void {
    if (now - this.windowStart >= this.cooldownMs) {
      this.windowStart = now;
      this.budgetUsed = 0;
    }
  }

  /** May an unknown `kid` trigger a fetch now? Consumes budget inside a window. */
  tryAcquire(now: number): boolean {
    if (now - this.windowStart >= this.cooldownMs) return true;
    if (this.budgetUsed >= this.budget) return false;
    this.budgetUsed += 1;
    return true;
  }

  /** Is this `kid` known to be absent (within one cooldown)? */
  isKnownUnknown(kid: string, now: number): boolean {
    const until = this.unknown.get(kid);
    if (until === undefined) return false;
    if (until > now) return true;
    this.unknown.delete(kid);
    return false;
  }

  /** Remember that the set fetched at or after `now` does not hold `kid`. */
  rememberUnknown(kid: string, now: number): void {
    this.unknown.delete(kid);
    this.unknown.set(kid, now + this.cooldownMs);
    if (this.unknown.size > NEGATIVE_CACHE_SIZE) {
      const oldest = this.unknown.keys().next().value;
      if (oldest !== undefined) this.unknown.delete(oldest);
    }
  }
}
