import type { AuthInfo, Verifier, VerifierOptions } from '@tokengate/core';
import { type Context, type Env, Hono } from 'hono';
import { requireClaims, requireScopes } from '../guards.js';
import { type JwtAuthSource, jwtAuth } from '../middleware.js';
import { protectedResourceRoute } from '../protected-resource.js';

/** Answers a route whose handler ran: Node calls `app.hit` directly, the worker reports back. */
export type Respond = (
  c: Context,
  route: string,
  auth: AuthInfo | undefined,
) => Response | Promise<Response>;

/** Where the routes' verifiers come from: the main routes, `/down`, `/defaults`, DPoP and mTLS. */
export interface ConformanceSources<E extends Env = Env> {
  main: JwtAuthSource<E>;
  down: JwtAuthSource<E> | VerifierOptions;
  defaults: JwtAuthSource<E> | VerifierOptions;
  /** By route (`/dpop`, `/mtls`, …): `dpop`, `mtls` and `trustProxy` pass through jwtAuth(). */
  sender: Record<string, JwtAuthSource<E> | VerifierOptions>;
  /**
   * The protected resource: the verifier (or options) of its metadata route, `/resource` and
   * `/resource-scoped`, and the source of `/resource-dpop`. Default: none of these routes.
   */
  resource?: { verifier: Verifier | VerifierOptions; dpop: JwtAuthSource<E> | VerifierOptions };
}

/** The conformance routes of packages/conformance/src/contract.ts on one Hono app. */
export function conformanceApp<E extends Env = Env>(
  { main, down, defaults, sender, resource }: ConformanceSources<E>,
  respond: Respond,
): Hono<E> {
  const app = new Hono<E>();
  const required = jwtAuth(main);
  const handler = (route: string) => (c: Context) => respond(c, route, c.get('auth'));
  app.get('/protected', required, handler('/protected'));
  app.get('/scoped', required, requireScopes('read:things'), handler('/scoped'));
  app.get(
    '/scoped-any',
    required,
    requireScopes(['admin', 'write:things'], 'any'),
    handler('/scoped-any'),
  );
  app.get('/claims', required, requireClaims({ org: 'acme' }), handler('/claims'));
  app.get('/optional', jwtAuth(main, { optional: 'allow-missing' }), handler('/optional'));
  app.get('/lenient', jwtAuth(main, { optional: 'allow-invalid' }), handler('/lenient'));
  app.get('/public', handler('/public'));
  app.get('/down', jwtAuth(down), handler('/down'));
  app.get('/defaults', jwtAuth(defaults), handler('/defaults'));
  app.get('/guard-only', requireScopes('read:things'), handler('/guard-only'));
  for (const [route, source] of Object.entries(sender))
    app.get(route, jwtAuth(source), handler(route));
  if (resource !== undefined) {
    app.route('/', protectedResourceRoute<E>(resource.verifier));
    app.get('/resource', jwtAuth(resource.verifier), handler('/resource'));
    // jwtAuth() takes no scopes: optional authentication before the guard, whose 401 names
    // the route's scope.
    app.get(
      '/resource-scoped',
      jwtAuth(resource.verifier, { optional: 'allow-missing' }),
      requireScopes('read:things'),
      handler('/resource-scoped'),
    );
    app.get('/resource-dpop', jwtAuth(resource.dpop), handler('/resource-dpop'));
  }
  return app;
}
