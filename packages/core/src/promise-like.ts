/**
 * Whether a value is a promise of any library (it has a callable `then`). What
 * `authenticateNow` / `verifyNow` return is pending exactly when this holds: adapters test it
 * so that a foreign promise from a custom verifier is awaited, never taken for claims.
 *
 * @example
 * const result = verifier.authenticateNow(request);
 * const auth = isPromiseLike(result) ? await result : result;
 */
export function isPromiseLike<T>(value: T): value is Extract<T, PromiseLike<unknown>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
