// CONTRACT STUB — the core helper owns this file.
import { InsufficientScopeError } from './errors.js';
import type { AuthInfo, ScopeMode } from './types.js';

/**
 * Throw `InsufficientScopeError` unless `auth` has the scopes (`all` by default, or `any`).
 * Adapters call this for `requireScopes(...)` and then `verifier.prepareError(err)`.
 */
export function checkScopes(
  auth: AuthInfo<unknown>,
  required: readonly string[],
  mode: ScopeMode = 'all',
): void {
  const ok =
    mode === 'all'
      ? required.every((s) => auth.scopes.has(s))
      : required.some((s) => auth.scopes.has(s));
  if (!ok) throw new InsufficientScopeError(required);
}
