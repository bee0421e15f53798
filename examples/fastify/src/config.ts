import type { VerifierOptions } from '@tokengate/fastify';

/** What the example needs to run. */
export interface ExampleConfig {
  /** TCP port. Default 3000. */
  port: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host: string;
  /** Verifier options for the plugin. */
  auth: VerifierOptions;
  /** Set when running on the built-in demo secret, so the server can print a token. */
  demoSecret?: string;
}

/** The HS256 secret used when neither `JWKS_URI` nor `JWT_SECRET` is set. Local demos only. */
export const DEMO_SECRET = 'tokengate-fastify-demo-secret-change-me-0123';

function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`PORT must be a port number, got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * Read the configuration from environment variables, with defaults that run out of the box:
 * `PORT` (3000), `HOST` (127.0.0.1), `JWKS_URI` (unset: HS256 with `JWT_SECRET` or the demo
 * secret), `ISSUER`, `AUDIENCE`, `ALGORITHMS` (comma separated; RS256,ES256 with a JWKS).
 *
 * @example
 * const config = configFromEnv({ JWKS_URI: 'https://id.example.com/jwks.json' });
 */
export function configFromEnv(
  env: Record<string, string | undefined> = process.env,
): ExampleConfig {
  const port = parsePort(env.PORT);
  const host = env.HOST ?? '127.0.0.1';
  const issuer = env.ISSUER ?? 'https://demo.tokengate.local/';
  const audience = env.AUDIENCE ?? 'tokengate-demo';
  const algorithms = env.ALGORITHMS?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (env.JWKS_URI) {
    const auth = {
      jwksUri: env.JWKS_URI,
      issuer,
      audience,
      algorithms: algorithms ?? ['RS256', 'ES256'],
    };
    return { port, host, auth };
  }
  const secret = env.JWT_SECRET ?? DEMO_SECRET;
  const auth = { secret, issuer, audience, algorithms: algorithms ?? ['HS256'] };
  return { port, host, auth, ...(env.JWT_SECRET ? {} : { demoSecret: secret }) };
}
