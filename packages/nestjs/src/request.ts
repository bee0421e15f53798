import {
  type PeerSocket,
  peerCertificateOf,
  type RequestView,
  rawHeaderValues,
} from '@tokengate/core/adapter';
import { parseCookie } from 'cookie';

/**
 * The parts of an Express `Request` or a Fastify `FastifyRequest` the guard reads.
 *
 * @example
 * const request: HttpRequestLike = context.switchToHttp().getRequest();
 */
export interface HttpRequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  /** Express: the connection. */
  socket?: SocketLike;
  /** Fastify: Node's request, with the connection. */
  raw?: { rawHeaders?: string[]; url?: string; socket?: SocketLike };
  cookies?: unknown;
}

/**
 * The parts of a Node socket the guard reads: the peer address and, on TLS, the client
 * certificate.
 *
 * @example
 * const socket: SocketLike = request.socket;
 */
export type SocketLike = PeerSocket;

// Express has the socket on the request, Fastify on its raw Node request.
const socketOf = (req: HttpRequestLike): SocketLike | undefined => req.raw?.socket ?? req.socket;

function all(values: string[]): string | string[] | undefined {
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

// From the raw header list where there is one (Node folds two `Authorization` lines into one).
function header(req: HttpRequestLike, name: string): string | string[] | undefined {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders;
  if (Array.isArray(raw)) return rawHeaderValues(raw, name);
  const value = req.headers?.[name.toLowerCase()];
  return Array.isArray(value) ? all(value) : value;
}

function readCookies(req: HttpRequestLike): Record<string, unknown> {
  if (req.cookies !== null && typeof req.cookies === 'object') {
    return req.cookies as Record<string, unknown>;
  }
  const lines = header(req, 'cookie');
  const joined = Array.isArray(lines) ? lines.join('; ') : lines;
  return joined ? parseCookie(joined) : {};
}

/**
 * Core's view of an Express or a Fastify request. Headers come from the raw header list,
 * because Node folds two `Authorization` headers into one and RFC 6750 §2 wants two
 * credentials refused; cookies from `req.cookies` (cookie-parser, `@fastify/cookie`) or else
 * the `Cookie` header; the query from the raw URL, so both platforms' query parsers agree. The
 * peer address and the TLS client certificate come from the socket, never from `req.ip`: core's
 * `trustProxy` option decides which forwarded headers are believed.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(context.switchToHttp().getRequest()));
 */
export function toTokenRequest(req: HttpRequestLike): RequestView {
  return new NestRequestView(req);
}

// Methods on the prototype (no closures per request); cookies and the query parsed on first use.
class NestRequestView implements RequestView {
  private readonly req: HttpRequestLike;
  private cookies: Record<string, unknown> | undefined = undefined;
  private search: URLSearchParams | undefined = undefined;
  constructor(req: HttpRequestLike) {
    this.req = req;
  }
  get method(): string {
    return this.req.method ?? 'GET';
  }
  get url(): string {
    return this.req.raw?.url ?? this.req.originalUrl ?? this.req.url ?? '/';
  }
  header(name: string): string | string[] | undefined {
    return header(this.req, name);
  }
  cookie(name: string): string | undefined {
    this.cookies ??= readCookies(this.req);
    const value = Object.hasOwn(this.cookies, name) ? this.cookies[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  query(name: string): string | string[] | undefined {
    // Only what follows `?` matters; `new URL()` throws on some request targets Node accepts.
    if (this.search === undefined) {
      const url = this.url;
      const start = url.indexOf('?');
      if (start === -1) return undefined;
      this.search = new URLSearchParams(url.slice(start + 1));
    }
    return all(this.search.getAll(name));
  }
  remoteAddress(): string | undefined {
    return socketOf(this.req)?.remoteAddress;
  }
  peerCertificate(): Uint8Array | undefined {
    return peerCertificateOf(socketOf(this.req));
  }
}
