import type { Duration } from '@tokengate/issuer';

/** The asymmetric algorithms the examples can sign with. */
export type ExampleAlgorithm = 'ES256' | 'RS256' | 'PS256' | 'EdDSA';

const ALGORITHMS: readonly ExampleAlgorithm[] = ['ES256', 'RS256', 'PS256', 'EdDSA'];

/** Everything an example API reads from the environment; every field has a default. */
export interface ExampleConfig {
  /** `PORT`: TCP port. Default: the example's own (3001 Express … 3004 Nest). */
  port: number;
  /** `HOST`: interface to listen on. Default `127.0.0.1`. */
  host: string;
  /** `PUBLIC_URL`: where clients reach the API. Default `http://127.0.0.1:<PORT>`. */
  publicUrl: string;
  /** `ISSUER`: `iss` of the tokens it issues and accepts. Default `PUBLIC_URL`. */
  issuer: string;
  /** `JWKS_URI`: where the verifier fetches the public keys. Default `<ISSUER>/.well-known/jwks.json`. */
  jwksUri: string;
  /** `AUDIENCE`: `aud` of the access tokens. Default `tokengate-demo`. */
  audience: string;
  /** `SIGNING_ALG`: `ES256`, `RS256`, `PS256` or `EdDSA`. Default `ES256`. */
  algorithm: ExampleAlgorithm;
  /** `SIGNING_KEY`: PKCS#8 PEM private key (`\n` escapes allowed). Default: a fresh key at every start. */
  signingKey?: string;
  /** `ACCESS_TOKEN_TTL`: seconds or `'15m'`. Default `'15m'`. */
  accessTokenTtl: Duration;
  /** `REFRESH_TOKEN_TTL`: seconds or `'30d'`. Default `'30d'`. */
  refreshTokenTtl: Duration;
  /** `CLOCK_TOLERANCE`: seconds of clock skew accepted on `exp`/`nbf`. Default 5. */
  clockTolerance: number;
}

/** Environment variables, as in `process.env`. */
export type ExampleEnv = Record<string, string | undefined>;

function integer(env: ExampleEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(
      `${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

// The units @tokengate/issuer understands: `90`, `90s`, `15m`, `12h`, `30d`, `2w` (and words).
const DURATION =
  /^([1-9]\d{0,9})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)?$/i;

function duration(env: ExampleEnv, name: string, fallback: string): Duration {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const match = DURATION.exec(raw);
  if (!match) {
    throw new TypeError(
      `${name} must be a positive whole number of seconds or a duration such as '15m', got ${JSON.stringify(raw)}`,
    );
  }
  return match[2] ? raw : Number(match[1]);
}

const PKCS8_PEM =
  /^-----BEGIN PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PRIVATE KEY-----\s*$/;

function signingKey(env: ExampleEnv): string | undefined {
  // Environments that cannot hold newlines often carry them as a literal `\n`.
  const raw = env.SIGNING_KEY?.trim().replaceAll('\\n', '\n');
  if (!raw) return undefined;
  if (!PKCS8_PEM.test(raw)) {
    throw new TypeError(
      'SIGNING_KEY must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)',
    );
  }
  return raw;
}

/**
 * Read an example API's configuration from environment variables. Run alone, an example is
 * its own issuer: it signs tokens and verifies them through its own published JWK Set.
 * Misconfiguration throws a `TypeError` naming the variable.
 *
 * @example
 * const config = loadConfig(process.env, { port: 3001 });
 */
export function loadConfig(env: ExampleEnv, defaults: { port: number }): ExampleConfig {
  const port = integer(env, 'PORT', defaults.port, 65_535);
  const host = env.HOST || '127.0.0.1';
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = (env.PUBLIC_URL || `http://${reachable}:${port}`).replace(/\/$/, '');
  if (!env.PUBLIC_URL && !env.ISSUER && port === 0) {
    throw new TypeError('PORT=0 needs PUBLIC_URL or ISSUER: the issuer URL must be known');
  }
  const issuer = env.ISSUER || publicUrl;
  const algorithm = (env.SIGNING_ALG || 'ES256') as ExampleAlgorithm;
  const key = signingKey(env);
  if (!ALGORITHMS.includes(algorithm)) {
    throw new TypeError(`SIGNING_ALG must be one of ${ALGORITHMS.join(', ')}`);
  }
  return {
    port,
    host,
    publicUrl,
    issuer,
    jwksUri: env.JWKS_URI || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    audience: env.AUDIENCE || 'tokengate-demo',
    algorithm,
    ...(key ? { signingKey: key } : {}),
    accessTokenTtl: duration(env, 'ACCESS_TOKEN_TTL', '15m'),
    refreshTokenTtl: duration(env, 'REFRESH_TOKEN_TTL', '30d'),
    clockTolerance: integer(env, 'CLOCK_TOLERANCE', 5, 300),
  };
}
