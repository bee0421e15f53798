import { rawHeaderValues, type TokenRequest } from '@tokengate/core';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

/** The part of `@hono/node-server`'s `c.env` we read: the Node `IncomingMessage`. */
interface NodeBindings {
  incoming?: { rawHeaders?: unknown };
}

// A compact JWS/JWE never contains a comma, so a comma in `Authorization` means two
// credentials: the Fetch `Headers` joins repeated headers with ", " (RFC 9110 §5.3), and
// RFC 6750 §2.1 allows exactly one. Splitting lets the core answer 400 invalid_request.
function splitCredentials(values: readonly string[]): string[] {
  // The usual request: one line without a comma, handed on as it is.
  if (values.length === 1 && !(values[0] as string).includes(',')) return values as string[];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim());
}

// Node's IncomingMessage keeps only the first of two `Authorization` headers in `headers`;
// `rawHeaders` still has every line, so under @hono/node-server read that instead.
function rawHeadersOf(c: Context): readonly unknown[] | undefined {
  const env = c.env as NodeBindings | undefined;
  const raw = env && typeof env === 'object' ? env.incoming?.rawHeaders : undefined;
  return Array.isArray(raw) ? raw : undefined;
}

// The `Authorization` credentials, as `TokenRequest.header` answers: the usual request (one
// line without a comma) gets the string itself and costs no array (issue 10); two lines or
// a comma give one entry per credential.
function authorizationHeader(c: Context): string | readonly string[] | undefined {
  const raw = rawHeadersOf(c);
  const lines = raw ? rawHeaderValues(raw, 'authorization') : undefined;
  if (Array.isArray(lines)) return splitCredentials(lines);
  const line = lines ?? c.req.raw.headers.get('authorization') ?? undefined;
  return line === undefined || !line.includes(',') ? line : splitCredentials([line]);
}

// One object per request, methods on the prototype (no closures per request).
class HonoTokenRequest implements TokenRequest {
  private readonly c: Context;
  constructor(c: Context) {
    this.c = c;
  }
  header(name: string): string | readonly string[] | undefined {
    if (name === 'authorization') return authorizationHeader(this.c); // what the core asks
    const lower = name.toLowerCase();
    if (lower === 'authorization') return authorizationHeader(this.c);
    return this.c.req.raw.headers.get(lower) ?? undefined;
  }
  cookie(name: string): string | undefined {
    return getCookie(this.c, name);
  }
  query(name: string): string | readonly string[] | undefined {
    const values = this.c.req.queries(name);
    return values && values.length === 1 ? values[0] : values;
  }
}

/**
 * Build the core's framework-neutral {@link TokenRequest} view of a Hono request.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(c));
 */
export function toTokenRequest(c: Context): TokenRequest {
  return new HonoTokenRequest(c);
}
