import { peerCertificateOf, type RequestView, rawHeaderValues } from '@tokengate/core/adapter';
import { parseCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';

/**
 * Core's framework-neutral view of a Fastify request.
 *
 * Headers come from `request.raw.rawHeaders`, because Node folds two `Authorization` headers
 * into one string and core must see both to refuse them (RFC 6750 §2: one credential per
 * request). Cookies come from `request.cookies` when `@fastify/cookie` ran, else from the
 * `Cookie` header (parsed on first use); the query from Fastify's parsed `request.query`. The
 * peer address is the socket's, not `request.ip` (which Fastify's own `trustProxy` may have
 * taken from `X-Forwarded-For`): core's `trustProxy` option decides what is believed.
 *
 * @example
 * const auth = await verifier.authenticate(new FastifyRequestView(request));
 */
export class FastifyRequestView implements RequestView {
  protected readonly request: FastifyRequest;
  private cookies: Parsed | undefined = undefined;
  constructor(request: FastifyRequest) {
    this.request = request;
  }
  get method(): string {
    return this.request.method;
  }
  get url(): string {
    return this.request.url;
  }
  header(name: string): string | string[] | undefined {
    return rawHeaderValues(this.request.raw.rawHeaders, name);
  }
  cookie(name: string): string | undefined {
    const parsed = (this.request as { cookies?: Parsed }).cookies;
    this.cookies ??=
      typeof parsed === 'object' && parsed !== null ? parsed : headerCookies(this.request);
    const value = Object.hasOwn(this.cookies, name) ? this.cookies[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  query(name: string): string | string[] | undefined {
    const query = this.request.query;
    if (typeof query !== 'object' || query === null) return undefined;
    const value: unknown = Object.hasOwn(query, name) ? (query as Parsed)[name] : undefined;
    if (!Array.isArray(value)) return typeof value === 'string' ? value : undefined;
    // A custom `querystringParser` may put other things in the list; only strings are values.
    const values = value.filter((item): item is string => typeof item === 'string');
    return values.length > 1 ? values : values[0];
  }
  remoteAddress(): string | undefined {
    return this.request.raw.socket?.remoteAddress;
  }
  peerCertificate(): Uint8Array | undefined {
    return peerCertificateOf(this.request.raw.socket);
  }
}

/**
 * Build core's {@link RequestView} of a Fastify request, for hooks of your own.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(request));
 */
export function toTokenRequest(request: FastifyRequest): RequestView {
  return new FastifyRequestView(request);
}

// What `@fastify/cookie`, `parseCookie` and a query parser produce.
type Parsed = Record<string, unknown>;

function headerCookies(request: FastifyRequest): Parsed {
  const header = request.headers.cookie;
  return typeof header === 'string' ? parseCookie(header) : {};
}
