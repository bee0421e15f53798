import { InsufficientScopeError, InvalidClaimError } from './errors.js';
import { scopeList } from './scope-list.js';
import type { AuthInfo, JWTClaims, ScopeMode } from './types.js';

/**
 * The scopes a token grants: the union of `scope` (space-separated string, RFC 8693 §4.2),
 * `scp` (array or space-separated string, as Azure AD and Okta issue it) and `permissions`
 * (array, as Auth0 issues it). Entries that are not strings are ignored.
 *
 * @example
 * getScopes({ scope: 'read write', permissions: ['admin'] }); // Set { 'read', 'write', 'admin' }
 */
export function getScopes(claims: JWTClaims): ReadonlySet<string> {
  return new Set(scopeList(claims));
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Build a scope check once (options are validated here, `TypeError` on misuse) and run it per
 * request. The returned function throws `InsufficientScopeError` (403, `scope="…"`).
 *
 * @example
 * const needsWrite = scopeCheck(['write:things']);
 * needsWrite(auth); // throws InsufficientScopeError unless auth.scopes has 'write:things'
 */
export function scopeCheck(
  required: string | readonly string[],
  mode: ScopeMode = 'all',
): (auth: Pick<AuthInfo<unknown>, 'scopes'>) => void {
  const list = typeof required === 'string' ? [required] : [...required];
  if (list.length === 0) throw new TypeError('at least one scope is required');
  for (const s of list) {
    if (typeof s !== 'string' || !SCOPE_TOKEN.test(s)) {
      throw new TypeError(`${JSON.stringify(s)} is not a valid scope token`);
    }
  }
  if (mode !== 'all' && mode !== 'any') {
    throw new TypeError(`"scopeMode" must be "all" or "any", got ${JSON.stringify(mode)}`);
  }
  return (auth) => {
    const ok =
      mode === 'all' ? list.every((s) => auth.scopes.has(s)) : list.some((s) => auth.scopes.has(s));
    if (!ok) throw new InsufficientScopeError(list);
  };
}

/**
 * Throw `InsufficientScopeError` unless `auth` has the scopes (`all` by default, or `any`).
 *
 * @example
 * checkScopes(auth, ['read:things']);
 */
export function checkScopes(
  auth: Pick<AuthInfo<unknown>, 'scopes'>,
  required: string | readonly string[],
  mode: ScopeMode = 'all',
): void {
  scopeCheck(required, mode)(auth);
}

/**
 * What a claim must satisfy:
 * - a string, number or boolean: the claim equals it (for an array claim: contains it);
 * - `{ includes: [...] }`: the claim (array, or space-separated string) contains every value;
 * - `{ oneOf: [...] }`: the claim equals one of the values;
 * - a predicate `(value, claims) => boolean`.
 *
 * @example
 * const admin: ClaimRequirement = { includes: 'admin' };
 */
export type ClaimRequirement =
  | string
  | number
  | boolean
  | { includes: string | readonly string[] }
  | { oneOf: readonly (string | number | boolean)[] }
  | ((value: unknown, claims: JWTClaims) => boolean);

/**
 * Claim name → requirement, for {@link checkClaims} / `requireClaims(...)`.
 *
 * @example
 * checkClaims(auth, { org: 'acme', roles: { includes: 'admin' } } satisfies ClaimRequirements);
 */
export type ClaimRequirements = Readonly<Record<string, ClaimRequirement>>;

function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return undefined;
}

function satisfies(req: ClaimRequirement, value: unknown, claims: JWTClaims): boolean {
  if (typeof req === 'function') return req(value, claims) === true;
  if (typeof req !== 'object') {
    return Array.isArray(value) ? value.includes(req) : value === req;
  }
  if ('includes' in req) {
    const have = asList(value);
    const want = typeof req.includes === 'string' ? [req.includes] : req.includes;
    return have !== undefined && want.every((w) => have.includes(w));
  }
  return req.oneOf.some((v) => v === value);
}

function validateRequirement(name: string, req: unknown): void {
  const t = typeof req;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'function') return;
  if (req && t === 'object') {
    const r = req as Record<string, unknown>;
    const inc = r.includes;
    if ('includes' in r && (typeof inc === 'string' || (Array.isArray(inc) && inc.length > 0)))
      return;
    if ('oneOf' in r && Array.isArray(r.oneOf) && r.oneOf.length > 0) return;
  }
  throw new TypeError(
    `the requirement for "${name}" is not a value, { includes }, { oneOf } or a function`,
  );
}

/**
 * Build a claims check once (validated here, `TypeError` on misuse); the returned function
 * throws `InvalidClaimError` (401 `invalid_token`) naming the first claim that fails.
 *
 * @example
 * const acmeAdmins = claimsCheck({ org: 'acme', roles: { includes: 'admin' } });
 * acmeAdmins(auth);
 */
export function claimsCheck(
  expected: ClaimRequirements,
): (auth: Pick<AuthInfo<unknown>, 'claims'>) => void {
  if (!expected || typeof expected !== 'object' || Object.keys(expected).length === 0) {
    throw new TypeError('claim requirements must be an object with at least one claim');
  }
  const entries = Object.entries(expected);
  for (const [name, req] of entries) validateRequirement(name, req);
  return (auth) => {
    const claims = auth.claims as JWTClaims;
    for (const [name, req] of entries) {
      const value = Object.hasOwn(claims, name) ? claims[name] : undefined;
      if (!satisfies(req, value, claims)) throw new InvalidClaimError(name);
    }
  };
}

/**
 * Throw `InvalidClaimError` unless the verified claims satisfy every requirement.
 *
 * @example
 * checkClaims(auth, { org: 'acme' });
 */
export function checkClaims(
  auth: Pick<AuthInfo<unknown>, 'claims'>,
  expected: ClaimRequirements,
): void {
  claimsCheck(expected)(auth);
}
