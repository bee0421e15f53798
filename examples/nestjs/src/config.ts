import type { VerifierOptions } from '@tokengate/nestjs';

/** Everything the example reads from the environment. */
export interface AppConfig {
  /** `PORT`, default 3000 (0 picks a free port). */
  port: number;
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `PLATFORM`: `express` (default) or `fastify`. */
  platform: 'express' | 'fastify';
  /** Verifier options for `TokengateModule`. */
  auth: VerifierOptions;
}

// For a first run without an identity provider only; set JWKS_URI (or JWT_SECRET) for real use.
const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

/**
 * Read the configuration: `JWKS_URI` (+ `ISSUER`, `AUDIENCE`, `ALGORITHMS`) for tokens from an
 * identity provider, else `JWT_SECRET` for HS256 tokens.
 *
 * @example
 * loadConfig({ JWKS_URI: 'https://id.example.com/.well-known/jwks.json', ISSUER: 'https://id.example.com/' });
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const issuer = env.ISSUER ?? 'https://id.example.test/';
  const audience = env.AUDIENCE ?? 'tokengate-demo';
  const keys: VerifierOptions = env.JWKS_URI
    ? { jwksUri: env.JWKS_URI, algorithms: env.ALGORITHMS?.split(',') ?? ['RS256', 'ES256'] }
    : { secret: env.JWT_SECRET ?? DEV_SECRET, algorithms: ['HS256'] };
  const platform = env.PLATFORM === 'fastify' ? 'fastify' : 'express';
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    platform,
    auth: { ...keys, issuer, audience, realm: env.REALM ?? 'tokengate-demo' },
  };
}
