import autocannon from 'autocannon';

/** One autocannon run against a server. */
export interface LoadOptions {
  url: string;
  /** Tokens sent in turn, one per request (a single token: the same header every time). */
  tokens: readonly string[];
  /** Seconds of load. */
  durationSec: number;
  /** Concurrent connections. */
  connections: number;
}

/** What one run measured. */
export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/**
 * Drive `url` with autocannon. Distinct tokens go through a `setupRequest` that rotates the
 * `Authorization` header (autocannon rebuilds the request each time one is set).
 *
 * @example
 * const r = await runLoad({ url, tokens: [token], durationSec: 5, connections: 10 });
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const headers = options.tokens.map((token) => `Bearer ${token}`);
  let next = 0;
  // autocannon hands setupRequest a fresh copy (headers included): set the header in place, so
  // the load generator spends as little as possible per request.
  const rotate = (request: autocannon.Request): autocannon.Request => {
    request.headers!.authorization = headers[next++ % headers.length]!;
    return request;
  };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    headers: { authorization: headers[0]! },
    ...(headers.length > 1 ? { requests: [{ method: 'GET', setupRequest: rotate }] } : {}),
  });
  return {
    requestsPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
