import { type ConformanceApp, runConformance, type StartAdapter } from '@tokengate/conformance';
import type { Express, RequestHandler } from 'express';
import {
  createVerifier,
  jwtAuth,
  protectedResourceRoute,
  requireClaims,
  requireScopes,
} from './index.js';
import { expressVersions, listen } from './test-support/http.js';

type ExpressFactory = (typeof expressVersions)[number]['express'];

// The routes of the contract. The main routes share the suite's prebuilt verifier; the
// optional ones, /down and /defaults build their own from options, so both forms of jwtAuth()
// run.
function conformanceApp(express: ExpressFactory, c: ConformanceApp): Express {
  const app = express();
  // Express's own `trust proxy` makes `req.ip` the `X-Forwarded-For` address: the view must give
  // core the socket's address instead, or `/dpop-untrusted` would trust a forged header.
  app.set('trust proxy', true);
  const auth = jwtAuth(c.verifier);
  const hit =
    (route: string): RequestHandler =>
    (req, res) => {
      res.json(c.hit(route, req.auth));
    };
  app.get('/protected', auth, hit('/protected'));
  app.get('/scoped', auth, requireScopes('read:things'), hit('/scoped'));
  app.get('/scoped-any', auth, requireScopes(['admin', 'write:things'], 'any'), hit('/scoped-any'));
  app.get('/claims', auth, requireClaims({ org: 'acme' }), hit('/claims'));
  app.get('/optional', jwtAuth({ ...c.options, optional: 'allow-missing' }), hit('/optional'));
  app.get('/lenient', jwtAuth(c.verifier, { optional: 'allow-invalid' }), hit('/lenient'));
  app.get('/public', hit('/public'));
  app.get('/down', jwtAuth(c.downOptions), hit('/down'));
  app.get('/defaults', jwtAuth(c.defaultOptions), hit('/defaults'));
  app.get('/guard-only', requireScopes('read:things'), hit('/guard-only'));
  // DPoP and mTLS: `dpop`, `mtls` and `trustProxy` pass through jwtAuth(); the view gives the
  // socket's address and the TLS client certificate.
  for (const [route, options] of Object.entries({ ...c.dpopRoutes, ...c.mtlsRoutes }))
    app.get(route, jwtAuth(options), hit(route));
  // A protected resource: its metadata route and the routes one verifier protects, the scope
  // declared on jwtAuth() itself so that its 401 names it.
  const resource = createVerifier(c.resourceOptions);
  app.use(protectedResourceRoute(resource));
  app.get('/resource', jwtAuth(resource), hit('/resource'));
  app.get(
    '/resource-scoped',
    jwtAuth(resource, { scopes: 'read:things' }),
    hit('/resource-scoped'),
  );
  app.get('/resource-dpop', jwtAuth(c.resourceDpopOptions), hit('/resource-dpop'));
  return app;
}

for (const { major, express } of expressVersions) {
  const start: StartAdapter = (c, tls) => listen(conformanceApp(express, c), tls);
  runConformance(`express ${major}`, start);
}
