// Which key source and policy a token is checked against: one source, or one per trusted
// issuer chosen by the token's unverified `iss` (from the allow-list only, before any fetch).
import { SUPPORTED_ALGORITHMS } from './algorithms.js';
import { InvalidClaimError, isTokengateError, KeySetUnavailableError } from './errors.js';
import { hasLocalKeySource } from './introspection/options.js';
import {
  createIntrospectionBinding,
  INTROSPECTION_ONLY,
  type IntrospectionDeps,
  introspectionPolicy,
} from './introspection/setup.js';
import type { IntrospectionBinding, IntrospectionRoute } from './introspection/verify.js';
import { KeyConfigurationError } from './keys/config-error.js';
import { createKeySource, keySourceKind } from './keys/index.js';
import { SharedJwksState } from './keys/jwks-shared.js';
import { joseSignatureVerifier } from './keys/signature.js';
import type { KeySource, KeySourceHealth, VerifierHealth } from './keys/types.js';
import type { IssuerConfig, VerifierOptions } from './options.js';
import {
  checkKnownKeys,
  checkPolicy,
  ISSUER_KEYS,
  type Policy,
  requireExpected,
} from './options-check.js';
import type { Observer } from './telemetry/observe.js';
import type { JWTClaims } from './types.js';
import { webTokenDigest } from './web/digest.js';

/**
 * The key source and claims policy of one trusted issuer.
 *
 * @example
 * const { source, policy }: IssuerBinding = await issuers.resolve(claims);
 */
export interface IssuerBinding {
  source: KeySource;
  policy: Policy;
  /** The issuer's introspection, when it has one. */
  introspection?: IntrospectionBinding;
}

/**
 * Finds the {@link IssuerBinding} for a token's unverified claims.
 *
 * @example
 * const issuers: IssuerResolver = createIssuerResolver(options, checkPolicy(options));
 */
export interface IssuerResolver {
  /** Every algorithm any issuer may accept (checked before the issuer is resolved). */
  algorithms: readonly string[];
  /** The binding of the token's `iss`; rejects with `InvalidClaimError` for an untrusted one. */
  resolve(claims: JWTClaims): Promise<IssuerBinding>;
  /**
   * The same answer without a promise when it is already known (a fixed list, or an issuer
   * the resolver function returned before), so that the request protocol can answer a token
   * without waiting when no step needs to; `undefined` sends the caller to
   * {@link IssuerResolver.resolve}. Throws as `resolve` rejects.
   */
  resolveNow(claims: JWTClaims): IssuerBinding | undefined;
  /** Health of the remote key sources, by issuer. */
  health(): VerifierHealth;
  /** Which tokens go to an introspection endpoint; `undefined` when no issuer introspects. */
  introspection?: IntrospectionRoute;
}

const RANK = { empty: 0, stale: 1, fresh: 2 } as const;

// The health of the remote sources among `sources`, by issuer; the worst state wins.
function healthOf(sources: Iterable<[string, KeySource]>): VerifierHealth {
  const byIssuer: Record<string, KeySourceHealth> = {};
  let state: KeySourceHealth['state'] = 'fresh';
  for (const [issuer, source] of sources) {
    const health = source.health?.();
    if (!health) continue;
    byIssuer[issuer] = health;
    if (RANK[health.state] < RANK[state]) state = health.state;
  }
  return { state, sources: byIssuer };
}

/** Default of `maxResolvedIssuers`. */
const RESOLVED_MAX = 100;

const isRemote = (kind: string) => kind === 'jwksUri' || kind === 'discovery';

function bindingOf(
  config: IssuerConfig,
  options: VerifierOptions,
  base: Policy,
  where: string,
  shared?: SharedJwksState,
  observer?: Observer,
  deps?: IntrospectionDeps,
): IssuerBinding {
  if (typeof config !== 'object' || config === null)
    throw new TypeError(`${where} must be an object`);
  checkKnownKeys(config, ISSUER_KEYS, ` in ${where}`);
  // No `false` here: an entry's `issuer` is what picks it.
  if (config.issuer === undefined)
    throw new TypeError(
      'issuer' in config
        ? `"issuer" in ${where} is undefined — is the environment variable it comes from unset? Set it to the exact "iss" of this issuer's tokens`
        : `"issuer" in ${where} is required: the exact "iss" of this issuer's tokens`,
    );
  if (typeof config.issuer !== 'string' || !config.issuer)
    throw new TypeError(`"issuer" in ${where} must be a non-empty string`);
  if (config.introspection !== undefined && deps === undefined)
    throw new TypeError(
      `"introspection" cannot come from an issuers resolver (${where}): an opaque token names no issuer to resolve; list the introspecting issuer in "issuers"`,
    );
  const local = config.introspection === undefined || hasLocalKeySource(config);
  const policy: Policy = {
    ...base,
    issuer: [config.issuer],
    audience: audienceOf(config, options, base, where),
  };
  let source = INTROSPECTION_ONLY;
  if (local) {
    const kind = keySourceKind(config, ` in ${where}`);
    // The top-level `jwks` tuning is the default of the remote issuers only.
    const jwks = config.jwks ?? (isRemote(kind) ? options.jwks : undefined);
    source = createKeySource(
      { ...config, algorithms: config.algorithms ?? options.algorithms, jwks },
      ` in ${where}`,
      shared,
      observer,
    );
  } else if (config.jwks !== undefined)
    throw new TypeError(`"jwks" in ${where} only applies to "jwksUri" or "discovery"`);
  if (config.introspection === undefined || deps === undefined) return { source, policy };
  const introspection = createIntrospectionBinding(
    config.introspection,
    ` in ${where}`,
    {
      issuer: config.issuer,
      source: local ? source : undefined,
      policy: introspectionPolicy(policy, options.requiredClaims),
    },
    deps,
  );
  return { source, policy, introspection };
}

