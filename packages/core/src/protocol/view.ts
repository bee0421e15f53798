// The shapes an adapter implements: a view of its framework's request and a responder that
// answers the way its framework does.
import type { ErrorBody, TokengateError } from '../errors.js';
import type { AuthInfo, TokenRequest } from '../types.js';

/**
 * A framework-neutral view of one HTTP request: what the request protocol reads.
 *
 * `header` must see every line of a repeated header (Node's `headers` object folds two
 * `Authorization` lines into one; read `rawHeaders`, see {@link rawHeaderValues}), so that
 * two credentials can be refused as RFC 6750 §2 asks.
 *
 * @example
 * const view: RequestView = { method: 'GET', url: '/things', header: (name) => headers.get(name) ?? undefined };
 */
export interface RequestView extends TokenRequest {
  /** The request method as received, e.g. `GET`. */
  readonly method: string;
  /** The request target as received (path and query), e.g. `/things?page=2`. */
  readonly url: string;
  /** The TLS client certificate (DER) where the connection carries one. Default: none. */
  peerCertificate?(): Uint8Array | undefined;
  /**
   * The address of the connected peer (`socket.remoteAddress`), for `trustProxy`. Default: none
   * (forwarded headers are then never believed).
   */
  remoteAddress?(): string | undefined;
}

/**
 * A refusal ready to send: status, headers (`WWW-Authenticate`, `Retry-After`) and the JSON
 * body, with the error they come from for applications that render their own answer.
 *
 * @example
 * res.status(refusal.status).set(refusal.headers).json(refusal.body);
 */
export interface Refusal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ErrorBody;
  /** The error, its challenge parameters already set. */
  readonly error: TokengateError;
}

/**
 * How an adapter answers. The request protocol calls exactly one of `pass` and `refuse`
 * (or `fail`) per request, synchronously when no step of the verification was asynchronous.
 *
 * @example
 * const responder: Responder<void> = {
 *   pass: (auth) => { req.auth = auth; next(); },
 *   refuse: ({ status, headers, body }) => void res.status(status).set(headers).json(body),
 *   fail: (error) => next(error),
 * };
 */
export interface Responder<R> {
  /**
   * The request may go on: `auth` is the verified token, or `undefined` when optional
   * authentication let it through without one. `headers` are to be added to the response.
   */
  pass(auth: AuthInfo | undefined, headers: Readonly<Record<string, string>> | undefined): R;
  /** The request is refused with a ready answer. */
  refuse(refusal: Refusal): R;
  /**
   * Something that is not the client's fault (a broken key configuration, a bug): hand it to
   * the framework's error path (a 500). When authentication finished asynchronously it also
   * receives what `pass` or `refuse` threw.
   */
  fail(error: unknown): R;
}

/**
 * One request as the protocol handles it: a {@link RequestView} that is also its
 * {@link Responder}, so an adapter allocates one object per request.
 *
 * @example
 * class ExpressExchange implements Exchange<void> { ... }
 */
export interface Exchange<R> extends RequestView, Responder<R> {}
