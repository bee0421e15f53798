import {
  type AuthInfo,
  claimsCheck,
  MissingTokenError,
  type OptionalMode,
  scopeCheck,
} from '@tokengate/core';
import type { TokengateRouteConfig } from './options.js';

/** A route's `config.tokengate`, checked once and turned into ready-to-run checks. */
export interface CompiledRoute {
  auth: boolean;
  optional: OptionalMode | false | undefined;
  /** Scope and claim checks; each throws a `TokengateError`. */
  checks: ((auth: AuthInfo<unknown>) => void)[];
}

const KEYS = new Set(['auth', 'optional', 'scopes', 'scopeMode', 'claims']);
const OPTIONAL: readonly unknown[] = [undefined, false, 'allow-missing', 'allow-invalid'];
const compiled = new WeakMap<object, CompiledRoute>();

function compile(where: string, c: Record<string, unknown>): CompiledRoute {
  for (const key of Object.keys(c)) {
    if (!KEYS.has(key)) throw new TypeError(`${where} has an unknown key "${key}"`);
  }
  if (c.auth !== undefined && typeof c.auth !== 'boolean') {
    throw new TypeError(`${where}.auth must be a boolean`);
  }
  if (!OPTIONAL.includes(c.optional)) {
    throw new TypeError(`${where}.optional must be 'allow-missing', 'allow-invalid' or false`);
  }
  if (c.auth === false) {
    // An open route cannot check anything: refuse the contradiction rather than leave it open.
    const conflicting = ['optional', 'scopes', 'scopeMode', 'claims'].filter(
      (key) => c[key] !== undefined,
    );
    if (conflicting.length > 0) {
      throw new TypeError(
        `${where}: auth: false cannot be combined with ${conflicting.join(', ')}`,
      );
    }
  }
  const route = c as TokengateRouteConfig;
  const checks: CompiledRoute['checks'] = [];
  try {
    if (route.scopes !== undefined) checks.push(scopeCheck(route.scopes, route.scopeMode ?? 'all'));
    else if (route.scopeMode !== undefined) throw new TypeError('scopeMode needs scopes');
    if (route.claims !== undefined) checks.push(claimsCheck(route.claims));
  } catch (error) {
    throw new TypeError(`${where}: ${(error as Error).message}`);
  }
  return { auth: route.auth ?? true, optional: route.optional, checks };
}

/**
 * Check a route's `config.tokengate` (a `TypeError` naming the route on misuse) and cache
 * the result, so requests only run the prepared checks.
 */
export function compileRoute(url: string, config: unknown): CompiledRoute | undefined {
  if (config === undefined) return undefined;
  // A checked config is a WeakMap hit: no message string built per request.
  const known = config !== null && typeof config === 'object' ? compiled.get(config) : undefined;
  if (known !== undefined) return known;
  const where = `@tokengate/fastify: route ${url} config.tokengate`;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError(`${where} must be an object`);
  }
  const route = compile(where, config as Record<string, unknown>);
  compiled.set(config, route);
  return route;
}

/** Run a route's scope and claim checks; a request without a token fails as missing. */
export function runChecks(route: CompiledRoute, auth: AuthInfo<unknown> | null): void {
  if (route.checks.length === 0) return;
  if (auth === null) throw new MissingTokenError();
  for (const check of route.checks) check(auth);
}
