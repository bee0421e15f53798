// The introspection client of one issuer: where to ask (configured, or discovered), the answer
// cache, one call in flight per token, and the outage log (loud once, quiet per request).
import { fetchDiscoveryDocument, metadataUrl } from '../keys/discovery.js';
import { describeFailure, RemoteFetchError } from '../keys/failure.js';
import { toFetchUrl } from '../keys/url.js';
import { type Observer, safely } from '../telemetry/observe.js';
import type { JWTClaims } from '../types.js';
import { IntrospectionCache } from './cache.js';
import {
  InactiveTokenError,
  type IntrospectionFailureCause,
  IntrospectionUnavailableError,
} from './errors.js';
import type { IntrospectionConfig } from './options.js';
import { type IntrospectionAnswer, introspect, type SignedAnswerKeys } from './request.js';

// The discovery document is read again at most this often (a changed endpoint is picked up).
const DISCOVERY_MAX_AGE_MS = 600_000;
const DISCOVERY_MAX_SIZE = 524_288;

function describe(cause: IntrospectionFailureCause): string {
  if (cause.kind === 'no-endpoint')
    return 'the discovery document names no usable introspection_endpoint';
  if (cause.kind === 'bad-response') return `invalid answer (${cause.reason})`;
  return describeFailure(cause);
}

/**
 * What an {@link Introspector} needs besides its options.
 *
 * @example
 * new Introspector(config, { issuer, observer, digest: engine.digest });
 */
export interface IntrospectorContext {
  /** The issuer's `iss` when it is one string: discovery, the assertion `aud`, the answer's default `iss`. */
  readonly issuer: string | undefined;
  /** With `jwtResponse`: the issuer's keys. */
  readonly signed?: SignedAnswerKeys | undefined;
  readonly observer?: Observer | undefined;
  /**
   * The cache key of a token: its SHA-256 (the engine's digest), so the cache and the in-flight
   * map never hold a bearer token.
   */
  readonly digest: (token: string) => string;
}

/**
 * Asks one issuer's introspection endpoint about tokens.
 *
 * @example
 * const claims = await introspector.claimsOf(token); // throws InactiveTokenError, IntrospectionUnavailableError
 */
export class Introspector {
  private readonly cache: IntrospectionCache | undefined;
  private readonly inFlight = new Map<string, Promise<IntrospectionAnswer>>();
  private discovered: { endpoint: URL; until: number } | undefined;
  private discovering: Promise<URL> | undefined;
  private outage: { since: number; count: number } | undefined;

  constructor(
    readonly config: IntrospectionConfig,
    private readonly context: IntrospectorContext,
  ) {
    const { cache } = config;
    this.cache =
      cache === undefined
        ? undefined
        : new IntrospectionCache(cache.maxEntries, cache.maxAgeMs, config.staleIfErrorMs);
    if (config.endpoint === undefined && context.issuer !== undefined)
      toFetchUrl(context.issuer, 'issuer'); // discovery will fetch from it: check it now
  }

  /** Which tokens go to this endpoint. */
  get tokens(): 'opaque' | 'all' {
    return this.config.tokens;
  }

  /**
   * The claims of an active token (the answer minus `active`, with `iss` the issuer's when the
   * answer has none). Throws `InactiveTokenError` or `IntrospectionUnavailableError`.
   */
  async claimsOf(token: string): Promise<JWTClaims> {
    const key = this.context.digest(token);
    const hit = this.cache?.get(key, Date.now());
    if (hit?.fresh) return hit.claims;
    let answer: IntrospectionAnswer;
    try {
      answer = await this.ask(key, token);
    } catch (error) {
      // Only by opt-in (`staleIfError`), and never past the token's `exp`.
      if (hit !== undefined && error instanceof IntrospectionUnavailableError) return hit.claims;
      throw error;
    }
    if (!answer.active) throw new InactiveTokenError();
    return answer.claims;
  }

