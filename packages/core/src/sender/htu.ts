// The `htu` of a DPoP proof and the URI of the request, compared after RFC 3986 §6.2.2
// (syntax-based) and §6.2.3 (scheme-based) normalisation, as RFC 9449 §4.3 asks: scheme and
// host case, default port, percent-encoding, dot segments, the empty path. Query and fragment
// are not part of the comparison (RFC 9449 §4.2).

/** An `http(s)` URI without query and fragment, normalised. */
export interface NormalUri {
  /** `scheme://host[:port]`, lowercase, default port dropped. */
  readonly origin: string;
  /** The path: `/` when empty, dot segments removed, percent-encoding normalised. */
  readonly path: string;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

// RFC 3986 §3: scheme "://" authority path-abempty [ "?" query ] [ "#" fragment ].
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/;
// A host of an HTTP URI: a registered name of unreserved characters or an IPv6 literal
// (RFC 3986 §3.2.2). Anything else (userinfo, percent-encoded names) is no origin of ours.
const AUTHORITY = /^([A-Za-z0-9\-._~]+|\[[0-9A-Fa-f:.]+\])(?::([0-9]*))?$/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;
// RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@", and "/".
const PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

const encoder = new TextEncoder();

// A character the path grammar does not allow, percent-encoded as UTF-8 (what a client's URL
// parser sends for it, RFC 3986 §2.1).
function encodeChar(char: string): string {
  let out = '';
  for (const byte of encoder.encode(char))
    out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

// RFC 3986 §6.2.2.1, §6.2.2.2: hex digits uppercase, unreserved characters decoded. A `%` not
// followed by two hex digits makes the path invalid.
function normalPercentEncoding(path: string): string | undefined {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (char === '%') {
      const hex = path.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      const decoded = String.fromCharCode(Number.parseInt(hex, 16));
      out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
    } else out += PATH_CHAR.test(char) ? char : encodeChar(char);
  }
  return out;
}

// RFC 3986 §5.2.4 remove_dot_segments, on a path that starts with "/".
function removeDotSegments(path: string): string {
  const output: string[] = [];
  const segments = path.split('/').slice(1);
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') output.pop();
      if (last) output.push('');
    } else output.push(segment);
  }
  return `/${output.join('/')}`;
}

/**
 * The normalised form of a request path (`/a/%7e/../b` → `/a/b`); `undefined` when it is no
 * valid path. Query and fragment are dropped.
 *
 * @example
 * normalPath('/things/%7euser?page=2'); // '/things/~user'
 */
export function normalPath(path: string): string | undefined {
  const end = path.search(/[?#]/);
  const bare = end === -1 ? path : path.slice(0, end);
  if (bare !== '' && !bare.startsWith('/')) return undefined;
  const encoded = normalPercentEncoding(bare);
  if (encoded === undefined) return undefined;
  return encoded === '' ? '/' : removeDotSegments(encoded);
}

/**
 * The normalised origin and path of an absolute `http` or `https` URI; `undefined` for
 * anything else (another scheme, userinfo, a malformed host, port or percent-encoding).
 *
 * @example
 * normalUri('HTTPS://API.Example.com:443/a/./b?x=1'); // { origin: 'https://api.example.com', path: '/a/b' }
 */
export function normalUri(uri: string): NormalUri | undefined {
  const parts = ABSOLUTE.exec(uri);
  if (parts === null) return undefined;
  const [, rawScheme, authority, rawPath] = parts as unknown as [string, string, string, string];
  const scheme = rawScheme.toLowerCase();
  const defaultPort = DEFAULT_PORTS[scheme];
  const hostPort = AUTHORITY.exec(authority);
  if (defaultPort === undefined || hostPort === null) return undefined;
  const host = (hostPort[1] as string).toLowerCase();
  let port = hostPort[2] ?? '';
  if (port !== '') {
    const number = Number(port);
    if (number > 65_535) return undefined;
    port = String(number);
  }
  const path = normalPath(rawPath);
  if (path === undefined) return undefined;
  const origin = `${scheme}://${host}${port === '' || port === defaultPort ? '' : `:${port}`}`;
  return { origin, path };
}

/**
 * The path of a request target as a server receives it: origin-form (`/things?x=1`) or
 * absolute-form (`http://api.example.com/things`, RFC 9112 §3.2.2), normalised; `undefined`
 * for any other form (`*`, authority-form).
 *
 * @example
 * requestPath('/things?page=2'); // '/things'
 */
export function requestPath(target: string): string | undefined {
  if (target.startsWith('/')) return normalPath(target);
  return normalUri(target)?.path;
}
