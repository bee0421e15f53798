import type { RequestView } from '@tokengate/core/adapter';
import { peerCertificateOf, rawHeaderValues } from '@tokengate/core/adapter';
import { parseCookie } from 'cookie';
import type { Request } from 'express';

/**
 * Core's framework-neutral view of an Express request.
 *
 * Headers come from `req.rawHeaders`, because Node folds two `Authorization` headers into
 * one string and core must see both to refuse them (RFC 6750 §2: one credential per request).
 * Cookies come from `req.cookies` when cookie-parser ran, else from the `Cookie` header.
 * Query values come from the raw URL, so Express 4's and 5's different query parsers agree.
 * Cookies and the query are parsed on first use only. The peer address is the socket's, never
 * `req.ip`: core decides itself (its `trustProxy` option) whether forwarded headers are believed.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(req));
 */
export class ExpressRequestView implements RequestView {
  protected readonly req: Request;
  private cookies: Record<string, unknown> | undefined = undefined;
  private search: URLSearchParams | undefined = undefined;
  constructor(req: Request) {
    this.req = req;
  }
  get method(): string {
    return this.req.method;
  }
  get url(): string {
    return this.req.originalUrl ?? this.req.url ?? '/';
  }
  header(name: string): string | string[] | undefined {
    return rawHeaderValues(this.req.rawHeaders, name);
  }
  cookie(name: string): string | undefined {
    this.cookies ??= readCookies(this.req);
    const value = Object.hasOwn(this.cookies, name) ? this.cookies[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  query(name: string): string | string[] | undefined {
    if (this.search === undefined) {
      // Most requests have no query: no parser for them.
      if (!this.url.includes('?')) return undefined;
      this.search = searchParams(this.url);
    }
    const values = this.search.getAll(name);
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  }
  remoteAddress(): string | undefined {
    return this.req.socket?.remoteAddress;
  }
  peerCertificate(): Uint8Array | undefined {
    return peerCertificateOf(this.req.socket);
  }
}

/**
 * Build core's {@link RequestView} of an Express request, for middlewares of your own.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(req));
 */
export function toTokenRequest(req: Request): RequestView {
  return new ExpressRequestView(req);
}

function readCookies(req: Request): Record<string, unknown> {
  const parsed: unknown = (req as { cookies?: unknown }).cookies;
  if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
  const header = req.headers.cookie;
  return header ? parseCookie(header) : {};
}

// Only the part after `?` matters; `new URL()` would throw on some request targets Node accepts.
function searchParams(url: string): URLSearchParams {
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}
