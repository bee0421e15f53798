import {
  type AuthInfo,
  type ClaimRequirements,
  claimsCheck,
  isTokengateError,
  MissingTokenError,
  type ScopeMode,
  scopeCheck,
} from '@tokengate/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getAuthContext, sendError } from './respond.js';

/**
 * Route middleware that answers 403 `insufficient_scope` unless `req.auth` has the scopes
 * (all of them by default, or any with `'any'`). Place it after `jwtAuth()`; without a
 * verified token it answers 401 like a missing token. Misuse throws `TypeError` here.
 *
 * @example
 * app.delete('/things/:id', jwtAuth(options), requireScopes('write:things'), handler);
 * app.get('/reports', jwtAuth(options), requireScopes(['admin', 'auditor'], 'any'), handler);
 */
export function requireScopes(
  scopes: string | readonly string[],
  mode: ScopeMode = 'all',
): RequestHandler {
  const check = scopeCheck(scopes, mode);
  return function requireScopesMiddleware(req, res, next) {
    guard(req, res, next, check);
  };
}

/**
 * Route middleware that answers 401 `invalid_token` naming the claim unless the verified
 * claims satisfy every requirement (a value, `{ includes }`, `{ oneOf }` or a predicate).
 * Place it after `jwtAuth()`; without a verified token it answers 401 like a missing token.
 *
 * @example
 * app.get('/acme', jwtAuth(options), requireClaims({ org: 'acme' }), handler);
 */
export function requireClaims(expected: ClaimRequirements): RequestHandler {
  const check = claimsCheck(expected);
  return function requireClaimsMiddleware(req, res, next) {
    guard(req, res, next, check);
  };
}

function guard(
  req: Request,
  res: Response,
  next: NextFunction,
  check: (auth: AuthInfo<unknown>) => void,
): void {
  const context = getAuthContext(req);
  try {
    if (!req.auth) throw new MissingTokenError();
    check(req.auth);
  } catch (error) {
    // Stamp the realm / resource_metadata of the jwtAuth() that ran before us.
    const prepared =
      isTokengateError(error) && context ? context.verifier.prepareError(error) : error;
    sendError(prepared, res, next, context?.passErrors ?? false);
    return;
  }
  next();
}
