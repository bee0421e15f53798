/**
 * OIDC Discovery 1.0 §4 and RFC 8414 §3: find `jwks_uri` from an issuer. The document must
 * name exactly the configured issuer (OIDC Discovery §4.3, RFC 8414 §3.3), else it is refused.
 * The result is cached (max age from `Cache-Control` within the JWKS bounds) and a failed
 * refresh keeps the last good document for the stale-if-error window.
 */
import {
  type FetchedJson,
  type FetchJsonOptions,
  fetchJson,
  RemoteFetchError,
} from './jwks-fetch.js';
import { toFetchUrl } from './url.js';

/** Settings of {@link Discovery}; durations in ms. */
export interface DiscoveryConfig {
  issuer: string;
  fetch: typeof fetch;
  maxResponseSize: number;
  allowInsecureHttp: boolean;
  cacheMaxAge: number;
  minCacheMaxAge: number;
  maxCacheMaxAge: number;
  staleIfErrorDuration: number;
}

/**
 * The two metadata URLs to try, in order: OIDC (suffix appended to the issuer) and
 * RFC 8414 (well-known segment inserted between host and path).
 *
 * @example
 * discoveryUrls(new URL('https://id.example.com/tenant'));
 * // https://id.example.com/tenant/.well-known/openid-configuration
 * // https://id.example.com/.well-known/oauth-authorization-server/tenant
 */
export function discoveryUrls(issuer: URL): [URL, URL] {
  const path = issuer.pathname.replace(/\/+$/, '');
  const oidc = new URL(`${path}/.well-known/openid-configuration`, issuer.origin);
  const rfc8414 = new URL(`/.well-known/oauth-authorization-server${path}`, issuer.origin);
  return [oidc, rfc8414];
}

/**
 * Fetch an issuer's metadata document: the OIDC path first, the RFC 8414 path when the first
 * one is not there (a 4xx); the document must name exactly `issuer`, else it is refused.
 * Throws `RemoteFetchError`.
 *
 * @example
 * const { body } = await fetchDiscoveryDocument(new URL(issuer), issuer, { fetch, signal, maxResponseSize: 524288, timeoutMs: 5000 });
 * body.introspection_endpoint; // unchecked: see metadataUrl
 */
export async function fetchDiscoveryDocument(
  issuerUrl: URL,
  issuer: string,
  options: FetchJsonOptions,
): Promise<FetchedJson> {
  const [oidc, rfc8414] = discoveryUrls(issuerUrl);
  let doc: FetchedJson;
  try {
    doc = await fetchJson(oidc, options);
  } catch (error) {
    const status = error instanceof RemoteFetchError ? error.httpStatus : undefined;
    // Only "not here" answers fall back; a timeout or 5xx is an outage, not a missing path.
    if (status === undefined || status < 400 || status >= 500) throw error;
    doc = await fetchJson(rfc8414, options);
  }
  if ((doc.body as { issuer?: unknown }).issuer !== issuer)
    throw new RemoteFetchError(doc.url, { kind: 'bad-discovery', reason: 'issuer-mismatch' });
  return doc;
}

/**
 * Check a URL a metadata document names (`jwks_uri`, `introspection_endpoint`) by the rules of
 * every fetched URL; an `https:` issuer must not downgrade to `http:`, not even to a loopback
 * host. Throws `TypeError`.
 *
 * @example
 * const endpoint = metadataUrl(body.introspection_endpoint, 'introspection_endpoint', issuerUrl);
 */
export function metadataUrl(
  value: string,
  member: string,
  issuerUrl: URL,
  allowInsecureHttp = false,
): URL {
  const url = toFetchUrl(value, member, allowInsecureHttp);
  if (issuerUrl.protocol === 'https:' && url.protocol !== 'https:' && !allowInsecureHttp)
    throw new TypeError(`${member} downgrades to http:`);
  return url;
}

/** Resolves and caches `jwks_uri` for one issuer. */
export class Discovery {
  private readonly issuerUrl: URL;
  private cached: { jwksUri: URL; fetchedAt: number; maxAge: number } | undefined;

  constructor(private readonly config: DiscoveryConfig) {
    this.issuerUrl = toFetchUrl(config.issuer, 'issuer', config.allowInsecureHttp);
    if (this.issuerUrl.search || this.issuerUrl.hash) {
      throw new TypeError('issuer must not have a query or fragment when discovery is used');
    }
  }

  /** The JWKS URL, fetched or from cache; throws `RemoteFetchError`. `timeoutMs`: what `signal` allows. */
  async jwksUri(signal: AbortSignal, timeoutMs: number): Promise<URL> {
    const now = Date.now();
    const cached = this.cached;
    if (cached && now - cached.fetchedAt < cached.maxAge) return cached.jwksUri;
    try {
      return await this.refresh(signal, timeoutMs);
    } catch (error) {
      if (cached && now - cached.fetchedAt < cached.maxAge + this.config.staleIfErrorDuration) {
        return cached.jwksUri;
      }
      throw error;
    }
  }

  private async refresh(signal: AbortSignal, timeoutMs: number): Promise<URL> {
    const doc = await fetchDiscoveryDocument(this.issuerUrl, this.config.issuer, {
      fetch: this.config.fetch,
      signal,
      maxResponseSize: this.config.maxResponseSize,
      timeoutMs,
    });
    const body = doc.body as { jwks_uri?: unknown };
    const refuse = (reason: 'no-jwks-uri' | 'jwks-uri-not-allowed') =>
      new RemoteFetchError(doc.url, { kind: 'bad-discovery', reason });
    if (typeof body.jwks_uri !== 'string') throw refuse('no-jwks-uri');
    let jwksUri: URL;
    try {
      jwksUri = metadataUrl(
        body.jwks_uri,
        'jwks_uri',
        this.issuerUrl,
        this.config.allowInsecureHttp,
      );
    } catch {
      throw refuse('jwks-uri-not-allowed');
    }
    const { cacheMaxAge, minCacheMaxAge, maxCacheMaxAge } = this.config;
    const maxAge = Math.min(Math.max(doc.maxAgeMs ?? cacheMaxAge, minCacheMaxAge), maxCacheMaxAge);
    this.cached = { jwksUri, fetchedAt: Date.now(), maxAge };
    return jwksUri;
  }
}
