// The DPoP routes every adapter serves (RFC 9449): one verifier configuration each. Plain JSON,
// so that they can reach a worker as bindings; the expected policies (`DPOP_POLICY`) stay on the
// test's side and may share core's values.
import { DEFAULT_DPOP_ALGORITHMS, type VerifierOptions } from '@tokengate/core';
import type { DpopPolicy, DpopRoute } from './expectations.js';

/**
 * The public origin of the conformance API, as a load balancer in front of it would serve it:
 * the client addresses `https://api.tokengate.test/<route>` (the proofs' `htu`), the request
 * reaches the adapter on 127.0.0.1, and the verifier computes `htu` from this configured origin,
 * never from the `Host` header.
 *
 * @example
 * new URL('/dpop', DPOP_ORIGIN).href; // 'https://api.tokengate.test/dpop'
 */
export const DPOP_ORIGIN = 'https://api.tokengate.test';

/**
 * The HMAC secret of the `/dpop-nonce` route's server nonces (RFC 9449 §8): shared with the
 * test, which plays another instance of the API to make an old nonce.
 *
 * @example
 * createDpopProofVerifier({ nonce: { secret: DPOP_NONCE_SECRET } });
 */
export const DPOP_NONCE_SECRET = 'tokengate-conformance-dpop-nonce-secret-0123456789';

/**
 * The peers `/dpop-proxy` trusts as its proxy: the loopback addresses the suite connects from.
 *
 * @example
 * createVerifier({ ...options, dpop: 'required', trustProxy: LOOPBACK });
 */
export const LOOPBACK: readonly string[] = ['127.0.0.1', '::1'];

/**
 * A peer address no test ever connects from (TEST-NET-1, RFC 5737): `/dpop-untrusted` trusts
 * only it, so every forwarded header the suite sends there comes from an untrusted peer.
 *
 * @example
 * createVerifier({ ...options, dpop: 'required', trustProxy: [ELSEWHERE] });
 */
export const ELSEWHERE = '192.0.2.1';

/** The proof algorithms `/dpop-required` accepts: a list of its own, to see it in `algs`. */
const REQUIRED_ALGORITHMS = ['ES256', 'EdDSA'];

/**
 * What each DPoP route accepts, for the expected challenges. The routes without a list of
 * their own accept core's default, so the expected `algs` follow core when it changes.
 *
 * @example
 * dpopMissing(DPOP_POLICY['/dpop-required']);
 */
export const DPOP_POLICY: Readonly<Record<DpopRoute, DpopPolicy>> = {
  '/dpop': { required: false, algorithms: DEFAULT_DPOP_ALGORITHMS },
  '/dpop-required': { required: true, algorithms: REQUIRED_ALGORITHMS },
  '/dpop-nonce': { required: true, algorithms: DEFAULT_DPOP_ALGORITHMS },
  '/dpop-proxy': { required: true, algorithms: DEFAULT_DPOP_ALGORITHMS },
  '/dpop-untrusted': { required: true, algorithms: DEFAULT_DPOP_ALGORITHMS },
};

/**
 * The verifier options of each DPoP route, on top of `base` (the suite's issuer and realm):
 *
 * | route             | `dpop`                                                 | `trustProxy`    |
 * | ----------------- | ------------------------------------------------------ | --------------- |
 * | `/dpop`           | `allowed`, origin {@link DPOP_ORIGIN}                  | —               |
 * | `/dpop-required`  | `required`, origin, algorithms ES256 and EdDSA         | —               |
 * | `/dpop-nonce`     | `required`, origin, nonces under {@link DPOP_NONCE_SECRET} | —           |
 * | `/dpop-proxy`     | `required`, no origin                                  | {@link LOOPBACK} |
 * | `/dpop-untrusted` | `required`, no origin                                  | {@link ELSEWHERE} |
 *
 * @example
 * const routes = dpopRouteOptions({ ...issuer.verifierOptions(), realm: REALM });
 */
export function dpopRouteOptions(base: VerifierOptions): Record<DpopRoute, VerifierOptions> {
  return {
    '/dpop': { ...base, dpop: { mode: 'allowed', origin: DPOP_ORIGIN } },
    '/dpop-required': {
      ...base,
      dpop: { mode: 'required', origin: DPOP_ORIGIN, algorithms: REQUIRED_ALGORITHMS },
    },
    '/dpop-nonce': {
      ...base,
      dpop: { mode: 'required', origin: DPOP_ORIGIN, nonce: { secret: DPOP_NONCE_SECRET } },
    },
    '/dpop-proxy': { ...base, dpop: 'required', trustProxy: [...LOOPBACK] },
    '/dpop-untrusted': { ...base, dpop: 'required', trustProxy: [ELSEWHERE] },
  };
}
