import { createVerifier as createCoreVerifier, type VerifierOptions } from '@tokengate/core';
import { createGate, type Exchange } from '@tokengate/core/adapter';
import { createVerifier as createFastVerifier } from 'fast-jwt';
import { importJWK, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import type { Fixture, TokenClaimsConfig } from '../tokens.js';
import { benchExchange } from './exchange.js';
import { createFloorVerifier, createLimitCheck, splitToken } from './native.js';

/** A ready-to-time verification: `prepare` runs before timing, `run` is what is timed. */
export interface Runner {
  prepare(token: string): unknown;
  run(input: unknown): unknown;
}

/** One verifier under test. */
export interface Contender {
  id: string;
  label: string;
  /** Holds a verified-token cache (filled with every token before the distinct-token run). */
  cached?: boolean;
  /** Resolves to `undefined` when the library cannot verify `fixture.alg` at all. */
  build(fixture: Fixture, claims: TokenClaimsConfig): Promise<Runner | undefined>;
}

/** Entries of the verified-token caches ("cache on"): one per distinct token of the run. */
export const CACHE_ENTRIES = 10_000;

const asToken = (token: string) => token;

/** An `isRevoked` hook for a core contender (none when undefined), and the name its rows carry. */
export interface RevocationHook {
  id: string;
  label: string;
  isRevoked: VerifierOptions['isRevoked'];
}

/**
 * Core's `createVerifier`. `core`: through the request protocol, as the adapters run it
 * (extraction, verification and the answer, no promise when no step was asynchronous); the
 * timer awaits only when a promise comes back. `promise`: `verify`, awaited every time, as an
 * application calling it does. `hook`: with that `isRevoked` (checked on cache hits too).
 *
 * @example
 * const withRedis = coreContender(true, false, { id: 'redis', label: 'Redis', isRevoked });
 */
export function coreContender(cache: boolean, promise = false, hook?: RevocationHook): Contender {
  const suffix = hook ? `, isRevoked: ${hook.label}` : '';
  return {
    id: `core${cache ? '-cache' : ''}${promise ? '-promise' : ''}${hook ? `+${hook.id}` : ''}`,
    label: `tokengate core${promise ? ' verify() awaited' : ''} (cache ${cache ? 'on' : 'off'}${suffix})`,
    cached: cache,
    async build(fixture, claims) {
      const keys = fixture.secret ? { secret: fixture.secret } : { keys: fixture.publicJwk! };
      const verifier = createCoreVerifier({
        ...keys,
        issuer: claims.issuer,
        audience: claims.audience,
        algorithms: [fixture.alg],
        cache: cache ? { maxEntries: CACHE_ENTRIES } : false,
        ...(hook?.isRevoked ? { isRevoked: hook.isRevoked } : {}),
      });
      if (promise) return { prepare: asToken, run: (token) => verifier.verify(token as string) };
      const gate = createGate(verifier);
      return {
        prepare: (token) => benchExchange(token),
        run: (exchange) => gate.authenticate(exchange as Exchange<unknown>),
      };
    },
  };
}

function fastJwtContender(cache: boolean): Contender {
  return {
    id: cache ? 'fast-jwt-cache' : 'fast-jwt',
    label: cache ? 'fast-jwt (cache on)' : 'fast-jwt (cache off)',
    cached: cache,
    async build(fixture, claims) {
      const verify = createFastVerifier({
        key: fixture.secret ? Buffer.from(fixture.secret) : fixture.publicPem!,
        algorithms: [fixture.alg],
        allowedIss: claims.issuer,
        allowedAud: claims.audience,
        cache: cache ? CACHE_ENTRIES : false,
      });
      return { prepare: asToken, run: (token) => verify(token as string) };
    },
  };
}

const joseContender: Contender = {
  id: 'jose',
  label: 'jose jwtVerify (key imported once)',
  async build(fixture, claims) {
    const key = fixture.secret ?? (await importJWK(fixture.publicJwk!, fixture.alg));
    const options = { issuer: claims.issuer, audience: claims.audience, algorithms: [fixture.alg] };
    return { prepare: asToken, run: (token) => jwtVerify(token as string, key, options) };
  },
};

const jsonwebtokenContender: Contender = {
  id: 'jsonwebtoken',
  label: 'jsonwebtoken',
  async build(fixture, claims) {
    // jsonwebtoken 9 knows no EdDSA (its algorithm list is HS/RS/PS/ES).
    if (fixture.alg === 'EdDSA') return undefined;
    const key = fixture.secret ? Buffer.from(fixture.secret) : fixture.publicPem!;
    const options = {
      algorithms: [fixture.alg as jsonwebtoken.Algorithm],
      issuer: claims.issuer,
      audience: claims.audience,
    };
    return { prepare: asToken, run: (token) => jsonwebtoken.verify(token as string, key, options) };
  },
};

const floorContender: Contender = {
  id: 'floor',
  label: 'floor: base64url+JSON+node:crypto',
  async build(fixture, claims) {
    const verify = createFloorVerifier(fixture, claims);
    return { prepare: asToken, run: (token) => verify(token as string) };
  },
};

const limitContender: Contender = {
  id: 'limit',
  label: 'limit: node:crypto signature only',
  async build(fixture) {
    const check = createLimitCheck(fixture);
    return { prepare: splitToken, run: (parts) => check(parts as ReturnType<typeof splitToken>) };
  },
};

/** Every in-process contender, in table order. */
export const CONTENDERS: readonly Contender[] = [
  coreContender(false),
  coreContender(true),
  coreContender(false, true),
  joseContender,
  fastJwtContender(false),
  fastJwtContender(true),
  jsonwebtokenContender,
  floorContender,
  limitContender,
];
