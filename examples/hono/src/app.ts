import { jwtAuth, requireScopes } from '@tokengate/hono';
import { type Context, Hono } from 'hono';
import { type AppConfig, type ConfigEnv, loadConfig, verifierOptions } from './config.js';

/**
 * The example API: `GET /` is public, `GET /api/me` needs a valid token, `GET /api/things`
 * also needs the `read:things` scope. Pass a config (Node) or a function of the request
 * (Workers: configuration comes from bindings, read per request, verifier cached per config).
 *
 * @example
 * const app = createApp(loadConfig(process.env));
 * const res = await app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
 */
export function createApp(config: AppConfig | ((c: Context) => AppConfig)): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ service: 'tokengate hono example', public: true }));
  app.use(
    '/api/*',
    jwtAuth(
      typeof config === 'function' ? (c) => verifierOptions(config(c)) : verifierOptions(config),
    ),
  );
  app.get('/api/me', (c) => {
    const auth = c.get('auth');
    return c.json({ sub: auth?.claims.sub, scopes: [...(auth?.scopes ?? [])] });
  });
  app.get('/api/things', requireScopes('read:things'), (c) =>
    c.json({ things: [{ id: 1, name: 'teapot' }] }),
  );
  return app;
}

/** A Workers-style app: configuration read from `c.env` bindings on each request. */
export function createEnvApp(): Hono {
  return createApp((c) => loadConfig((c.env ?? {}) as ConfigEnv));
}
