import { MESSAGES } from './cases-tokens.js';
import {
  bearer,
  type ConformanceCase,
  DEFAULT_REALM,
  insufficientScope,
  invalidRequest,
  invalidToken,
  missing,
  notAuthenticated,
  ok,
  unavailable,
} from './expectations.js';

const INVALID_REQUEST = {
  syntax: 'The Authorization header must be "Bearer <token>"',
  twoHeaders: 'The request carries more than one Authorization header',
  twoMethods: 'The request carries more than one access token',
} as const;

const expired = invalidToken('ERR_TOKEN_EXPIRED', MESSAGES.expired);
const BASIC = 'Basic dXNlcjpwYXNz';

/**
 * RFC 6750 §2 token transport: scheme, credential count, query parameter.
 *
 * @example
 * for (const c of requestCases) it(c.name, () => runCase(target, c));
 */
export const requestCases: ConformanceCase[] = [
  {
    name: 'answers 401 with the realm and no error code when no token is sent',
    send: () => ({ path: '/protected' }),
    expect: missing(),
  },
  {
    name: 'accepts the scheme in lowercase',
    send: (t) => ({ path: '/protected', headers: bearer(t.valid, 'bearer') }),
    expect: ok('/protected'),
  },
  {
    name: 'answers the Basic scheme as a missing token: 401, no error code (RFC 6750 §3.1)',
    send: () => ({ path: '/protected', headers: [['Authorization', BASIC]] }),
    expect: missing(),
  },
  {
    name: 'answers the Digest scheme as a missing token: 401, no error code',
    send: () => ({
      path: '/protected',
      headers: [['Authorization', 'Digest username="u", realm="r", nonce="n", uri="/protected"']],
    }),
    expect: missing(),
  },
  {
    name: 'takes the query token as the one bearer credential beside a Basic header',
    send: (t) => ({
      path: `/protected?access_token=${t.valid}`,
      headers: [['Authorization', BASIC]],
    }),
    expect: ok('/protected'),
  },
  {
    name: 'refuses a Bearer header with two tokens',
    send: (t) => ({
      path: '/protected',
      headers: [['Authorization', `Bearer ${t.valid} ${t.valid}`]],
    }),
    expect: invalidRequest(INVALID_REQUEST.syntax),
  },
  {
    name: 'refuses a Bearer header without a token',
    send: () => ({ path: '/protected', headers: [['Authorization', 'Bearer']] }),
    expect: invalidRequest(INVALID_REQUEST.syntax),
  },
  {
    name: 'refuses two Authorization headers with 400 invalid_request',
    send: (t) => ({ path: '/protected', headers: [...bearer(t.valid), ...bearer(t.valid)] }),
    expect: invalidRequest(INVALID_REQUEST.twoHeaders),
  },
  {
    name: 'refuses a header token plus an access_token query parameter',
    send: (t) => ({ path: `/protected?access_token=${t.valid}`, headers: bearer(t.valid) }),
    expect: invalidRequest(INVALID_REQUEST.twoMethods),
  },
  {
    name: 'accepts a token in the access_token query parameter when enabled',
    send: (t) => ({ path: `/protected?access_token=${t.valid}` }),
    expect: ok('/protected'),
  },
];

/**
 * A route whose verifier has every option at its default: the default realm in every
 * challenge (RFC 6750 §3), and no query extraction, where a token in the header and in the
 * `access_token` parameter is still two methods (§2).
 *
 * @example
 * for (const c of defaultsCases) it(c.name, () => runCase(target, c));
 */
export const defaultsCases: ConformanceCase[] = [
  {
    name: 'defaults: accepts a header token',
    send: (t) => ({ path: '/defaults', headers: bearer(t.valid) }),
    expect: ok('/defaults'),
  },
  {
    name: 'defaults: names the default realm when no token is sent',
    send: () => ({ path: '/defaults' }),
    expect: missing(DEFAULT_REALM),
  },
  {
    name: 'defaults: names the default realm for another scheme',
    send: () => ({ path: '/defaults', headers: [['Authorization', BASIC]] }),
    expect: missing(DEFAULT_REALM),
  },
  {
    name: 'defaults: refuses a header token plus an access_token parameter, query off',
    send: (t) => ({ path: `/defaults?access_token=${t.valid}`, headers: bearer(t.valid) }),
    expect: invalidRequest(INVALID_REQUEST.twoMethods, DEFAULT_REALM),
  },
  {
    name: 'defaults: answers a query-only token as missing, query off',
    send: (t) => ({ path: `/defaults?access_token=${t.valid}` }),
    expect: missing(DEFAULT_REALM),
  },
];

/**
 * requireScopes / requireClaims on top of authentication.
 *
 * @example
 * for (const c of guardCases) it(c.name, () => runCase(target, c));
 */
