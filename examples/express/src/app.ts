import { jwtAuth, requireScopes, type Verifier, type VerifierOptions } from '@tokengate/express';
import express, { type Express, type Router } from 'express';

/** What {@link createApp} and {@link createApiRouter} need. */
export interface AppConfig {
  /** Verifier options, or a prebuilt verifier to share one JWKS cache with other routers. */
  auth: VerifierOptions | Verifier;
}

/**
 * The example's routes on a router, so a bigger app (the login → refresh demo) can mount it:
 * `GET /public` is open, `GET /me` needs a valid token, `GET /things` also needs `read:things`.
 *
 * @example
 * app.use('/api', createApiRouter({ auth: verifier }));
 */
export function createApiRouter(config: AppConfig): Router {
  const auth = jwtAuth(config.auth);
  const router = express.Router();
  router.get('/public', (_req, res) => {
    res.json({ message: 'Anyone can read this.' });
  });
  router.get('/me', auth, (req, res) => {
    res.json({ sub: req.auth?.claims.sub, scopes: [...(req.auth?.scopes ?? [])] });
  });
  router.get('/things', auth, requireScopes('read:things'), (_req, res) => {
    res.json({ things: [{ id: 1, name: 'teapot' }] });
  });
  return router;
}

/**
 * The example Express app: the API router at `/` and a JSON 404.
 *
 * @example
 * createApp({ auth: { secret, issuer, audience, algorithms: ['HS256'] } }).listen(3000);
 */
export function createApp(config: AppConfig): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createApiRouter(config));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  return app;
}
