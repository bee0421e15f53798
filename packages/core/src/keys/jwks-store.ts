/**
 * The pluggable store of fetched JWK Sets (see `JwksCacheStore` in remote-options.ts): the default
 * keeps sets in memory; a shared store lets instances or edge isolates reuse one fetch.
 */

import { type ImportedJwk, importJwkSet } from './jwks-keys.js';
import type { JwksCacheEntry, JwksCacheStore } from './remote-options.js';

/**
 * In-memory {@link JwksCacheStore}, the default (one per key source).
 *
 * @example
 * const store = new MemoryJwksStore(); // share it between two verifiers of the same issuer
 */
export class MemoryJwksStore implements JwksCacheStore {
  private readonly entries = new Map<string, JwksCacheEntry>();
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
 * A stored set, imported; `undefined` when absent or unreadable. A store failure, or a store
 * that has not answered when `signal` aborts, is a miss.
 */
export async function readStoredSet(
  store: JwksCacheStore,
  uri: string,
  algorithms: readonly string[],
  defaultMaxAge: number,
  signal: AbortSignal,
): Promise<{ keys: ImportedJwk[]; fetchedAt: number; maxAge: number } | undefined> {
  try {
    const entry = await raceAbort(Promise.resolve(store.get(uri)), signal);
    if (!entry || typeof entry.fetchedAt !== 'number') return undefined;
    const keys = await importJwkSet(entry.jwks, algorithms, uri);
    return { keys, fetchedAt: entry.fetchedAt, maxAge: entry.maxAge ?? defaultMaxAge };
  } catch {
    return undefined;
  }
}

/** Write a set; a failing store never fails a fetch (callers do not await it either). */
export async function writeStoredSet(
  store: JwksCacheStore,
  uri: string,
  entry: JwksCacheEntry,
): Promise<void> {
  try {
    await store.set(uri, entry);
  } catch {
    // The in-process copy is still current; the next fetch retries the write.
  }
}

/**
 * Settle with `promise`, or reject once `signal` aborts, so an injected `fetch` that ignores
 * its signal still cannot hold a request past the timeout.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
