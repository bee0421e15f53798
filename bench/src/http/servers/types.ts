import { createVerifier, type Verifier } from '@tokengate/core';

/** What every benchmark server is told through its environment. */
export interface ServerConfig {
  jwksUri: string;
  issuer: string;
  audience: string;
}

/**
 * Our adapters' `cache` option: off, or on and sized by `BENCH_CACHE_ENTRIES` (set in the
 * distinct mode to the working set; otherwise core's default of 1,000 entries).
 *
 * @example
 * jwtAuth({ ...config, cache: tokenCache(true) });
 */
export function tokenCache(on: boolean): boolean | { maxEntries: number } {
  const entries = Number(process.env.BENCH_CACHE_ENTRIES);
  return on && Number.isInteger(entries) && entries > 0 ? { maxEntries: entries } : on;
}

/** Start one server on 127.0.0.1 (ephemeral port); resolves to the port. */
export type ServerFactory = (config: ServerConfig) => Promise<number>;

/** The body every protected route answers: the verified subject (or "anonymous" when bare). */
export const reply = (sub: unknown) => ({ sub: typeof sub === 'string' ? sub : 'anonymous' });

/**
 * A verifier of ours, cache on, seen only through its public promise API (as a hand-made
 * verifier is): every verification costs one promise. Beside `tokengate`, it measures what the
 * request protocol's synchronous answer saves.
 *
 * @example
 * app.use(jwtAuth(promiseOnlyVerifier(config)));
 */
export function promiseOnlyVerifier(config: ServerConfig): Verifier {
  const v = createVerifier({ ...config, algorithms: ['RS256'], cache: tokenCache(true) });
  return {
    verify: (token) => v.verify(token),
    authenticate: (request, options) => v.authenticate(request, options),
    health: () => v.health(),
    options: v.options,
  };
}
