import { tokengate } from '@tokengate/fastify';
import {
  ADMIN_SCOPE,
  adminBody,
  type ExampleDeps,
  healthBody,
  type JsonResponse,
  ROUTES,
} from '@tokengate-examples/shared';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';

function send(reply: FastifyReply, answer: JsonResponse): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

// Login and refresh bodies are small JSON objects; refuse anything bigger before parsing.
const BODY_LIMIT = 16 * 1024;

/**
 * The example Fastify API: `POST /login`, `POST /refresh`, `GET /.well-known/jwks.json` and
 * `GET /health` are public; `GET /me` needs a valid token, `GET /admin` the `admin` scope.
 *
 * @example
 * const app = await buildApp((await startDemoIssuer()).deps);
 * await app.listen({ port: 3002 });
 */
export async function buildApp(
  { service, verifier }: ExampleDeps,
  options: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify(options);
  await app.register(tokengate, verifier);

  app.get(ROUTES.health, async () => healthBody('fastify'));
  app.get(ROUTES.jwks, (_request, reply) => send(reply, service.jwks()));
  app.post(ROUTES.login, { bodyLimit: BODY_LIMIT }, async (request, reply) =>
    send(reply, await service.login(request.body)),
  );
  app.post(ROUTES.refresh, { bodyLimit: BODY_LIMIT }, async (request, reply) =>
    send(reply, await service.refresh(request.body)),
  );
  app.get(ROUTES.me, { onRequest: app.authenticate }, async (request) => request.auth?.claims);
  app.get(ROUTES.admin, { config: { tokengate: { scopes: [ADMIN_SCOPE] } } }, async (request) =>
    adminBody(request.auth?.claims.sub),
  );
  return app;
}
