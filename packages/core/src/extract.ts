// RFC 6750 §2: how a bearer token travels in a request.
import { InvalidRequestError, isTokengateError } from './errors.js';
import type { TokenRequest } from './types.js';

/**
 * Options of {@link extractToken} (the extraction part of the verifier options).
 *
 * @example
 * await extractToken(request, { cookie: 'access_token', query: false });
 */
export interface ExtractOptions {
  /** Also read the token from this cookie. Default off. */
  cookie?: string;
  /**
   * Also read the `access_token` query parameter (RFC 6750 §2.3). Default false. On or off, a
   * header token beside an `access_token` parameter is refused (two methods, §2).
   */
  query?: boolean;
  /** Custom extractor; replaces the built-in ones. */
  extract?: (request: TokenRequest) => string | undefined | Promise<string | undefined>;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; b64token = 1*( ALPHA / DIGIT /
// "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 7235 §2.1: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ], and an
// auth-scheme is a token.
const SCHEME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+/;

const values = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

// "Bearer " in any case; the usual spelling is compared without a lowercase copy.
const hasBearerPrefix = (header: string) =>
  header.startsWith('Bearer ') || header.slice(0, 7).toLowerCase() === 'bearer ';

// What follows "Bearer" and its spaces in a trimmed header line; `undefined` for another scheme.
function afterBearer(header: string): string | undefined {
  if (!hasBearerPrefix(header)) return undefined;
  let start = 7;
  while (header.charCodeAt(start) === 32) start++;
  return header.slice(start);
}

/**
 * The token of the usual request, one `Authorization: Bearer <token>` line, before the
 * RFC 6750 §2.1 grammar is checked; `undefined` for anything else. Only for asking the
 * verified-token cache: a token it knows was verified, so it satisfies the grammar (a compact
 * JWS or JWE is base64url and dots), and a cached token then skips a regular-expression pass
 * over its whole length. Anything the cache does not know goes through {@link builtInToken},
 * which checks it, and so does a request with an `access_token` parameter, which it refuses.
 *
 * @example
 * const candidate = uncheckedBearerToken(request); // "eyJ…" for "Bearer eyJ…", never checked
 */
export function uncheckedBearerToken(request: TokenRequest): string | undefined {
  const raw = request.header('authorization');
  if (typeof raw !== 'string') return undefined;
  const token = afterBearer(raw.trim());
  return token === undefined || hasQueryToken(request) ? undefined : token;
}

// The token of the Authorization header; `undefined` when there is none or when the header
// carries the credentials of another scheme.
function fromHeader(request: TokenRequest): string | undefined {
  const raw = request.header('authorization');
  // One header line (a string) is the usual request: no array for it.
  let header: string;
  if (typeof raw === 'string') header = raw;
  else {
    const headers = values(raw);
    if (headers.length === 0) return undefined;
    if (headers.length > 1)
      throw new InvalidRequestError('The request carries more than one Authorization header');
    header = headers[0] as string;
  }
  header = header.trim();
  if (header === '') throw new InvalidRequestError('The Authorization header is empty');
  const token = afterBearer(header);
  if (token !== undefined && B64TOKEN.test(token)) return token;
  const scheme = SCHEME.exec(header)?.[0];
  if (scheme?.toLowerCase() === 'bearer')
    throw new InvalidRequestError('The Authorization header must be "Bearer <token>"');
  if (scheme === undefined || (header.length > scheme.length && header[scheme.length] !== ' '))
    throw new InvalidRequestError('The Authorization header is malformed');
  // RFC 6750 §3.1: the credentials of another scheme (Basic, Digest, …) hold no bearer token,
  // so the request is answered as one without a token: 401, the challenge, no error code.
  return undefined;
}

// Whether the request carries a non-empty `access_token` query parameter, `query` on or off.
function hasQueryToken(request: TokenRequest): boolean {
  const found = request.query?.('access_token');
  return found !== undefined && found.length > 0;
}

function fromQuery(request: TokenRequest): string | undefined {
  const found = values(request.query?.('access_token'));
  if (found.length > 1)
    throw new InvalidRequestError('The request carries more than one access_token parameter');
  if (found[0] === '') throw new InvalidRequestError('The access_token parameter is empty');
  return found[0];
}

// The `DPoP` scheme in any case (RFC 9449 §7.1; auth-schemes are case-insensitive, RFC 7235
// §2.1), followed by a space or nothing.
const isDpopScheme = (header: string) =>
  header.slice(0, 4).toLowerCase() === 'dpop' && (header.length === 4 || header[4] === ' ');

/**
 * The access token of an `Authorization: DPoP <token>` header (RFC 9449 §7.1); `undefined`
 * when the request has no such header. Throws `InvalidRequestError` for a malformed one, for
 * more than one `Authorization` header, and for a cookie or query token beside it (one
 * credential per request, RFC 6750 §2).
 *
 * @example
 * const token = dpopToken(request, { cookie: 'session' }); // "eyJ…" for "DPoP eyJ…"
 */
export function dpopToken(
  request: TokenRequest,
  options: Omit<ExtractOptions, 'extract'>,
): string | undefined {
  const headers = values(request.header('authorization'));
  const dpop = headers.find((line) => isDpopScheme(line.trim()));
  if (dpop === undefined) return undefined;
  if (headers.length > 1)
    throw new InvalidRequestError('The request carries more than one Authorization header');
  const token = dpop.trim().slice(4).trimStart();
  if (!B64TOKEN.test(token))
    throw new InvalidRequestError('The Authorization header must be "DPoP <token>"');
  const cookie = options.cookie === undefined ? undefined : request.cookie?.(options.cookie);
  if ((cookie !== undefined && cookie !== '') || hasQueryToken(request))
    throw new InvalidRequestError('The request carries more than one access token');
  return token;
}

/**
 * Read the bearer token from a request (RFC 6750 §2): the `Authorization: Bearer` header,
 * then the named cookie and the `access_token` query parameter when enabled. More than one
 * credential, or a malformed header, is an `InvalidRequestError` (400 `invalid_request`); a
 * header token beside an `access_token` parameter is one even when `query` is off. Resolves to
 * `undefined` when the request carries no token, including an `Authorization` header of another
 * scheme (`Basic`, `Digest`): the cookie or query token, when enabled, is then the one
 * credential of the Bearer scheme.
 *
 * @example
 * const token = await extractToken(request, { cookie: 'session' });
 */
export async function extractToken(
  request: TokenRequest,
  options: ExtractOptions = {},
): Promise<string | undefined> {
  if (options.extract) {
    let token: string | undefined;
    try {
      token = await options.extract(request);
    } catch (cause) {
      if (isTokengateError(cause)) throw cause;
      throw new InvalidRequestError('The token could not be read from the request', { cause });
    }
    if (token !== undefined && typeof token !== 'string')
      throw new InvalidRequestError('The token could not be read from the request');
    return token === '' ? undefined : token;
  }
  return builtInToken(request, options);
}

/**
 * {@link extractToken} without a custom `extract`: synchronous, so that a request whose token
 * needs no waiting is answered without a promise. Throws `InvalidRequestError` as
 * `extractToken` rejects with it.
 *
 * @example
 * const token = builtInToken(request, { cookie: 'session' });
 */
export function builtInToken(
  request: TokenRequest,
  options: Omit<ExtractOptions, 'extract'>,
): string | undefined {
  const header = fromHeader(request);
  const cookie = options.cookie === undefined ? undefined : request.cookie?.(options.cookie);
  const cookieToken = cookie === '' ? undefined : cookie;
  const query = options.query ? fromQuery(request) : undefined;
  // RFC 6750 §2: clients MUST NOT use more than one method to transmit the token. A header
  // token beside an `access_token` parameter is refused where the query method is off too:
  // the client used two methods, and the copy in the URL is already in access logs.
  const methods =
    (header === undefined ? 0 : 1) +
    (cookieToken === undefined ? 0 : 1) +
    (query === undefined ? 0 : 1);
  if (methods > 1 || (header !== undefined && !options.query && hasQueryToken(request)))
    throw new InvalidRequestError('The request carries more than one access token');
  return header ?? cookieToken ?? query;
}
