import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import { listenExpress } from './listen.js';
import { reply, type ServerConfig, type ServerFactory } from './types.js';

// Auth0's middleware with an explicit issuer and JWKS URL (no discovery round trip).
function oauth2JwtBearer(config: ServerConfig): Promise<number> {
  const app = express();
  app.use(
    auth({
      issuer: config.issuer,
      jwksUri: config.jwksUri,
      audience: config.audience,
      tokenSigningAlg: 'RS256',
    }),
  );
  app.get('/', (req, res) => {
    res.json(reply(req.auth?.payload.sub));
  });
  return listenExpress(app);
}

/** Express 5 peer: express-oauth2-jwt-bearer. */
export const servers: Record<string, ServerFactory> = {
  'express-oauth2-jwt-bearer': oauth2JwtBearer,
};
