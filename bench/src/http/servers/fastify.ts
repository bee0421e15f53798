import { tokengate as tokengatePlugin } from '@tokengate/fastify';
import Fastify from 'fastify';
import { listenFastify } from './listen.js';
import { promiseOnlyVerifier, reply, type ServerFactory, tokenCache } from './types.js';

function tokengate(cache: boolean): ServerFactory {
  return async (config) => {
    const app = Fastify();
    await app.register(tokengatePlugin, {
      ...config,
      algorithms: ['RS256'],
      cache: tokenCache(cache),
      global: true,
    });
    app.get('/', async (request) => reply(request.auth?.claims.sub));
    return listenFastify(app);
  };
}

/** Fastify 5: the bare server and ours (cache on and off). */
export const servers: Record<string, ServerFactory> = {
  bare: async () => {
    const app = Fastify();
    app.get('/', async () => reply(undefined));
    return listenFastify(app);
  },
  // An onRequest hook that does nothing: what any hook costs in Fastify.
  noop: async () => {
    const app = Fastify();
    app.addHook('onRequest', (_request, _reply, done) => done());
    app.get('/', async () => reply(undefined));
    return listenFastify(app);
  },
  tokengate: tokengate(true),
  'tokengate-nocache': tokengate(false),
  'tokengate-promise': async (config) => {
    const app = Fastify();
    await app.register(tokengatePlugin, { verifier: promiseOnlyVerifier(config), global: true });
    app.get('/', async (request) => reply(request.auth?.claims.sub));
    return listenFastify(app);
  },
};
