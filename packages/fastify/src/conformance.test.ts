import { type ConformanceApp, runConformance, type StartAdapter } from '@tokengate/conformance';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { createVerifier, protectedResourceRoute, tokengate } from './index.js';

type Protect = 'hooks' | 'global';

// The main routes share the suite's prebuilt verifier; /down and /defaults live in child
// contexts with their own registrations, which also exercises encapsulation over real HTTP.
async function mainRoutes(api: FastifyInstance, suite: ConformanceApp, protect: Protect) {
  await api.register(tokengate, { verifier: suite.verifier, global: protect === 'global' });
  const on = protect === 'hooks' ? { onRequest: api.authenticate } : {};
  const reply = (route: string) => async (request: FastifyRequest) =>
    suite.hit(route, request.auth);
  api.get('/protected', on, reply('/protected'));
  api.get('/scoped', { ...on, config: { tokengate: { scopes: 'read:things' } } }, reply('/scoped'));
  api.get(
    '/scoped-any',
    { ...on, preHandler: api.requireScopes(['admin', 'write:things'], 'any') },
    reply('/scoped-any'),
  );
  api.get(
    '/claims',
    { ...on, config: { tokengate: { claims: { org: 'acme' } } } },
    reply('/claims'),
  );
  api.get(
    '/optional',
    { ...on, config: { tokengate: { optional: 'allow-missing' } } },
    reply('/optional'),
  );
  api.get(
    '/lenient',
    { ...on, config: { tokengate: { optional: 'allow-invalid' } } },
    reply('/lenient'),
  );
  api.get('/public', { config: { tokengate: { auth: false } } }, reply('/public'));
  // No authentication before the guard: under `global` the route opts out of it.
  api.get(
    '/guard-only',
    {
      ...(protect === 'global' ? { config: { tokengate: { auth: false } } } : {}),
      preHandler: api.requireScopes('read:things'),
    },
    reply('/guard-only'),
  );
}

function start(protect: Protect): StartAdapter {
  return async (suite, tls) => {
    // Fastify's own `trustProxy` makes `request.ip` the `X-Forwarded-For` address: the view must
    // give core the socket's address instead, or `/dpop-untrusted` would trust a forged header.
    // Over HTTPS with `tls` (an https.Server underneath; the routes are the same).
    const app = (
      tls ? Fastify({ trustProxy: true, https: tls }) : Fastify({ trustProxy: true })
    ) as FastifyInstance;
    await app.register((api) => mainRoutes(api, suite, protect));
    await app.register(async (down) => {
      await down.register(tokengate, { ...suite.downOptions, global: true });
      down.get('/down', async (request) => suite.hit('/down', request.auth));
    });
    await app.register(async (defaults) => {
      await defaults.register(tokengate, { ...suite.defaultOptions, global: true });
      defaults.get('/defaults', async (request) => suite.hit('/defaults', request.auth));
    });
    // DPoP and mTLS: one registration per route, `dpop`, `mtls` and `trustProxy` passed through.
    for (const [route, options] of Object.entries({ ...suite.dpopRoutes, ...suite.mtlsRoutes })) {
      await app.register(async (dpop) => {
        await dpop.register(tokengate, { ...options, global: true });
        dpop.get(route, async (request) => suite.hit(route, request.auth));
      });
    }
    // A protected resource: its metadata route beside the registration protecting its routes
    // (under `global`, the metadata route stays open), the scope in the route config.
    await app.register(async (resource) => {
      const verifier = createVerifier(suite.resourceOptions);
      await resource.register(tokengate, { verifier, global: protect === 'global' });
      await resource.register(protectedResourceRoute, { verifier });
      const on = protect === 'hooks' ? { onRequest: resource.authenticate } : {};
      resource.get('/resource', on, async (request) => suite.hit('/resource', request.auth));
      resource.get(
        '/resource-scoped',
        { config: { tokengate: { scopes: 'read:things' } } },
        async (request) => suite.hit('/resource-scoped', request.auth),
      );
    });
    await app.register(async (dpop) => {
      await dpop.register(tokengate, { ...suite.resourceDpopOptions, global: true });
      dpop.get('/resource-dpop', async (request) => suite.hit('/resource-dpop', request.auth));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return { baseUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, close: () => app.close() };
  };
}

runConformance('@tokengate/fastify (onRequest: app.authenticate)', start('hooks'));
runConformance('@tokengate/fastify (global: true)', start('global'));
