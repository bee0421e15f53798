import { compileRouteRules, type RouteRules } from '@tokengate/core/adapter';
import type { TokengateRouteConfig } from './options.js';

/**
 * A route's `config.tokengate`, checked: whether it asks for authentication, and its rules.
 *
 * @example
 * const { auth, rules } = routeSettings({ scopes: 'admin' }, '/admin') as RouteSettings;
 */
export interface RouteSettings {
  readonly auth: boolean;
  readonly rules: RouteRules;
}

// Keyed by the `config.tokengate` object: checked once per route, then a lookup per request.
const compiled = new WeakMap<object, RouteSettings>();

/**
 * Check a route's `config.tokengate` (a `TypeError` naming the route on misuse) and compile
 * it once; `undefined` when the route has none.
 *
 * @example
 * app.addHook('onRoute', (route) => void routeSettings(route.config?.tokengate, route.url));
 */
export function routeSettings(config: unknown, url: string): RouteSettings | undefined {
  if (config === undefined) return undefined;
  const known = typeof config === 'object' && config !== null ? compiled.get(config) : undefined;
  if (known !== undefined) return known;
  const where = `@tokengate/fastify: route ${url} config.tokengate`;
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new TypeError(`${where} must be an object`);
  // `auth` is Fastify's own opt-out; core checks the rest.
  const { auth = true, ...policy } = config as TokengateRouteConfig;
  if (typeof auth !== 'boolean') throw new TypeError(`${where}.auth must be a boolean`);
  const rules = compileRouteRules(policy, where);
  // An open route cannot check anything: refuse the contradiction rather than leave it open.
  const conflicting = Object.keys(policy).filter((key) => Reflect.get(policy, key) !== undefined);
  if (!auth && conflicting.length > 0)
    throw new TypeError(`${where}: auth: false cannot be combined with ${conflicting.join(', ')}`);
  const settings = Object.freeze({ auth, rules });
  compiled.set(config, settings);
  return settings;
}
