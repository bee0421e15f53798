import type { ClaimRequirements, ScopeMode } from '@tokengate/core';
import {
  authorizeUnauthenticated,
  compileRouteRules,
  type RoutePolicy,
} from '@tokengate/core/adapter';
import { authContext, DEFAULT_ANSWERS, NodeExchange } from './exchange.js';
import { type AuthWrapper, checkHandler } from './jwt-auth.js';

function guard(where: string, policy: RoutePolicy): AuthWrapper {
  const rules = compileRouteRules(policy, where);
  return (handler) => {
    checkHandler(handler, where);
    return function tokengateGuard(req, res) {
      const context = authContext(req);
      const exchange = new NodeExchange(req, res, handler, context?.answers ?? DEFAULT_ANSWERS);
      // No `jwtAuth()` around this guard: a misconfiguration, refused (500), never left open.
      if (!context) return authorizeUnauthenticated(exchange, where);
      return context.gate.authorize(exchange, context.auth, rules);
    };
  };
}

/**
 * Wrap a handler inside `jwtAuth()`: it runs only when the token has the scopes (all, or any
 * with `'any'`), else 403 `insufficient_scope` (401 for an anonymous request).
 *
 * @example
 * const remove = requireScopes('write:things')((req, res) => res.writeHead(204).end());
 */
export function requireScopes(
  scopes: string | readonly string[],
  mode: ScopeMode = 'all',
): AuthWrapper {
  return guard('requireScopes()', { scopes, scopeMode: mode });
}

/**
 * Wrap a handler inside `jwtAuth()`: it runs only when the claims meet every requirement,
 * else 401 `invalid_token` naming the claim.
 *
 * @example
 * const acme = requireClaims({ org: 'acme' })((req, res, auth) => res.end(auth?.claims.sub));
 */
export function requireClaims(expected: ClaimRequirements): AuthWrapper {
  return guard('requireClaims()', { claims: expected });
}
