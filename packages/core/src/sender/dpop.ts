// DPoP (RFC 9449 §7) on the resource server: the proof that comes with a DPoP-bound access
// token, checked against the request it came with and the token's key.
import { InvalidDpopProofError } from '../errors.js';
import type { VerifierOptions } from '../options.js';
import { parseDuration } from '../options-check.js';
import type { RequestView } from '../protocol/view.js';
import type { TokenRequest } from '../types.js';
import type { DpopCheck, ResponseHeaders } from './check.js';
import { type DpopSettings, dpopSettings } from './dpop-options.js';
import { type NormalUri, normalUri, requestPath } from './htu.js';
import { proofChecker } from './proof.js';
import { forwardedOrigin, type ProxyTrust } from './proxy.js';

/**
 * Throw a plain `Error` (a programming error, answered 500) when a request checked with DPoP
 * is no {@link RequestView}: the proof's `htm` and `htu` need the method and the target.
 *
 * @example
 * requireRequestView(request); // in authenticate(), before a DPoP proof is checked
 */
export function requireRequestView(request: TokenRequest): asserts request is RequestView {
  const view = request as Partial<RequestView>;
  if (typeof view.method !== 'string' || typeof view.url !== 'string')
    throw new Error(
      'DPoP needs the request method and URL: pass a RequestView (method, url, header) to authenticate(), or use an adapter',
    );
}

// `scheme://authority` and nothing more: a forwarded host with a path or query is no origin.
const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\\]+$/;

const cannotEstablish = (why: string): never => {
  throw new InvalidDpopProofError(`The request URI cannot be established: ${why}`);
};

// The URIs the request may have been addressed to (RFC 9449 §4.3 check 9): each configured
// public origin with the request's path; without one, the origin a trusted proxy forwarded.
// Forwarded headers from any other peer are the client's own words, never believed.
function requestTargets(
  request: RequestView,
  origins: readonly string[],
  trust: ProxyTrust | undefined,
): NormalUri[] {
  const path = requestPath(request.url);
  if (path === undefined) return cannotEstablish('the request target has no valid path');
  if (origins.length > 0) return origins.map((origin) => ({ origin, path }));
  if (trust === undefined || !trust(request))
    return cannotEstablish('no "dpop.origin" is configured and the peer is not a trusted proxy');
  const forwarded = forwardedOrigin(request);
  const origin =
    forwarded !== undefined && ORIGIN.test(forwarded) ? normalUri(forwarded)?.origin : undefined;
  if (origin === undefined) return cannotEstablish('the forwarded origin is not a valid origin');
  return [{ origin, path }];
}

// Configured origins come from `URL#origin`; their normal form is what a proof's `htu` is
// compared with.
const normalOrigins = (settings: DpopSettings): readonly string[] =>
  settings.origins.map((origin) => normalUri(`${origin}/`)?.origin ?? origin);

/**
 * The DPoP check of a verifier's options; `undefined` when `dpop` is off. Throws `TypeError`
 * naming the option on misuse (an origin that is none, no origin without `trustProxy`, an
 * algorithm that is not asymmetric, a nonce secret under 32 bytes).
 *
 * @example
 * const dpop = createDpopCheck({ ...options, dpop: { origin: 'https://api.example.com' } }, undefined);
 */
export function createDpopCheck(
  options: VerifierOptions,
  trust: ProxyTrust | undefined,
): DpopCheck | undefined {
  const settings = dpopSettings(options);
  if (settings === undefined) return undefined;
  const checker = proofChecker(
    {
      algorithms: [...settings.algorithms],
      maxAge: settings.maxAge,
      clockTolerance:
        options.clockTolerance === undefined
          ? 5
          : parseDuration(options.clockTolerance, 'clockTolerance'),
      nonce: settings.nonce,
      replayStore: settings.replayStore,
    },
    'dpop.',
  );
  const origins = normalOrigins(settings);

  async function check(
    request: RequestView,
    accessToken: string,
    jkt: string,
  ): Promise<ResponseHeaders | undefined> {
    const proof = await checker.check(request.header('dpop'), {
      method: request.method,
      targets: requestTargets(request, origins, trust),
      accessToken,
      jkt,
    });
    return proof.nonce === undefined ? undefined : { 'DPoP-Nonce': proof.nonce };
  }

  return Object.freeze({ required: settings.required, algorithms: settings.algorithms, check });
}
