import { rawHeaderValues, type TokenRequest } from '@tokengate/core';
import { parse as parseCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';

type Values = string | readonly string[] | undefined;

function collapse(values: string[]): Values {
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

// Node's parser folds two `Authorization` headers into one string, which would hide a
// second credential (RFC 6750 §2: exactly one method). `rawHeaders` keeps every line.
function rawHeader(request: FastifyRequest, name: string): Values {
  const raw = request.raw.rawHeaders;
  if (!Array.isArray(raw) || raw.length === 0) return request.headers[name.toLowerCase()];
  return rawHeaderValues(raw, name);
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  // @fastify/cookie parses in its own onRequest hook; when it has run, reuse its result.
  const parsed = (request as { cookies?: Record<string, string | undefined> }).cookies;
  if (parsed !== null && typeof parsed === 'object') return parsed[name];
  const header = request.headers.cookie;
  return typeof header === 'string' ? parseCookie(header)[name] : undefined;
}

function queryValue(request: FastifyRequest, name: string): Values {
  const query = request.query;
  if (query !== null && typeof query === 'object') {
    const value: unknown = (query as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return collapse(value.filter((v) => typeof v === 'string'));
    return undefined;
  }
  const url = request.raw.url ?? '';
  const search = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  return collapse(new URLSearchParams(search).getAll(name));
}

// One object per request, methods on the prototype (no closures per request).
class FastifyTokenRequest implements TokenRequest {
  private readonly request: FastifyRequest;
  constructor(request: FastifyRequest) {
    this.request = request;
  }
  header(name: string): Values {
    return rawHeader(this.request, name);
  }
  cookie(name: string): string | undefined {
    return cookie(this.request, name);
  }
  query(name: string): Values {
    return queryValue(this.request, name);
  }
}

/**
 * The framework-neutral view of a Fastify request that the core verifier reads.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(request));
 */
export function toTokenRequest(request: FastifyRequest): TokenRequest {
  return new FastifyTokenRequest(request);
}
