import type { Fixtures } from './fixtures.js';

/**
 * The realm every conformance app is configured with.
 *
 * @example
 * createVerifier({ ...issuer.verifierOptions(), realm: REALM });
 */
export const REALM = 'tokengate-test';

/**
 * The realm core names when none is configured (RFC 6750 §3: a challenge carries at least one
 * auth-param), as the `/defaults` route answers.
 *
 * @example
 * missing(DEFAULT_REALM).wwwAuthenticate; // 'Bearer realm="api"'
 */
export const DEFAULT_REALM = 'api';

/** The routes of the contract (see `contract.ts`). */
export type Route =
  | '/protected'
  | '/scoped'
  | '/scoped-any'
  | '/claims'
  | '/optional'
  | '/lenient'
  | '/public'
  | '/down'
  | '/defaults'
  | '/guard-only'
  | DpopRoute
  | MtlsRoute
  | ResourceRoute;

/**
 * The protected-resource routes of the contract (see `contract.ts`): `/resource` and
 * `/resource-scoped` protected by `ConformanceApp.resourceOptions`, `/resource-dpop` by
 * `ConformanceApp.resourceDpopOptions`.
 */
export type ResourceRoute = '/resource' | '/resource-scoped' | '/resource-dpop';

/**
 * The certificate-bound token routes of the contract (see `contract.ts`): each is protected by
 * one entry of `ConformanceApp.mtlsRoutes`.
 */
export type MtlsRoute = '/mtls' | '/mtls-required';

/**
 * The DPoP routes of the contract (see `contract.ts`): each is protected by one entry of
 * `ConformanceApp.dpopRoutes`.
 */
export type DpopRoute =
  | '/dpop'
  | '/dpop-required'
  | '/dpop-nonce'
  | '/dpop-proxy'
  | '/dpop-untrusted';

/** One header line; a list may repeat a name. */
export type HeaderLine = readonly [name: string, value: string];

/** What a case sends. */
export interface RequestSpec {
  /** The route, optionally with a query string (`/protected?access_token=…`). */
  path: `${Route}${string}`;
  /** Header lines, sent exactly as listed (duplicates included). */
  headers?: HeaderLine[];
}

/** What a case expects back. */
export interface Expected {
  status: number;
  /** The exact `WWW-Authenticate` value, or `null` when the header must be absent. */
  wwwAuthenticate: string | null;
  /** The exact JSON body. */
  body: unknown;
  /** Whether the route handler must have run (`app.hit` called). */
  handlerRan: boolean;
  /** A `Retry-After` header with a positive number of seconds is required. */
  retryAfter?: boolean;
  /**
   * `true`: a non-empty `DPoP-Nonce` header is required (RFC 9449 §8, §9); `false`: it must be
   * absent; `undefined`: not checked.
   */
  dpopNonce?: boolean;
}

/** One behaviour, described once, that every adapter must show. */
export interface ConformanceCase {
  /** The behaviour, used as the test name. */
  name: string;
  /** Build the request from the minted tokens. */
  send(tokens: Fixtures): RequestSpec;
  expect: Expected;
  /** More checks after the response (e.g. that an attacker URL was never fetched). */
  after?: 'attacker-url-not-fetched';
}

/** The body every handler returns through `app.hit(route, auth)`. */
export interface HitBody {
  route: string;
  auth: { sub: unknown; scopes: string[] } | null;
}

