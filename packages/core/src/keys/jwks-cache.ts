/**
 * The JWK Set cache of one remote key source: max age from `Cache-Control` within bounds,
 * refresh ahead of expiry in the background, one fetch in flight, refetch on an unknown
 * `kid` gated by {@link RefetchPolicy}, stale-if-error, and a pluggable store.
 */
import { InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import { type Observer, safely } from '../telemetry/observe.js';
import type { ProtectedHeader } from '../types.js';
import { networkFailure, RemoteFetchError } from './failure.js';
import type { FetchedJson } from './jwks-fetch.js';
import { type ImportedJwk, importJwkSet, selectKeys } from './jwks-keys.js';
import { RefetchPolicy } from './jwks-policy.js';
import { FetchReporter } from './jwks-report.js';
import { raceAbort, readStoredSet, writeStoredSet } from './jwks-store.js';
import { waitUntil } from './jwks-wait.js';
import type { JwksCacheEntry, JwksCacheStore, RemoteJwksOptions } from './remote-options.js';
import type { KeySourceHealth } from './types.js';

/** Fraction of the max age after which a background refresh starts. */
const REFRESH_AHEAD = 0.8;

/** Settings of {@link JwksCache}; every duration in ms. */
export interface JwksCacheConfig {
  /** Store key and hook label (the JWKS URL, or the issuer under discovery). */
  uri: string;
  algorithms: readonly string[];
  /** Fetch the set; must settle once `signal` aborts (after `timeoutMs`). */
  load: (signal: AbortSignal, timeoutMs: number) => Promise<FetchedJson>;
  timeoutDuration: number;
  cooldownDuration: number;
  cacheMaxAge: number;
  minCacheMaxAge: number;
  maxCacheMaxAge: number;
  staleIfErrorDuration: number;
  rotationBudget: number;
  store: JwksCacheStore;
  /** The refetch gate; shared between sources of one URL by the `issuers` resolver. */
  policy?: RefetchPolicy;
  onFetch?: (event: { uri: string; keyCount: number; durationMs: number }) => void;
  onFetchError?: RemoteJwksOptions['onFetchError'];
  onStale?: (event: { uri: string; ageMs: number }) => void;
  /** Where outages are logged and fetches reported. */
  observer?: Observer;
}

interface CurrentSet {
  keys: ImportedJwk[];
  fetchedAt: number;
  maxAge: number;
}

// What a failed fetch threw, as a RemoteFetchError naming its URL and cause.
function remoteError(
  error: unknown,
  uri: string,
  signal: AbortSignal,
  timeoutMs: number,
): RemoteFetchError {
  if (error instanceof RemoteFetchError) return error;
  // `raceAbort` rejects with the signal's reason when an injected `fetch` ignores the signal.
  if (signal.aborted)
    return new RemoteFetchError(uri, { kind: 'timeout', timeoutMs }, { cause: error });
  return new RemoteFetchError(uri, networkFailure(error), { cause: error });
}

/** See the module comment. Construct through `createRemoteKeySource`. */
export class JwksCache {
  private current: CurrentSet | undefined;
  private inflight: Promise<void> | undefined;
  private inflightStartedAt = 0;
  private lastFetchAt: number | undefined;
  private lastError: RemoteFetchError | undefined;
  private successes = 0;
  private storeChecked = false;
  private readonly policy: RefetchPolicy;
  private readonly reporter: FetchReporter;

  constructor(private readonly config: JwksCacheConfig) {
    this.policy =
      config.policy ?? new RefetchPolicy(config.cooldownDuration, config.rotationBudget);
    this.reporter = new FetchReporter(config.uri, config.observer);
  }

  /**
   * The keys for a token without a promise, only when `getKeys` would return them with no side
   * effect: a set within its refresh-ahead age that has the token's keys. Otherwise `undefined`
   * (the caller then awaits `getKeys`, which fetches, refreshes, reports staleness or throws).
   */
  getKeysNow(header: ProtectedHeader): readonly CryptoKey[] | undefined {
    const set = this.current;
    if (!set || (header.kid !== undefined && typeof header.kid !== 'string')) return undefined;
    if (Date.now() - set.fetchedAt >= set.maxAge * REFRESH_AHEAD) return undefined;
    const selection = selectKeys(set.keys, header);
    return selection.kind === 'found' ? selection.keys : undefined;
  }

  /** The keys for a token; throws `InvalidSignatureError` or `KeySetUnavailableError`. */
  async getKeys(header: ProtectedHeader): Promise<CryptoKey[]> {
    if (header.kid !== undefined && typeof header.kid !== 'string') throw this.noMatch();
    const set = await this.usableSet();
    let selection = selectKeys(set.keys, header);
    if (selection.kind === 'unknown-kid') {
      const key = header.kid ?? `\u0000no-kid:${String(header.alg)}`;
      const now = Date.now();
      if (this.policy.isKnownUnknown(key, now)) throw this.noMatch();
      const before = this.successes;
      if (!(await this.refetchForUnknown(now))) throw this.noMatch();
      const fresh = this.current;
      // The refetch failed: a rotated key and a forged kid look alike, so 503 rather than 401.
      if (!fresh || this.successes === before) throw this.unavailable();
      selection = selectKeys(fresh.keys, header);
      if (selection.kind === 'unknown-kid') this.policy.rememberUnknown(key, Date.now());
    }
    if (selection.kind !== 'found') throw this.noMatch();
    return selection.keys;
  }

  /** Health for dashboards and readiness probes. */
  health(): KeySourceHealth {
    const set = this.current;
    const state = !set ? 'empty' : Date.now() - set.fetchedAt < set.maxAge ? 'fresh' : 'stale';
    const failure = this.reporter.failure;
    return {
      state,
      keyCount: set?.keys.length ?? 0,
      ...(this.lastFetchAt !== undefined && { lastFetchAt: this.lastFetchAt }),
      ...(this.lastError && { lastError: this.lastError.message }),
      ...(failure && { failure: { ...failure } }),
    };
  }

  private async usableSet(): Promise<CurrentSet> {
    // One deadline for the store read and the cold fetch together: a store that never
    // settles gets half of it, the fetch the rest, so the request still ends in time.
    const deadline = Date.now() + this.config.timeoutDuration;
    if (!this.current && !this.storeChecked) await this.loadFromStore();
    let set = this.current;
    const now = Date.now();
    if (set && now - set.fetchedAt >= set.maxAge + this.config.staleIfErrorDuration)
      set = undefined;
    if (!set) {
      if (now < this.policy.nextAttemptAt && !this.inflight) throw this.unavailable();
      await this.fetchAndWait(Math.max(deadline - Date.now(), 1));
      set = this.current;
      if (!set || Date.now() - set.fetchedAt >= set.maxAge + this.config.staleIfErrorDuration) {
        throw this.unavailable();
      }
      return set;
    }
    const age = now - set.fetchedAt;
    if (age >= set.maxAge * REFRESH_AHEAD && now >= this.policy.nextAttemptAt)
      void this.startFetch(true);
    if (age >= set.maxAge) {
      const ageMs = age;
      safely(() => this.config.onStale?.({ uri: this.config.uri, ageMs }));
    }
    return set;
  }

  /** Returns false when the policy refuses a fetch for an unknown `kid`. */
  private async refetchForUnknown(now: number): Promise<boolean> {
    if (!this.inflight) {
      // The endpoint is failing: we cannot tell a rotated key from a forged kid, so 503.
      if (now < this.policy.nextAttemptAt) throw this.unavailable();
      if (!this.policy.tryAcquire(now)) {
        // The window's fetches are spent and the last one failed: the set may hold a key rotated
        // meanwhile, so the token is not refused as a forgery but answered 503 until a fetch is
        // allowed again.
        if (this.policy.failures > 0) throw this.unavailable();
        return false;
      }
    }
    await this.fetchAndWait();
    return true;
  }

  /** Start (or join) the single fetch and wait for it, bounded by our own timeout. */
  private async fetchAndWait(timeoutMs = this.config.timeoutDuration): Promise<void> {
    const own = this.startFetch(false, timeoutMs);
    if (own) return own;
    const running = this.inflight;
    await waitUntil(() => this.inflight !== running, timeoutMs);
  }

  /** Starts a fetch unless one is in flight; returns the promise only to its starter. */
  private startFetch(routine = false, timeoutMs?: number): Promise<void> | undefined {
    const now = Date.now();
    // A fetch older than twice the timeout was orphaned (e.g. its Workers request ended).
    if (this.inflight && now - this.inflightStartedAt < 2 * this.config.timeoutDuration) {
      return undefined;
    }
    this.policy.noteFetch(now);
    this.inflightStartedAt = now;
    const promise = this.fetchOnce(routine, timeoutMs).finally(() => {
      if (this.inflight === promise) this.inflight = undefined;
    });
    this.inflight = promise;
    return promise;
  }

  private async fetchOnce(
    routine: boolean,
    timeoutMs = this.config.timeoutDuration,
  ): Promise<void> {
    const { config } = this;
    const started = Date.now();
    // A routine refresh first looks for a newer set another instance put in a shared store;
    // an unknown-kid refetch always asks the endpoint.
    if (routine && (await this.adoptStored(started))) return;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const { url, body, maxAgeMs } = await raceAbort(config.load(signal, timeoutMs), signal);
      const keys = await importJwkSet(body, config.algorithms, url);
      const maxAge = Math.min(
        Math.max(maxAgeMs ?? config.cacheMaxAge, config.minCacheMaxAge),
        config.maxCacheMaxAge,
      );
      const fetchedAt = Date.now();
      this.current = { keys, fetchedAt, maxAge };
      this.lastFetchAt = fetchedAt;
      this.lastError = undefined;
      this.policy.failures = 0;
      this.successes += 1;
      this.policy.nextAttemptAt = 0;
      const entry: JwksCacheEntry = { jwks: body as { keys: unknown[] }, fetchedAt, maxAge };
      // Not awaited: a slow or never-settling store must not hold the request (or the single
      // fetch every other request waits on); a failed write only costs a later fetch.
      void writeStoredSet(config.store, config.uri, entry);
      const durationMs = fetchedAt - started;
      this.reporter.succeeded(url, keys.length, durationMs);
      safely(() => config.onFetch?.({ uri: config.uri, keyCount: keys.length, durationMs }));
    } catch (cause) {
      const error = remoteError(cause, config.uri, signal, timeoutMs);
      this.lastError = error;
      this.policy.failures += 1;
      // Exponential backoff from 1 s, capped by the cooldown, so a dead endpoint is not hammered.
      const backoff = Math.min(1000 * 2 ** (this.policy.failures - 1), config.cooldownDuration);
      this.policy.nextAttemptAt = Date.now() + backoff;
      this.reporter.failed(error, Date.now() - started, this.servingKeys());
      const { url, failure } = error;
      safely(() => config.onFetchError?.({ uri: config.uri, url, cause: failure, error }));
    }
  }

  // Keys of the last good set that still verify tokens (within the stale-if-error window).
  private servingKeys(): number {
    const set = this.current;
    if (!set || Date.now() - set.fetchedAt >= set.maxAge + this.config.staleIfErrorDuration)
      return 0;
    return set.keys.length;
  }

  private async loadFromStore(): Promise<void> {
    this.storeChecked = true;
    const { store, uri, algorithms, cacheMaxAge } = this.config;
    const signal = AbortSignal.timeout(this.config.timeoutDuration / 2);
    const stored = await readStoredSet(store, uri, algorithms, cacheMaxAge, signal);
    if (stored && !this.current) this.current = stored;
  }

  private async adoptStored(now: number): Promise<boolean> {
    const { store, uri, algorithms, cacheMaxAge } = this.config;
    const signal = AbortSignal.timeout(this.config.timeoutDuration / 2);
    const stored = await readStoredSet(store, uri, algorithms, cacheMaxAge, signal);
    const mine = this.current?.fetchedAt ?? Number.NEGATIVE_INFINITY;
    if (!stored || stored.fetchedAt <= mine) return false;
    if (now - stored.fetchedAt >= stored.maxAge * REFRESH_AHEAD) return false;
    this.current = stored;
    return true;
  }

  private noMatch(): InvalidSignatureError {
    return new InvalidSignatureError('No matching key found for the token');
  }

  private unavailable(): KeySetUnavailableError {
    const waitMs = Math.max(this.policy.nextAttemptAt - Date.now(), 1000);
    return new KeySetUnavailableError(undefined, {
      cause: this.lastError,
      retryAfter: Math.ceil(waitMs / 1000),
    });
  }
}
