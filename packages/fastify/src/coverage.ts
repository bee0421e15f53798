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

/** Record that a registration added its hooks to `instance`. */
export function markRegistered(instance: object): void {
  registry.registered.add(instance);
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

function track({ fastify }: { fastify: FastifyInstance }): void {
  const seen: { instance: object; route: RouteOptions }[] = [];
  fastify.addHook('onRoute', function recordTokengateRoute(this: object, route) {
    if (asksForAuth(route)) seen.push({ instance: this, route });
  });
  // Runs once, on the root (children start with no onReady hooks), after every plugin loaded.
  fastify.addHook('onReady', function checkTokengateRoutes(done) {
    const open = seen.filter(({ instance, route }) => !isCovered(instance, route));
    seen.length = 0;
    if (open.length === 0) return done();
    const routes = open.map(({ route }) => `${route.method} ${route.url}`).join(', ');
    done(
      new TypeError(
        `@tokengate/fastify: ${routes} ha${open.length === 1 ? 's' : 've'} config.tokengate but ` +
          'no registration of the plugin protects its context: register the plugin before the ' +
          'plugins that declare routes, in the same context or a parent',
      ),
    );
  });
}

if (!registry.subscribed) {
  registry.subscribed = true;
  subscribe('fastify.initialization', (message) => track(message as { fastify: FastifyInstance }));
}
