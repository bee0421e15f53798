/**
 * OIDC Discovery 1.0 §4 and RFC 8414 §3: find `jwks_uri` from an issuer. The document must
 * name exactly the configured issuer (OIDC Discovery §4.3, RFC 8414 §3.3), else it is refused.
 * The result is cached (max age from `Cache-Control` within the JWKS bounds) and a failed
 * refresh keeps the last good document for the stale-if-error window.
 */
import { type FetchedJson, fetchJson, RemoteFetchError } from './jwks-fetch.js';
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
    const [oidc, rfc8414] = discoveryUrls(this.issuerUrl);
    const options = {
      fetch: this.config.fetch,
      signal,
      maxResponseSize: this.config.maxResponseSize,
      timeoutMs,
    };
    let doc: FetchedJson;
    try {
      doc = await fetchJson(oidc, options);
    } catch (error) {
      const status = error instanceof RemoteFetchError ? error.httpStatus : undefined;
      // Only "not here" answers fall back; a timeout or 5xx is an outage, not a missing path.
      if (status === undefined || status < 400 || status >= 500) throw error;
      doc = await fetchJson(rfc8414, options);
    }
    const body = doc.body as { issuer?: unknown; jwks_uri?: unknown };
    const refuse = (reason: 'issuer-mismatch' | 'no-jwks-uri' | 'jwks-uri-not-allowed') =>
      new RemoteFetchError(doc.url, { kind: 'bad-discovery', reason });
    if (body.issuer !== this.config.issuer) throw refuse('issuer-mismatch');
    if (typeof body.jwks_uri !== 'string') throw refuse('no-jwks-uri');
    let jwksUri: URL;
    try {
      jwksUri = toFetchUrl(body.jwks_uri, 'jwks_uri', this.config.allowInsecureHttp);
      // An https: issuer must not downgrade us to http:, not even to a loopback host.
      if (
        this.issuerUrl.protocol === 'https:' &&
        jwksUri.protocol !== 'https:' &&
        !this.config.allowInsecureHttp
      ) {
        throw new TypeError('jwks_uri downgrades to http:');
      }
    } catch {
      throw refuse('jwks-uri-not-allowed');
    }
    const { cacheMaxAge, minCacheMaxAge, maxCacheMaxAge } = this.config;
    const maxAge = Math.min(Math.max(doc.maxAgeMs ?? cacheMaxAge, minCacheMaxAge), maxCacheMaxAge);
    this.cached = { jwksUri, fetchedAt: Date.now(), maxAge };
    return jwksUri;
  }
}
