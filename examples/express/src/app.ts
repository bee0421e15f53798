import { jwtAuth, requireScopes } from '@tokengate/express';
import {
  ADMIN_SCOPE,
  adminBody,
  type ExampleDeps,
  healthBody,
  type JsonResponse,
  ROUTES,
} from '@tokengate-examples/shared';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';

function send(res: Response, answer: JsonResponse): void {
  res.status(answer.status).set(answer.headers).json(answer.body);
}

// body-parser errors (broken JSON, body too large) carry a 4xx `status`; anything else is ours.
const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = Number((error as { status?: unknown })?.status);
  if (status >= 400 && status < 500) {
    res.status(status).json({ error: 'invalid_request', error_description: 'Unreadable body' });
  } else {
    res.status(500).json({ error: 'server_error' });
  }
};

/**
 * The example Express API: `POST /login`, `POST /refresh`, `GET /.well-known/jwks.json` and
 * `GET /health` are public; `GET /me` needs a valid token, `GET /admin` the `admin` scope.
 *
 * @example
 * const issuer = await startDemoIssuer();
 * createApp(issuer.deps).listen(3001);
 */
export function createApp({ service, verifier }: ExampleDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const json = express.json({ limit: '16kb' });
  const auth = jwtAuth(verifier);

  app.get(ROUTES.health, (_req, res) => {
    res.json(healthBody('express'));
  });
  app.get(ROUTES.jwks, (_req, res) => send(res, service.jwks()));
  app.post(ROUTES.login, json, async (req, res) => send(res, await service.login(req.body)));
  app.post(ROUTES.refresh, json, async (req, res) => send(res, await service.refresh(req.body)));
  app.get(ROUTES.me, auth, (req, res) => {
    res.json(req.auth?.claims);
  });
  app.get(ROUTES.admin, auth, requireScopes(ADMIN_SCOPE), (req, res) => {
    res.json(adminBody(req.auth?.claims.sub));
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(onError);
  return app;
}
