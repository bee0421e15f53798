import { isTokengateError, type TokengateError } from '@tokengate/core';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
  const { status, headers, body } = error.toResponse();
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
 * What to throw for an error: a tokengate error as an `HTTPException`, anything else unchanged.
 *
 * @example
 * return Promise.reject(toThrown(error));
 */
export function toThrown(error: unknown): unknown {
  return isTokengateError(error) ? toHTTPException(error) : error;
}

/** Rethrow a tokengate error as an `HTTPException`; anything else passes through unchanged. */
export function rethrow(error: unknown): never {
  throw toThrown(error);
}
