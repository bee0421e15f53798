// The checks of RFC 9449 §4.3 on one DPoP proof, in order: one well-formed JWS, its header
// (`typ`, `alg`, `jwk`), its signature, its claims against the request, the binding, the
// nonce, and last the one-time use of its `jti`, so that a refused proof burns nothing.
import { base64url, calculateJwkThumbprint, compactVerify, type JWK } from 'jose';
import {
  DpopProofReplayedError,
  InvalidDpopProofError,
  StoreUnavailableError,
  TokenBindingError,
  UseDpopNonceError,
} from '../errors.js';
import { type NormalUri, normalUri } from './htu.js';
import type { Nonces } from './nonce.js';
import type { VerifiedDpopProof } from './proof.js';
import { importProofKey, publicProofKey } from './proof-key.js';
import type { ReplayStore } from './types.js';

/** Checked options of a proof checker; durations in seconds. */
export interface ProofSettings {
  readonly algorithms: readonly string[];
  readonly maxAge: number;
  readonly clockTolerance: number;
  readonly nonces: Nonces | undefined;
  readonly replayStore: ReplayStore;
}

/** What the request says a proof must be for. */
export interface ProofExpectation {
  /** `htm`: the request method. */
  readonly method: string;
  /** `htu`: the request URI, or one of several (one per public origin), normalised. */
  readonly targets: readonly NormalUri[];
  /** `ath`: the access token presented with the proof. */
  readonly accessToken?: string | undefined;
  /** The token's `cnf.jkt`: the key the proof must be signed with (`TokenBindingError`). */
  readonly jkt?: string | undefined;
}

/**
 * Checks proofs against an expectation.
 *
 * @example
 * const proof = await checker.check(request.header('dpop'), { method: 'GET', targets });
 */
export interface ProofChecker {
  check(
    proof: string | readonly string[] | undefined,
    expect: ProofExpectation,
  ): Promise<VerifiedDpopProof>;
  currentNonce(): Promise<string | undefined>;
}

/** Largest accepted proof, in characters: an RSA-4096 key and its signature fit well. */
export const MAX_PROOF_SIZE = 8192;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_JTI_LENGTH = 256;
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

const invalid = (why: string): never => {
  throw new InvalidDpopProofError(`The DPoP proof ${why}`);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// RFC 9449 §4.3 check 1: exactly one `DPoP` header, holding one proof.
function singleProof(proof: string | readonly string[] | undefined): string {
  const lines: readonly unknown[] =
    proof === undefined ? [] : Array.isArray(proof) ? proof : [proof];
  if (lines.length === 0) return invalid('is missing: send it in the DPoP header');
  if (lines.length > 1) return invalid('must be sent in exactly one DPoP header');
  // A JavaScript caller may hand over any header value: only a string can hold a proof.
  if (typeof lines[0] !== 'string') return invalid('must be a string');
  const text = lines[0].trim();
  if (text === '') return invalid('is missing: the DPoP header is empty');
  if (text.length > MAX_PROOF_SIZE) return invalid(`is larger than ${MAX_PROOF_SIZE} characters`);
  // Two header lines folded into one by the server (RFC 9110 §5.3); a JWS has no comma.
  if (text.includes(',')) return invalid('must be sent in exactly one DPoP header');
  return text;
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(decoder.decode(base64url.decode(segment)));
  } catch {
    return undefined;
  }
}

// RFC 9449 §4.3 checks 2 to 5: a compact JWS whose header is typed `dpop+jwt`, with an
// allowed asymmetric `alg` and a public `jwk`.
function proofHeader(proof: string, algorithms: readonly string[]): { alg: string; jwk: JWK } {
  const segments = proof.split('.');
  if (segments.length !== 3 || !segments.every((s) => SEGMENT.test(s)))
    return invalid('is not a compact JWS');
  const header = decodeJson(segments[0] as string);
  if (!isObject(header)) return invalid('header is not a JSON object');
  if (header.typ !== 'dpop+jwt') return invalid('header "typ" must be "dpop+jwt"');
  const { alg } = header;
  if (typeof alg !== 'string' || !algorithms.includes(alg))
    return invalid('header "alg" is not an accepted asymmetric algorithm');
  return { alg, jwk: publicProofKey(header.jwk, alg) };
}

// RFC 9449 §4.3 check 6: the signature, by the key in the header.
async function verifiedClaims(
  proof: string,
  jwk: JWK,
  alg: string,
): Promise<Record<string, unknown>> {
  const key = await importProofKey(jwk, alg);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(proof, key, { algorithms: [alg] }));
  } catch (cause) {
    throw new InvalidDpopProofError('The DPoP proof signature is invalid', { cause });
  }
  let claims: unknown;
  try {
    claims = JSON.parse(decoder.decode(payload));
  } catch {}
  if (!isObject(claims)) return invalid('claims are not a JSON object');
  return claims;
}

