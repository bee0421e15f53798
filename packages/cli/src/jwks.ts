// `tokengate jwks <url|issuer>`: the JWK Set as the verifier fetches it. The fetch goes
// through core's own key source (its URL rules, size cap, timeout, no redirects, OIDC
// discovery and RFC 8414 fallback) by asking a verifier for a key no set holds; the recording
// `fetch` keeps the responses.
import { createVerifier, isTokengateError } from '@tokengate/core';
import { base64url } from 'jose';
import { cacheHeaders, createFetchRecorder, type FetchRecord } from './fetch-recorder.js';
import { type Style, table, utc } from './format.js';
import { type CliIo, EXIT, UsageError, writeJson, writeLines } from './io.js';
import { type KeySummary, summariseKey } from './jwk-list.js';

/** Options of `tokengate jwks`. */
export interface JwksOptions {
  /** Treat the argument as an issuer and find its JWK Set through discovery. Default: tried when the URL is not a JWK Set. */
  discovery?: boolean;
  allowInsecureHttp?: boolean;
  /** Fetch timeout in ms. Default: core's (5000). */
  timeout?: number;
  json?: boolean;
}

/** What one fetch of a key set through the verifier found. */
export interface FetchedKeySet {
  /** The JWK Set response, when one came back. */
  jwks: (FetchRecord & { body: { keys: unknown[] } }) | undefined;
  /** The discovery document's URL, when discovery found the set. */
  discoveredFrom: string | undefined;
  /** Why no usable set was obtained (core's key-source error), if so. */
  failure: string | undefined;
}

const PROBE_KID = 'tokengate-cli-probe';

// A well-formed JWS whose `kid` no real set holds: verifying it makes the key source fetch.
function probeToken(iss: string | undefined): string {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: 'RS256', kid: PROBE_KID })}.${part(iss ? { iss } : {})}.AA`;
}

/**
 * Fetch a JWK Set the way the verifier does, directly (`jwksUri`) or through discovery from
 * an issuer, and return what came back.
 *
 * @example
 * const found = await fetchKeySet({ jwksUri: url }, {});
 */
export async function fetchKeySet(
  source: { jwksUri: string } | { issuer: string },
  options: Pick<JwksOptions, 'allowInsecureHttp' | 'timeout'>,
): Promise<FetchedKeySet> {
  const recorder = createFetchRecorder();
  const jwks = {
    fetch: recorder.fetch,
    rotationBudget: 0,
    ...(options.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
    ...(options.timeout !== undefined ? { timeoutDuration: options.timeout } : {}),
  };
  let verifier: ReturnType<typeof createVerifier>;
  try {
    verifier =
      'jwksUri' in source
        ? createVerifier({
            jwksUri: source.jwksUri,
            issuer: false,
            audience: false,
            jwks,
            logger: false,
          })
        : createVerifier({
            issuer: source.issuer,
            discovery: true,
            audience: false,
            jwks,
            logger: false,
          });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}`);
  }
  const outcome = await verifier
    .verify(probeToken('issuer' in source ? source.issuer : undefined))
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  const set = recorder.lastJwks();
  const discovery =
    'issuer' in source ? recorder.records.find((r) => r.url !== set?.url) : undefined;
  return {
    jwks: set,
    discoveredFrom: set && discovery ? discovery.url : undefined,
    failure: keySourceFailure(outcome),
  };
}

/**
 * Core's reason when the key source failed (unreachable, not a JWK Set, no usable key),
 * else `undefined`.
 *
 * @example
 * keySourceFailure(error); // 'unexpected HTTP status 404 (https://id.example/jwks)'
 */
export function keySourceFailure(error: unknown): string | undefined {
  if (!isTokengateError(error) || error.code !== 'ERR_KEY_SET_UNAVAILABLE') return undefined;
  const cause = error.cause;
  return cause instanceof Error ? cause.message : error.message;
}

/**
 * List the keys of a JWK Set URL, or of an issuer's set found through discovery: kid, kty,
 * alg, use, size, thumbprint, and the caching headers the server sent. Exit 0, or 2 when no
 * JWK Set can be fetched.
 *
 * @example
 * await jwksCommand('https://id.example.com/', {}, io, style);
 */
export async function jwksCommand(
  target: string,
  options: JwksOptions,
  io: CliIo,
  style: Style,
): Promise<number> {
  let found = options.discovery ? undefined : await fetchKeySet({ jwksUri: target }, options);
  if (found?.jwks === undefined) {
    const direct = found?.failure;
    found = await fetchKeySet({ issuer: target }, options);
    if (found.jwks === undefined) {
      const tried = direct ? `as a JWK Set URL: ${direct}; ` : '';
      throw new UsageError(
        `No JWK Set at ${target} (${tried}through discovery from it as an issuer: ${found.failure ?? 'no JWK Set'})`,
      );
    }
  }
  const set = found.jwks!;
  const keys = await Promise.all(set.body.keys.map(summariseKey));
  if (options.json) {
    writeJson(io.stdout, {
      url: set.url,
      discoveredFrom: found.discoveredFrom ?? null,
      status: set.status,
      fetchedAt: new Date(set.at).toISOString(),
      cacheHeaders: cacheHeaders(set),
      keys,
      problem: found.failure ?? null,
    });
    return EXIT.ok;
  }
  writeLines(io.stdout, humanLines(set, found, keys, style));
  return EXIT.ok;
}

function humanLines(
  set: FetchRecord,
  found: FetchedKeySet,
  keys: KeySummary[],
  style: Style,
): string[] {
  const caching = Object.entries(cacheHeaders(set)).map(([k, v]) => `${k}: ${v}`);
  const lines = [
    `${style.bold('JWK Set')}  ${set.url}`,
    ...(found.discoveredFrom
      ? [`${style.bold('Found')}    through discovery: ${found.discoveredFrom}`]
      : []),
    `${style.bold('Fetched')}  ${utc(set.at / 1000)}, HTTP ${set.status}`,
    `${style.bold('Cache')}    ${caching.length > 0 ? caching.join('; ') : 'no caching headers sent'}`,
    `${style.bold('Keys')}     ${keys.length}`,
  ];
  if (found.failure) lines.push(style.red(`The verifier cannot use this set: ${found.failure}`));
  const dash = (v: string | null) => v ?? '-';
  const rows: [string, string][] = [['kid', 'kty  alg    use  size      thumbprint (SHA-256)']];
  for (const key of keys) {
    const cells = [
      dash(key.kty).padEnd(4),
      dash(key.alg).padEnd(6),
      dash(key.use).padEnd(4),
      dash(key.size).padEnd(9),
      dash(key.thumbprint),
    ];
    rows.push([dash(key.kid), cells.join(' ')]);
    for (const warning of key.warnings) rows.push(['', style.yellow(`! ${warning}`)]);
  }
  return [...lines, ...table(rows, style)];
}
