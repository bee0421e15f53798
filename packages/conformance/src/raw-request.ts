import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A response read without any folding: every header keeps all its values. */
export interface RawResponse {
  status: number;
  /** Lower-cased header name → every value, in order. */
  headers: Record<string, string[]>;
  /** The body as text. */
  text: string;
  /** The one value of a header, or `undefined`; throws when it was sent more than once. */
  header(name: string): string | undefined;
}

/** Options of {@link rawRequest}. */
export interface RawRequestOptions {
  /** HTTP method. Default `'GET'`. */
  method?: string;
  /** Give up after this many ms. Default 10000. */
  timeoutMs?: number;
  /**
   * For an `https:` URL: the CA that issued the server's certificate, and the client certificate
   * and key to present (none: the request is made without one). Default: none.
   */
  tls?: { ca: string; cert?: string; key?: string };
}

/**
 * Send a request with exactly these header lines, duplicates included (`fetch` would fold two
 * `Authorization` headers into one), and read the response without folding either.
 *
 * @example
 * const res = await rawRequest(`${baseUrl}/protected`, [
 *   ['Authorization', `Bearer ${a}`],
 *   ['Authorization', `Bearer ${b}`],
 * ]);
 * res.status; // 400
 */
export function rawRequest(
  url: string,
  headers: ReadonlyArray<readonly [string, string]> = [],
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  // Node sends an array value as repeated header lines (and, unlike a flat raw-header list,
  // still adds `Host`).
  const grouped: Record<string, string[]> = {};
  const names = new Map<string, string>();
  for (const [name, value] of headers) {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    grouped[key] = [...(grouped[key] ?? []), value];
  }
  const outgoing = Object.fromEntries(
    Object.entries(grouped).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]),
  );
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    // A fresh connection for each request (no agent): a client certificate is per connection.
    const tls = options.tls === undefined ? {} : { ...options.tls, agent: false as const };
    const req = send(url, { method: options.method ?? 'GET', headers: outgoing, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const all: Record<string, string[]> = {};
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          const list = all[name] ?? [];
          list.push(res.rawHeaders[i + 1]!);
          all[name] = list;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: all,
          text: Buffer.concat(chunks).toString('utf8'),
          header(name) {
            const values = all[name.toLowerCase()];
            if (values && values.length > 1) {
              throw new Error(`The response has ${values.length} "${name}" headers`);
            }
            return values?.[0];
          },
        });
      });
    });
    req.setTimeout(options.timeoutMs ?? 10_000, () => {
      req.destroy(new Error(`No response from ${url} within ${options.timeoutMs ?? 10_000} ms`));
    });
    req.on('error', reject);
    req.end();
  });
}
