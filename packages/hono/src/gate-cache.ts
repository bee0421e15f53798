import { createVerifier, type VerifierOptions } from '@tokengate/core';
import { createGate, type Gate } from '@tokengate/core/adapter';
import type { Context, Env } from 'hono';

/**
 * Verifier options computed per request, e.g. from Workers bindings in `c.env`.
 *
 * @example
 * const factory: VerifierOptionsFactory<Env> = (c) => ({ jwksUri: c.env.JWKS_URI, issuer: c.env.ISSUER });
 */
export type VerifierOptionsFactory<E extends Env = Env> = (
  c: Context<E>,
) => VerifierOptions | Promise<VerifierOptions>;

let lastId = 0;
const identities = new WeakMap<object, string>();

function identity(value: object): string {
  if (!identities.has(value)) identities.set(value, `#${++lastId}`);
  return identities.get(value) as string;
}

/**
 * A stable string for a set of verifier options: equal configurations (same strings, numbers,
 * bytes, URLs, with keys in any order) give the same key; functions, CryptoKeys and other
 * objects count by identity. Throws `TypeError` on a cycle.
 */
export function configKey(value: unknown, seen: readonly object[] = []): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
    return `${typeof value}:${String(value)}`;
  if (value instanceof URL) return `url:${JSON.stringify(value.href)}`;
  if (value instanceof Uint8Array) return `bytes:${value.join('.')}`;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return identity(value);
  if (seen.includes(value)) throw new TypeError('jwtAuth(): the factory options contain a cycle');
  const inner = [...seen, value];
  if (Array.isArray(value)) return `[${value.map((v) => configKey(v, inner)).join(',')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${configKey(v, inner)}`).join(',')}}`;
}

/**
 * The gate of each request for an options factory: one gate (so one verifier and its JWKS
 * cache) per distinct configuration, the `max` most recently used kept. With `cacheKey` the
 * factory runs only when its key misses.
 */
export function factoryGates<E extends Env>(
  factory: VerifierOptionsFactory<E>,
  cacheKey: ((c: Context<E>) => string) | undefined,
  max: number,
): (c: Context<E>) => Gate | Promise<Gate> {
  const gates = new Map<string, Gate>(); // in order of use, the most recent last
  function lookup(key: string): Gate | undefined {
    const gate = gates.get(key);
    if (gate !== undefined) {
      gates.delete(key);
      gates.set(key, gate);
    }
    return gate;
  }
  function gateFor(options: VerifierOptions, key = configKey(options)): Gate {
    const hit = lookup(key);
    if (hit !== undefined) return hit;
    const gate = createGate(createVerifier(options));
    gates.set(key, gate);
    if (gates.size > max) gates.delete(gates.keys().next().value as string);
    return gate;
  }
  return (c) => {
    const key = cacheKey?.(c);
    if (key !== undefined && typeof key !== 'string')
      throw new TypeError('jwtAuth(): "cacheKey" must return a string');
    const hit = key === undefined ? undefined : lookup(key);
    if (hit !== undefined) return hit;
    const options = factory(c);
    return options instanceof Promise
      ? options.then((o) => gateFor(o, key))
      : gateFor(options, key);
  };
}
