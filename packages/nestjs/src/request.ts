import type { TokenRequest } from '@tokengate/core';

/** The parts of an Express `Request` or a Fastify `FastifyRequest` the guard reads. */
export interface HttpRequestLike {
  headers?: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  raw?: { rawHeaders?: string[] };
  cookies?: Record<string, unknown>;
  query?: unknown;
}

function values(raw: readonly string[], name: string): string[] {
  const wanted = name.toLowerCase();
  const found: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === wanted) found.push(raw[i + 1]!);
  }
  return found;
}

function stringOrList(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    return strings.length > 0 ? strings : undefined;
  }
  return undefined;
}

/**
 * A core `TokenRequest` over an Express or Fastify request. Headers come from the raw
 * header list, because Node folds two `Authorization` headers into one and RFC 6750 §2
 * wants two credentials refused.
 *
 * @example
 * await verifier.authenticate(toTokenRequest(context.switchToHttp().getRequest()));
 */
export function toTokenRequest(req: HttpRequestLike): TokenRequest {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders;
  return {
    header(name) {
      if (Array.isArray(raw)) {
        const found = values(raw, name);
        if (found.length === 0) return undefined;
        return found.length === 1 ? found[0] : found;
      }
      return req.headers?.[name.toLowerCase()];
    },
    cookie(name) {
      const value = req.cookies?.[name];
      return typeof value === 'string' ? value : undefined;
    },
    query(name) {
      const query = req.query;
      if (!query || typeof query !== 'object') return undefined;
      return stringOrList((query as Record<string, unknown>)[name]);
    },
  };
}
