// Reading a token without verifying it: for `inspect`, and for the explanations of `verify`
// (what the token says, beside what the verifier refused).
import { decodeUnverified, getScopes, type JWTClaims, type ProtectedHeader } from '@tokengate/core';
import { decodeProtectedHeader } from 'jose';
import { UsageError } from './io.js';

/** A compact token read without any check: a JWS with its claims, or a JWE's header. */
export type Decoded =
  | { readonly kind: 'JWS'; readonly header: ProtectedHeader; readonly claims: JWTClaims }
  | { readonly kind: 'JWE'; readonly header: Record<string, unknown> };

/**
 * Decode a compact JWS (3 segments) or a JWE's protected header (5 segments), unverified.
 * Throws {@link UsageError} saying what is wrong with anything else.
 *
 * @example
 * const decoded = decodeToken(token); // { kind: 'JWS', header, claims }
 */
export function decodeToken(token: string): Decoded {
  const segments = token.split('.').length;
  if (segments === 5) {
    try {
      return { kind: 'JWE', header: decodeProtectedHeader(token) as Record<string, unknown> };
    } catch {
      throw new UsageError('Not a JWT: the JWE protected header is not base64url-encoded JSON');
    }
  }
  if (segments !== 3)
    throw new UsageError(
      `Not a JWT: a signed token (JWS) has 3 dot-separated segments and an encrypted one (JWE) 5; this one has ${segments}`,
    );
  try {
    const { header, claims } = decodeUnverified(token);
    return { kind: 'JWS', header, claims };
  } catch (error) {
    const detail =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    throw new UsageError(
      `Not a JWT: its header or payload is not base64url-encoded JSON${detail ? ` (${detail})` : ''}`,
    );
  }
}

/**
 * {@link decodeToken}, or why the token does not decode.
 *
 * @example
 * const { decoded, problem } = tryDecode(token);
 */
export function tryDecode(token: string): { decoded?: Decoded; problem?: string } {
  try {
    return { decoded: decodeToken(token) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** The sender binding a token declares in `cnf` (RFC 7800), for display. */
export interface BindingInfo {
  /** `dpop`: RFC 9449 `cnf.jkt`; `mtls`: RFC 8705 `cnf["x5t#S256"]`. */
  readonly kind: 'dpop' | 'mtls';
  readonly member: 'jkt' | 'x5t#S256';
  /** The SHA-256 thumbprint of the key or certificate the token is bound to. */
  readonly thumbprint: string;
}

/**
 * The binding the claims declare: a DPoP key (`cnf.jkt`) or a client certificate
 * (`cnf["x5t#S256"]`); `undefined` for a bearer token.
 *
 * @example
 * bindingOf({ cnf: { jkt: 'NzbL…' } }); // { kind: 'dpop', member: 'jkt', thumbprint: 'NzbL…' }
 */
export function bindingOf(claims: JWTClaims): BindingInfo | undefined {
  const cnf = claims.cnf;
  if (typeof cnf !== 'object' || cnf === null) return undefined;
  const { jkt, 'x5t#S256': x5t } = cnf as Record<string, unknown>;
  if (typeof jkt === 'string') return { kind: 'dpop', member: 'jkt', thumbprint: jkt };
  if (typeof x5t === 'string') return { kind: 'mtls', member: 'x5t#S256', thumbprint: x5t };
  return undefined;
}

/**
 * What a bound token needs to be accepted, in one sentence.
 *
 * @example
 * bindingNeeds({ kind: 'dpop', member: 'jkt', thumbprint }); // 'only accepted with a DPoP proof …'
 */
export function bindingNeeds(binding: BindingInfo): string {
  return binding.kind === 'dpop'
    ? 'only accepted with a DPoP proof signed by that key (RFC 9449): sent as `Authorization: DPoP <token>` with a `DPoP` header, by an API that runs with the `dpop` option'
    : 'only accepted over mutual TLS with that client certificate (RFC 8705): by an API that runs with the `mtls` option';
}

/**
 * The token's scopes as the verifier reads them (`scope`, `scp`, `permissions`).
 *
 * @example
 * scopesOf({ scope: 'read write' }); // ['read', 'write']
 */
export function scopesOf(claims: JWTClaims): string[] {
  return [...getScopes(claims)];
}
