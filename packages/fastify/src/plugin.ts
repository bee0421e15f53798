import { isTokengateError } from '@tokengate/core';
import {
  authorizeUnauthenticated,
  compileRouteRules,
  createGate,
  type RouteRules,
  toolScopeRules,
} from '@tokengate/core/adapter';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { FastifyExchange } from './exchange.js';
import { readOptions, type TokengateOptions } from './options.js';
import { type RouteSettings, routeSettings } from './route-config.js';
import { watchRoutes } from './route-watch.js';
import type { TokengateHook } from './types.js';

// The config key naming the registration closest to a route: each registration's `onRoute`
// overwrites it, and a child's runs after its parents'.
const OWNER = Symbol('tokengate.owner');

type RouteConfig = { url?: string; tokengate?: unknown; [OWNER]?: symbol };
type Flagged = FastifyRequest & Record<symbol, boolean>;

const plugin: FastifyPluginAsync<TokengateOptions> = async (app, options) => {
  const { verifier, global, passErrors } = readOptions(options, app.log);
  const gate = createGate(verifier);
  // Whether this registration authenticated the request: a request decorator, so every
  // request starts with the same shape, and the guards below know their authentication ran.
  const authenticated = Symbol('tokengate.authenticated');
  app.decorateRequest(authenticated, false);
  // Registered again in a child context (another issuer), the child's decorators shadow the
  // parent's; `auth` is declared on the request once.
  if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', undefined);

  // `explicit`: `app.authenticate`, which a route asks for. Otherwise the context's hook, for
  // every route under `global`, else for the routes whose `config.tokengate` this
  // registration owns; `auth: false` opts a route out of it.
  function hook(explicit: boolean): TokengateHook {
    return function tokengateAuthenticate(request, reply, done) {
      const config = request.routeOptions.config as RouteConfig | undefined;
      let settings: RouteSettings | undefined;
      try {
        // Compiled by `onRoute` already, except for routes declared before the registration.
        settings = routeSettings(config?.tokengate, config?.url ?? '');
      } catch (error) {
        done(error as Error);
        return;
      }
      const owned = settings !== undefined && (config?.[OWNER] ?? authenticated) === authenticated;
      const skip = !explicit && (settings?.auth === false || (!global && !owned));
      // Global mode plus `onRequest: app.authenticate` on one route: verify once.
      if (skip || (request as Flagged)[authenticated]) done();
      else {
        (request as Flagged)[authenticated] = true;
        // The exchange calls `done` or answers; a promise returned here only means "later".
        void gate.authenticate(
          new FastifyExchange(request, reply, done, passErrors),
          settings?.rules,
        );
      }
    };
  }

  function guard(name: string, rules: RouteRules): TokengateHook {
    return function tokengateGuard(request, reply, done) {
      const exchange = new FastifyExchange(request, reply, done, passErrors);
      if ((request as Flagged)[authenticated]) gate.authorize(exchange, request.auth, rules);
      else authorizeUnauthenticated(exchange, name);
    };
  }

  app.decorate('authenticate', hook(true));
  app.decorate('requireScopes', (scopes, scopeMode = 'all') =>
    guard('requireScopes()', compileRouteRules({ scopes, scopeMode }, 'requireScopes()')),
  );
  app.decorate('requireClaims', (claims) =>
    guard('requireClaims()', compileRouteRules({ claims }, 'requireClaims()')),
  );
  app.decorate('requireToolScopes', (toolScopes) => {
    const rulesOf = toolScopeRules(toolScopes, 'requireToolScopes()');
    return function tokengateToolScopes(request, reply, done) {
      const exchange = new FastifyExchange(request, reply, done, passErrors);
      if (!(request as Flagged)[authenticated])
        return authorizeUnauthenticated(exchange, 'requireToolScopes()');
      // Only a POST carries JSON-RPC messages (GET opens the event stream, DELETE ends the
      // session); Fastify has parsed the JSON body by the time a preHandler runs.
      if (request.method !== 'POST') return done();
      let rules: RouteRules;
      try {
        rules = rulesOf(request.body);
      } catch (error) {
        if (isTokengateError(error)) return exchange.refuse(gate.refusal(error));
        return exchange.fail(error);
      }
      gate.authorize(exchange, request.auth, rules);
    } as TokengateHook;
  });
  app.addHook('onRoute', (route) => {
    // A misconfigured route fails when it is declared, not on its first request.
    if (routeSettings(route.config?.tokengate, route.url)?.auth !== true) return;
    route.config = { ...route.config, [OWNER]: authenticated } as typeof route.config;
  });
  // A context hook, so it also covers the routes declared before the registration, and runs
  // before the routes' own `onRequest` hooks.
  app.addHook('onRequest', hook(false));
  watchRoutes(app);
};

/**
 * The Fastify plugin: decorates `app.authenticate`, `app.requireScopes`,
 * `app.requireClaims`, `app.requireToolScopes` and `request.auth`; with `global: true` it protects every route of
 * the context it is registered in. Options are checked at registration (`TypeError`).
 *
 * @example
 * await app.register(tokengate, { jwksUri, issuer, audience: 'api' });
 * app.get('/me', { onRequest: app.authenticate }, (request) => request.auth?.claims);
 */
export const tokengate: FastifyPluginAsync<TokengateOptions> = fp(
  // fastify-plugin's types import `fastify` from wherever it is installed, which under pnpm
  // can be another copy than the app's; typing the export with our own import keeps the
  // module augmentation (request.auth, app.authenticate) on the copy the app uses.
  plugin as never,
  { name: '@tokengate/fastify', fastify: '5.x' },
) as unknown as FastifyPluginAsync<TokengateOptions>;
