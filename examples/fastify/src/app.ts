import { tokengate, type Verifier, type VerifierOptions } from '@tokengate/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

/** What {@link buildApp} needs. */
export interface AppConfig {
  /** Verifier options, or a prebuilt verifier to share one JWKS cache. */
  auth: VerifierOptions | Verifier<unknown>;
  /** Fastify server options (logger, ...). Default `{}`. */
  fastify?: FastifyServerOptions;
}

/**
 * The example API, every route protected by the plugin's global mode unless it opts out:
 * `GET /public` is open, `GET /me` needs a valid token, `GET /feed` works with or without
 * one, `GET /things` also needs the `read:things` scope.
 *
 * @example
 * const app = await buildApp({ auth: { secret, issuer, audience, algorithms: ['HS256'] } });
 * await app.listen({ port: 3000 });
 */
export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify(config.fastify ?? {});
  const auth = 'authenticate' in config.auth ? { verifier: config.auth } : config.auth;
  await app.register(tokengate, { ...auth, global: true });

  app.get('/public', { config: { tokengate: { auth: false } } }, async () => ({
    message: 'Anyone can read this.',
  }));
  app.get('/me', async (request) => ({
    sub: request.auth?.claims.sub,
    scopes: [...(request.auth?.scopes ?? [])],
  }));
  app.get('/feed', { config: { tokengate: { optional: 'allow-missing' } } }, async (request) => ({
    personalised: request.auth !== null,
  }));
  app.get('/things', { config: { tokengate: { scopes: ['read:things'] } } }, async () => ({
    things: [{ id: 1, name: 'teapot' }],
  }));
  return app;
}
