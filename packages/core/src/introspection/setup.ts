// Building an issuer's introspection from its options, at construction.
import { UnsupportedAlgorithmError } from '../errors.js';
import type { KeySource, SignatureVerifier } from '../keys/types.js';
import type { Policy } from '../options-check.js';
import type { Observer } from '../telemetry/observe.js';
import { Introspector } from './introspector.js';
import { checkIntrospection } from './options.js';
import type { IntrospectionOptions } from './types.js';
import type { IntrospectionBinding } from './verify.js';

/**
 * What the verifier hands every introspecting issuer: who hears of outages, the engine's
 * cache-key digest and signature step (for RFC 9701 answers).
 *
 * @example
 * const deps: IntrospectionDeps = { observer, digest: engine.digest, signature: engine.signature };
 */
export interface IntrospectionDeps {
  readonly observer?: Observer | undefined;
  readonly digest: (token: string) => string;
  readonly signature: SignatureVerifier;
}

/**
 * The key source of an issuer known only through introspection: it verifies no JWT, so a JWT
 * that reaches the local path for it is refused by its algorithm.
 *
 * @example
 * const source = INTROSPECTION_ONLY; // source.algorithms.length === 0
 */
export const INTROSPECTION_ONLY: KeySource = Object.freeze({
  algorithms: Object.freeze([]) as readonly string[],
  getKey: () => Promise.reject(new UnsupportedAlgorithmError()),
});

/**
 * The policy of introspected tokens: the issuer's, without `typ` (a JOSE header parameter) and
 * the RFC 9068 claims `typ: 'rfc9068'` adds; `requiredClaims` as the application listed them.
 *
 * @example
 * const policy = introspectionPolicy(binding.policy, options.requiredClaims);
 */
export function introspectionPolicy(policy: Policy, requiredClaims: string[] | undefined): Policy {
  return { ...policy, typ: undefined, requiredClaims: [...new Set(requiredClaims ?? [])] };
}

/**
 * Check an issuer's `introspection` option and build its binding. `source`: the issuer's local
 * key source, `undefined` when it has none.
 *
 * @example
 * const binding = createIntrospectionBinding(options.introspection, '', { issuer, source, policy }, deps);
 */
export function createIntrospectionBinding(
  value: IntrospectionOptions,
  where: string,
  issuerSide: { issuer: string | undefined; source: KeySource | undefined; policy: Policy },
  deps: IntrospectionDeps,
): IntrospectionBinding {
  const { issuer, source, policy } = issuerSide;
  const config = checkIntrospection(value, where, { issuer, localKeys: source !== undefined });
  const signed =
    config.jwtResponse && source !== undefined && issuer !== undefined
      ? { issuer, source, signature: deps.signature }
      : undefined;
  const introspector = new Introspector(config, {
    issuer,
    signed,
    observer: deps.observer,
    digest: deps.digest,
  });
  return { introspector, policy };
}
