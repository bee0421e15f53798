/**
 * One bounded HTTP GET of a JSON document (a JWK Set or a discovery document): a timeout,
 * a body-size cap enforced while streaming, and strict JSON parsing. Web APIs only.
 */

/** Why a fetch of a remote document failed; the message is safe to log. */
export class RemoteFetchError extends Error {
  /** HTTP status, when the server answered. */
  readonly httpStatus: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RemoteFetchError';
    this.httpStatus = options?.status;
  }
}

/** Limits of {@link fetchJson}. */
export interface FetchJsonOptions {
  /** The `fetch` to use. */
  fetch: typeof fetch;
  /** Aborts the request (and the body read). */
  signal: AbortSignal;
  /** Largest accepted body, bytes. */
  maxResponseSize: number;
}

/** A fetched JSON document and its `Cache-Control: max-age`, in ms, when present. */
export interface FetchedJson {
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

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new RemoteFetchError(`response larger than ${maxBytes} bytes`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RemoteFetchError(`response larger than ${maxBytes} bytes`);
    }
    text += decodeUtf8(decoder, value);
  }
  return text + decodeUtf8(decoder);
}

function decodeUtf8(decoder: TextDecoder, chunk?: Uint8Array): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch (cause) {
    throw new RemoteFetchError('response is not valid UTF-8', { cause });
  }
}

/**
 * GET `url` and parse its JSON body within the limits; throws {@link RemoteFetchError}.
 *
 * @example
 * const { body } = await fetchJson(url, { fetch, signal: AbortSignal.timeout(5000), maxResponseSize: 524288 });
 */
export async function fetchJson(url: URL, options: FetchJsonOptions): Promise<FetchedJson> {
  try {
    const response = await options.fetch(url.href, {
      method: 'GET',
      headers: { accept: 'application/json' },
      // Redirects are never followed: any non-200 answer (a 3xx here, or an opaque redirect
      // with status 0 in browsers) is refused below. Not 'error': workerd rejects that value.
      redirect: 'manual',
      signal: options.signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new RemoteFetchError(`unexpected HTTP status ${response.status}`, {
        status: response.status,
      });
    }
    const text = await readCapped(response, options.maxResponseSize);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new RemoteFetchError('response is not valid JSON', { cause });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RemoteFetchError('response is not a JSON object');
    }
    return { body, maxAgeMs: parseMaxAge(response.headers.get('cache-control')) };
  } catch (error) {
    if (error instanceof RemoteFetchError) throw error;
    if (options.signal.aborted) {
      throw new RemoteFetchError('request timed out', { cause: error });
    }
    throw new RemoteFetchError('request failed', { cause: error });
  }
}
