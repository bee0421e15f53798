import type { AuthInfo, RegisteredClaims } from '@tokengate/core';

/**
 * Hono `Env` of a route behind `jwtAuth(...)`: `c.var.auth` is the verified {@link AuthInfo}
 * (frozen, so read-only; its claims typed by `Tokengate.Register`).
 *
 * @example
 * const app = new Hono<TokengateEnv>();
 * app.use('/api/*', jwtAuth({ secret: env.SECRET, issuer, audience, algorithms: ['HS256'] }));
 * app.get('/api/me', (c) => c.json({ sub: c.var.auth.claims.sub }));
 */
export interface TokengateEnv<C = RegisteredClaims> {
  Variables: { auth: AuthInfo<C> };
}

/**
 * Hono `Env` of a route behind an optional `jwtAuth(...)`: `c.var.auth` is `undefined` when
 * the request came through without (valid) credentials.
 *
 * @example
 * app.get('/feed', jwtAuth(options, { optional: 'allow-missing' }), (c: Context<OptionalTokengateEnv>) =>
 *   c.json({ personalised: c.var.auth !== undefined }));
 */
export interface OptionalTokengateEnv<C = RegisteredClaims> {
  Variables: { auth: AuthInfo<C> | undefined };
}

declare module 'hono' {
  /**
   * `c.get('auth')` / `c.var.auth` on any route: `undefined` where no `jwtAuth` ran or where
   * optional auth let the request through without a token.
   */
  interface ContextVariableMap {
    auth?: AuthInfo<RegisteredClaims> | undefined;
  }
}
