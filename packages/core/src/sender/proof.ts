// The DPoP proof (RFC 9449 §4.3), checked where it arrives: at a resource server beside an
// access token, or at a token endpoint.
import type { JWK } from 'jose';
import type { Duration } from '../options.js';
import { parseDuration } from '../options-check.js';
import { checkDpopAlgorithms } from './dpop-options.js';
import { normalUri } from './htu.js';
import { createNonces } from './nonce.js';
import { createProofChecker, type ProofChecker } from './proof-check.js';
import { MemoryReplayStore } from './replay.js';
import type { DpopNonceOptions, ReplayStore } from './types.js';

/**
 * Options of {@link createDpopProofVerifier}.
 *
 * @example
 * const proofs = createDpopProofVerifier({ nonce: { secret: process.env.DPOP_NONCE_SECRET! } });
 */
export interface DpopProofOptions {
  /** Proof `alg` allow-list (asymmetric only). Default `DEFAULT_DPOP_ALGORITHMS`. */
  algorithms?: string[];
  /** How old a proof's `iat` may be, seconds or `'2m'`. Default 5 minutes. */
  maxAge?: Duration;
  /** Clock skew tolerated on `iat`, both ways, seconds or `'5s'`. Default 5 seconds. */
  clockTolerance?: Duration;
  /** Require server nonces (RFC 9449 §8). Default: none. */
  nonce?: DpopNonceOptions;
  /**
   * Where used proofs are remembered (RFC 9449 §11.1). Default: a `MemoryReplayStore` of this
   * verifier (one process, bounded).
   */
  replayStore?: ReplayStore;
}

/**
 * One request's proof, as {@link DpopProofVerifier.verify} checks it.
 *
 * @example
 * const input: DpopProofInput = { proof: req.headers.dpop, method: 'POST', uri: 'https://id.example.com/token' };
 */
export interface DpopProofInput {
  /** The `DPoP` header value(s) as received; anything but exactly one proof is refused. */
  proof: string | readonly string[] | undefined;
  /** The request method (`htm`). */
  method: string;
  /** The absolute URI the request was sent to (`htu`); query and fragment are ignored. */
  uri: string;
  /**
   * At a resource server: the access token the proof must be for (`ath`, then required).
   * Without it (a token endpoint) an `ath` claim is ignored.
   */
  accessToken?: string;
}

/**
 * A proof that passed.
 *
 * @example
 * const { jkt } = await proofs.verify(input); // bind the token: cnf: { jkt }
 */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key: what `cnf.jkt` binds to. */
  readonly jkt: string;
  /** The proof's public key. */
  readonly jwk: Readonly<JWK>;
  readonly jti: string;
  readonly iat: number;
  /** A fresh nonce to send in the response's `DPoP-Nonce`, when the proof's one is ageing. */
  readonly nonce?: string;
}

/**
 * Checks DPoP proofs.
 *
 * @example
 * const proofs = createDpopProofVerifier();
 */
export interface DpopProofVerifier {
  /**
   * Check a proof: resolves to its key and claims; rejects with `InvalidDpopProofError`,
   * `DpopProofReplayedError` or `UseDpopNonceError`.
   */
  verify(input: DpopProofInput): Promise<VerifiedDpopProof>;
  /** The current server nonce (for a `DPoP-Nonce` header); `undefined` without nonces. */
  currentNonce(): Promise<string | undefined>;
}

const PROOF_OPTIONS = ['algorithms', 'maxAge', 'clockTolerance', 'nonce', 'replayStore'];

/**
 * The checker of checked {@link DpopProofOptions}: `TypeError` naming the option on misuse.
 * `prefix` names the option group in messages (`dpop.` for the verifier's `dpop` option).
 *
 * @example
 * const checker = proofChecker({ maxAge: '2m', clockTolerance: 5 });
 */
export function proofChecker(options: DpopProofOptions, prefix = ''): ProofChecker {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('DPoP proof options must be an object');
  for (const key of Object.keys(options))
    if (!PROOF_OPTIONS.includes(key)) throw new TypeError(`Unknown option "${prefix}${key}"`);
  const { replayStore } = options;
  if (replayStore !== undefined && typeof replayStore?.claim !== 'function')
    throw new TypeError(`"${prefix}replayStore" must have a claim(key, expiresAt) method`);
  return createProofChecker({
    algorithms: checkDpopAlgorithms(options.algorithms, `${prefix}algorithms`),
    maxAge: options.maxAge === undefined ? 300 : parseDuration(options.maxAge, `${prefix}maxAge`),
    clockTolerance:
      options.clockTolerance === undefined
        ? 5
        : parseDuration(options.clockTolerance, `${prefix}clockTolerance`),
    nonces: options.nonce === undefined ? undefined : createNonces(options.nonce, prefix),
    replayStore: replayStore ?? new MemoryReplayStore(),
  });
}

/**
 * Build a DPoP proof verifier. Options are checked here (`TypeError` naming the option).
 * Each verifier without a `replayStore` remembers used proofs in its own bounded memory.
 *
 * @example
 * const proofs = createDpopProofVerifier({ maxAge: '2m' });
 * const { jkt } = await proofs.verify({ proof: headers.get('dpop') ?? undefined, method: 'POST', uri: 'https://id.example.com/token' });
 */
export function createDpopProofVerifier(options: DpopProofOptions = {}): DpopProofVerifier {
  const checker = proofChecker(options);
  return Object.freeze({
    verify(input: DpopProofInput): Promise<VerifiedDpopProof> {
      const target = typeof input?.uri === 'string' ? normalUri(input.uri) : undefined;
      if (target === undefined)
        return Promise.reject(new TypeError('"uri" must be an absolute http or https URI'));
      if (typeof input.method !== 'string')
        return Promise.reject(new TypeError('"method" must be the request method'));
      return checker.check(input.proof, {
        method: input.method,
        targets: [target],
        accessToken: input.accessToken,
      });
    },
    currentNonce: checker.currentNonce,
  });
}
