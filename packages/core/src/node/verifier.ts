import type { VerifierOptions } from '../options.js';
import type { RegisteredClaims } from '../types.js';
import { createVerifierWith, type Verifier } from '../verifier.js';
import { nodeEngine } from './engine.js';

/**
 * Build a verifier (Node entry): the same options, checks, policy and errors as the default
 * entry, with node:crypto doing the signature step. Options are checked once here; misuse
 * throws `TypeError` naming the option.
 *
 * @example
 * const verifier = createVerifier({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] });
 * const auth = await verifier.verify(token); // auth.claims.sub, auth.scopes
 */
export function createVerifier<C = RegisteredClaims>(options: VerifierOptions): Verifier<C> {
  return createVerifierWith<C>(nodeEngine, options);
}
