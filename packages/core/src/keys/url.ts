/**
 * URL rules for everything a remote key source fetches: `https:` only, except plain `http:`
 * to a loopback host (tests, sidecars) or with `allowInsecureHttp`. Checked at construction
 * so a misconfiguration fails at startup with a `TypeError`, not at the first request.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** True for `localhost`, `::1` and 127.0.0.0/8. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost')) return true;
  const octets = host.split('.');
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  );
}

/**
 * Parse and check a URL the library will fetch; throws `TypeError` naming the option.
 *
 * @example
 * const url = toFetchUrl('https://id.example.com/jwks.json', 'jwksUri'); // URL
 * toFetchUrl('http://id.example.com/jwks.json', 'jwksUri'); // throws TypeError
 */
export function toFetchUrl(input: string | URL, option: string, allowInsecureHttp = false): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new TypeError(`${option} must be an absolute URL`);
  }
  if (url.username || url.password) {
    throw new TypeError(`${option} must not carry credentials`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(url.hostname))) return url;
  throw new TypeError(
    `${option} must use https: (http: is allowed only for loopback hosts or with jwks.allowInsecureHttp)`,
  );
}
