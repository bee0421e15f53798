import { subscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { TokengateHook } from './types.js';

// `config.tokengate` only works where a registration of the plugin can see the route: Fastify
// copies a context's hooks into a child when the child is created, so a sibling context, or a
// child registered before the plugin, would serve such a route without authentication. Every
// Fastify instance created after this module loads records the routes whose config asks for
// authentication and, when the app is ready, refuses to start if one is not covered.

interface Registry {
  /** Instances a registration added its hooks to: their own routes are covered. */
  registered: WeakSet<object>;
  subscribed: boolean;
}

// Shared through the global symbol registry so the ESM and CommonJS builds agree.
const KEY = Symbol.for('@tokengate/fastify.coverage');
const store = globalThis as Record<symbol, Registry | undefined>;
const registry: Registry = store[KEY] ?? { registered: new WeakSet(), subscribed: false };
store[KEY] = registry;

/** The config key naming the registration closest to a route (set by its `onRoute`). */
export const OWNER = Symbol.for('@tokengate/fastify.owner');

/** Route config as the plugin reads it at request time. */
export interface OwnedConfig {
  url?: string;
  tokengate?: unknown;
  [OWNER]?: TokengateHook;
}

// What one app (a root instance and every context below it) saw; children reach their root's
// through the prototype chain (Fastify creates a child context with `Object.create(parent)`).
const APP_STATE = Symbol.for('@tokengate/fastify.app');
interface AppState {
  /** A registration of the plugin ran somewhere in this app. */
  registered: boolean;
}

/** Record that a registration added its hooks to `instance`. */
export function markRegistered(instance: object): void {
  registry.registered.add(instance);
  const state = (instance as { [APP_STATE]?: AppState })[APP_STATE];
  if (state) state.registered = true;
}

// The hooks an authentication hook goes in. A route that names one of them with the value
// `undefined` most likely read `app.authenticate` where the plugin is not registered (or not
// yet): Fastify takes an `undefined` hook for none and would serve the route unprotected.
const AUTH_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

function undefinedHook(route: RouteOptions): string | undefined {
  return AUTH_HOOKS.find((hook) => Object.hasOwn(route, hook) && route[hook] === undefined);
}

function asksForAuth(route: RouteOptions): boolean {
  const config = (route.config as OwnedConfig | undefined)?.tokengate;
  if (config === undefined) return false;
  return !(typeof config === 'object' && config !== null && Reflect.get(config, 'auth') === false);
}

function isCovered(instance: object, route: RouteOptions): boolean {
  const config = route.config as OwnedConfig | undefined;
  return config?.[OWNER] !== undefined || registry.registered.has(instance);
}

const list = (routes: readonly RouteOptions[]) =>
  routes.map((route) => `${route.method} ${route.url}`).join(', ');

function track({ fastify }: { fastify: FastifyInstance }): void {
  const state: AppState = { registered: false };
  Object.defineProperty(fastify, APP_STATE, { value: state });
  const seen: { instance: object; route: RouteOptions }[] = [];
  const holes: { route: RouteOptions; hook: string }[] = [];
  fastify.addHook('onRoute', function recordTokengateRoute(this: object, route) {
    if (asksForAuth(route)) seen.push({ instance: this, route });
    const hook = undefinedHook(route);
    if (hook !== undefined) holes.push({ route, hook });
  });
  // Runs once, on the root (children start with no onReady hooks), after every plugin loaded.
  fastify.addHook('onReady', function checkTokengateRoutes(done) {
    const open = seen
      .filter(({ instance, route }) => !isCovered(instance, route))
      .map((s) => s.route);
    seen.length = 0;
    // Only in an app that uses the plugin: elsewhere an `undefined` hook is not ours to judge.
    const unset = state.registered ? [...holes] : [];
    holes.length = 0;
    if (open.length > 0) {
      return done(
        new TypeError(
          `@tokengate/fastify: ${list(open)} ha${open.length === 1 ? 's' : 've'} config.tokengate but ` +
            'no registration of the plugin protects its context: register the plugin before the ' +
            'plugins that declare routes, in the same context or a parent',
        ),
      );
    }
    if (unset.length > 0) {
      const hooks = [...new Set(unset.map((hole) => hole.hook))].join(' / ');
      return done(
        new TypeError(
          `@tokengate/fastify: ${list(unset.map((hole) => hole.route))} declare${unset.length === 1 ? 's' : ''} ${hooks}: ` +
            'undefined, which Fastify takes for no hook, so the route would be served ' +
            'unprotected. Is it `app.authenticate` read where the plugin is not registered (a ' +
            'sibling or parent context, or before the registration)? Register the plugin before ' +
            'the routes, or leave the key out when no hook is meant',
        ),
      );
    }
    done();
  });
}

if (!registry.subscribed) {
  registry.subscribed = true;
  subscribe('fastify.initialization', (message) => track(message as { fastify: FastifyInstance }));
}
