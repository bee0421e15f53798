import { jwtAuth, requireScopes, type TokengateEnv } from '@tokengate/hono';
import {
  ADMIN_SCOPE,
  adminBody,
  type ExampleDeps,
  healthBody,
  type JsonResponse,
  ROUTES,
} from '@tokengate-examples/shared';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

function send(c: Context, answer: JsonResponse): Response {
  return c.json(answer.body, answer.status as ContentfulStatusCode, answer.headers);
}

const notJson = (c: Context) =>
  c.json({ error: 'invalid_request', error_description: 'Body must be a JSON object' }, 400);

// Only an `application/json` body is read, as in the other examples; broken JSON reaches the
// service as `undefined`, which it answers with 400 invalid_request.
const readJson = (c: Context): Promise<unknown> => c.req.json().catch(() => undefined);
const isJson = (c: Context): boolean =>
  /^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '');

// Login and refresh bodies are small JSON objects; refuse anything bigger before parsing.
const smallBody = bodyLimit({
  maxSize: 16 * 1024,
  onError: (c) => c.json({ error: 'invalid_request', error_description: 'Body too large' }, 413),
});

/**
 * The example Hono API: `POST /login`, `POST /refresh`, `GET /.well-known/jwks.json` and
 * `GET /health` are public; `GET /me` needs a valid token, `GET /admin` the `admin` scope.
 *
 * @example
 * const app = createApp((await startDemoIssuer()).deps);
 * const res = await app.request('/health');
 */
export function createApp({ service, verifier }: ExampleDeps): Hono {
  const app = new Hono();
  const auth = jwtAuth(verifier);

  app.get(ROUTES.health, (c) => c.json(healthBody('hono')));
  app.get(ROUTES.jwks, (c) => send(c, service.jwks()));
  app.post(ROUTES.login, smallBody, async (c) =>
    isJson(c) ? send(c, await service.login(await readJson(c))) : notJson(c),
  );
  app.post(ROUTES.refresh, smallBody, async (c) =>
    isJson(c) ? send(c, await service.refresh(await readJson(c))) : notJson(c),
  );
  app.get(ROUTES.me, auth, (c: Context<TokengateEnv>) => c.json(c.var.auth.claims));
  app.get(ROUTES.admin, auth, requireScopes(ADMIN_SCOPE), (c: Context<TokengateEnv>) =>
    c.json(adminBody(c.var.auth.claims.sub)),
  );
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  return app;
}
