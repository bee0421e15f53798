import type { AuthInfo } from '@tokengate/core';
import type { Exchange, Gate, Refusal } from '@tokengate/core/adapter';
import type { NextFunction, Request, Response } from 'express';
import { ExpressRequestView } from './request.js';

/** What `jwtAuth()` leaves on the request for the guards that run after it. */
export interface AuthContext {
  readonly gate: Gate;
  readonly passErrors: boolean;
}

// On the request under a module-private symbol: guards find their jwtAuth's gate without a
// public property, and without a weak-collection entry per request for the collector.
const CONTEXT = Symbol('tokengate.authContext');
type WithContext = Request & { [CONTEXT]?: AuthContext };

export function setAuthContext(req: Request, context: AuthContext): void {
  (req as WithContext)[CONTEXT] = context;
}

export function getAuthContext(req: Request): AuthContext | undefined {
  return (req as WithContext)[CONTEXT];
}

/**
 * One Express request in the request protocol: its view, and the answers. A refusal is sent
 * as JSON, or handed to `next(err)` when the app asked for that (or the response started).
 */
export class ExpressExchange extends ExpressRequestView implements Exchange<void> {
  private readonly res: Response;
  private readonly next: NextFunction;
  private readonly passErrors: boolean;
  constructor(req: Request, res: Response, next: NextFunction, passErrors: boolean) {
    super(req);
    this.res = res;
    this.next = next;
    this.passErrors = passErrors;
  }
  pass(auth: AuthInfo | undefined, headers: Readonly<Record<string, string>> | undefined): void {
    this.req.auth = auth;
    if (headers !== undefined) this.res.set(headers);
    this.next();
  }
  refuse({ status, headers, body, error }: Refusal): void {
    if (this.passErrors || this.res.headersSent) this.next(error);
    else this.res.status(status).set(headers).json(body);
  }
  fail(error: unknown): void {
    this.next(error);
  }
}
