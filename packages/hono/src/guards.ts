import type { ClaimRequirements, ScopeMode } from '@tokengate/core';
import {
  authorizeUnauthenticated,
  compileRouteRules,
  type RouteRules,
} from '@tokengate/core/adapter';
import type { MiddlewareHandler } from 'hono';
import type { TokengateEnv } from './env.js';
import { gateOf, HonoExchange } from './exchange.js';

function guard(name: string, rules: RouteRules): MiddlewareHandler<TokengateEnv> {
  return function tokengateGuard(c, next) {
    const gate = gateOf(c);
    const exchange = new HonoExchange(c, next);
    if (gate === undefined) return authorizeUnauthenticated(exchange, name);
    return gate.authorize(exchange, c.get('auth'), rules);
  };
}

/**
 * Require scopes on a route behind `jwtAuth`: all of them by default, or any with `'any'`.
 * Answers 403 `insufficient_scope` with `scope="…"`, 401 when optional auth let the request
 * through without a token, and 500 where no `jwtAuth` ran before it (a misconfigured route
 * is refused, never left open). Misuse throws `TypeError` here.
 *
 * @example
 * app.delete('/api/things/:id', requireScopes('write:things'), handler);
 * app.get('/api/admin', requireScopes(['admin', 'support'], 'any'), handler);
 */
export function requireScopes(
  scopes: string | readonly string[],
  mode: ScopeMode = 'all',
): MiddlewareHandler<TokengateEnv> {
  return guard(
    'requireScopes()',
    compileRouteRules({ scopes, scopeMode: mode }, 'requireScopes()'),
  );
}

/**
 * Require claim values on a route behind `jwtAuth`; answers 401 `invalid_token` naming the
 * first claim that fails (and 401 / 500 as {@link requireScopes}). Misuse throws `TypeError`.
 *
 * @example
 * app.get('/api/acme', requireClaims({ org: 'acme', roles: { includes: 'admin' } }), handler);
 */
export function requireClaims(expected: ClaimRequirements): MiddlewareHandler<TokengateEnv> {
  return guard('requireClaims()', compileRouteRules({ claims: expected }, 'requireClaims()'));
}
