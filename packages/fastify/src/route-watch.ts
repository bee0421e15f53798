import type { FastifyInstance, RouteOptions } from 'fastify';

// A registration protects the routes of its context and of that context's descendants, even
// those created before it (Fastify adds a context's lifecycle hooks to its existing children
// too). A route elsewhere is served unprotected: one in a sibling or parent context that
// declares `config.tokengate`, or one whose `onRequest: app.authenticate` was read where the
// decorator does not exist, which is `undefined`, which Fastify takes for no hook. So the
// plugin watches routes with an `onRoute` hook on the registering context and each ancestor
// up to the root (a context created later copies its parent's), and `ready()` fails when it
// saw such a route. Routes declared before the first registration go unseen: Fastify lists
// no routes.

interface Watch {
  /** The contexts the plugin was registered in. */
  readonly registrations: object[];
  /** The contexts that have the watching `onRoute` hook. */
  readonly watched: WeakSet<object>;
  /** Routes whose `config.tokengate` asks for authentication, with the declaring context. */
  readonly routes: Map<RouteOptions, object>;
  /** Routes that declare an authentication hook as `undefined`, with the hook's name. */
  readonly unset: Map<RouteOptions, string>;
}

// On the root, so that every context reaches it through its prototype chain. A global symbol,
// so two copies of the package in one app (the ESM and CommonJS builds) share one watch.
const WATCH = Symbol.for('@tokengate/fastify.route-watch');
const AUTH_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

type Context = FastifyInstance & { [WATCH]?: Watch };

/** `context`, its parent, ..., the root: Fastify creates a child with `Object.create(parent)`. */
function upToRoot(context: Context): Context[] {
  const chain: Context[] = [];
  for (let c: unknown = context; typeof (c as Context)?.addHook === 'function'; ) {
    chain.push(c as Context);
    c = Object.getPrototypeOf(c);
  }
  return chain;
}

function record(watch: Watch, context: object, route: RouteOptions): void {
  const config: unknown = route.config?.tokengate;
  const off =
    typeof config === 'object' && config !== null && Reflect.get(config, 'auth') === false;
  if (config !== undefined && !off) watch.routes.set(route, context);
  const unset = AUTH_HOOKS.find((hook) => Object.hasOwn(route, hook) && route[hook] === undefined);
  if (unset !== undefined) watch.unset.set(route, unset);
}

const list = (routes: RouteOptions[]) => routes.map((r) => `${r.method} ${r.url}`).join(', ');

function problem({ registrations, routes, unset }: Watch): TypeError | undefined {
  const covers = (context: object) => (r: object) =>
    r === context || Object.prototype.isPrototypeOf.call(r, context);
  const open = [...routes].filter(([, context]) => !registrations.some(covers(context)));
  if (open.length > 0)
    return new TypeError(
      `@tokengate/fastify: ${list(open.map(([route]) => route))} ha${open.length === 1 ? 's' : 've'} ` +
        'config.tokengate but no registration of the plugin protects its context: register the ' +
        'plugin before the plugins that declare routes, in the same context or a parent',
    );
  if (unset.size === 0) return undefined;
  const hooks = [...new Set(unset.values())].join(' / ');
  return new TypeError(
    `@tokengate/fastify: ${list([...unset.keys()])} declare${unset.size === 1 ? 's' : ''} ${hooks}: ` +
      'undefined, which Fastify takes for no hook, so the route would be served unprotected. ' +
      'Is it `app.authenticate` read where the plugin is not registered (a sibling or parent ' +
      'context, or before the registration)? Register the plugin before the routes, or leave ' +
      'the key out when no hook is meant',
  );
}

function startWatch(root: Context): Watch {
  const watch: Watch = {
    registrations: [],
    watched: new WeakSet(),
    routes: new Map(),
    unset: new Map(),
  };
  Object.defineProperty(root, WATCH, { value: watch });
  // The root's `onReady` runs once, after every plugin has loaded.
  root.addHook('onReady', function checkTokengateRoutes(done) {
    done(problem(watch));
  });
  return watch;
}

/**
 * Record a registration in `context` and watch the routes declared from now on; the app's
 * `ready()` rejects with a `TypeError` naming the routes no registration protects.
 *
 * @example
 * watchRoutes(app); // in the plugin, once per registration
 */
export function watchRoutes(context: FastifyInstance): void {
  const chain = upToRoot(context);
  const root = chain[chain.length - 1] as Context;
  const watch = root[WATCH] ?? startWatch(root);
  watch.registrations.push(context);
  for (const c of chain.filter((c) => !watch.watched.has(c))) {
    watch.watched.add(c);
    // A route that two copies of this hook see (one inherited) is recorded once: keyed by route.
    c.addHook('onRoute', function recordTokengateRoute(this: object, route) {
      record(watch, this, route);
    });
  }
}
