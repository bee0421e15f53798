import { jwtAuth, requireScopes, type TokengateEnv, type VerifierOptions } from '@tokengate/hono';
import { ADMIN_SCOPE, adminBody, healthBody, ROUTES } from '@tokengate-examples/shared/routes';
import { type Context, Hono } from 'hono';

/** Workers bindings ([vars] or secrets in wrangler.toml) that configure the edge API. */
export type EdgeBindings = Partial<
  Record<'JWKS_URI' | 'ISSUER' | 'AUDIENCE' | 'ALGORITHMS', string | undefined>
>;

/**
 * Verifier options from Workers bindings: `ISSUER` (default `http://127.0.0.1:3000`),
 * `JWKS_URI` (default `<ISSUER>/.well-known/jwks.json`), `AUDIENCE` (default
 * `tokengate-demo`), `ALGORITHMS` (comma separated, default `ES256`).
 *
 * @example
 * const options = edgeVerifierOptions({ ISSUER: 'https://id.example.com' });
 */
export function edgeVerifierOptions(env: EdgeBindings = {}): VerifierOptions {
  const issuer = env.ISSUER || 'http://127.0.0.1:3000';
  return {
    jwksUri: env.JWKS_URI || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    issuer,
    audience: env.AUDIENCE || 'tokengate-demo',
    algorithms: (env.ALGORITHMS || 'ES256')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    typ: 'rfc9068',
    realm: 'tokengate-demo',
  };
}

/**
 * The API as a pure resource server for Cloudflare Workers: no login there (node:crypto
 * scrypt is Node's), it trusts an issuer's remote JWK Set read from the bindings per request
 * (the adapter caches one verifier per configuration). `GET /health`, `GET /me`, `GET /admin`.
 *
 * @example
 * export default createEdgeApp(); // src/worker.ts
 */
export function createEdgeApp(): Hono<{ Bindings: EdgeBindings }> {
  const app = new Hono<{ Bindings: EdgeBindings }>();
  const auth = jwtAuth((c) => edgeVerifierOptions(c.env));
  app.get(ROUTES.health, (c) => c.json(healthBody('hono-workers')));
  app.get(ROUTES.me, auth, (c: Context<TokengateEnv>) => c.json(c.var.auth.claims));
  app.get(ROUTES.admin, auth, requireScopes(ADMIN_SCOPE), (c: Context<TokengateEnv>) =>
    c.json(adminBody(c.var.auth.claims.sub)),
  );
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  return app;
}
