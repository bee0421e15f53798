import type { AuthInfo, TokengateError } from '@tokengate/core';
import type { Exchange, Gate, Refusal } from '@tokengate/core/adapter';
import type { Context, Next } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HonoRequestView } from './request.js';

// The gate of the last jwtAuth a request went through, for the guards after it: on the
// Context under a module-private symbol, out of `c.var` and without a weak-map entry per request.
const GATE = Symbol('tokengate.gate');
type WithGate = Context & { [GATE]?: Gate };

export function setGate(c: Context, gate: Gate): void {
  (c as WithGate)[GATE] = gate;
}

export function gateOf(c: Context): Gate | undefined {
  return (c as WithGate)[GATE];
}

function exceptionOf({ status, headers, body, error }: Refusal): HTTPException {
  const res = new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
  });
  return new HTTPException(status as ContentfulStatusCode, {
    res,
    message: error.message,
    cause: error,
  });
}

/**
 * Wrap a tokengate error in Hono's `HTTPException`: `res` carries the status,
 * `WWW-Authenticate` / `Retry-After` and the JSON body; `cause` is the core error, so
 * `app.onError` can inspect it and an app without `onError` still answers correctly.
 *
 * @example
 * app.onError((err, c) => {
 *   if (err instanceof HTTPException && isTokengateError(err.cause)) log(err.cause.code);
 *   return err instanceof HTTPException ? err.getResponse() : c.text('error', 500);
 * });
 */
export function toHTTPException(error: TokengateError): HTTPException {
  return exceptionOf({ ...error.toResponse(), error });
}

/**
 * One Hono request in the request protocol: its view, and the answers. Passing sets
 * `c.var.auth` and returns `next()`; a refusal is thrown as an `HTTPException`, for
 * `app.onError` or Hono's own answer; anything else is rethrown as it is.
 */
export class HonoExchange extends HonoRequestView implements Exchange<Promise<void>> {
  private readonly next: Next;
  constructor(c: Context, next: Next) {
    super(c);
    this.next = next;
  }
  pass(auth: AuthInfo | undefined, headers: Readonly<Record<string, string>> | undefined) {
    this.c.set('auth', auth);
    if (headers !== undefined) for (const name in headers) this.c.header(name, headers[name]);
    return this.next();
  }
  refuse(refusal: Refusal): never {
    throw exceptionOf(refusal);
  }
  fail(error: unknown): never {
    throw error;
  }
}
