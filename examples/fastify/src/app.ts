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
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';

function send(reply: FastifyReply, answer: JsonResponse): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

// Login and refresh bodies are small JSON objects; refuse anything bigger before parsing.
const BODY_LIMIT = 16 * 1024;

// Body parsing failures (broken JSON, a non-JSON content type, too large) get the same
// `invalid_request` body as the other examples; anything else goes to Fastify's handler.
function onBodyError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (!error.code?.startsWith('FST_ERR_CTP_')) throw error;
  const status = error.statusCode === 413 ? 413 : 400;
  const description = status === 413 ? 'Body too large' : 'Body must be a JSON object';
  return reply.code(status).send({ error: 'invalid_request', error_description: description });
}

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
  app.setErrorHandler(onBodyError);

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