// An entry's own `audience`, else the top-level one; one of them must be set (or `false`).
function audienceOf(
  config: IssuerConfig,
  options: VerifierOptions,
  base: Policy,
  where: string,
): string[] | undefined {
  if ('audience' in config) {
    requireExpected(config, 'audience', ` in ${where}`);
    return checkPolicy({ audience: config.audience }).audience;
  }
  if (!('audience' in options))
    throw new TypeError(
      `"audience" in ${where} is required (here, or once at the top level for every issuer): set the expected "aud" value(s), or \`audience: false\` to accept any "aud" on purpose`,
    );
  requireExpected(options, 'audience');
  return base.audience;
}

// A config the application's resolver returned is checked like a static `issuers` entry, but
// only now: a bad one is the server's fault, so it fails the request as a 500 (never a 401,
// never a silently weaker policy) and is not kept, so that every request reports it.
function resolvedBinding(
  config: IssuerConfig,
  options: VerifierOptions,
  base: Policy,
  shared: SharedJwksState,
  observer: Observer | undefined,
): IssuerBinding {
  try {
    return bindingOf(config, options, base, 'the issuers resolver result', shared, observer);
  } catch (cause) {
    if (isTokengateError(cause)) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new KeyConfigurationError(message, { cause });
  }
}

const untrusted = () => new InvalidClaimError('iss', 'The token issuer is not trusted');

function resolvedMax(options: VerifierOptions): number {
  const max = options.maxResolvedIssuers ?? RESOLVED_MAX;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new TypeError('"maxResolvedIssuers" must be a positive integer');
  return max;
}

function resolvedIssuers(
  find: (iss: string) => IssuerConfig | undefined | Promise<IssuerConfig | undefined>,
  options: VerifierOptions,
  base: Policy,
  observer: Observer | undefined,
): IssuerResolver {
  const max = resolvedMax(options);
  // Only found issuers are kept, so a flood of made-up `iss` values cannot evict them; the
  // map is an LRU so busy tenants stay. An evicted tenant's re-created key source finds its
  // JWK Set and its refetch gate (cooldown, budget, negative cache) in `shared`, so cycling
  // tokens over more tenants than `max` cannot force a fetch per token.
  const resolved = new Map<string, IssuerBinding>();
  const shared = new SharedJwksState(Math.max(1000, 4 * max));
  const resolveNow = (claims: JWTClaims): IssuerBinding | undefined => {
    const iss = claims.iss;
    if (typeof iss !== 'string' || !iss) throw untrusted();
    const hit = resolved.get(iss);
    if (hit) {
      resolved.delete(iss);
      resolved.set(iss, hit);
    }
    return hit;
  };
  return {
    algorithms: SUPPORTED_ALGORITHMS,
    health: () => healthOf([...resolved].map(([iss, binding]) => [iss, binding.source])),
    resolveNow,
    async resolve(claims) {
      const hit = resolveNow(claims);
      if (hit) return hit;
      const iss = claims.iss as string;
      let config: IssuerConfig | undefined;
      try {
        config = await find(iss);
      } catch (cause) {
        if (isTokengateError(cause)) throw cause;
        throw new KeySetUnavailableError('The token issuer could not be resolved', { cause });
      }
      if (config === undefined || config === null) throw untrusted();
      if (config.issuer !== iss) throw untrusted();
      const binding = resolvedBinding(config, options, base, shared, observer);
      resolved.delete(iss); // a concurrent first request may have set it meanwhile
      resolved.set(iss, binding);
      if (resolved.size > max) resolved.delete(resolved.keys().next().value as string);
      return binding;
    },
  };
}

