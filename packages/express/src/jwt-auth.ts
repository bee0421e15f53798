import {
  type AuthInfo,
  createVerifier,
  type Verifier,
  type VerifierOptions,
} from '@tokengate/core';
import {
  compileRouteRules,
  createGate,
  isVerifier,
  type RoutePolicy,
} from '@tokengate/core/adapter';
import type { RequestHandler } from 'express';
import { ExpressExchange, setAuthContext } from './exchange.js';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified token, set by `jwtAuth()`. `undefined` on routes without `jwtAuth()`
       * and when optional auth let a request through without a valid token (`jwtAuth()`
       * replaces whatever an earlier middleware put here). Frozen, so read-only in the types;
       * the claims are typed by `Tokengate.Register`.
       */
      auth?: AuthInfo;
    }
  }
}

/**
 * Options of the Express middleware itself, beside the verifier's: the route's policy
 * (optional mode, scopes, claims) and how errors are answered.
 *
 * @example
 * app.get('/feed', jwtAuth(verifier, { optional: 'allow-missing', passErrors: true }), feed);
 */
export interface ExpressAuthOptions extends RoutePolicy {
  /**
   * Hand errors to `next(err)` instead of answering. The error is a core `TokengateError`
   * carrying `status`, `statusCode` and `headers`. Default `false` (answer with status,
   * `WWW-Authenticate` / `Retry-After` and a JSON body).
   */
  passErrors?: boolean;
}

/**
 * Options of {@link jwtAuth}: core's `VerifierOptions` plus `passErrors` and `optional`.
 *
 * @example
 * const options: JwtAuthOptions = { secret: process.env.JWT_SECRET, issuer, audience, passErrors: true };
 */
export type JwtAuthOptions = Omit<VerifierOptions, 'optional'> &
  Pick<ExpressAuthOptions, 'passErrors' | 'optional'>;

// Options or a verifier; from options, `passErrors` and `optional` are the middleware's own.
function split(source: JwtAuthOptions | Verifier<unknown>) {
  if (source === null || typeof source !== 'object')
    throw new TypeError('jwtAuth() expects verifier options or a verifier');
  if (isVerifier(source)) return { verifier: source, own: {} };
  const { passErrors, optional, ...verifierOptions } = source as JwtAuthOptions;
  return { verifier: createVerifier<unknown>(verifierOptions), own: { passErrors, optional } };
}

/**
 * Express middleware that verifies the bearer token and puts the result on `req.auth`.
 * Pass verifier options, or a prebuilt verifier so several middlewares share one JWKS cache;
 * the second argument's options win over those in the first. Misuse throws `TypeError` here.
 *
 * @example
 * app.use('/api', jwtAuth({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] }));
 * app.get('/api/me', (req, res) => res.json({ sub: req.auth?.claims.sub }));
 */
export function jwtAuth(
  source: JwtAuthOptions | Verifier<unknown>,
  options: ExpressAuthOptions = {},
): RequestHandler {
  if (options === null || typeof options !== 'object')
    throw new TypeError('jwtAuth() options must be an object');
  const { verifier, own } = split(source);
  const { passErrors = own.passErrors ?? false, ...policy } = options;
  if (typeof passErrors !== 'boolean')
    throw new TypeError('jwtAuth(): "passErrors" must be a boolean');
  const optional = policy.optional ?? own.optional;
  const rules = compileRouteRules({ ...policy, optional }, 'jwtAuth()');
  const context = { gate: createGate(verifier), passErrors };

  return function jwtAuthMiddleware(req, res, next) {
    setAuthContext(req, context);
    // jwtAuth() owns req.auth: what an earlier middleware put there must not pass for a
    // verified token when optional auth lets the request through without one.
    req.auth = undefined;
    // Express 4 ignores a returned promise; the protocol answers through the exchange.
    void context.gate.authenticate(new ExpressExchange(req, res, next, context.passErrors), rules);
  };
}
