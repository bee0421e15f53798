// Option checks that run once, in createVerifier: misuse is a TypeError naming the option,
// never a silently weaker check at request time.
import { SUPPORTED_ALGORITHMS } from './algorithms.js';
import type { ClaimValidator, Duration, VerifierOptions } from './options.js';
import { checkResourceOption } from './resource/check.js';
import type { JWTClaims, ProtectedHeader } from './types.js';

// biome-ignore format: grouped as in VerifierOptions
const KNOWN_KEYS: readonly (keyof VerifierOptions)[] = [
  'secret', 'keys', 'jwksUri', 'discovery', 'getKey', 'issuers', 'maxResolvedIssuers', 'jwks',
  'algorithms', 'issuer', 'audience', 'clockTolerance', 'maxTokenAge', 'requiredClaims',
  'requireExp', 'typ', 'validators', 'isRevoked',
  'cookie', 'query', 'extract', 'maxTokenSize',
  'realm', 'resourceMetadata', 'resource', 'optional', 'decryption', 'cache',
  'logger', 'telemetry', 'dpop', 'mtls', 'trustProxy', 'introspection',
];

/**
 * Keys of one `issuers` entry.
 *
 * @example
 * checkKnownKeys(config, ISSUER_KEYS, ' in issuers[0]');
 */
// biome-ignore format: one list
export const ISSUER_KEYS: readonly string[] = [
  'issuer', 'algorithms', 'audience', 'secret', 'keys', 'jwksUri', 'discovery', 'getKey', 'jwks',
  'introspection',
];

// Names people reach for from other libraries (jsonwebtoken, express-jwt, PyJWT).
// biome-ignore format: a table
const ALIASES: Record<string, string> = {
  aud: 'audience', iss: 'issuer', alg: 'algorithms', algs: 'algorithms',
  algorithm: 'algorithms', jwks_uri: 'jwksUri', jwksUrl: 'jwksUri', jwksURL: 'jwksUri',
  jwksUri_: 'jwksUri', leeway: 'clockTolerance', clockSkew: 'clockTolerance',
  maxAge: 'maxTokenAge', publicKey: 'keys', key: 'keys', secretOrPublicKey: 'secret',
  credentialsRequired: 'optional', getToken: 'extract', required_claims: 'requiredClaims',
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + cost);
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/**
 * Refuse keys that are not in `known`, suggesting the closest known name.
 *
 * @example
 * checkKnownKeys({ aud: 'api' }, ['audience'], ''); // TypeError: Unknown option "aud" (did you mean "audience"?)
 */
export function checkKnownKeys(value: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const alias = ALIASES[key];
    const closest = [...known].sort((a, b) => distance(a, key) - distance(b, key))[0];
    const guess = closest !== undefined && distance(closest, key) <= 2 ? closest : undefined;
    const near = alias && known.includes(alias) ? alias : guess;
    const hint = near ? ` (did you mean "${near}"?)` : '';
    throw new TypeError(`Unknown option "${key}"${where}${hint}`);
  }
}

/**
 * Check an explicit algorithm allow-list: non-empty, supported, never `none`.
 *
 * @example
 * checkAlgorithms(['RS256', 'ES256']); // ['RS256', 'ES256']; ['none'] throws
 */
export function checkAlgorithms(value: unknown, name = 'algorithms'): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(`"${name}" must be a non-empty array of algorithm names`);
  for (const alg of value) {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none')
      throw new TypeError(`"${name}" must not contain "none" (unsigned tokens are never accepted)`);
    if (typeof alg !== 'string' || !SUPPORTED_ALGORITHMS.includes(alg))
      throw new TypeError(
        `"${name}" contains unsupported algorithm ${JSON.stringify(alg)}; supported: ${SUPPORTED_ALGORITHMS.join(', ')}`,
      );
  }
  return [...new Set(value as string[])];
}

// biome-ignore format: a table
const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400, w: 604800, week: 604800, weeks: 604800,
};

/**
 * Parse a duration (seconds, or `'30s'`, `'5m'`, `'1h'`, `'2 days'`) into seconds.
 *
 * @example
 * parseDuration('5m', 'maxTokenAge'); // 300
 */
export function parseDuration(value: Duration, name: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else if (typeof value === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(value.trim());
    const unit = m ? UNIT_SECONDS[(m[2] as string).toLowerCase()] : undefined;
    if (m && unit !== undefined) return Number(m[1]) * unit;
  }
  throw new TypeError(
    `"${name}" must be a non-negative number of seconds or a duration such as "30s", "5m", "1h"`,
  );
}

/**
 * Refuse options that would leave `iss` or `aud` unchecked without saying so: the key must be
 * present, and hold a value or `false` (the explicit opt-out). A present key whose value is
 * `undefined` is nearly always `issuer: process.env.ISSUER` with the variable unset.
 *
 * @example
 * requireExpected({ secret }, 'audience'); // TypeError: "audience" is required: …
 * requireExpected({ secret, audience: false }, 'audience'); // passes: no audience check, on purpose
 */
export function requireExpected(o: object, name: 'issuer' | 'audience', where = ''): void {
  const claim = name === 'issuer' ? 'iss' : 'aud';
  const optOut = `or \`${name}: false\` to accept any "${claim}" on purpose`;
  if (!(name in o))
    throw new TypeError(
      `"${name}"${where} is required: set the expected "${claim}" value(s), ${optOut}`,
    );
  if ((o as Record<string, unknown>)[name] === undefined)
    throw new TypeError(
      `"${name}"${where} is undefined — is the environment variable it comes from unset? Set it, ${optOut}`,
    );
}

