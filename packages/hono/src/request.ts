import {
  type PeerSocket,
  peerCertificateOf,
  type RequestView,
  rawHeaderValues,
} from '@tokengate/core/adapter';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

// A compact JWS/JWE never contains a comma, so a comma beside a Bearer credential means two
// credentials: the Fetch `Headers` joins repeated headers with ", " (RFC 9110 §5.3), and
// RFC 6750 §2.1 allows exactly one. Another scheme's auth-params are comma-separated
// (RFC 7235 §2.1, `Digest username="u", realm="r"`), so only a value with a Bearer part is split.
const BEARER_PART = /(?:^|,)\s*bearer(?: |$)/i;
function credentials(lines: string | readonly string[] | undefined) {
  if (lines === undefined || (typeof lines === 'string' && !lines.includes(','))) return lines;
  return [lines]
    .flat()
    .flatMap((line) => (BEARER_PART.test(line) ? line.split(',').map((v) => v.trim()) : [line]));
}

// What @hono/node-server puts in `c.env.incoming`: Node's IncomingMessage. Elsewhere
// (Workers, Deno, Bun) there is none.
interface NodeIncoming {
  rawHeaders?: unknown;
  socket?: PeerSocket;
}

function incoming(c: Context): NodeIncoming | undefined {
  const env = c.env as { incoming?: NodeIncoming } | undefined;
  return typeof env?.incoming === 'object' && env.incoming !== null ? env.incoming : undefined;
}

// Node's IncomingMessage keeps only the first of two `Authorization` headers in `headers`, and
// the Fetch `Headers` joins repeated lines with ", "; its `rawHeaders` (under
// @hono/node-server) still has every line.
function rawLines(c: Context, name: string): string | readonly string[] | undefined {
  const raw = incoming(c)?.rawHeaders;
  return Array.isArray(raw) ? rawHeaderValues(raw, name) : undefined;
}

function authorization(c: Context): string | readonly string[] | undefined {
  return credentials(
    rawLines(c, 'authorization') ?? c.req.raw.headers.get('authorization') ?? undefined,
  );
}

// A DPoP proof is a compact JWS, which never contains a comma: where only the joined Fetch value
// is known, its comma-separated parts are the header lines (RFC 9449 §4.3: exactly one).
function dpop(c: Context): string | readonly string[] | undefined {
  const lines = rawLines(c, 'dpop') ?? c.req.raw.headers.get('dpop') ?? undefined;
  if (typeof lines !== 'string' || !lines.includes(',')) return lines;
  return lines.split(',').map((line) => line.trim());
}

/**
 * Core's framework-neutral view of a Hono request: headers from the raw Node header lines where
 * there are some, cookies through `hono/cookie`, query values by name. On Node
 * (@hono/node-server) the peer address and the TLS client certificate come from the socket;
 * elsewhere there are none, so forwarded headers are believed only under `trustProxy: true`.
 */
export class HonoRequestView implements RequestView {
  protected readonly c: Context;
  constructor(c: Context) {
    this.c = c;
  }
  get method(): string {
    return this.c.req.method;
  }
  get url(): string {
    const { url } = this.c.req; // absolute: keep the path and query after the authority
    return url.slice(url.indexOf('/', url.indexOf('//') + 2));
  }
  header(name: string): string | readonly string[] | undefined {
    const lower = name.toLowerCase();
    if (lower === 'authorization') return authorization(this.c);
    if (lower === 'dpop') return dpop(this.c);
    return rawLines(this.c, lower) ?? this.c.req.raw.headers.get(name) ?? undefined;
  }
  remoteAddress(): string | undefined {
    return incoming(this.c)?.socket?.remoteAddress;
  }
  peerCertificate(): Uint8Array | undefined {
    return peerCertificateOf(incoming(this.c)?.socket);
  }
  cookie(name: string): string | undefined {
    return getCookie(this.c, name);
  }
  query(name: string): string | readonly string[] | undefined {
    const values = this.c.req.queries(name);
    return values?.length === 1 ? values[0] : values;
  }
}

/**
 * Build core's {@link RequestView} of a Hono request, for middlewares of your own.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(c));
 */
export function toTokenRequest(c: Context): RequestView {
  return new HonoRequestView(c);
}
