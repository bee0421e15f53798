import express, { type NextFunction, type Request, type Response } from 'express';
import { expressjwt, type Request as JwtRequest } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { listenExpress } from './listen.js';
import { reply, type ServerConfig, type ServerFactory } from './types.js';

// express-jwt with jwks-rsa as both READMEs show it: jwks-rsa's key cache and rate limit on.
function expressJwt(config: ServerConfig): Promise<number> {
  const app = express();
  app.use(
    expressjwt({
      secret: jwksRsa.expressJwtSecret({ jwksUri: config.jwksUri, cache: true, rateLimit: true }),
      algorithms: ['RS256'],
      issuer: config.issuer,
      audience: config.audience,
    }),
  );
  app.get('/', (req, res) => {
    res.json(reply((req as JwtRequest).auth?.sub));
  });
  // express-jwt raises UnauthorizedError (status 401) and leaves the answer to the app.
  app.use((error: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.status === 401) res.status(401).json({ error: 'invalid_token' });
    else next(error);
  });
  return listenExpress(app);
}

/** Express 5 peer: express-jwt + jwks-rsa. */
export const servers: Record<string, ServerFactory> = { 'express-jwt': expressJwt };
