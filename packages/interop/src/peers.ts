// The peers of the API tests on 127.0.0.1: oidc-provider, and our API with one route per
// DPoP configuration, all trusting oidc-provider's tokens for the API.
import { randomBytes } from 'node:crypto';
import type { VerifierOptions } from '@tokengate/node';
import type * as oauth from 'oauth4webapi';
import {
  API_RESOURCE,
  type AuthorizationServer,
  startAuthorizationServer,
} from './authorization-server.js';
import { discover } from './client.js';
import { type ProtectedApi, startProtectedApi } from './protected-api.js';
import { PROXY_ADDRESS } from './reverse-proxy.js';

/** The nonce period of the `/nonce` route, seconds. */
export const NONCE_LIFETIME_S = 300;

/** The proof algorithms the routes accept, and so the `algs` of their challenges. */
export const ALGS = 'algs="ES256"';

/**
 * The routes: `/required` (DPoP only, ES256 proofs), `/allowed` (DPoP or Bearer), `/nonce`
 * (DPoP only, with server nonces), `/any-alg` (DPoP only, the default proof algorithms),
 * `/proxied` (DPoP only, no origin configured: the one a proxy at {@link PROXY_ADDRESS}
 * forwards), `/bearer` (DPoP off).
 */
const routes =
  (issuer: string) =>
  (origin: string): Record<string, VerifierOptions> => {
    const base = { discovery: true, issuer, audience: API_RESOURCE, typ: 'rfc9068' } as const;
    const dpop = { origin, algorithms: ['ES256'] };
    const nonce = { secret: randomBytes(32), lifetime: NONCE_LIFETIME_S };
    return {
      '/required': { ...base, dpop: { ...dpop, mode: 'required' } },
      '/allowed': { ...base, dpop: { ...dpop, mode: 'allowed' } },
      '/nonce': { ...base, dpop: { ...dpop, mode: 'required', nonce } },
      '/any-alg': { ...base, dpop: { origin, mode: 'required' } },
      '/proxied': {
        ...base,
        trustProxy: [PROXY_ADDRESS],
        dpop: { mode: 'required', algorithms: ['ES256'] },
      },
      '/bearer': base,
    };
  };

export interface Peers {
  readonly as: AuthorizationServer;
  readonly api: ProtectedApi;
  /** The authorization server's metadata, as oauth4webapi discovered it. */
  readonly metadata: oauth.AuthorizationServer;
  close(): Promise<void>;
}

/** Start oidc-provider and the API, and discover the authorization server. */
export async function startPeers(): Promise<Peers> {
  const as = await startAuthorizationServer();
  const api = await startProtectedApi(routes(as.issuer));
  const close = async () => {
    await Promise.all([api.close(), as.close()]);
  };
  try {
    return { as, api, metadata: await discover(as.issuer), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Call a route of the API, expecting a refusal: what it answered, and whether the handler ran. */
export async function refused(
  api: ProtectedApi,
  route: string,
  call: (url: URL) => Promise<Response>,
) {
  const calls = () => api.seen.filter((seen) => seen.route === route).length;
  const before = calls();
  const response = await call(api.url(route));
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: await response.json(),
    handlerRan: calls() !== before,
  };
}

// An auth-param value as a quoted-string (RFC 9110 §5.6.4).
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** The answer to a request without a credential of ours where only DPoP is accepted. */
export const NO_DPOP_CREDENTIAL = {
  status: 401,
  challenge: `DPoP realm="api", ${ALGS}`,
  body: {
    error: 'unauthorized',
    error_description: 'Authentication required',
    code: 'ERR_TOKEN_MISSING',
  },
  handlerRan: false,
};

/** The answer to a DPoP request refused with `error` (RFC 9449 §7.1), as {@link refused} has it. */
export function dpopRefusal(error: string, description: string, code: string, extra = {}) {
  return {
    status: 401,
    challenge: `DPoP realm="api", error="${error}", error_description=${quoted(description)}, ${ALGS}`,
    body: { error, error_description: description, code, ...extra },
    handlerRan: false,
  };
}