/**
 * Build the issuer resolver from the verifier options: a single key source, a fixed `issuers`
 * allow-list, or an `issuers` resolver function (results kept in an LRU of
 * `maxResolvedIssuers`, default 100). `observer` (from the `logger` and `telemetry` options)
 * hears of every remote key source's outages.
 *
 * @example
 * const issuers = createIssuerResolver(options, checkPolicy(options), observer);
 * const { source, policy } = await issuers.resolve(unverifiedClaims);
 */
export function createIssuerResolver(
  options: VerifierOptions,
  base: Policy,
  observer?: Observer,
  engine: Omit<IntrospectionDeps, 'observer'> = {
    signature: joseSignatureVerifier,
    digest: webTokenDigest,
  },
): IssuerResolver {
  const { issuers } = options;
  const deps: IntrospectionDeps = { ...engine, observer };
  if (options.maxResolvedIssuers !== undefined && typeof issuers !== 'function')
    throw new TypeError('"maxResolvedIssuers" only applies when "issuers" is a function');
  if (issuers === undefined) {
    // Discovery finds the keys from `issuer`: say why it is missing before saying it is needed.
    if (options.discovery === true) requireExpected(options, 'issuer');
    const issuer = options.issuer === false ? undefined : options.issuer;
    const local = options.introspection === undefined || hasLocalKeySource(options);
    if (!local && options.jwks !== undefined)
      throw new TypeError('"jwks" only applies to "jwksUri" or "discovery"');
    const source = local
      ? createKeySource({ ...options, issuer }, '', undefined, observer)
      : INTROSPECTION_ONLY;
    requireExpected(options, 'issuer');
    requireExpected(options, 'audience');
    const name = typeof issuer === 'string' ? issuer : 'default';
    const only: IssuerBinding = { source, policy: base };
    const introspection =
      options.introspection === undefined
        ? undefined
        : createIntrospectionBinding(
            options.introspection,
            '',
            {
              issuer: typeof issuer === 'string' ? issuer : undefined,
              source: local ? source : undefined,
              policy: introspectionPolicy(base, options.requiredClaims),
            },
            deps,
          );
    return {
      algorithms: source.algorithms,
      resolveNow: () => only,
      resolve: async () => only,
      health: () => healthOf([[name, source]]),
      ...(introspection && {
        introspection: {
          opaque: introspection,
          everyJwt: introspection.introspector.tokens === 'all' ? introspection : undefined,
          byIssuer: new Map(),
        },
      }),
    };
  }
  const names = ['secret', 'keys', 'jwksUri', 'discovery', 'getKey', 'issuer', 'introspection'];
  for (const name of names as (keyof VerifierOptions)[])
    if (options[name] !== undefined)
      throw new TypeError(`"${name}" cannot be combined with "issuers"; set it per issuer`);
  if (typeof issuers === 'function') return resolvedIssuers(issuers, options, base, observer);
  if (!Array.isArray(issuers) || issuers.length === 0)
    throw new TypeError('"issuers" must be a non-empty array of issuer configs or a function');
  const bindings = new Map<string, IssuerBinding>();
  issuers.forEach((config, i) => {
    const binding = bindingOf(config, options, base, `issuers[${i}]`, undefined, observer, deps);
    if (bindings.has(config.issuer))
      throw new TypeError(`"issuers" lists "${config.issuer}" twice`);
    bindings.set(config.issuer, binding);
  });
  const introspection = routeOf(bindings);
  if (options.jwks !== undefined && !issuers.some((c) => isRemote(keySourceKind(c))))
    throw new TypeError('"jwks" is set but no issuer uses "jwksUri" or "discovery"');
  const algorithms = [...new Set([...bindings.values()].flatMap((b) => b.source.algorithms))];
  const fixed = (claims: JWTClaims): IssuerBinding => {
    const binding = typeof claims.iss === 'string' ? bindings.get(claims.iss) : undefined;
    if (!binding) throw untrusted();
    return binding;
  };
  return {
    algorithms,
    health: () => healthOf([...bindings].map(([iss, binding]) => [iss, binding.source])),
    resolveNow: fixed,
    resolve: async (claims) => fixed(claims),
    ...(introspection && { introspection }),
  };
}

// An opaque token names no issuer, so only one issuer can be the one it is sent to.
function routeOf(bindings: Map<string, IssuerBinding>): IntrospectionRoute | undefined {
  const introspecting = [...bindings].filter(([, b]) => b.introspection !== undefined);
  if (introspecting.length === 0) return undefined;
  if (introspecting.length > 1)
    throw new TypeError(
      `Only one issuer may set "introspection" (an opaque token names no issuer to choose by), got ${introspecting.map(([iss]) => `"${iss}"`).join(' and ')}`,
    );
  const [issuer, binding] = introspecting[0] as [string, IssuerBinding];
  const opaque = binding.introspection as IntrospectionBinding;
  const byIssuer = new Map<string, IntrospectionBinding>();
  if (opaque.introspector.tokens === 'all') byIssuer.set(issuer, opaque);
  return { opaque, byIssuer };
}
