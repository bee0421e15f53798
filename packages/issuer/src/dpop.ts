// DPoP at the token endpoint (RFC 9449 §5): the proof is checked by core's proof verifier (the
// same one a resource server uses), and its errors become token-endpoint errors here.
import {
  createDpopProofVerifier,
  type DpopProofOptions,
  type DpopProofVerifier,
  InvalidDpopProofError,
  UseDpopNonceError,
} from '@tokengate/core';
import { DpopNonceError, DpopProofError, RefreshTokenBindingError } from './errors.js';

/**
 * The parts of a token request a DPoP proof is checked against. Give the token endpoint's
 * public URL as `uri`, from your configuration: a URL built from the request's `Host` header
 * would let a client choose what its proof is checked against.
 *
 * @example
 * const dpop: DpopTokenRequest = { proof: req.headers.dpop, method: req.method, uri: 'https://id.example.com/token' };
 */
export interface DpopTokenRequest {
  /** The `DPoP` header value(s) as received; `undefined` (no header): a Bearer token request. */
  proof: string | readonly string[] | undefined;
  /** The request method (the proof's `htm`), `'POST'` at a token endpoint. */
  method: string;
  /** The token endpoint's absolute URL (the proof's `htu`); query and fragment are ignored. */
  uri: string;
}

/**
 * The DPoP proofs of one token issuer: `check` resolves to the proof key's thumbprint, or
 * `undefined` when the request carries no proof.
 *
 * @example
 * const jkt = await proofs.check(dpop); // then cnf: { jkt }
 */
export interface TokenRequestProofs {
  check(request: DpopTokenRequest | undefined): Promise<string | undefined>;
  nonce(): Promise<string | undefined>;
}

const absent = (proof: DpopTokenRequest['proof']) =>
  proof === undefined || (Array.isArray(proof) && proof.length === 0);

function checkRequest(request: unknown): asserts request is DpopTokenRequest {
  const { method, uri } = (request ?? {}) as Partial<DpopTokenRequest>;
  if (typeof method !== 'string' || !method || typeof uri !== 'string' || !uri)
    throw new TypeError('"dpop" must be { proof, method, uri } with the method and absolute URI');
}

// RFC 9449 §5 answers a bad proof at the token endpoint with an RFC 6749 §5.2 error response
// (400), not with the resource server's 401 challenge: so core's errors are mapped, once.
function tokenEndpointError(error: unknown): unknown {
  if (error instanceof UseDpopNonceError) return new DpopNonceError(error.nonce, { cause: error });
  if (error instanceof InvalidDpopProofError) return new DpopProofError(error);
  return error;
}

// Core names the option as its own (`"maxAge" must be …`); say where it sits here.
function proofVerifier(options: DpopProofOptions): DpopProofVerifier {
  try {
    return createDpopProofVerifier(options);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new TypeError(`Option "dpop": ${error.message}`, { cause: error });
  }
}

/**
 * The DPoP proof check of a token issuer; without the `dpop` option, passing a proof is a
 * `TypeError` (the issuer was not set up for DPoP).
 *
 * @example
 * const proofs = createTokenRequestProofs(true);
 * const jkt = await proofs.check({ proof, method: 'POST', uri: 'https://id.example.com/token' });
 */
export function createTokenRequestProofs(
  option: DpopProofOptions | boolean | undefined,
): TokenRequestProofs {
  if (
    typeof option !== 'boolean' &&
    option !== undefined &&
    (typeof option !== 'object' || option === null)
  )
    throw new TypeError('"dpop" must be true, false or the DPoP proof options');
  const verifier =
    option === undefined || option === false
      ? undefined
      : proofVerifier(option === true ? {} : option);
  return {
    async check(request) {
      if (request === undefined) return undefined;
      if (verifier === undefined)
        throw new TypeError('"dpop" was given, but the issuer was built without the "dpop" option');
      checkRequest(request);
      if (absent(request.proof)) return undefined;
      const { proof, method, uri } = request;
      const verified = await verifier.verify({ proof, method, uri }).catch((error: unknown) => {
        throw tokenEndpointError(error);
      });
      return verified.jkt;
    },
    nonce: async () => verifier?.currentNonce(),
  };
}

/**
 * Refuse a refresh of a DPoP-bound family without a proof by its key (RFC 9449 §5). Called
 * before the rotation: a thief without the key can neither use nor burn the token.
 *
 * @example
 * checkRefreshBinding(record.jkt, proofJkt);
 */
export function checkRefreshBinding(bound: string | undefined, jkt: string | undefined): void {
  if (bound === undefined) return;
  if (jkt === undefined) throw new RefreshTokenBindingError('missing-proof');
  if (jkt !== bound) throw new RefreshTokenBindingError('other-key');
}
