import type { Verifier, VerifierOptions } from '@tokengate/core';
import { protectedResourceRouteOf } from '@tokengate/core/adapter';
import { type Env, Hono } from 'hono';

/**
 * A Hono app serving the RFC 9728 protected-resource metadata of a verifier (or verifier
 * options) configured with `resource`, at its well-known path
 * (`/.well-known/oauth-protected-resource` followed by the resource's path): GET and HEAD
 * answer the JSON document, readable from any origin (`Access-Control-Allow-Origin: *`);
 * OPTIONS answers the CORS preflight; other methods get 405. Mount it with `app.route('/', …)`
 * outside any `jwtAuth()` (clients read it without a token). On Workers, the options are the
 * ones the app is built with (the path must be known when the route is declared). Throws
 * `TypeError` here when `resource` is missing or invalid.
 *
 * @example
 * const verifier = createVerifier({ ...options, resource: { resource: 'https://api.example.com/mcp', authorizationServers: ['https://id.example.com/'] } });
 * app.route('/', protectedResourceRoute(verifier));
 * app.post('/mcp', jwtAuth(verifier), mcpHandler);
 */
export function protectedResourceRoute<E extends Env = Env>(
  source: Verifier<unknown> | VerifierOptions,
): Hono<E> {
  const route = protectedResourceRouteOf(source);
  const app = new Hono<E>();
  app.all(route.path, (c) => {
    const { status, headers, body } = route.answer(c.req.method);
    // A copy: some runtimes' Response (@hono/node-server's) adds to the headers object given.
    return new Response(body ?? null, { status, headers: { ...headers } });
  });
  return app;
}
