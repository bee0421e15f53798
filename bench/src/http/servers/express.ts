import { jwtAuth } from '@tokengate/express';
import express from 'express';
import { listenExpress } from './listen.js';
import { promiseOnlyVerifier, reply, type ServerFactory, tokenCache } from './types.js';

function tokengate(cache: boolean): ServerFactory {
  return (config) => {
    const app = express();
    app.use(jwtAuth({ ...config, algorithms: ['RS256'], cache: tokenCache(cache) }));
    app.get('/', (req, res) => {
      res.json(reply(req.auth?.claims.sub));
    });
    return listenExpress(app);
  };
}

/** Express 5: the bare server and ours (cache on and off). */
export const servers: Record<string, ServerFactory> = {
  bare: () => {
    const app = express();
    app.get('/', (_req, res) => {
      res.json(reply(undefined));
    });
    return listenExpress(app);
  },
  // A middleware that does nothing: what any middleware costs in Express.
  noop: () => {
    const app = express();
    app.use((_req, _res, next) => next());
    app.get('/', (_req, res) => {
      res.json(reply(undefined));
    });
    return listenExpress(app);
  },
  tokengate: tokengate(true),
  'tokengate-nocache': tokengate(false),
  'tokengate-promise': (config) => {
    const app = express();
    app.use(jwtAuth(promiseOnlyVerifier(config)));
    app.get('/', (req, res) => {
      res.json(reply(req.auth?.claims.sub));
    });
    return listenExpress(app);
  },
};
