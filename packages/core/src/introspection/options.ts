// The `introspection` option checked once, at construction: misuse is a TypeError naming the
// option, never a request that fails (or passes) at run time.
import { toFetchUrl } from '../keys/url.js';
import { checkKnownKeys, parseDuration } from '../options-check.js';
import { type ClientAuthentication, createClientAuthentication } from './client-auth.js';
import type { IntrospectionOptions } from './types.js';

/**
 * The checked `introspection` option of one issuer; durations in ms.
 *
 * @example
 * const config = checkIntrospection(options.introspection, '', { issuer, localKeys: true });
 */
export interface IntrospectionConfig {
  /** The configured endpoint; `undefined`: from the issuer's discovery document. */
  readonly endpoint: URL | undefined;
  readonly clientId: string;
  readonly auth: ClientAuthentication;
  readonly tokens: 'opaque' | 'all';
  readonly timeoutMs: number;
  readonly maxResponseSize: number;
  readonly cache: { readonly maxAgeMs: number; readonly maxEntries: number } | undefined;
  readonly staleIfErrorMs: number;
  readonly jwtResponse: boolean;
  readonly fetch: typeof fetch;
}

// biome-ignore format: grouped as in IntrospectionOptions
const KEYS: readonly (keyof IntrospectionOptions)[] = [
  'endpoint', 'clientId', 'clientSecret', 'clientAuth', 'privateKey', 'signingAlgorithm', 'keyId',
  'tokens', 'timeout', 'maxResponseSize', 'cache', 'staleIfError', 'jwtResponse', 'fetch',
];

// The key sources that verify a JWT here, without asking the issuer.
const LOCAL_SOURCES = ['secret', 'keys', 'jwksUri', 'discovery', 'getKey'] as const;

/**
 * Whether the options (or an `issuers` entry) name a local key source.
 *
 * @example
 * hasLocalKeySource({ discovery: true }); // true
 */
export function hasLocalKeySource(options: object): boolean {
  const record = options as Record<string, unknown>;
  return LOCAL_SOURCES.some((k) => record[k] !== undefined && record[k] !== false);
}

// The token and this API's credentials go there: https only, plain http to loopback only.
function endpointUrl(value: string | URL, name: string): URL {
  if (!URL.canParse(String(value))) throw new TypeError(`"${name}" must be an absolute URL`);
  try {
    return toFetchUrl(value, `"${name}"`);
  } catch {
    throw new TypeError(
      `"${name}" must be an https: URL without credentials (http: only to a loopback host)`,
    );
  }
}

const positiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;

function checkCache(
  value: IntrospectionOptions['cache'],
  name: string,
): IntrospectionConfig['cache'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`"${name}.cache" must be { maxAge, maxEntries? }`);
  checkKnownKeys(value, ['maxAge', 'maxEntries'], ` in "${name}.cache"`);
  if (value.maxAge === undefined)
    throw new TypeError(
      `"${name}.cache.maxAge" is required: how long a remembered answer may hide a revocation`,
    );
  const maxAgeMs = parseDuration(value.maxAge, `${name}.cache.maxAge`) * 1000;
  const maxEntries = value.maxEntries ?? 1000;
  if (!positiveInteger(maxEntries))
    throw new TypeError(`"${name}.cache.maxEntries" must be a positive integer`);
  return { maxAgeMs, maxEntries };
}

/**
 * Check one `introspection` option. `where`: ` in issuers[0]` for an entry; `issuer`: the
 * issuer's `iss` when it is a single string (discovery needs it); `localKeys`: whether the
 * issuer also has a local key source.
 *
 * @example
 * checkIntrospection({ clientId: 'api', clientSecret }, '', { issuer, localKeys: false });
 */
export function checkIntrospection(
  value: IntrospectionOptions,
  where: string,
  context: { issuer: string | undefined; localKeys: boolean },
): IntrospectionConfig {
  const name = 'introspection';
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`"${name}"${where} must be an object`);
  checkKnownKeys(value, KEYS, ` in "${name}"${where}`);
  if (typeof value.clientId !== 'string' || !value.clientId)
    throw new TypeError(
      `"${name}.clientId"${where} is required: this API's client id at the authorization server`,
    );
  let endpoint: URL | undefined;
  if (value.endpoint !== undefined) endpoint = endpointUrl(value.endpoint, `${name}.endpoint`);
  else if (context.issuer === undefined)
    throw new TypeError(
      `"${name}.endpoint"${where} is required without a single "issuer" to discover it from`,
    );
  const tokens = value.tokens ?? (context.localKeys ? 'opaque' : 'all');
  if (tokens !== 'opaque' && tokens !== 'all')
    throw new TypeError(`"${name}.tokens"${where} must be "opaque" or "all"`);
  if (tokens === 'opaque' && !context.localKeys)
    throw new TypeError(
      `"${name}.tokens" is "opaque"${where} but no key source verifies JWTs locally: add one (e.g. "discovery: true") or use tokens: "all"`,
    );
  const timeoutMs = parseDuration(value.timeout ?? 5, `${name}.timeout`) * 1000;
  if (timeoutMs <= 0) throw new TypeError(`"${name}.timeout"${where} must be more than 0`);
  const maxResponseSize = value.maxResponseSize ?? 65_536;
  if (!positiveInteger(maxResponseSize))
    throw new TypeError(`"${name}.maxResponseSize"${where} must be a positive integer (bytes)`);
  const cache = checkCache(value.cache, name);
  const staleIfErrorMs = parseDuration(value.staleIfError ?? 0, `${name}.staleIfError`) * 1000;
  if (staleIfErrorMs > 0 && cache === undefined)
    throw new TypeError(`"${name}.staleIfError"${where} needs "${name}.cache"`);
  if (value.jwtResponse !== undefined && typeof value.jwtResponse !== 'boolean')
    throw new TypeError(`"${name}.jwtResponse"${where} must be a boolean`);
  if (value.jwtResponse === true && !context.localKeys)
    throw new TypeError(
      `"${name}.jwtResponse"${where} needs the issuer's keys to verify the signed answer: add a key source (e.g. "discovery: true")`,
    );
  if (value.jwtResponse === true && context.issuer === undefined)
    throw new TypeError(`"${name}.jwtResponse"${where} needs a single "issuer" to check "iss"`);
  if (value.fetch !== undefined && typeof value.fetch !== 'function')
    throw new TypeError(`"${name}.fetch"${where} must be a function`);
  // Called unbound: some runtimes refuse a `fetch` called on another object.
  const fetchImpl: typeof fetch = value.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    endpoint,
    clientId: value.clientId,
    auth: createClientAuthentication(value, `${name}`, where),
    tokens,
    timeoutMs,
    maxResponseSize,
    cache,
    staleIfErrorMs,
    jwtResponse: value.jwtResponse ?? false,
    fetch: fetchImpl,
  };
}
