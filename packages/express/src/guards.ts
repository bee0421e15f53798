import type { ClaimRequirements, ScopeMode } from '@tokengate/core';
import {
  authorizeUnauthenticated,
  compileRouteRules,
  type RouteRules,
} from '@tokengate/core/adapter';
import type { RequestHandler } from 'express';
import { ExpressExchange, getAuthContext } from './exchange.js';

// `name` without its parentheses names the middleware in stack traces and profiles
// (`requireScopesMiddleware`).
function guard(name: 'requireScopes' | 'requireClaims', rules: RouteRules): RequestHandler {
  const middleware: RequestHandler = (req, res, next) => {
    const context = getAuthContext(req);
    const exchange = new ExpressExchange(req, res, next, context?.passErrors ?? false);
    if (context === undefined) authorizeUnauthenticated(exchange, `${name}()`);
    else context.gate.authorize(exchange, req.auth, rules);
  };
  return Object.defineProperty(middleware, 'name', { value: `${name}Middleware` });
}

/**
 * Route middleware that answers 403 `insufficient_scope` unless `req.auth` has the scopes
 * (all of them by default, or any with `'any'`). Place it after `jwtAuth()`: an anonymous
 * request gets 401, and a route where no `jwtAuth()` ran gets 500 (a misconfiguration is
 * refused, never left open). Misuse throws `TypeError` here.
 *
 * @example
 * app.delete('/things/:id', jwtAuth(options), requireScopes('write:things'), handler);
 * app.get('/reports', jwtAuth(options), requireScopes(['admin', 'auditor'], 'any'), handler);
 */
export function requireScopes(
  scopes: string | readonly string[],
  mode: ScopeMode = 'all',
): RequestHandler {
  return guard('requireScopes', compileRouteRules({ scopes, scopeMode: mode }, 'requireScopes()'));
}

/**
 * Route middleware that answers 401 `invalid_token` naming the claim unless the verified
 * claims satisfy every requirement (a value, `{ includes }`, `{ oneOf }` or a predicate).
 * Place it after `jwtAuth()`, as {@link requireScopes}.
 *
 * @example
 * app.get('/acme', jwtAuth(options), requireClaims({ org: 'acme' }), handler);
 */
export function requireClaims(expected: ClaimRequirements): RequestHandler {
  return guard('requireClaims', compileRouteRules({ claims: expected }, 'requireClaims()'));
}
