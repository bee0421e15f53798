import {
  type AuthInfo,
  createVerifier,
  isPromiseLike,
  type OptionalMode,
  type Verifier,
  type VerifierOptions,
} from '@tokengate/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toTokenRequest } from './request.js';
import { sendError, setAuthContext } from './respond.js';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified token, set by `jwtAuth()`. `undefined` on routes without `jwtAuth()`
       * and when optional auth let a request through without a valid token (`jwtAuth()`
       * replaces whatever an earlier middleware put here).
       */
      auth?: AuthInfo;
    }
  }
}

/**
 * Options of the Express middleware itself, beside the verifier's.
 *
 * @example
 * app.get('/feed', jwtAuth(verifier, { optional: 'allow-missing', passErrors: true }), feed);
 */
export interface ExpressAuthOptions {
  /**
   * Hand errors to `next(err)` instead of answering. The error is a core `TokengateError`
   * carrying `status`, `statusCode` and `headers`. Default `false` (answer with status,
   * `WWW-Authenticate` / `Retry-After` and a JSON body).
   */
  passErrors?: boolean;
  /**
   * Optional authentication for this middleware: `'allow-missing'`, `'allow-invalid'`, or
   * `false` to require a token. Default: the verifier's own `optional` (required).
   */
  optional?: OptionalMode | false;
}

/**
 * Options of {@link jwtAuth}: core's `VerifierOptions` plus {@link ExpressAuthOptions}.
 *
 * @example
 * const options: JwtAuthOptions = { secret: process.env.JWT_SECRET, issuer, audience, passErrors: true };
 */
export type JwtAuthOptions = Omit<VerifierOptions, 'optional'> & ExpressAuthOptions;

const OPTIONAL_MODES: readonly unknown[] = ['allow-missing', 'allow-invalid', false, undefined];

/**
 * Express middleware that verifies the bearer token and puts the result on `req.auth`.
 * Pass verifier options, or a prebuilt verifier so several middlewares share one JWKS cache;
 * the second argument's adapter options win over those in the first.
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
  if (source === null || typeof source !== 'object') {
    throw new TypeError('jwtAuth() expects verifier options or a verifier');
  }
  let verifier: Verifier<unknown>;
  let own: ExpressAuthOptions;
  if (isVerifier(source)) {
    verifier = source;
    own = checkAdapterOptions(options);
  } else {
    const { passErrors, optional, ...verifierOptions } = source;
    own = checkAdapterOptions({ passErrors, optional, ...checkAdapterOptions(options) });
    verifier = createVerifier<unknown>(verifierOptions);
  }
  const context = { verifier, passErrors: own.passErrors ?? false };
  const call = own.optional === undefined ? undefined : { optional: own.optional };
  // A hand-made verifier (a test double) may have only `authenticate`.
  const now = typeof verifier.authenticateNow === 'function';

  return function jwtAuthMiddleware(req, res, next) {
    setAuthContext(req, context);
    // jwtAuth() owns req.auth: what an earlier middleware put there must not pass for a
    // verified token when optional auth lets the request through without one.
    req.auth = undefined;
    let result: Result;
    try {
      const request = toTokenRequest(req);
      result = now ? verifier.authenticateNow(request, call) : verifier.authenticate(request, call);
    } catch (error) {
      sendError(error, res, next, context.passErrors);
      return;
    }
    if (!now || isPromiseLike(result)) {
      settleLater(result as Promise<AuthInfo<unknown> | null>, req, res, next, context.passErrors);
      return;
    }
    // Issue 10: verified without a microtask turn. `next()` stays outside the try: what the
    // rest of the chain throws is the app's error (Express's layer catches it), not a 401.
    req.auth = (result ?? undefined) as AuthInfo | undefined;
    next();
  };
}

type Result = AuthInfo<unknown> | null | Promise<AuthInfo<unknown> | null>;

// Settle here rather than returning the promise: Express 4 ignores returned promises.
function settleLater(
  pending: Promise<AuthInfo<unknown> | null>,
  req: Request,
  res: Response,
  next: NextFunction,
  passErrors: boolean,
): void {
  pending
    .then(
      (auth) => {
        req.auth = (auth ?? undefined) as AuthInfo | undefined;
        next();
      },
      (error: unknown) => sendError(error, res, next, passErrors),
    )
    .catch(next);
}

function isVerifier(value: object): value is Verifier<unknown> {
  return typeof (value as Partial<Verifier>).authenticate === 'function';
}

function checkAdapterOptions(options: ExpressAuthOptions): ExpressAuthOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('jwtAuth() options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (key !== 'passErrors' && key !== 'optional') {
      throw new TypeError(`jwtAuth(): unknown option "${key}"`);
    }
  }
  if (options.passErrors !== undefined && typeof options.passErrors !== 'boolean') {
    throw new TypeError('jwtAuth(): "passErrors" must be a boolean');
  }
  if (!OPTIONAL_MODES.includes(options.optional)) {
    throw new TypeError('jwtAuth(): "optional" must be "allow-missing", "allow-invalid" or false');
  }
  return options;
}
