import type { RequestListener } from 'node:http';
import { type ConformanceApp, runConformance, type StartAdapter } from '@tokengate/conformance';
import {
  type AuthHandler,
  createVerifier,
  jwtAuth,
  protectedResourceRoute,
  requireClaims,
  requireScopes,
} from './index.js';
import { json, listen } from './test-support/http.js';

// The routes of the contract, with the scope and claim requirements either as guards inside
// one jwtAuth() or as the route options of a jwtAuth() of their own. The optional routes,
// /down and /defaults build their verifier from options, so both forms of the first argument
// run.
function routes(
  c: ConformanceApp,
  form: 'guards' | 'route options',
): Record<string, RequestListener> {
  const hit =
    (route: string): AuthHandler =>
    (_req, res, auth) =>
      json(res, c.hit(route, auth));
  const protect = jwtAuth(c.verifier);
  const guarded = form === 'guards';
  const resource = createVerifier(c.resourceOptions);
  const metadata = protectedResourceRoute(resource);
  return {
    [metadata.path]: metadata,
    '/resource': jwtAuth(resource)(hit('/resource')),
    // With the guard, optional authentication before it: an anonymous request still gets the
    // guard's 401, which names the route's scope.
    '/resource-scoped': guarded
      ? jwtAuth(resource, { optional: 'allow-missing' })(
          requireScopes('read:things')(hit('/resource-scoped')),
        )
      : jwtAuth(resource, { scopes: 'read:things' })(hit('/resource-scoped')),
    '/resource-dpop': jwtAuth(c.resourceDpopOptions)(hit('/resource-dpop')),
    '/protected': protect(hit('/protected')),
    '/scoped': guarded
      ? protect(requireScopes('read:things')(hit('/scoped')))
      : jwtAuth(c.verifier, { scopes: 'read:things' })(hit('/scoped')),
    '/scoped-any': guarded
      ? protect(requireScopes(['admin', 'write:things'], 'any')(hit('/scoped-any')))
      : jwtAuth(c.verifier, { scopes: ['admin', 'write:things'], scopeMode: 'any' })(
          hit('/scoped-any'),
        ),
    '/claims': guarded
      ? protect(requireClaims({ org: 'acme' })(hit('/claims')))
      : jwtAuth(c.verifier, { claims: { org: 'acme' } })(hit('/claims')),
    '/optional': jwtAuth({ ...c.options, optional: 'allow-missing' })(hit('/optional')),
    '/lenient': jwtAuth(c.verifier, { optional: 'allow-invalid' })(hit('/lenient')),
    '/public': hit('/public'),
    '/down': jwtAuth(c.downOptions)(hit('/down')),
    '/defaults': jwtAuth(c.defaultOptions)(hit('/defaults')),
    '/guard-only': requireScopes('read:things')(hit('/guard-only')),
    // DPoP and mTLS: `dpop`, `mtls` and `trustProxy` pass through jwtAuth(); the exchange gives
    // the socket's address and client certificate.
    ...Object.fromEntries(
      Object.entries({ ...c.dpopRoutes, ...c.mtlsRoutes }).map(([route, options]) => [
        route,
        jwtAuth(options)(hit(route)),
      ]),
    ),
  };
}

for (const form of ['guards', 'route options'] as const) {
  const start: StartAdapter = (c, tls) => {
    const table = routes(c, form);
    return listen((req, res) => {
      const route = table[(req.url ?? '/').split('?')[0] ?? '/'];
      if (route) route(req, res);
      else res.writeHead(404).end();
    }, tls);
  };
  runConformance(`node:http, ${form}`, start);
}
