// The scope strings of a token, shared by `getScopes` and the verifier (which seals them once
// per verified token without building an intermediate Set).
import type { JWTClaims } from './types.js';

function addScopes(list: string[], value: unknown): void {
  if (typeof value === 'string') {
    // One scope (no space) is the common case: no array from split.
    if (!value.includes(' ')) {
      if (value) list.push(value);
      return;
    }
    for (const s of value.split(' ')) if (s) list.push(s);
  } else if (Array.isArray(value)) {
    for (const s of value) if (typeof s === 'string' && s) list.push(s);
  }
}

/**
 * The scope strings `getScopes` collects, in order, duplicates included.
 *
 * @example
 * scopeList({ scope: 'read write' }); // ['read', 'write']
 */
export function scopeList(claims: JWTClaims): string[] {
  const list: string[] = [];
  addScopes(list, claims.scope);
  addScopes(list, claims.scp);
  addScopes(list, claims.permissions);
  return list;
}
