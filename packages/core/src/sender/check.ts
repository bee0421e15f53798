// The sender check of a verified token (RFC 9449 §7, RFC 8705 §3): the DPoP proof and the
// client certificate the token's `cnf` asks for, after the token itself was verified.
import { TokenBindingError } from '../errors.js';
import type { VerifierOptions } from '../options.js';
import type { RequestView } from '../protocol/view.js';
import type { Verified } from '../verify/context.js';
import { createDpopCheck } from './dpop.js';
import { createCertificateCheck } from './mtls.js';
import { createProxyTrust } from './proxy.js';

/**
 * Response headers a successful request must carry (a fresh `DPoP-Nonce`).
 *
 * @example
 * const headers: ResponseHeaders = { 'DPoP-Nonce': nonce };
 */
export type ResponseHeaders = Readonly<Record<string, string>>;

/**
 * The DPoP check of one verifier.
 *
 * @example
 * const headers = await dpop.check(request, token, auth.binding.jkt);
 */
export interface DpopCheck {
  /** `mode: 'required'`: a request with the `Bearer` scheme holds no credential. */
  readonly required: boolean;
  /** The proof `alg` allow-list, for the challenge's `algs`. */
  readonly algorithms: readonly string[];
  /**
   * Check the request's `DPoP` proof for `accessToken`, whose `cnf.jkt` is `jkt`: resolves to
   * the headers to add to the response (a fresh nonce) or `undefined`; rejects with an
   * `InvalidDpopProofError`, `DpopProofReplayedError`, `UseDpopNonceError` or
   * `TokenBindingError` (the proof's key is not the token's).
   */
  check(
    request: RequestView,
    accessToken: string,
    jkt: string,
  ): Promise<ResponseHeaders | undefined>;
}

/**
 * The client certificate check of one verifier.
 *
 * @example
 * await mtls.check(request, auth.binding.x5tS256);
 */
export interface CertificateCheck {
  /** `mode: 'required'`: every token must be certificate-bound. */
  readonly required: boolean;
  /**
   * Resolve when the request's client certificate (TLS connection, or the header of a trusted
   * proxy) has the SHA-256 thumbprint `x5tS256`; reject with a `TokenBindingError` otherwise
   * (no certificate, another certificate).
   */
  check(request: RequestView, x5tS256: string): Promise<void>;
}

/**
 * What a verifier checks of a token's sender; `undefined` when `dpop` and `mtls` are off.
 *
 * @example
 * const sender = createSenderChecks(options);
 */
export interface SenderChecks {
  readonly dpop: DpopCheck | undefined;
  readonly mtls: CertificateCheck | undefined;
}

/**
 * Build the sender checks from the verifier options (`TypeError` naming the option on
 * misuse); `undefined` when neither `dpop` nor `mtls` is on.
 *
 * @example
 * const sender = createSenderChecks({ ...options, dpop: 'required' });
 */
export function createSenderChecks(options: VerifierOptions): SenderChecks | undefined {
  const trust = createProxyTrust(options.trustProxy);
  const dpop = createDpopCheck(options, trust);
  const mtls = createCertificateCheck(options, trust);
  return dpop === undefined && mtls === undefined ? undefined : { dpop, mtls };
}

/**
 * Check the sender of a verified token. `scheme`: the one the request used. Resolves to the
 * headers to add to a successful response, or `undefined`.
 *
 * @example
 * const headers = await checkSender(sender, request, 'DPoP', auth);
 */
export async function checkSender(
  sender: SenderChecks,
  request: RequestView,
  scheme: 'Bearer' | 'DPoP',
  auth: Verified,
): Promise<ResponseHeaders | undefined> {
  const { binding } = auth;
  let headers: ResponseHeaders | undefined;
  if (scheme === 'DPoP') {
    // RFC 9449 §7.1: the DPoP scheme is for a token bound to the proof's key.
    if (binding?.jkt === undefined || sender.dpop === undefined)
      throw new TokenBindingError(
        sender.dpop?.required
          ? 'The token is not bound to a DPoP key; this API accepts only DPoP-bound tokens'
          : 'The token is not bound to a DPoP key; send it as a Bearer token',
      );
    headers = await sender.dpop.check(request, auth.token, binding.jkt);
  } else if (binding?.jkt !== undefined) {
    // RFC 9449 §7.2: a DPoP-bound token sent as a bearer token is refused.
    throw new TokenBindingError(
      sender.dpop === undefined
        ? 'The token is bound to a DPoP key; this API does not accept DPoP'
        : 'The token is bound to a DPoP key; send it with the DPoP scheme and a proof',
    );
  }
  if (binding?.x5tS256 !== undefined) {
    if (sender.mtls === undefined)
      throw new TokenBindingError(
        'The token is bound to a client certificate; this API does not check certificates',
      );
    await sender.mtls.check(request, binding.x5tS256);
  } else if (sender.mtls?.required) {
    throw new TokenBindingError('The token must be bound to a client certificate');
  }
  return headers;
}
