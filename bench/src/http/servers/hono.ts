import { jwtAuth, type TokengateEnv } from '@tokengate/hono';
import { Hono } from 'hono';
import { listenHono } from './listen.js';
import { promiseOnlyVerifier, reply, type ServerFactory, tokenCache } from './types.js';

function tokengate(cache: boolean): ServerFactory {
  return (config) => {
    const app = new Hono<TokengateEnv>();
    app.use('*', jwtAuth({ ...config, algorithms: ['RS256'], cache: tokenCache(cache) }));
    app.get('/', (c) => c.json(reply(c.get('auth').claims.sub)));
    return listenHono(app.fetch);
  };
}

/** Hono 4 on @hono/node-server: the bare server and ours (cache on and off). */
export const servers: Record<string, ServerFactory> = {
  bare: () => {
    const app = new Hono();
    app.get('/', (c) => c.json(reply(undefined)));
    return listenHono(app.fetch);
  },
  // A middleware that does nothing: what any middleware costs in Hono (its compose path).
  noop: () => {
    const app = new Hono();
    app.use('*', (_c, next) => next());
    app.get('/', (c) => c.json(reply(undefined)));
    return listenHono(app.fetch);
  },
  tokengate: tokengate(true),
  'tokengate-nocache': tokengate(false),
  'tokengate-promise': (config) => {
    const app = new Hono<TokengateEnv>();
    app.use('*', jwtAuth(promiseOnlyVerifier(config)));
    app.get('/', (c) => c.json(reply(c.get('auth').claims.sub)));
    return listenHono(app.fetch);
  },
};
