import type { Verifier, VerifierOptions } from '@tokengate/core';
import { protectedResourceRouteOf } from '@tokengate/core/adapter';
import { Router } from 'express';

/**
 * An Express router serving the RFC 9728 protected-resource metadata of a verifier (or
 * verifier options) configured with `resource`, at its well-known path
 * (`/.well-known/oauth-protected-resource` followed by the resource's path): GET and HEAD
 * answer the JSON document, readable from any origin (`Access-Control-Allow-Origin: *`);
 * OPTIONS answers the CORS preflight; other methods get 405. Mount it at the root of the app,
 * before any authentication: clients read it without a token. Throws `TypeError` here when
 * `resource` is missing or invalid.
 *
 * @example
 * const verifier = createVerifier({ ...options, resource: { resource: 'https://api.example.com/mcp', authorizationServers: ['https://id.example.com/'] } });
 * app.use(protectedResourceRoute(verifier));
 * app.post('/mcp', jwtAuth(verifier), mcpHandler);
 */
export function protectedResourceRoute(source: Verifier<unknown> | VerifierOptions): Router {
  const route = protectedResourceRouteOf(source);
  const router = Router();
  router.all(route.path, (req, res) => {
    const { status, headers, body } = route.answer(req.method);
    res.status(status).set(headers);
    if (body === undefined) res.end();
    else res.send(body);
  });
  return router;
}
