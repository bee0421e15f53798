// Verified results are shared: the verified-token cache hands the same claims and header to
// every request that presents the token, so one handler mutating `auth.claims` would leak
// into the next request. Freezing them once, when verified, makes that a TypeError in strict
// mode (and a no-op otherwise) instead of a cross-request leak.
import { scopeList } from './scope-list.js';
import type { AuthInfo, JWTClaims, ProtectedHeader, TokenBinding } from './types.js';

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

// A sealed set never changes, so tokens with the same scope claim can share one: an API's
// tokens carry a handful of distinct `scope` strings, and a Set per verification is a large
// share of what verifying a token allocates. Only verified tokens get here, and the
// memo is bounded (dropped whole when full), so it cannot be grown by forged tokens.
const SHARED_MAX = 256;
const SHARED_SCOPE_LENGTH = 1024;
const shared = new Map<string, SealedSet<string>>();
const NO_SCOPES = new SealedSet<string>();

function sealedScopes(claims: JWTClaims): SealedSet<string> {
  const { scope } = claims;
  if (claims.scp !== undefined || claims.permissions !== undefined)
    return new SealedSet(scopeList(claims));
  if (scope === undefined) return NO_SCOPES;
  if (typeof scope !== 'string' || scope.length > SHARED_SCOPE_LENGTH)
    return new SealedSet(scopeList(claims));
  let set = shared.get(scope);
  if (set === undefined) {
    if (shared.size >= SHARED_MAX) shared.clear();
    set = new SealedSet(scopeList(claims));
    shared.set(scope, set);
  }
  return set;
}

/**
 * The frozen result of a freshly verified token: claims, header and the result object frozen,
 * the scopes sealed straight from the claims (shared between tokens with the same `scope`).
 *
 * @example
 * return freezeVerified(token, header, claims);
 */
export function freezeVerified(
  token: string,
  header: ProtectedHeader,
  claims: JWTClaims,
  binding?: TokenBinding,
): AuthInfo<JWTClaims> {
  const auth = {
    token,
    header: deepFreeze(header),
    claims: deepFreeze(claims),
    scopes: sealedScopes(claims),
  };
  return Object.freeze(binding === undefined ? auth : { ...auth, binding });
}
