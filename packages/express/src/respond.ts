import { isTokengateError, type Verifier } from '@tokengate/core';
import type { NextFunction, Request, Response } from 'express';

/** What `jwtAuth()` leaves behind for the route guards that run after it. */
export interface AuthContext {
  verifier: Verifier<unknown>;
  passErrors: boolean;
}

// Kept on the request under a module-private symbol, so guards find their jwtAuth's realm and
// passErrors without a public property. Not a WeakMap: an entry per request costs the garbage
// collector about a microsecond per request (issue 10).
const CONTEXT = Symbol('tokengate.authContext');
type WithContext = Request & { [CONTEXT]?: AuthContext };

export function setAuthContext(req: Request, context: AuthContext): void {
  (req as WithContext)[CONTEXT] = context;
}

export function getAuthContext(req: Request): AuthContext | undefined {
  return (req as WithContext)[CONTEXT];
}

/**
 * Answer a tokengate error with its status, headers and JSON body, or hand it to `next`
 * when the app asked for that, when it is not ours, or when the response already started.
 */
export function sendError(
  error: unknown,
  res: Response,
  next: NextFunction,
  passErrors: boolean,
): void {
  if (passErrors || !isTokengateError(error) || res.headersSent) {
    next(error);
    return;
  }
  const { status, headers, body } = error.toResponse();
  res.status(status).set(headers).json(body);
}
