import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@tokengate/core';
import {
  type Exchange,
  type Gate,
  peerCertificateOf,
  type Refusal,
  rawHeaderValues,
} from '@tokengate/core/adapter';
import { parseCookie } from 'cookie';

/**
 * A handler behind `jwtAuth()`; `auth` is `undefined` when optional authentication passed none.
 *
 * @example
 * const me: AuthHandler = (req, res, auth) => res.end(auth?.claims.sub);
 */
export type AuthHandler = (req: IncomingMessage, res: ServerResponse, auth?: AuthInfo) => unknown;

/** How `jwtAuth()` answers what does not reach the handler. */
export interface AnswerOptions {
  /**
   * Told, once a 500 is answered, what is not the client's fault: a broken key configuration,
   * or what the handler threw or rejected with. Default `console.error`.
   */
  onError?: (error: unknown, req: IncomingMessage) => void;
  /** Answers a refusal. Default: its status, headers and JSON body. */
  onRefusal?: (refusal: Refusal, req: IncomingMessage, res: ServerResponse) => void;
}
type Answers = Required<AnswerOptions>;

function sendJson(res: ServerResponse, status: number, headers: object, body: unknown): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export const DEFAULT_ANSWERS: Answers = {
  onError: (error) => console.error(error),
  onRefusal: ({ status, headers, body }, _req, res) => sendJson(res, status, headers, body),
};

// Under a module-private symbol: only this package's guards read it, no request can forge it.
const CONTEXT = Symbol('tokengate.authContext');
type Context = { gate: Gate; answers: Answers; auth: AuthInfo | undefined };
type WithContext = IncomingMessage & { [CONTEXT]?: Context };

/** What the `jwtAuth()` around a guard authenticated, if one did. */
export const authContext = (req: IncomingMessage) => (req as WithContext)[CONTEXT];

/**
 * One Node request in the request protocol: its view, and the answers on `res`. Headers come
 * from `rawHeaders`: Node folds two `Authorization` lines into one, and core must see both to
 * refuse them (RFC 6750 §2: one credential per request).
 */
export class NodeExchange implements Exchange<unknown> {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly handler: AuthHandler,
    private readonly answers: Answers,
    private readonly gate?: Gate, // `jwtAuth()`'s, handed to the guards inside its handler
  ) {}
  get method(): string {
    return this.req.method ?? 'GET';
  }
  get url(): string {
    return this.req.url ?? '/';
  }
  header(name: string): string | string[] | undefined {
    return rawHeaderValues(this.req.rawHeaders, name);
  }
  cookie(name: string): string | undefined {
    return parseCookie(this.req.headers.cookie ?? '')[name];
  }
  query(name: string): string | string[] | undefined {
    // Only what follows `?`: `new URL()` throws on some request targets Node accepts.
    const at = this.url.indexOf('?');
    if (at === -1) return undefined;
    const values = new URLSearchParams(at === -1 ? '' : this.url.slice(at + 1)).getAll(name);
    return values.length > 1 ? values : values[0];
  }
  peerCertificate(): Uint8Array | undefined {
    return peerCertificateOf(this.req.socket);
  }
  remoteAddress(): string | undefined {
    return this.req.socket.remoteAddress;
  }
  pass(auth: AuthInfo | undefined, headers: Readonly<Record<string, string>> | undefined) {
    if (headers)
      for (const [name, value] of Object.entries(headers)) this.res.setHeader(name, value);
    if (this.gate)
      (this.req as WithContext)[CONTEXT] = { gate: this.gate, answers: this.answers, auth };
    return this.handler(this.req, this.res, auth);
  }
  refuse(refusal: Refusal): void {
    this.answers.onRefusal(refusal, this.req, this.res);
  }
  fail(error: unknown): void {
    if (!this.res.headersSent) sendJson(this.res, 500, {}, { error: 'server_error' });
    else if (!this.res.writableEnded) this.res.destroy();
    this.answers.onError(error, this.req);
  }
}
