import type { Algorithm, Fixture, TokenClaimsConfig } from '../tokens.js';

/**
 * A fixture as plain JSON, the form it crosses into another runtime in (stdin or a request
 * body): the secret as base64url, the public key as JWK and SPKI PEM.
 */
export interface WireFixture {
  alg: Algorithm;
  kid: string;
  secret?: string;
  publicJwk?: JsonWebKey & { kid?: string; alg?: string };
  publicPem?: string;
  one: string;
  tokens: string[];
  /** Valid claims and `kid`, wrong key: every verifier must refuse it before it is timed. */
  forged: string;
}

/** What a runtime gets once, before any timing. */
export interface SuiteInput {
  claims: TokenClaimsConfig;
  fixtures: WireFixture[];
  /** Entries of the verified-token caches ("cache on"). */
  cacheEntries: number;
}

/** A message from the host to the runtime. */
export type SuiteRequest =
  | { op: 'setup'; input: SuiteInput }
  | { op: 'prime'; contender: string; alg: string }
  | { op: 'run'; contender: string; alg: string; mode: 'one' | 'distinct'; iterations: number };

/** One verifier on one algorithm, as the runtime reports it after its correctness gate. */
export interface SuiteCase {
  contender: string;
  label: string;
  alg: string;
  cached: boolean;
  /** Why the case is not timed (refused the valid token, accepted the forged one). */
  note?: string;
}

/** The runtime's answer: the cases after `setup`, `{}` after `prime` and `run`, or an error. */
export type SuiteReply = { cases?: SuiteCase[]; error?: string };

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/**
 * Put a fixture and its forged token into their JSON form.
 *
 * @example
 * const wire = toWire(fixture, await forgeToken(fixture, claims));
 */
export function toWire(fixture: Fixture, forged: string): WireFixture {
  return {
    alg: fixture.alg,
    kid: fixture.kid,
    ...(fixture.secret ? { secret: base64url(fixture.secret) } : {}),
    ...(fixture.publicJwk ? { publicJwk: fixture.publicJwk as WireFixture['publicJwk'] } : {}),
    ...(fixture.publicPem ? { publicPem: fixture.publicPem } : {}),
    one: fixture.one,
    tokens: fixture.tokens,
    forged,
  };
}
