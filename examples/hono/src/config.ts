import type { VerifierOptions } from '@tokengate/hono';

/** What the example API needs to know; every field has a default for local runs. */
export interface AppConfig {
  /** JWKS URL of the token issuer. Default `http://127.0.0.1:4000/.well-known/jwks.json`. */
  jwksUri: string;
  /** Expected `iss`. Default `http://127.0.0.1:4000`. */
  issuer: string;
  /** Expected `aud`. Default `tokengate-example`. */
  audience: string;
  /** Accepted algorithms, comma separated in the environment. Default `RS256,ES256`. */
  algorithms: string[];
  /** Port of the Node server. Default 3000. */
  port: number;
}

/** Environment variables (Node `process.env` or Workers bindings) that configure the example. */
export type ConfigEnv = Partial<
  Record<'JWKS_URI' | 'ISSUER' | 'AUDIENCE' | 'ALGORITHMS' | 'PORT', string | undefined>
>;

/**
 * Read the configuration from environment variables, with defaults.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: ConfigEnv = {}): AppConfig {
  const issuer = env.ISSUER || 'http://127.0.0.1:4000';
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  return {
    jwksUri: env.JWKS_URI || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    issuer,
    audience: env.AUDIENCE || 'tokengate-example',
    algorithms: (env.ALGORITHMS || 'RS256,ES256')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    port,
  };
}

/** The verifier options for a configuration. */
export function verifierOptions(config: AppConfig): VerifierOptions {
  const { jwksUri, issuer, audience, algorithms } = config;
  return { jwksUri, issuer, audience, algorithms, realm: 'tokengate-example' };
}
