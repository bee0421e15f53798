// The `dpop` option, checked once: mode, origins, proof algorithms, window, nonce, store.
import type { VerifierOptions } from '../options.js';
import { parseDuration } from '../options-check.js';
import type { DpopNonceOptions, DpopOptions, ReplayStore } from './types.js';

/**
 * Proof algorithms accepted by default: every asymmetric JWS algorithm (RFC 9449 §4.2 forbids
 * symmetric ones and `none`).
 *
 * @example
 * createVerifier({ ...options, dpop: { algorithms: DEFAULT_DPOP_ALGORITHMS.filter((a) => a !== 'RS256') } });
 */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  'Ed25519',
]);

/** The `dpop` option after checking. */
export interface DpopSettings {
  readonly required: boolean;
  /** Public origins (`https://api.example.com`, normalised); empty: from a trusted proxy only. */
  readonly origins: readonly string[];
  readonly algorithms: readonly string[];
  /** Seconds. */
  readonly maxAge: number;
  readonly nonce: DpopNonceOptions | undefined;
  readonly replayStore: ReplayStore | undefined;
}

const DPOP_KEYS = ['mode', 'origin', 'algorithms', 'maxAge', 'nonce', 'replayStore'];

function asObject(dpop: VerifierOptions['dpop']): DpopOptions {
  if (dpop === 'allowed' || dpop === 'required') return { mode: dpop };
  if (typeof dpop !== 'object' || dpop === null || Array.isArray(dpop))
    throw new TypeError('"dpop" must be "off", "allowed", "required" or an options object');
  for (const key of Object.keys(dpop))
    if (!DPOP_KEYS.includes(key)) throw new TypeError(`Unknown option "dpop.${key}"`);
  return dpop;
}

function checkOrigin(origin: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof origin === 'string' ? new URL(origin) : undefined;
  } catch {}
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.origin !== `${url.protocol}//${url.host}` ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  )
    throw new TypeError(
      `"dpop.origin" must be an origin such as "https://api.example.com", got ${JSON.stringify(origin)}`,
    );
  return url.origin;
}

/**
 * A proof `alg` allow-list, checked: a non-empty array of asymmetric JWS algorithms (RFC 9449
 * §4.2 forbids symmetric ones and `none`); {@link DEFAULT_DPOP_ALGORITHMS} when `undefined`.
 * Throws `TypeError` naming the option `name`.
 *
 * @example
 * checkDpopAlgorithms(['ES256'], 'dpop.algorithms'); // ['ES256']
 */
export function checkDpopAlgorithms(algorithms: unknown, name: string): readonly string[] {
  if (algorithms === undefined) return DEFAULT_DPOP_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0)
    throw new TypeError(`"${name}" must be a non-empty array`);
  for (const alg of algorithms)
    if (!DEFAULT_DPOP_ALGORITHMS.includes(alg))
      throw new TypeError(`"${name}": ${JSON.stringify(alg)} is not an asymmetric JWS algorithm`);
  return Object.freeze([...algorithms]);
}

/**
 * The checked `dpop` option; `undefined` when it is off. Throws `TypeError` naming the option.
 * Without an origin, `trustProxy` must be set: the proof's `htu` is then checked against the
 * origin a trusted proxy forwarded.
 *
 * @example
 * const settings = dpopSettings({ ...options, dpop: { mode: 'required', origin: 'https://api.example.com' } });
 */
export function dpopSettings(options: VerifierOptions): DpopSettings | undefined {
  const { dpop } = options;
  if (dpop === undefined || dpop === 'off') return undefined;
  const o = asObject(dpop);
  if (o.mode !== undefined && o.mode !== 'allowed' && o.mode !== 'required')
    throw new TypeError('"dpop.mode" must be "allowed" or "required"');
  if (options.extract !== undefined)
    throw new TypeError(
      '"dpop" reads the Authorization header itself; it cannot be combined with "extract"',
    );
  const origins = o.origin === undefined ? [] : [o.origin].flat().map(checkOrigin);
  if (origins.length === 0 && (options.trustProxy === undefined || options.trustProxy === false))
    throw new TypeError(
      '"dpop" needs "dpop.origin" (this API\'s public origin, e.g. "https://api.example.com") or "trustProxy": the Host header alone is chosen by the client',
    );
  const store = o.replayStore;
  if (store !== undefined && typeof store?.claim !== 'function')
    throw new TypeError('"dpop.replayStore" must have a claim(key, expiresAt) method');
  return Object.freeze({
    required: o.mode === 'required',
    origins: Object.freeze(origins),
    algorithms: checkDpopAlgorithms(o.algorithms, 'dpop.algorithms'),
    maxAge: o.maxAge === undefined ? 300 : parseDuration(o.maxAge, 'dpop.maxAge'),
    nonce: o.nonce,
    replayStore: store,
  });
}