  // One call in flight per token: concurrent requests with it share the answer.
  private ask(key: string, token: string): Promise<IntrospectionAnswer> {
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const call = this.call(key, token).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async call(key: string, token: string): Promise<IntrospectionAnswer> {
    let url = this.config.endpoint?.href ?? this.context.issuer ?? '';
    try {
      const endpoint = await this.endpoint();
      url = endpoint.href;
      const audience = this.context.issuer ?? endpoint.href;
      const answer = await introspect(this.config, endpoint, token, audience, this.context.signed);
      this.recovered(url);
      if (!answer.active) return answer;
      const claims = this.withIssuer(answer.claims);
      this.cache?.set(key, claims, Date.now());
      return { active: true, claims };
    } catch (error) {
      if (error instanceof IntrospectionUnavailableError) this.failed(error);
      throw error;
    }
  }

  // RFC 7662 makes `iss` optional; the answer came from this issuer's endpoint, over an
  // authenticated request, so it speaks for that issuer. An `iss` it does send is checked.
  private withIssuer(claims: JWTClaims): JWTClaims {
    const { issuer } = this.context;
    return claims.iss === undefined && issuer !== undefined ? { ...claims, iss: issuer } : claims;
  }

  // The configured endpoint, else the discovered one (one discovery fetch in flight).
  private async endpoint(): Promise<URL> {
    if (this.config.endpoint !== undefined) return this.config.endpoint;
    const discovered = this.discovered;
    if (discovered !== undefined && Date.now() < discovered.until) return discovered.endpoint;
    this.discovering ??= this.discover().finally(() => {
      this.discovering = undefined;
    });
    return this.discovering;
  }

  private async discover(): Promise<URL> {
    const now = Date.now();
    const issuer = this.context.issuer as string;
    const issuerUrl = new URL(issuer);
    let doc: Awaited<ReturnType<typeof fetchDiscoveryDocument>>;
    try {
      doc = await fetchDiscoveryDocument(issuerUrl, issuer, {
        fetch: this.config.fetch,
        signal: AbortSignal.timeout(this.config.timeoutMs),
        maxResponseSize: DISCOVERY_MAX_SIZE,
        timeoutMs: this.config.timeoutMs,
      });
    } catch (error) {
      if (!(error instanceof RemoteFetchError)) throw error;
      throw new IntrospectionUnavailableError(
        error.url,
        error.failure as IntrospectionFailureCause,
        { cause: error },
      );
    }
    const member = (doc.body as { introspection_endpoint?: unknown }).introspection_endpoint;
    let endpoint: URL;
    try {
      if (typeof member !== 'string') throw new TypeError('no introspection_endpoint');
      endpoint = metadataUrl(member, 'introspection_endpoint', issuerUrl);
    } catch (cause) {
      throw new IntrospectionUnavailableError(doc.url, { kind: 'no-endpoint' }, { cause });
    }
    this.discovered = { endpoint, until: now + DISCOVERY_MAX_AGE_MS };
    return endpoint;
  }

  private failed(error: IntrospectionUnavailableError): void {
    const first = this.outage === undefined;
    this.outage = { since: this.outage?.since ?? Date.now(), count: (this.outage?.count ?? 0) + 1 };
    if (!first) return;
    const { url, failure } = error;
    const where = this.context.issuer === undefined ? url : `${this.context.issuer} (${url})`;
    this.log(
      'error',
      `tokengate: cannot introspect tokens at ${where}: ${describe(failure)}; tokens it must check are refused with 503 until it recovers`,
      { issuer: this.context.issuer, url, cause: failure },
    );
  }

  private recovered(url: string): void {
    const outage = this.outage;
    if (outage === undefined) return;
    this.outage = undefined;
    const downMs = Date.now() - outage.since;
    this.log(
      'info',
      `tokengate: the introspection endpoint ${url} answers again, after ${outage.count} failed calls over ${Math.round(downMs / 1000)} s`,
      { issuer: this.context.issuer, url, failedCalls: outage.count, downMs },
    );
  }

  private log(level: 'info' | 'error', message: string, details: Record<string, unknown>): void {
    const logger = this.context.observer?.logger;
    if (!logger) return;
    safely(() => {
      if (level === 'error') logger.error(message, details);
      else if (logger.info) logger.info(message, details);
      else logger.log?.(message, details);
    });
  }
}
