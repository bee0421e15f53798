import {
  type ClaimRequirements,
  claimsCheck,
  MissingTokenError,
  type ScopeMode,
  scopeCheck,
  type TokengateError,
} from '@tokengate/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { TokengateEnv } from './env.js';
import { rethrow } from './exception.js';
import { verifierOf } from './middleware.js';

function guard(
  name: string,
  check: (auth: NonNullable<TokengateEnv['Variables']['auth']>) => void,
) {
  return async function tokengateGuard(c: Context, next: () => Promise<void>) {
    const auth = c.get('auth');
    if (auth === undefined) {
      // A misconfigured route must fail closed, loudly, rather than look public.
      throw new Error(`${name}() needs jwtAuth() to run before it on this route`);
    }
    try {
      if (auth === null) throw new MissingTokenError();
      check(auth);
    } catch (error) {
      const verifier = verifierOf(c);
      rethrow(
        verifier && error instanceof Error ? verifier.prepareError(error as TokengateError) : error,
      );
    }
    await next();
  };
}

/**
 * Require scopes on a route behind `jwtAuth`: all of them by default, or any with `'any'`.
 * Answers 403 `insufficient_scope` with `scope="…"` (and 401 when optional auth let the
 * request through without a token). Scopes are checked here, once: misuse throws `TypeError`.
 *
 * @example
 * app.delete('/api/things/:id', requireScopes('write:things'), handler);
 * app.get('/api/admin', requireScopes(['admin', 'support'], 'any'), handler);
 */
export function requireScopes(
  scopes: string | readonly string[],
  mode: ScopeMode = 'all',
): MiddlewareHandler<TokengateEnv> {
  return guard('requireScopes', scopeCheck(scopes, mode));
}

/**
 * Require claim values on a route behind `jwtAuth`; answers 401 `invalid_token` naming the
 * first claim that fails. Requirements are checked here, once: misuse throws `TypeError`.
 *
 * @example
 * app.get('/api/acme', requireClaims({ org: 'acme', roles: { includes: 'admin' } }), handler);
 */
export function requireClaims(expected: ClaimRequirements): MiddlewareHandler<TokengateEnv> {
  return guard('requireClaims', claimsCheck(expected));
}
