/**
 * A promise-like that is not a native `Promise` (the shape another promise library returns),
 * settling as a rejection with `reason`. Adapters must wait for it, never take it for claims.
 *
 * @example
 * vi.spyOn(verifier, 'authenticateNow').mockImplementation(() => foreignRejection(error) as never);
 */
export function foreignRejection(reason: unknown): PromiseLike<never> {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a foreign promise library's shape
    then: (ok, fail) => Promise.reject(reason).then(ok, fail),
  };
}