// RFC 6750 §3: auth-param values are quoted strings. Written independently of core's builder,
// so that a bug there shows up here.
function param(name: string, value: string): string {
  return `${name}="${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The exact `WWW-Authenticate` value for the suite's realm.
 *
 * @example
 * challenge('invalid_token', 'The token has expired');
 * // 'Bearer realm="tokengate-test", error="invalid_token", error_description="The token has expired"'
 */
export function challenge(error?: string, description?: string, scope?: string): string {
  return challengeIn(REALM, error, description, scope);
}

/**
 * The exact `WWW-Authenticate` value for another realm.
 *
 * @example
 * challengeIn(DEFAULT_REALM); // 'Bearer realm="api"'
 */
export function challengeIn(
  realm: string,
  error?: string,
  description?: string,
  scope?: string,
): string {
  const params = [param('realm', realm)];
  if (error !== undefined)
    params.push(param('error', error), param('error_description', description ?? ''));
  if (scope !== undefined) params.push(param('scope', scope));
  return `Bearer ${params.join(', ')}`;
}

/**
 * 200 from `route` with the handler run; `scopes` sorted; `null`: no auth on the request.
 *
 * @example
 * ok('/scoped', ['read:things']);
 */
export function ok(route: Route, scopes: string[] | null = []): Expected {
  const auth = scopes === null ? null : { sub: 'test-user', scopes };
  return { status: 200, wwwAuthenticate: null, body: { route, auth }, handlerRan: true };
}

/**
 * 401 without an error code (RFC 6750 §3.1): no credentials for the Bearer scheme (none at
 * all, or another scheme's). The challenge names `realm` (default: the suite's).
 *
 * @example
 * missing().wwwAuthenticate; // 'Bearer realm="tokengate-test"'
 */
export function missing(realm = REALM): Expected {
  const body = {
    error: 'unauthorized',
    error_description: 'Authentication required',
    code: 'ERR_TOKEN_MISSING',
  };
  return { status: 401, wwwAuthenticate: challengeIn(realm), body, handlerRan: false };
}

/**
 * 400 `invalid_request`; the challenge names `realm` (default: the suite's).
 *
 * @example
 * invalidRequest('The request carries more than one Authorization header');
 */
export function invalidRequest(description: string, realm = REALM): Expected {
  const body = {
    error: 'invalid_request',
    error_description: description,
    code: 'ERR_INVALID_REQUEST',
  };
  return {
    status: 400,
    wwwAuthenticate: challengeIn(realm, 'invalid_request', description),
    body,
    handlerRan: false,
  };
}

/**
 * 401 `invalid_token` with the tokengate `code` and the exact description; for
 * `ERR_CLAIM_INVALID`, `claim` is the claim the body names.
 *
 * @example
 * invalidToken('ERR_TOKEN_EXPIRED', 'The token has expired');
 * invalidToken('ERR_CLAIM_INVALID', 'The "org" claim is invalid', 'org');
 */
export function invalidToken(code: string, description: string, claim?: string): Expected {
  const body = {
    error: 'invalid_token',
    error_description: description,
    code,
    ...(claim === undefined ? {} : { claim }),
  };
  return {
    status: 401,
    wwwAuthenticate: challenge('invalid_token', description),
    body,
    handlerRan: false,
  };
}

/**
 * 403 `insufficient_scope` naming the required scopes.
 *
 * @example
 * insufficientScope('admin write:things');
 */
export function insufficientScope(scope: string): Expected {
  const description = 'The token lacks the required scope';
  const body = {
    error: 'insufficient_scope',
    error_description: description,
    code: 'ERR_INSUFFICIENT_SCOPE',
  };
  return {
    status: 403,
    wwwAuthenticate: challenge('insufficient_scope', description, scope),
    body,
    handlerRan: false,
  };
}

/**
 * 503 with `Retry-After` and no challenge: the key set cannot be fetched.
 *
 * @example
 * unavailable().status; // 503
 */
export function unavailable(): Expected {
  const body = {
    error: 'temporarily_unavailable',
    error_description: 'The signing keys are temporarily unavailable',
    code: 'ERR_KEY_SET_UNAVAILABLE',
  };
  return { status: 503, wwwAuthenticate: null, body, handlerRan: false, retryAfter: true };
}

/**
 * 500 with no challenge: a scope guard ran where no authentication ran before it (a
 * misconfigured route is refused, never left open).
 *
 * @example
 * notAuthenticated().body; // { error: 'server_error', code: 'ERR_AUTHENTICATION_NOT_RUN', ... }
 */
export function notAuthenticated(): Expected {
  const body = {
    error: 'server_error',
    error_description: 'Authentication is not configured for this route',
    code: 'ERR_AUTHENTICATION_NOT_RUN',
  };
  return { status: 500, wwwAuthenticate: null, body, handlerRan: false };
}

/**
 * `Authorization: Bearer <token>` as a header list.
 *
 * @example
 * bearer(tokens.valid); // [['Authorization', 'Bearer eyJ…']]
 */
export function bearer(token: string, scheme = 'Bearer'): HeaderLine[] {
  return [['Authorization', `${scheme} ${token}`]];
}

/** How a DPoP route accepts tokens: its `dpop.mode` and its proof `alg` allow-list. */
export interface DpopPolicy {
  required: boolean;
  algorithms: readonly string[];
}

/**
 * The exact `WWW-Authenticate` of a DPoP route (RFC 9449 §7.1): `Bearer` and `DPoP` challenges
 * when both are accepted, only `DPoP` when it is required; the error goes on `scheme`, the one
 * the request used (default: `DPoP` where required, else `Bearer`).
 *
 * @example
 * dpopChallenge({ required: false, algorithms: ['ES256'] });
 * // 'Bearer realm="tokengate-test", DPoP realm="tokengate-test", algs="ES256"'
 */
export function dpopChallenge(
  policy: DpopPolicy,
  error?: { scheme?: 'Bearer' | 'DPoP'; code: string; description: string },
): string {
  const erring = error?.scheme ?? (policy.required ? 'DPoP' : 'Bearer');
  const params = (scheme: 'Bearer' | 'DPoP') => {
    const list = [param('realm', REALM)];
    if (error !== undefined && erring === scheme)
      list.push(param('error', error.code), param('error_description', error.description));
    return list;
  };
  const dpop = `DPoP ${[...params('DPoP'), param('algs', policy.algorithms.join(' '))].join(', ')}`;
  return policy.required ? dpop : `Bearer ${params('Bearer').join(', ')}, ${dpop}`;
}

/**
 * 401 without an error code on a DPoP route: no credential of an accepted scheme.
 *
 * @example
 * dpopMissing({ required: true, algorithms: ['ES256'] }).wwwAuthenticate; // 'DPoP realm="tokengate-test", algs="ES256"'
 */
export function dpopMissing(policy: DpopPolicy): Expected {
  const body = {
    error: 'unauthorized',
    error_description: 'Authentication required',
    code: 'ERR_TOKEN_MISSING',
  };
  return { status: 401, wwwAuthenticate: dpopChallenge(policy), body, handlerRan: false };
}

/**
 * A 401 refusal on a DPoP route: the challenge error (`invalid_token`, `invalid_dpop_proof`,
 * `use_dpop_nonce`) on the scheme the request used, the tokengate `code`, the exact
 * description; `use_dpop_nonce` comes with a `DPoP-Nonce` header.
 *
 * @example
 * dpopRefusal(policy, 'DPoP', 'invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof has already been used');
 */
export function dpopRefusal(
  policy: DpopPolicy,
  scheme: 'Bearer' | 'DPoP',
  error: string,
  code: string,
  description: string,
): Expected {
  return {
    status: 401,
    wwwAuthenticate: dpopChallenge(policy, { scheme, code: error, description }),
    body: { error, error_description: description, code },
    handlerRan: false,
    dpopNonce: error === 'use_dpop_nonce',
  };
}
