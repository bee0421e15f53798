import { createRemoteJWKSet, errors as joseErrors } from 'jose';
import { InvalidSignatureError, KeySetUnavailableError } from '../errors.js';
import type { RemoteJwksOptions } from '../options.js';
import type { KeySource } from './types.js';

/** Options of {@link createRemoteKeySource}. */
export interface RemoteKeySourceOptions {
  /** The JWK Set URL. One of `jwksUri` or `issuer` + `discovery` is required. */
  jwksUri?: string | URL;
  /** The issuer, used to find `jwks_uri` when `discovery` is true. */
  issuer?: string;
  /** Find `jwks_uri` through OIDC discovery / RFC 8414 from `issuer`. Default false. */
  discovery?: boolean;
  /** Algorithm allow-list of this source's keys. */
  algorithms: readonly string[];
  /** Fetch, cache and failure tuning. */
  jwks?: RemoteJwksOptions;
}

/**
 * A key source backed by a remote JWK Set (first version over jose's `createRemoteJWKSet`).
 *
 * @example
 * const source = createRemoteKeySource({ jwksUri: 'https://id.example.com/jwks.json', algorithms: ['RS256'] });
 */
export function createRemoteKeySource(options: RemoteKeySourceOptions): KeySource {
  if (!options.jwksUri) throw new TypeError('jwksUri is required (discovery is not wired yet)');
  const jwks = createRemoteJWKSet(new URL(String(options.jwksUri)), {
    timeoutDuration: options.jwks?.timeoutDuration ?? 5000,
    cooldownDuration: options.jwks?.cooldownDuration ?? 30000,
    cacheMaxAge: options.jwks?.cacheMaxAge ?? 600000,
  });
  return {
    algorithms: options.algorithms,
    async getKey(header) {
      try {
        return await jwks(header as Parameters<typeof jwks>[0]);
      } catch (error) {
        if (
          error instanceof joseErrors.JWKSNoMatchingKey ||
          error instanceof joseErrors.JWKSMultipleMatchingKeys
        ) {
          throw new InvalidSignatureError('No matching key for the token', { cause: error });
        }
        throw new KeySetUnavailableError(undefined, { cause: error, retryAfter: 30 });
      }
    },
    health() {
      return {
        state: jwks.fresh ? 'fresh' : jwks.jwks() ? 'stale' : 'empty',
        keyCount: jwks.jwks()?.keys.length ?? 0,
      };
    },
  };
}
