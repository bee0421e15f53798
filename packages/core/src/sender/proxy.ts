// Which peer's forwarded headers are believed, and the request origin they describe. A header
// such as `X-Forwarded-Host` or a client certificate header is the client's to write unless a
// proxy we trust wrote it, so each is read only when the connected peer is such a proxy.
import type { RequestView } from '../protocol/view.js';
import type { TrustProxy } from './types.js';

/**
 * Whether a request came through a trusted proxy.
 *
 * @example
 * if (trusts(request)) origin = forwardedOrigin(request);
 */
export type ProxyTrust = (request: RequestView) => boolean;

// `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is the IPv4 address.
function normalAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
// Hex groups and colons (at least two), optionally ending in a dotted IPv4 (`::ffff:10.0.0.1`).
const IPV6 = /^(?=.*:.*:)[0-9a-f:]+(?::(?:\d{1,3}\.){3}\d{1,3})?$/i;

// A peer address as `socket.remoteAddress` gives it. A CIDR range or a host name would never
// equal one: refused, rather than a list that silently trusts no one.
function isAddress(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const address = value.trim();
  return IPV4.test(address) || IPV6.test(address);
}

/**
 * The trust the `trustProxy` option describes; `undefined` when no peer is trusted. Throws
 * `TypeError` for anything but a boolean, a list of addresses or a function.
 *
 * @example
 * const trusts = createProxyTrust(['127.0.0.1']);
 */
export function createProxyTrust(option: TrustProxy | undefined): ProxyTrust | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return () => true;
  if (typeof option === 'function') {
    return (request) => {
      const address = request.remoteAddress?.();
      return address !== undefined && option(normalAddress(address), 0) === true;
    };
  }
  if (!Array.isArray(option))
    throw new TypeError('"trustProxy" must be a boolean, a list of peer addresses or a function');
  for (const address of option)
    if (!isAddress(address))
      throw new TypeError(
        `"trustProxy": ${JSON.stringify(address)} is not an IP address (for ranges, pass a function)`,
      );
  const trusted = new Set(option.map(normalAddress));
  return (request) => {
    const address = request.remoteAddress?.();
    return address !== undefined && trusted.has(normalAddress(address));
  };
}

const single = (value: string | readonly string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.at(-1);

// The last element of a comma-separated list: what the nearest proxy (the trusted one) wrote.
const lastOf = (value: string | undefined): string | undefined =>
  value?.split(',').at(-1)?.trim() || undefined;

// RFC 7239 §4: `Forwarded: for=…;proto=https;host=api.example.com`, elements by comma.
function forwardedParam(element: string, name: string): string | undefined {
  for (const pair of element.split(';')) {
    const at = pair.indexOf('=');
    if (at === -1 || pair.slice(0, at).trim().toLowerCase() !== name) continue;
    const value = pair.slice(at + 1).trim();
    const unquoted =
      value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    return unquoted === '' ? undefined : unquoted;
  }
  return undefined;
}

/**
 * The origin (`scheme://host[:port]`) a trusted proxy says the client addressed: RFC 7239
 * `Forwarded` (`proto`, `host`), else `X-Forwarded-Proto` and `X-Forwarded-Host`, falling back
 * to `http` and the `Host` header the proxy sent. `undefined` when no host is known. Only for
 * requests the proxy trust accepted.
 *
 * @example
 * forwardedOrigin(request); // 'https://api.example.com'
 */
export function forwardedOrigin(request: RequestView): string | undefined {
  const forwarded = lastOf(single(request.header('forwarded')));
  const proto =
    (forwarded && forwardedParam(forwarded, 'proto')) ??
    lastOf(single(request.header('x-forwarded-proto'))) ??
    'http';
  const host =
    (forwarded && forwardedParam(forwarded, 'host')) ??
    lastOf(single(request.header('x-forwarded-host'))) ??
    single(request.header('host'))?.trim();
  if (host === undefined || host === '') return undefined;
  return `${proto.toLowerCase()}://${host}`;
}
