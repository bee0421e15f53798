/**
 * Loud when broken, quiet otherwise: a remote key source's outages as log lines and fetch
 * events. The first failed fetch of an outage is logged once, with the URL and the cause
 * (`warn` while the last good set still verifies tokens, `error` when tokens get 503), once
 * more if the outage later leaves nothing to serve, and its end once (`info`). Every fetch,
 * good or bad, is a telemetry event.
 */
import { type Observer, safely } from '../telemetry/observe.js';
import type { KeySetFetchEvent } from '../telemetry/types.js';
import { describeFailure, type RemoteFetchError } from './failure.js';
import type { KeySourceFailure } from './types.js';

const keys = (n: number) => (n === 1 ? '1 key' : `${n} keys`);

/**
 * Tracks one key source's outage and reports it; see the module comment.
 *
 * @example
 * const reporter = new FetchReporter('https://id.example/jwks', { logger: console, telemetry: undefined });
 * reporter.failed(error, 12, 0); // logs once: "tokengate: cannot fetch the JWK Set of …"
 */
export class FetchReporter {
  private outage: KeySourceFailure | undefined;
  /** The level of the last outage line: an outage is escalated from `warn` to `error` once. */
  private logged: 'warn' | 'error' | undefined;

  /** `source`: the key source's `jwksUri`, or its issuer under discovery. */
  constructor(
    private readonly source: string,
    private readonly observer: Observer | undefined,
  ) {}

  /** The current outage, for `health()`; `undefined` while the source works. */
  get failure(): KeySourceFailure | undefined {
    return this.outage;
  }

  /** A fetch succeeded with `keyCount` usable keys. */
  succeeded(url: string, keyCount: number, durationMs: number): void {
    const source = this.source;
    const outage = this.outage;
    this.event({ source, url, outcome: 'success', keyCount, durationMs });
    if (!outage) return;
    this.outage = undefined;
    this.logged = undefined;
    const downMs = Date.now() - outage.since;
    this.log(
      'info',
      `tokengate: the JWK Set of ${source} is available again (${keys(keyCount)}), after ${outage.count} failed fetches over ${Math.round(downMs / 1000)} s`,
      { source, url, keyCount, failedFetches: outage.count, downMs },
    );
  }

  /** A fetch failed; `servingKeys`: keys of the last good set still in use (0: none). */
  failed(error: RemoteFetchError, durationMs: number, servingKeys: number): void {
    const source = this.source;
    const { url, failure: cause } = error;
    const now = Date.now();
    const since = this.outage?.since ?? now;
    this.outage = { url, cause, since, count: (this.outage?.count ?? 0) + 1 };
    this.event({ source, url, outcome: 'failure', cause, durationMs });
    const level = servingKeys > 0 ? 'warn' : 'error';
    if (this.logged === level || this.logged === 'error') return;
    this.logged = level;
    const where = url === source ? source : `${source} (${url})`;
    const effect =
      level === 'warn'
        ? `the last good set (${keys(servingKeys)}) verifies tokens meanwhile`
        : 'tokens that need it are refused with 503 until it recovers';
    const message = `tokengate: cannot fetch the JWK Set of ${where}: ${describeFailure(cause)}; ${effect}`;
    this.log(level, message, { source, url, cause, since, servingKeys });
  }

  private event(event: KeySetFetchEvent): void {
    const telemetry = this.observer?.telemetry;
    if (telemetry?.keySetFetch) safely(() => telemetry.keySetFetch?.(event));
  }

  private log(
    level: 'info' | 'warn' | 'error',
    message: string,
    details: Record<string, unknown>,
  ): void {
    const logger = this.observer?.logger;
    if (!logger) return;
    safely(() => {
      if (level !== 'info') logger[level](message, details);
      else if (logger.info) logger.info(message, details);
      else logger.log?.(message, details);
    });
  }
}
