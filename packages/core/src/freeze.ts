// Verified results are shared: the verified-token cache hands the same claims and header to
// every request that presents the token, so one handler mutating `auth.claims` would leak
// into the next request. Freezing them once, when verified, makes that a TypeError in strict
// mode (and a no-op otherwise) instead of a cross-request leak.
import { scopeList } from './scope-list.js';
import type { AuthInfo, JWTClaims, ProtectedHeader } from './types.js';

/**
 * Freeze a JSON value and everything it holds. Claims and headers are parsed JSON (plain
 * objects and arrays, no cycles), so a recursive walk is enough.
 *
 * @example
 * const claims = deepFreeze(JSON.parse(payload)); // claims.roles.push('x') throws in strict mode
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * A scope set that refuses `add`, `delete` and `clear` once built (a `TypeError`), so a handler
 * cannot grant a scope to the next request that hits the same cached token. It is still a
 * `Set` for every reader.
 *
 * @example
 * const scopes = new SealedSet(['read']); scopes.add('admin'); // TypeError
 */
export class SealedSet<T> extends Set<T> {
  // Filled through Set's own `add` (Set's constructor would call the override below, and per
  // value through a slow generic lookup), so the seal holds from the start.
  constructor(values?: Iterable<T>) {
    super();
    if (values !== undefined) for (const value of values) super.add(value);
  }
  override add(_value: T): this {
    throw new TypeError('The scopes of a verified token are read-only');
  }
  override delete(_value: T): boolean {
    throw new TypeError('The scopes of a verified token are read-only');
  }
  override clear(): void {
    throw new TypeError('The scopes of a verified token are read-only');
  }
}

/**
 * The frozen result of a freshly verified token: claims, header and the result object frozen,
 * the scopes sealed straight from the claims (one Set per token, no intermediate one).
 *
 * @example
 * return freezeVerified(token, header, claims);
 */
export function freezeVerified(
  token: string,
  header: ProtectedHeader,
  claims: JWTClaims,
): AuthInfo<JWTClaims> {
  return Object.freeze({
    token,
    header: deepFreeze(header),
    claims: deepFreeze(claims),
    scopes: new SealedSet(scopeList(claims)),
  });
}
