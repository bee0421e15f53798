import { type RequestView, rawHeaderValues } from '@tokengate/core/adapter';
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

// Node's IncomingMessage keeps only the first of two `Authorization` headers in `headers`;
// its `rawHeaders` (on `c.env.incoming` under @hono/node-server) still has every line.
function authorization(c: Context): string | readonly string[] | undefined {
  const raw: unknown = (c.env as { incoming?: { rawHeaders?: unknown } } | undefined)?.incoming
    ?.rawHeaders;
  const lines = Array.isArray(raw) ? rawHeaderValues(raw, 'authorization') : undefined;
  return credentials(lines ?? c.req.raw.headers.get('authorization') ?? undefined);
}

/**
 * Core's framework-neutral view of a Hono request: `Authorization` from the raw Node header
 * lines where there are some, cookies through `hono/cookie`, query values by name.
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
    if (name === 'authorization' || name.toLowerCase() === 'authorization')
      return authorization(this.c);
    return this.c.req.raw.headers.get(name) ?? undefined;
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