const sha256 = async (text: string): Promise<string> =>
  base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));

function isTarget(htu: unknown, targets: readonly NormalUri[]): boolean {
  const uri = typeof htu === 'string' ? normalUri(htu) : undefined;
  return uri !== undefined && targets.some((t) => t.origin === uri.origin && t.path === uri.path);
}

// RFC 9449 §4.3 checks 7 to 9 and 11: `jti`, `htm`, `htu`, `iat` (against `now`, seconds).
function checkRequestClaims(
  claims: Record<string, unknown>,
  expect: ProofExpectation,
  settings: ProofSettings,
  now: number,
): { jti: string; iat: number } {
  const { jti, htm, htu, iat } = claims;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH)
    return invalid(`"jti" must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  if (htm !== expect.method) return invalid('is for another method ("htm")');
  if (!isTarget(htu, expect.targets)) return invalid('is for another URI ("htu")');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return invalid('"iat" must be a number');
  if (iat > now + settings.clockTolerance) return invalid('is issued in the future ("iat")');
  if (iat < now - settings.maxAge - settings.clockTolerance) return invalid('is too old ("iat")');
  return { jti, iat };
}

// RFC 9449 §4.3 check 12: at a resource server, the proof is for the token it came with. At a
// token endpoint there is no access token and an `ath` is ignored.
async function checkAccessToken(claims: Record<string, unknown>, accessToken: string | undefined) {
  if (accessToken === undefined) return;
  if (typeof claims.ath !== 'string') return invalid('lacks the "ath" claim');
  if (claims.ath !== (await sha256(accessToken)))
    return invalid('is for another access token ("ath")');
}

/**
 * A proof checker over checked settings.
 *
 * @example
 * const checker = createProofChecker({ algorithms, maxAge: 300, clockTolerance: 5, nonces: undefined, replayStore });
 */
export function createProofChecker(settings: ProofSettings): ProofChecker {
  const { nonces, replayStore } = settings;

  // RFC 9449 §8: a missing or unknown nonce asks for the current one; the previous step's
  // passes and the response carries the current one.
  async function checkNonce(nonce: unknown): Promise<string | undefined> {
    if (nonces === undefined) return undefined;
    const verdict = await nonces.judge(nonce);
    if (verdict === 'current') return undefined;
    const current = await nonces.current();
    if (verdict === 'previous') return current;
    throw new UseDpopNonceError(
      current,
      nonce === undefined
        ? 'A DPoP nonce is required'
        : 'The DPoP nonce is stale or unknown; use the one in DPoP-Nonce',
    );
  }

  // RFC 9449 §11.1: a `jti` once per key for as long as the proof is accepted. The key is a
  // digest, so a store sees short keys of one length.
  async function claimOnce(jkt: string, jti: string, iat: number): Promise<void> {
    const key = `dpop-jti:${await sha256(`${jkt}:${jti}`)}`;
    const expiresAt = Math.ceil((iat + settings.maxAge + settings.clockTolerance) * 1000);
    let claimed: boolean;
    try {
      claimed = await replayStore.claim(key, expiresAt);
    } catch (cause) {
      // The proof may be fine: a store that cannot answer refuses the request for now (503),
      // neither accepting a possible replay nor blaming the client.
      throw StoreUnavailableError.from(cause, 'The DPoP replay check is unavailable');
    }
    if (claimed !== true) throw new DpopProofReplayedError();
  }

  async function check(
    proofs: string | readonly string[] | undefined,
    expect: ProofExpectation,
  ): Promise<VerifiedDpopProof> {
    const proof = singleProof(proofs);
    const { alg, jwk } = proofHeader(proof, settings.algorithms);
    const claims = await verifiedClaims(proof, jwk, alg);
    const { jti, iat } = checkRequestClaims(claims, expect, settings, Date.now() / 1000);
    await checkAccessToken(claims, expect.accessToken);
    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    if (expect.jkt !== undefined && jkt !== expect.jkt)
      throw new TokenBindingError(
        'The DPoP proof is signed by another key than the token is bound to',
      );
    const nonce = await checkNonce(claims.nonce);
    await claimOnce(jkt, jti, iat);
    return Object.freeze(
      nonce === undefined ? { jkt, jwk, jti, iat } : { jkt, jwk, jti, iat, nonce },
    );
  }

  return {
    check,
    currentNonce: async () => (nonces === undefined ? undefined : nonces.current()),
  };
}
