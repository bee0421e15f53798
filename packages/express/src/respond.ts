import { isTokengateError, type Verifier } from '@tokengate/core';
import type { NextFunction, Request, Response } from 'express';

/** What `jwtAuth()` leaves behind for the route guards that run after it. */
export interface AuthContext {
  verifier: Verifier<unknown>;
  passErrors: boolean;
}

// Keyed by request so guards find their jwtAuth's realm and passErrors without a public property.
const contexts = new WeakMap<Request, AuthContext>();

export function setAuthContext(req: Request, context: AuthContext): void {
  contexts.set(req, context);
}

export function getAuthContext(req: Request): AuthContext | undefined {
  return contexts.get(req);
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
