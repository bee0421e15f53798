/**
 * One bounded HTTP GET of a JSON document (a JWK Set or a discovery document): a timeout,
 * a body-size cap enforced while streaming, and strict JSON parsing. Web APIs only.
 */
import { readCappedText } from '../capped-body.js';
import { networkFailure, RemoteFetchError } from './failure.js';

export { RemoteFetchError } from './failure.js';

/** Limits of {@link fetchJson}. */
export interface FetchJsonOptions {
  /** The `fetch` to use. */
  fetch: typeof fetch;
  /** Aborts the request (and the body read). */
  signal: AbortSignal;
  /** Largest accepted body, bytes. */
  maxResponseSize: number;
  /** The time `signal` allows, ms (for the error's cause). */
  timeoutMs: number;
}

/** A fetched JSON document, its URL and its `Cache-Control: max-age`, in ms, when present. */
export interface FetchedJson {
  url: string;
  body: unknown;
  maxAgeMs: number | undefined;
}

/** Reads `max-age` (RFC 9111 §5.2.2.1); `no-store`/`no-cache` count as 0. */
export function parseMaxAge(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/(?:^|,)\s*no-(?:store|cache)\b/i.test(header)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(?:,|$)/i.exec(header);
  return match ? Number(match[1]) * 1000 : undefined;
}

function isRedirect(status: number): boolean {
  // An opaque redirect (browsers, `redirect: 'manual'`) has status 0.
  return status === 0 || (status >= 300 && status < 400);
}

/**
 * GET `url` and parse its JSON body within the limits; throws {@link RemoteFetchError}.
 *
 * @example
 * const { body } = await fetchJson(url, { fetch, signal: AbortSignal.timeout(5000), maxResponseSize: 524288 });
 */
export async function fetchJson(url: URL, options: FetchJsonOptions): Promise<FetchedJson> {
  const href = url.href;
  try {
    const response = await options.fetch(href, {
      method: 'GET',
      headers: { accept: 'application/json' },
      // Redirects are never followed: any non-200 answer (a 3xx here, or an opaque redirect
      // with status 0 in browsers) is refused below. Not 'error': workerd rejects that value.
      redirect: 'manual',
      signal: options.signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      const { status } = response;
      const location = response.headers.get('location') ?? undefined;
      throw new RemoteFetchError(
        href,
        isRedirect(status)
          ? { kind: 'redirect', status, ...(location && { location }) }
          : { kind: 'http-status', status },
      );
    }
    const text = await readCappedText(response, options.maxResponseSize, {
      tooLarge: () =>
        new RemoteFetchError(href, { kind: 'too-large', limit: options.maxResponseSize }),
      notUtf8: (cause) => new RemoteFetchError(href, { kind: 'not-json' }, { cause }),
    });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new RemoteFetchError(href, { kind: 'not-json' }, { cause });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RemoteFetchError(href, { kind: 'not-json' });
    }
    return { url: href, body, maxAgeMs: parseMaxAge(response.headers.get('cache-control')) };
  } catch (error) {
    if (error instanceof RemoteFetchError) throw error;
    if (options.signal.aborted) {
      throw new RemoteFetchError(
        href,
        { kind: 'timeout', timeoutMs: options.timeoutMs },
        { cause: error },
      );
    }
    throw new RemoteFetchError(href, networkFailure(error), { cause: error });
  }
}
