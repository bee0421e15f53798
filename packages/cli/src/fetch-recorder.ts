// A `fetch` for the verifier's `jwks.fetch` option that remembers what the key source fetched,
// so `jwks` lists, and `verify` explains, the very JWK Set the verifier saw.

/** One response the verifier's key source received. */
export interface FetchRecord {
  readonly url: string;
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly body: unknown;
  /** Epoch ms of the response. */
  readonly at: number;
}

/** A recording `fetch` and what it recorded, oldest first. */
export interface FetchRecorder {
  readonly fetch: typeof fetch;
  readonly records: readonly FetchRecord[];
  /** The last response whose body is a JWK Set (`{ keys: [...] }`). */
  lastJwks(): (FetchRecord & { body: { keys: unknown[] } }) | undefined;
}

/**
 * Wrap the global `fetch` to record each response (status, headers, JSON body).
 *
 * @example
 * const recorder = createFetchRecorder();
 * createVerifier({ jwksUri, issuer, audience, jwks: { fetch: recorder.fetch } });
 */
export function createFetchRecorder(): FetchRecorder {
  const records: FetchRecord[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const url = input instanceof Request ? input.url : String(input);
    records.push({ url, status: response.status, headers, body, at: Date.now() });
    return response;
  };
  return {
    fetch: recording,
    records,
    lastJwks() {
      for (let i = records.length - 1; i >= 0; i--) {
        const record = records[i]!;
        const keys = (record.body as { keys?: unknown } | undefined)?.keys;
        if (Array.isArray(keys)) return record as FetchRecord & { body: { keys: unknown[] } };
      }
      return undefined;
    },
  };
}

/** The HTTP caching headers (RFC 9111) worth showing, in this order. */
export const CACHE_HEADERS = ['cache-control', 'expires', 'age', 'etag', 'last-modified', 'date'];

/**
 * The caching headers of a response that are present.
 *
 * @example
 * cacheHeaders(record); // { 'cache-control': 'max-age=600' }
 */
export function cacheHeaders(record: FetchRecord): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of CACHE_HEADERS) {
    const value = record.headers[name];
    if (value !== undefined) found[name] = value;
  }
  return found;
}
