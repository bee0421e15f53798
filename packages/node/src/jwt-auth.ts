import type { RequestListener } from 'node:http';
import { createVerifier, type Verifier, type VerifierOptions } from '@tokengate/core';
import {
  compileRouteRules,
  createGate,
  isVerifier,
  type RoutePolicy,
} from '@tokengate/core/adapter';
import { type AnswerOptions, type AuthHandler, DEFAULT_ANSWERS, NodeExchange } from './exchange.js';

/**
 * Options of `jwtAuth()` beside the verifier's: the route's policy and how it answers.
 *
 * @example
 * const options: NodeAuthOptions = { scopes: 'write:things', onError: (e) => log.error(e) };
 */
export interface NodeAuthOptions extends RoutePolicy, AnswerOptions {}

/**
 * Turns a handler into a `node:http` request listener that runs it only when allowed.
 *
 * @example
 * http.createServer(requireScopes('admin')(adminHandler));
 */
export type AuthWrapper = (handler: AuthHandler) => RequestListener;

const isObject = (value: unknown) => value !== null && typeof value === 'object';

export function checkHandler(handler: unknown, where: string): asserts handler is AuthHandler {
  if (typeof handler !== 'function')
    throw new TypeError(`${where}: the handler must be a function`);
}

/**
 * Wrap handlers in bearer-token authentication: a handler runs with the verified token, a
 * refused request is answered on `res`. Pass verifier options, or a verifier to share its
 * JWKS cache. Misuse throws `TypeError` here.
 *
 * @example
 * http.createServer(jwtAuth(options)((req, res, auth) => res.end(auth?.claims.sub)));
 */
export function jwtAuth(
  source: VerifierOptions | Verifier<unknown>,
  options: NodeAuthOptions = {},
): AuthWrapper {
  if (!isObject(source) || !isObject(options))
    throw new TypeError('jwtAuth() expects verifier options or a verifier, then options');
  const {
    onError = DEFAULT_ANSWERS.onError,
    onRefusal = DEFAULT_ANSWERS.onRefusal,
    ...policy
  } = options;
  const answers = { onError, onRefusal };
  for (const [name, hook] of Object.entries(answers))
    if (typeof hook !== 'function') throw new TypeError(`jwtAuth(): "${name}" must be a function`);
  const rules = compileRouteRules(policy, 'jwtAuth()');
  const gate = createGate(
    isVerifier(source) ? source : createVerifier<unknown>(source as VerifierOptions),
  );
  return (handler) => {
    checkHandler(handler, 'jwtAuth()');
    return function tokengateListener(req, res) {
      const exchange = new NodeExchange(req, res, handler, answers, gate);
      // The handler's errors are answered too: a plain server has no error path of its own,
      // and an unhandled rejection ends the process.
      try {
        const result = gate.authenticate(exchange, rules);
        if (result instanceof Promise) result.catch((error: unknown) => exchange.fail(error));
      } catch (error) {
        exchange.fail(error);
      }
    };
  };
}