// An expected `iss`/`aud` list; `false` (the opt-out) and absence both mean "not checked" here,
// requireExpected tells them apart once the key source is known to be well formed.
function expected(value: unknown, name: string): string[] | undefined {
  return value === undefined || value === false ? undefined : stringList(value, name);
}

function stringList(value: unknown, name: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || !v))
    throw new TypeError(`"${name}" must be a non-empty string or a non-empty array of strings`);
  return list as string[];
}

/**
 * The claims policy after its options were checked.
 *
 * @example
 * const policy: Policy = checkPolicy({ issuer: 'https://id.example/', audience: 'api' });
 */
export interface Policy {
  issuer?: string[];
  audience?: string[];
  /** Seconds. */
  clockTolerance: number;
  /** Seconds. */
  maxTokenAge?: number;
  requiredClaims: string[];
  requireExp: boolean;
  typ?: string[] | 'rfc9068';
  validators: ClaimValidator[];
  isRevoked?: (claims: JWTClaims, header: ProtectedHeader) => boolean | Promise<boolean>;
}

// RFC 9068 §2.2: the claims every JWT access token carries.
const RFC9068_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];

function fnOrUndefined<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function')
    throw new TypeError(`"${name}" must be a function`);
  return value;
}

/**
 * Check the claims-policy options and apply the defaults (clockTolerance 5 s, requireExp).
 * `issuer`/`audience` are only checked for their type here: whether they may be absent
 * depends on the key source, see {@link requireExpected}. `typ: 'rfc9068'` adds the claims
 * RFC 9068 §2.2 makes mandatory to `requiredClaims`.
 *
 * @example
 * const policy = checkPolicy({ audience: 'api' }); // policy.clockTolerance === 5
 */
export function checkPolicy(o: VerifierOptions): Policy {
  if (o.requireExp !== undefined && typeof o.requireExp !== 'boolean')
    throw new TypeError('"requireExp" must be a boolean');
  const validators = o.validators ?? [];
  if (!Array.isArray(validators) || validators.some((v) => typeof v !== 'function'))
    throw new TypeError('"validators" must be an array of functions');
  let typ: Policy['typ'];
  if (o.typ === 'rfc9068') typ = 'rfc9068';
  else if (o.typ !== undefined) typ = stringList(o.typ, 'typ');
  const listed =
    o.requiredClaims === undefined ? [] : stringList(o.requiredClaims, 'requiredClaims');
  const requiredClaims = typ === 'rfc9068' ? [...new Set([...listed, ...RFC9068_CLAIMS])] : listed;
  return {
    issuer: expected(o.issuer, 'issuer'),
    audience: expected(o.audience, 'audience'),
    clockTolerance:
      o.clockTolerance === undefined ? 5 : parseDuration(o.clockTolerance, 'clockTolerance'),
    maxTokenAge:
      o.maxTokenAge === undefined ? undefined : parseDuration(o.maxTokenAge, 'maxTokenAge'),
    requiredClaims,
    requireExp: o.requireExp ?? true,
    typ,
    validators,
    isRevoked: fnOrUndefined(o.isRevoked, 'isRevoked'),
  };
}

/**
 * Check the option keys and the extraction/response options; returns `maxTokenSize`.
 *
 * @example
 * const { maxTokenSize } = checkTopLevel({ secret, maxTokenSize: 4096 });
 */
export function checkTopLevel(o: VerifierOptions): { maxTokenSize: number } {
  if (o === null || typeof o !== 'object')
    throw new TypeError('createVerifier needs an options object');
  checkKnownKeys(o, KNOWN_KEYS, '');
  const maxTokenSize = o.maxTokenSize ?? 8192;
  if (!Number.isInteger(maxTokenSize) || maxTokenSize < 16)
    throw new TypeError('"maxTokenSize" must be an integer number of characters of at least 16');
  if (o.cookie !== undefined && (typeof o.cookie !== 'string' || !o.cookie))
    throw new TypeError('"cookie" must be a non-empty cookie name');
  if (o.query !== undefined && typeof o.query !== 'boolean')
    throw new TypeError('"query" must be a boolean');
  fnOrUndefined(o.extract, 'extract');
  if (o.optional !== undefined && o.optional !== 'allow-missing' && o.optional !== 'allow-invalid')
    throw new TypeError('"optional" must be "allow-missing" or "allow-invalid"');
  for (const name of ['realm', 'resourceMetadata'] as const)
    if (o[name] !== undefined && typeof o[name] !== 'string')
      throw new TypeError(`"${name}" must be a string`);
  checkResourceOption(o);
  const cache = o.cache;
  if (cache !== undefined && typeof cache !== 'boolean') {
    if (typeof cache !== 'object' || cache === null)
      throw new TypeError('"cache" must be a boolean or { maxEntries }');
    checkKnownKeys(cache, ['maxEntries'], ' in "cache"');
    if (
      cache.maxEntries !== undefined &&
      (!Number.isInteger(cache.maxEntries) || cache.maxEntries < 1)
    )
      throw new TypeError('"cache.maxEntries" must be a positive integer');
  }
  return { maxTokenSize };
}
