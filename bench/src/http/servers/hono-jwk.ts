import { Hono } from 'hono';
import { jwk } from 'hono/jwk';
import { listenHono } from './listen.js';
import { reply, type ServerConfig, type ServerFactory } from './types.js';

// hono/jwk as documented: `jwks_uri`, the allowed algorithms and the claim checks.
function honoJwk(config: ServerConfig): Promise<number> {
  const app = new Hono<{ Variables: { jwtPayload: { sub?: string } } }>();
  app.use(
    '*',
    jwk({
      jwks_uri: config.jwksUri,
      alg: ['RS256'],
      verification: { iss: config.issuer, aud: config.audience },
    }),
  );
  app.get('/', (c) => c.json(reply(c.get('jwtPayload').sub)));
  return listenHono(app.fetch);
}

/** Hono 4 peer: hono/jwk. */
export const servers: Record<string, ServerFactory> = { 'hono-jwk': honoJwk };
