import type { VerifierOptions } from '@tokengate/express';

/** What the example needs to run: the port and how to trust tokens. */
export interface ExampleConfig {
  /** TCP port. Default 3000. */
  port: number;
  /** Verifier options for `jwtAuth()`. */
  auth: VerifierOptions;
  /** Set when running on the built-in demo secret, so the server can print a token. */
  demoSecret?: string;
}

/** The secret used when no JWKS_URI is set. For local demos only. */
export const DEMO_SECRET = 'tokengate-demo-secret-change-me-0123456789';

/**
 * Read the configuration from environment variables, with defaults that run out of the box:
 * `PORT` (3000), `JWKS_URI` (unset: HS256 with `JWT_SECRET` or a demo secret), `ISSUER`,
 * `AUDIENCE`, `ALGORITHMS` (comma separated; default RS256,ES256 with a JWKS).
 *
 * @example
 * const config = configFromEnv({ JWKS_URI: 'https://id.example.com/jwks.json', ISSUER: 'https://id.example.com/' });
 */
export function configFromEnv(
  env: Record<string, string | undefined> = process.env,
): ExampleConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  const issuer = env.ISSUER ?? 'https://demo.tokengate.local/';
  const audience = env.AUDIENCE ?? 'tokengate-demo';
  const algorithms = env.ALGORITHMS?.split(',').map((a) => a.trim());
  if (env.JWKS_URI) {
    return {
      port,
      auth: {
        jwksUri: env.JWKS_URI,
        issuer,
        audience,
        algorithms: algorithms ?? ['RS256', 'ES256'],
      },
    };
  }
  const secret = env.JWT_SECRET ?? DEMO_SECRET;
  return {
    port,
    auth: { secret, issuer, audience, algorithms: algorithms ?? ['HS256'] },
    ...(env.JWT_SECRET ? {} : { demoSecret: secret }),
  };
}