export const guardCases: ConformanceCase[] = [
  {
    name: 'lets a token with the scope through to /scoped',
    send: (t) => ({ path: '/scoped', headers: bearer(t.readThings) }),
    expect: ok('/scoped', ['profile', 'read:things']),
  },
  {
    name: 'reads scopes from an scp array',
    send: (t) => ({ path: '/scoped', headers: bearer(t.readThingsScp) }),
    expect: ok('/scoped', ['read:things']),
  },
  {
    name: 'answers 403 insufficient_scope naming the scope when it is missing',
    send: (t) => ({ path: '/scoped', headers: bearer(t.writeThings) }),
    expect: insufficientScope('read:things'),
  },
  {
    name: 'authenticates before checking scopes (no token → 401)',
    send: () => ({ path: '/scoped' }),
    expect: missing(),
  },
  {
    name: 'authenticates before checking scopes (expired → 401)',
    send: (t) => ({ path: '/scoped', headers: bearer(t.expired) }),
    expect: expired,
  },
  {
    name: 'lets any one of the scopes through to /scoped-any',
    send: (t) => ({ path: '/scoped-any', headers: bearer(t.writeThings) }),
    expect: ok('/scoped-any', ['write:things']),
  },
  {
    name: 'reads scopes from permissions for /scoped-any',
    send: (t) => ({ path: '/scoped-any', headers: bearer(t.admin) }),
    expect: ok('/scoped-any', ['admin']),
  },
  {
    name: 'answers 403 naming every accepted scope when none is present',
    send: (t) => ({ path: '/scoped-any', headers: bearer(t.readThings) }),
    expect: insufficientScope('admin write:things'),
  },
  {
    name: 'lets a token with org acme through to /claims',
    send: (t) => ({ path: '/claims', headers: bearer(t.orgAcme) }),
    expect: ok('/claims'),
  },
  {
    name: 'refuses another org with 401 invalid_token naming the claim',
    send: (t) => ({ path: '/claims', headers: bearer(t.orgOther) }),
    expect: invalidToken('ERR_CLAIM_INVALID', MESSAGES.org, 'org'),
  },
  {
    name: 'refuses a token without the org claim',
    send: (t) => ({ path: '/claims', headers: bearer(t.valid) }),
    expect: invalidToken('ERR_CLAIM_INVALID', MESSAGES.org, 'org'),
  },
];

/**
 * Optional authentication, open routes and an unreachable key set.
 *
 * @example
 * for (const c of modeCases) it(c.name, () => runCase(target, c));
 */
export const modeCases: ConformanceCase[] = [
  {
    name: 'allow-missing: passes a request without a token with no auth',
    send: () => ({ path: '/optional' }),
    expect: ok('/optional', null),
  },
  {
    name: 'allow-missing: still puts a valid token on the request',
    send: (t) => ({ path: '/optional', headers: bearer(t.valid) }),
    expect: ok('/optional'),
  },
  {
    name: 'allow-missing: still refuses an invalid token',
    send: (t) => ({ path: '/optional', headers: bearer(t.expired) }),
    expect: expired,
  },
  {
    name: 'allow-missing: passes another scheme (Basic) with no auth',
    send: () => ({ path: '/optional', headers: [['Authorization', BASIC]] }),
    expect: ok('/optional', null),
  },
  {
    name: 'allow-missing: still refuses a malformed request',
    send: () => ({ path: '/optional', headers: [['Authorization', 'Bearer']] }),
    expect: invalidRequest(INVALID_REQUEST.syntax),
  },
  {
    name: 'allow-invalid: passes a request without a token with no auth',
    send: () => ({ path: '/lenient' }),
    expect: ok('/lenient', null),
  },
  {
    name: 'allow-invalid: passes an expired token with no auth',
    send: (t) => ({ path: '/lenient', headers: bearer(t.expired) }),
    expect: ok('/lenient', null),
  },
  {
    name: 'allow-invalid: passes a forged token with no auth',
    send: (t) => ({ path: '/lenient', headers: bearer(t.badSignature) }),
    expect: ok('/lenient', null),
  },
  {
    name: 'allow-invalid: still puts a valid token on the request',
    send: (t) => ({ path: '/lenient', headers: bearer(t.valid) }),
    expect: ok('/lenient'),
  },
  {
    name: 'allow-invalid: still refuses two credentials',
    send: (t) => ({ path: '/lenient', headers: [...bearer(t.valid), ...bearer(t.valid)] }),
    expect: invalidRequest(INVALID_REQUEST.twoHeaders),
  },
  {
    name: 'leaves a route without auth open',
    send: () => ({ path: '/public' }),
    expect: ok('/public', null),
  },
  {
    name: 'leaves a route without auth open even with a bad token',
    send: (t) => ({ path: '/public', headers: bearer(t.expired) }),
    expect: ok('/public', null),
  },
  {
    name: 'answers 503 with Retry-After and no challenge when the key set is unreachable',
    send: (t) => ({ path: '/down', headers: bearer(t.valid) }),
    expect: unavailable(),
  },
  {
    name: 'still answers 401 without a token when the key set is unreachable',
    send: () => ({ path: '/down' }),
    expect: missing(),
  },
];

/**
 * A scope guard on a route where no authentication ran before it: refused as a
 * misconfiguration, whatever the request carries. Only for adapters whose guards stand apart
 * from authentication.
 *
 * @example
 * for (const c of standaloneGuardCases) it(c.name, () => runCase(target, c));
 */
export const standaloneGuardCases: ConformanceCase[] = [
  {
    name: 'refuses a guard without authentication before it with 500 (no token)',
    send: () => ({ path: '/guard-only' }),
    expect: notAuthenticated(),
  },
  {
    name: 'refuses a guard without authentication before it with 500 (valid token)',
    send: (t) => ({ path: '/guard-only', headers: bearer(t.readThings) }),
    expect: notAuthenticated(),
  },
];
