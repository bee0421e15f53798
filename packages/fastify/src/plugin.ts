import {
  type AuthInfo,
  type ClaimRequirements,
  claimsCheck,
  createVerifier,
  isPromiseLike,
  isTokengateError,
  MissingTokenError,
  type ScopeMode,
  scopeCheck,
  type Verifier,
} from '@tokengate/core';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction as HookDone,
} from 'fastify';
import fp from 'fastify-plugin';
import { markRegistered, OWNER, type OwnedConfig } from './coverage.js';
import { splitOptions, type TokengateOptions } from './options.js';
import { toTokenRequest } from './request.js';
import { type CompiledRoute, compileRoute, runChecks } from './route-config.js';
import type { TokengateHook } from './types.js';

// Keys Fastify's `register` reads for itself; they are not verifier options.
const REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers'];

function withoutRegisterKeys(options: TokengateOptions): TokengateOptions {
  if (options === null || typeof options !== 'object') return options;
  const copy: Record<string, unknown> = { ...options };
  for (const key of REGISTER_KEYS) delete copy[key];
  return copy as TokengateOptions;
}

function routeOf(request: FastifyRequest) {
  const { config } = request.routeOptions;
  return compileRoute(config?.url ?? '', config?.tokengate);
}

type Sent = (reply: FastifyReply) => void;

type Result = AuthInfo<unknown> | null | Promise<AuthInfo<unknown> | null>;

