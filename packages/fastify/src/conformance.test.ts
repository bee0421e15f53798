import { type ConformanceApp, runConformance, type StartAdapter } from '@tokengate/conformance';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { tokengate } from './index.js';

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
  return async (suite) => {
    const app = Fastify();
    await app.register((api) => mainRoutes(api, suite, protect));
    await app.register(async (down) => {
      await down.register(tokengate, { ...suite.downOptions, global: true });
      down.get('/down', async (request) => suite.hit('/down', request.auth));
    });
    await app.register(async (defaults) => {
      await defaults.register(tokengate, { ...suite.defaultOptions, global: true });
      defaults.get('/defaults', async (request) => suite.hit('/defaults', request.auth));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
  };
}

runConformance('@tokengate/fastify (onRequest: app.authenticate)', start('hooks'));
runConformance('@tokengate/fastify (global: true)', start('global'));
