// A route's authentication rules, checked once when the route is declared so that a request
// only runs prepared checks.

import type { ClaimRequirements } from '../scopes.js';
import { claimsCheck, scopeCheck } from '../scopes.js';
import type { AuthInfo, OptionalMode, ScopeMode } from '../types.js';

/**
 * What a route asks of a request, as an adapter collects it from its framework (middleware
 * options, route config, decorators).
 *
 * @example
 * const policy: RoutePolicy = { optional: 'allow-missing', scopes: ['read:things'] };
 */
export interface RoutePolicy {
  /** Optional authentication on this route; `false` makes it required. Default: the verifier's. */
  optional?: OptionalMode | false;
  /** Scopes the token must carry (403 `insufficient_scope` otherwise). Default: none. */
  scopes?: string | readonly string[];
  /** How several `scopes` combine. Default `'all'`. */
  scopeMode?: ScopeMode;
  /** Claim requirements (401 `invalid_token` naming the claim otherwise). Default: none. */
  claims?: ClaimRequirements;
}

/**
 * A check run on a verified token; throws a `TokengateError` when the token fails it.
 *
 * @example
 * const check: AuthCheck = (auth) => { if (!auth.scopes.has('admin')) throw new InsufficientScopeError(['admin']); };
 */
export type AuthCheck = (auth: AuthInfo<unknown>) => void;

/**
 * A {@link RoutePolicy} checked and compiled by {@link compileRouteRules}.
 *
 * @example
 * const rules: RouteRules = compileRouteRules({ scopes: 'read:things' }, 'GET /things');
 */
export interface RouteRules {
  /** The route's optional mode; `undefined` leaves the verifier's own. */
  readonly optional: OptionalMode | false | undefined;
  /** Scope and claim checks, in that order. */
  readonly checks: readonly AuthCheck[];
  /**
   * The scopes the route's scope checks ask for, announced in the `scope` of its 401
   * challenges so a client knows what to request. Default: none.
   */
  readonly scopes?: readonly string[];
}

const POLICY_KEYS: ReadonlySet<string> = new Set(['optional', 'scopes', 'scopeMode', 'claims']);
const OPTIONAL_MODES: readonly unknown[] = ['allow-missing', 'allow-invalid', false, undefined];

/**
 * Rules that add nothing to the verifier's own policy.
 *
 * @example
 * gate.authenticate(exchange, NO_RULES);
 */
export const NO_RULES: RouteRules = Object.freeze({
  optional: undefined,
  checks: Object.freeze([]),
});

/**
 * Throw `TypeError` naming `where` unless `value` is an optional mode or `false` (or absent).
 *
 * @example
 * checkOptionalMode(options.optional, 'jwtAuth()');
 */
export function checkOptionalMode(
  value: unknown,
  where: string,
): asserts value is OptionalMode | false | undefined {
  if (!OPTIONAL_MODES.includes(value))
    throw new TypeError(`${where}: "optional" must be "allow-missing", "allow-invalid" or false`);
}

/**
 * Check a route's policy once (a `TypeError` naming `where` on misuse) and compile it into
 * the rules the request protocol runs.
 *
 * @example
 * const rules = compileRouteRules({ scopes: ['admin', 'support'], scopeMode: 'any' }, 'requireScopes()');
 */
export function compileRouteRules(policy: RoutePolicy, where: string): RouteRules {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy))
    throw new TypeError(`${where}: the route policy must be an object`);
  for (const key of Object.keys(policy))
    if (!POLICY_KEYS.has(key)) throw new TypeError(`${where}: unknown option "${key}"`);
  checkOptionalMode(policy.optional, where);
  const checks: AuthCheck[] = [];
  try {
    if (policy.scopes !== undefined) checks.push(scopeCheck(policy.scopes, policy.scopeMode));
    else if (policy.scopeMode !== undefined) throw new TypeError('"scopeMode" needs "scopes"');
    if (policy.claims !== undefined) checks.push(claimsCheck(policy.claims));
  } catch (error) {
    throw new TypeError(`${where}: ${(error as Error).message}`);
  }
  if (policy.optional === undefined && checks.length === 0) return NO_RULES;
  const scopes = typeof policy.scopes === 'string' ? [policy.scopes] : policy.scopes;
  return rules(policy.optional, checks, scopes ?? []);
}

function rules(
  optional: RouteRules['optional'],
  checks: readonly AuthCheck[],
  scopes: readonly string[],
): RouteRules {
  return Object.freeze({
    optional,
    checks: Object.freeze([...checks]),
    ...(scopes.length === 0 ? {} : { scopes: Object.freeze([...new Set(scopes)]) }),
  });
}

/**
 * Rules that run every check of each of `parts` (a route's rules on top of its controller's,
 * say) and announce all their scopes; the optional mode of the last part that sets one wins.
 *
 * @example
 * const rules = combineRouteRules([classRules, methodRules]);
 */
export function combineRouteRules(parts: readonly RouteRules[]): RouteRules {
  const checks = parts.flatMap((part) => part.checks);
  const optional = parts.reduce<RouteRules['optional']>(
    (mode, part) => (part.optional === undefined ? mode : part.optional),
    undefined,
  );
  if (optional === undefined && checks.length === 0) return NO_RULES;
  return rules(
    optional,
    checks,
    parts.flatMap((part) => part.scopes ?? []),
  );
}
