import type { Verifier, VerifierOptions } from '@tokengate/core';
import { protectedResourceRouteOf } from '@tokengate/core/adapter';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Options of {@link protectedResourceRoute}: a verifier configured with `resource`, or
 * verifier options with `resource` (only the members the document describes are read).
 *
 * @example
 * await app.register(protectedResourceRoute, { verifier });
 */
export type ProtectedResourceRouteOptions = VerifierOptions | { verifier: Verifier<unknown> };

/**
 * A Fastify plugin serving the RFC 9728 protected-resource metadata at its well-known path
 * (`/.well-known/oauth-protected-resource` followed by the resource's path): GET and HEAD
 * answer the JSON document, readable from any origin (`Access-Control-Allow-Origin: *`);
 * OPTIONS answers the CORS preflight; other methods get 405. The route is left open under the
 * `tokengate` plugin's `global` mode (clients read it without a token). Register it without a
 * `prefix`: the path is absolute on the API's origin. Throws `TypeError` at registration when
 * `resource` is missing or invalid.
 *
 * @example
 * const verifier = createVerifier({ ...options, resource: { resource: 'https://api.example.com/mcp', authorizationServers: ['https://id.example.com/'] } });
 * await app.register(tokengate, { verifier });
 * await app.register(protectedResourceRoute, { verifier });
 */
export const protectedResourceRoute: FastifyPluginAsync<ProtectedResourceRouteOptions> = async (
  app,
  options,
) => {
  const route = protectedResourceRouteOf('verifier' in options ? options.verifier : options);
  app.all(route.path, { config: { tokengate: { auth: false } } }, (request, reply) => {
    const { status, headers, body } = route.answer(request.method);
    reply.code(status).headers(headers);
    return reply.send(body);
  });
};