/** Everything per request, closed over one verifier and the plugin settings. */
function createHooks(verifier: Verifier<unknown>, passErrors: boolean, verifiedFlag: symbol) {
  type Flagged = FastifyRequest & { [key: symbol]: boolean };

  // Answer (or hand to Fastify's error handler) a tokengate error; anything else is the app's.
  function fail(error: unknown, reply: FastifyReply): FastifyReply {
    if (!isTokengateError(error)) throw error;
    const prepared = verifier.prepareError(error);
    if (passErrors) throw prepared;
    const { status, headers, body } = prepared.toResponse();
    return reply.code(status).headers(headers).send(body);
  }

  // A hand-made verifier (a test double) may have only `authenticate`.
  const now = typeof verifier.authenticateNow === 'function';

  // The per-request path (issue 10): a callback hook, no async function, and no promise when
  // the verifier answers synchronously. `done` runs once unless the hook answered the error
  // itself (a callback hook that replied skips it). `route` is the caller's compiled
  // `config.tokengate` (read once: `request.routeOptions` builds a new object on every read).
  function run(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookDone,
    route: CompiledRoute | undefined,
    sent?: Sent,
  ): void {
    // Global mode plus `onRequest: app.authenticate` on the same route: verify once.
    if ((request as Flagged)[verifiedFlag]) {
      done();
      return;
    }
    (request as Flagged)[verifiedFlag] = true;
    let result: Result;
    try {
      const tokenRequest = toTokenRequest(request);
      const optional = route?.optional;
      const options = optional === undefined ? undefined : { optional };
      result = now
        ? verifier.authenticateNow(tokenRequest, options)
        : verifier.authenticate(tokenRequest, options);
    } catch (error) {
      settle(error, reply, done, sent);
      return;
    }
    if (!now || isPromiseLike(result)) {
      (result as Promise<AuthInfo<unknown> | null>).then(
        (auth) => pass(request, reply, done, route, auth, sent),
        (error: unknown) => settle(error, reply, done, sent),
      );
      return;
    }
    pass(request, reply, done, route, result, sent);
  }

  // A verified request (or one optional auth lets through): the route's checks, then `done`,
  // outside the try, so what the rest of the chain throws is never taken for an auth failure.
  function pass(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookDone,
    route: CompiledRoute | undefined,
    auth: AuthInfo<unknown> | null,
    sent?: Sent,
  ): void {
    request.auth = auth as AuthInfo | null;
    if (route !== undefined && route.checks.length > 0) {
      try {
        runChecks(route, auth);
      } catch (error) {
        settle(error, reply, done, sent);
        return;
      }
    }
    done();
  }

  // A failure of `run`: answered (`sent`, no done), or handed to Fastify's error handler.
  function settle(error: unknown, reply: FastifyReply, done: HookDone, sent?: Sent): void {
    let answered: FastifyReply;
    try {
      answered = fail(error, reply);
    } catch (thrown) {
      done(thrown as Error);
      return;
    }
    sent?.(answered);
  }

  // The public hook (`onRequest: app.authenticate`) keeps its promise form.
  const authenticate: TokengateHook = (request, reply) =>
    new Promise((resolve, reject) => {
      const finish = (error?: Error) => (error ? reject(error) : resolve(undefined));
      let route: CompiledRoute | undefined;
      try {
        route = routeOf(request);
      } catch (error) {
        // A misconfigured route (`TypeError`) is the app's error, as before.
        reject(error);
        return;
      }
      run(request, reply, finish, route, resolve);
    });

  function globalHook(request: FastifyRequest, reply: FastifyReply, done: HookDone): void {
    let route: CompiledRoute | undefined;
    try {
      route = routeOf(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (route?.auth === false) done();
    else run(request, reply, done, route);
  }

  // Without global mode: authenticate the routes of the context whose `config.tokengate` asks
  // for it, declared before or after the registration. Other routes cost one property read
  // (a callback hook, so no promise either).
  function configHook(request: FastifyRequest, reply: FastifyReply, done: HookDone): void {
    const config = request.routeOptions.config as OwnedConfig | undefined;
    const owner = config?.[OWNER];
    if (config?.tokengate === undefined || (owner !== undefined && owner !== authenticate)) {
      done();
      return;
    }
    let route: CompiledRoute | undefined;
    try {
      // Checked here for routes declared before the plugin, which `onRoute` never saw.
      route = compileRoute(config.url ?? '', config.tokengate);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (route?.auth === false) {
      done();
      return;
    }
    run(request, reply, done, route);
  }

  function guard(check: (auth: AuthInfo<unknown>) => void): TokengateHook {
    return async (request, reply) => {
      try {
        if (request.auth === null || request.auth === undefined) throw new MissingTokenError();
        check(request.auth);
        return undefined;
      } catch (error) {
        return fail(error, reply);
      }
    };
  }

  return {
    authenticate,
    globalHook,
    configHook,
    requireScopes: (scopes: string | readonly string[], mode: ScopeMode = 'all') =>
      guard(scopeCheck(scopes, mode)),
    requireClaims: (expected: ClaimRequirements) => guard(claimsCheck(expected)),
  };
}

const plugin: FastifyPluginAsync<TokengateOptions> = async (app: FastifyInstance, options) => {
  const { settings, verifier, verifierOptions } = splitOptions(withoutRegisterKeys(options));
  // Whether this registration already authenticated a request: a request decorator (declared
  // here, so every request starts with the same shape), one per registration. Not a WeakSet:
  // an entry per request costs the garbage collector about a microsecond (issue 10).
  const verifiedFlag = Symbol('tokengate.verified');
  app.decorateRequest(verifiedFlag, false);
  const hooks = createHooks(
    verifier ?? createVerifier<unknown>(verifierOptions),
    settings.passErrors,
    verifiedFlag,
  );

  // Registered again in a child context (say, for another issuer), the child's decorators
  // shadow the parent's; `auth` is declared on the request only once.
  if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', null);
  app.decorate('authenticate', hooks.authenticate);
  app.decorate('requireScopes', hooks.requireScopes);
  app.decorate('requireClaims', hooks.requireClaims);

  app.addHook('onRoute', (route) => {
    // A misconfigured route fails when it is declared, not on its first request.
    const settingsOfRoute = compileRoute(route.url, route.config?.tokengate);
    if (settingsOfRoute === undefined || !settingsOfRoute.auth) return;
    // The last registration whose `onRoute` sees a route is the closest to it: it alone
    // authenticates it from `config.tokengate` (a parent's other issuer leaves it alone).
    route.config = { ...route.config, [OWNER]: hooks.authenticate } as typeof route.config;
  });
  // A context-level hook, so it also covers the routes declared before the registration:
  // `config.tokengate` alone protects a route wherever it sits in the context.
  if (settings.global) app.addHook('onRequest', hooks.globalHook);
  else app.addHook('onRequest', hooks.configHook);
  markRegistered(app);
};

/**
 * The Fastify plugin: decorates `app.authenticate`, `app.requireScopes`,
 * `app.requireClaims` and `request.auth`; with `global: true` it protects every route of
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
