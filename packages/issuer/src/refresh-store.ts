/**
 * What the issuer keeps about a refresh token (never the token itself: only its hash).
 *
 * @example
 * const expiresAt = Date.now() + 86_400_000;
 * await store.insert(hash, { familyId, subject: 'u1', claims: {}, expiresAt });
 */
export interface RefreshTokenRecord {
  /** All tokens rotated from one login share a family; reuse revokes the whole family. */
  familyId: string;
  /** The `sub` of the access tokens this refresh token mints. */
  subject: string;
  /** Extra claims copied into every access token of the family. */
  claims: Record<string, unknown>;
  /** Epoch ms after which the token is refused. */
  expiresAt: number;
  /**
   * RFC 7638 thumbprint of the DPoP key the family is bound to (RFC 9449 §5): a refresh needs
   * a proof by that key. Absent: not bound. A store must keep it like every other field.
   */
  jkt?: string;
}

/**
 * A stored record with its state.
 *
 * @example
 * const record = await store.get(hash);
 * if (record?.state === 'rotated') console.log('rotated at', record.rotatedAt);
 */
export interface StoredRefreshToken extends RefreshTokenRecord {
  /** `active`: usable once; `rotated`: already exchanged; `revoked`: its family was revoked. */
  state: 'active' | 'rotated' | 'revoked';
  /** Epoch ms of the rotation, for `rotated` tokens. */
  rotatedAt?: number;
}

/**
 * Outcome of {@link RefreshTokenStore.rotate}.
 *
 * @example
 * const result = await store.rotate(hash, next, Date.now());
 * if (!result.ok) console.log('not rotated; the token is', result.current?.state ?? 'unknown');
 */
export type RotateResult =
  | { ok: true; previous: StoredRefreshToken }
  | { ok: false; current: StoredRefreshToken | undefined };

/**
 * Where refresh tokens live, keyed by the SHA-256 hash of the token (base64url). Implement it
 * over Redis, SQL, ... to share tokens between instances; `rotate` must be atomic.
 *
 * @example
 * const tokens = createTokenIssuer({ ...options, store: new MemoryRefreshTokenStore() });
 */
export interface RefreshTokenStore {
  /** Store a new `active` token. */
  insert(hash: string, record: RefreshTokenRecord): Promise<void>;
  /** The record of a token, whatever its state. */
  get(hash: string): Promise<StoredRefreshToken | undefined>;
  /**
   * Atomic compare-and-swap: only if `hash` is `active` and `expiresAt > now`, mark it
   * `rotated` at `now` and insert `next` as `active`; otherwise change nothing and return the
   * current record. Of two concurrent calls for the same hash, exactly one gets `ok: true`.
   */
  rotate(
    hash: string,
    next: { hash: string; record: RefreshTokenRecord },
    now: number,
  ): Promise<RotateResult>;
  /** Mark every token of the family `revoked`. */
  revokeFamily(familyId: string): Promise<void>;
}

/**
 * Options of {@link MemoryRefreshTokenStore}.
 *
 * @example
 * const store = new MemoryRefreshTokenStore({ pruneEvery: 100 });
 */
export interface MemoryRefreshTokenStoreOptions {
  /** Drop expired records after this many writes. Default 1000. */
  pruneEvery?: number;
}

/**
 * The default store: one process's memory. Tokens vanish on restart and are not shared
 * between instances; use a shared store for that.
 *
 * @example
 * const store = new MemoryRefreshTokenStore();
 */
export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly #tokens = new Map<string, StoredRefreshToken>();
  readonly #families = new Map<string, Set<string>>();
  readonly #pruneEvery: number;
  #writes = 0;

  constructor(options: MemoryRefreshTokenStoreOptions = {}) {
    this.#pruneEvery = options.pruneEvery ?? 1000;
  }

  /** Number of records held (any state). */
  get size(): number {
    return this.#tokens.size;
  }

  async insert(hash: string, record: RefreshTokenRecord): Promise<void> {
    this.#put(hash, record);
  }

  async get(hash: string): Promise<StoredRefreshToken | undefined> {
    const found = this.#tokens.get(hash);
    return found && structuredClone(found);
  }

  // No `await` between the check and the writes: that is what makes this atomic in one process.
  async rotate(
    hash: string,
    next: { hash: string; record: RefreshTokenRecord },
    now: number,
  ): Promise<RotateResult> {
    const current = this.#tokens.get(hash);
    if (!current || current.state !== 'active' || current.expiresAt <= now) {
      return { ok: false, current: current && structuredClone(current) };
    }
    const previous = structuredClone(current);
    current.state = 'rotated';
    current.rotatedAt = now;
    this.#put(next.hash, next.record);
    return { ok: true, previous };
  }

  async revokeFamily(familyId: string): Promise<void> {
    for (const hash of this.#families.get(familyId) ?? []) {
      const token = this.#tokens.get(hash);
      if (token) token.state = 'revoked';
    }
  }

  // Deep copies in and out: a caller changing `claims.perms` later must not change what
  // refreshed tokens carry.
  #put(hash: string, record: RefreshTokenRecord): void {
    this.#tokens.set(hash, { ...structuredClone(record), state: 'active' });
    const family = this.#families.get(record.familyId) ?? new Set<string>();
    this.#families.set(record.familyId, family);
    family.add(hash);
    if (++this.#writes % this.#pruneEvery === 0) this.#prune(Date.now());
  }

  #prune(now: number): void {
    for (const [hash, token] of this.#tokens) {
      if (token.expiresAt > now) continue;
      this.#tokens.delete(hash);
      const family = this.#families.get(token.familyId);
      family?.delete(hash);
      if (family?.size === 0) this.#families.delete(token.familyId);
    }
  }
}
