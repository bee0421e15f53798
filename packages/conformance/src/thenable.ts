/**
 * A promise-like that is not a native `Promise` (the shape another promise library returns),
 * settling as a rejection with `reason`. Adapters must wait for it, never take it for claims.
 *
 * @example
 * const verifier = { authenticate: () => foreignRejection(error) } as unknown as Verifier;
 */
export function foreignRejection(reason: unknown): PromiseLike<never> {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a foreign promise library's shape
    then: (ok, fail) => Promise.reject(reason).then(ok, fail),
  };
}
