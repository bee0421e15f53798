import { createVerifier as createCoreVerifier } from '@tokengate/core';
import { createVerifier as createFastVerifier } from 'fast-jwt';
import type { Fixture, TokenClaimsConfig } from '../tokens.js';

/** Heap held by a verified-token cache after it has seen every token of a fixture. */
export interface CacheMemoryRow {
  contender: string;
  /** The cache's capacity (entries). */
  maxEntries: number;
  /** Distinct tokens fed through it. */
  tokens: number;
  /** Heap growth in bytes, after a forced GC; null without `--expose-gc`. */
  heapBytes: number | null;
}

type Gc = () => void;

function heapAfterGc(gc: Gc): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measureOne(
  gc: Gc | undefined,
  verify: (token: string) => unknown,
  tokens: readonly string[],
): Promise<number | null> {
  await verify(tokens[0]!); // keys imported and code warmed outside the measurement
  if (!gc) {
    for (const token of tokens) await verify(token);
    return null;
  }
  const before = heapAfterGc(gc);
  for (const token of tokens) await verify(token);
  return heapAfterGc(gc) - before;
}

/**
 * Heap growth of our cache at 10,000 entries and at a quarter of that (the same tokens: the
 * smaller one must stay proportionally smaller, i.e. bounded), next to fast-jwt's cache.
 * Needs `node --expose-gc`; otherwise `heapBytes` is null.
 *
 * @example
 * const rows = await measureCacheMemory(hs256Fixture, claims);
 */
export async function measureCacheMemory(
  fixture: Fixture,
  claims: TokenClaimsConfig,
): Promise<CacheMemoryRow[]> {
  const gc = (globalThis as { gc?: Gc }).gc;
  const tokens = fixture.tokens;
  const full = tokens.length;
  const rows: CacheMemoryRow[] = [];
  for (const maxEntries of [full, Math.max(1, Math.floor(full / 4))]) {
    const verifier = createCoreVerifier({
      secret: fixture.secret!,
      issuer: claims.issuer,
      audience: claims.audience,
      algorithms: [fixture.alg],
      cache: { maxEntries },
    });
    const heapBytes = await measureOne(gc, (t) => verifier.verify(t), tokens);
    rows.push({ contender: 'core-cache', maxEntries, tokens: full, heapBytes });
  }
  const fast = createFastVerifier({
    key: Buffer.from(fixture.secret!),
    algorithms: [fixture.alg],
    allowedIss: claims.issuer,
    allowedAud: claims.audience,
    cache: full,
  });
  const heapBytes = await measureOne(gc, (t) => fast(t), tokens);
  rows.push({ contender: 'fast-jwt-cache', maxEntries: full, tokens: full, heapBytes });
  return rows;
}
