import type { TokenRequest } from '@tokengate/core';
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
// `rawHeaders` still has every line, so under @hono/node-server read that instead. Names
// are compared by length first: most lines are skipped without a lowercase copy.
function rawHeaderValues(c: Context, name: string): string[] | undefined {
  const env = c.env as NodeBindings | undefined;
  const raw = env && typeof env === 'object' ? env.incoming?.rawHeaders : undefined;
  if (!Array.isArray(raw)) return undefined;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i];
    if (typeof key !== 'string' || key.length !== name.length) continue;
    const value = raw[i + 1];
    if (typeof value === 'string' && key.toLowerCase() === name) values.push(value);
  }
  return values;
}

/** The `Authorization` values of a request, one entry per credential. */
export function authorizationValues(c: Context): string[] | undefined {
  const raw = rawHeaderValues(c, 'authorization');
  if (raw && raw.length > 0) return splitCredentials(raw);
  const joined = c.req.raw.headers.get('authorization');
  return joined === null ? undefined : splitCredentials([joined]);
}

// One object per request, methods on the prototype (no closures per request).
class HonoTokenRequest implements TokenRequest {
  private readonly c: Context;
  constructor(c: Context) {
    this.c = c;
  }
  header(name: string): string | readonly string[] | undefined {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const values = authorizationValues(this.c);
      return values && values.length === 1 ? values[0] : values;
    }
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
