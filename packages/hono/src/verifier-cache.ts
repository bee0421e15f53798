import { createVerifier, type Verifier, type VerifierOptions } from '@tokengate/core';

let nextId = 0;
const identities = new WeakMap<object, number>();

function identity(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextId;
    identities.set(value, id);
  }
  return `#${id}`;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A stable string for a set of verifier options: equal configurations (same strings, numbers,
 * bytes, URLs, with keys in any order) give the same key; functions, CryptoKeys and other
 * objects count by identity. Throws `TypeError` on a cycle.
 */
export function configKey(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value}:${String(value)}`;
    case 'function':
      return identity(value);
    case 'object':
      break;
    default:
      return identity(Object(value));
  }
  const obj = value as object;
  if (obj instanceof URL) return `url:${JSON.stringify(obj.href)}`;
  if (obj instanceof Uint8Array) return `bytes:${Array.from(obj).join('.')}`;
  if (!Array.isArray(obj) && !isPlain(obj)) return identity(obj);
  if (seen.has(obj))
    throw new TypeError('jwtAuth: the options returned by the factory contain a cycle');
  seen.add(obj);
  const out = Array.isArray(obj)
    ? `[${obj.map((v) => configKey(v, seen)).join(',')}]`
    : `{${Object.keys(obj)
        .filter((k) => (obj as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${configKey((obj as Record<string, unknown>)[k], seen)}`)
        .join(',')}}`;
  seen.delete(obj);
  return out;
}

/**
 * A bounded LRU of verifiers keyed by configuration, so an options factory that reads
 * `c.env` on every request reuses one verifier (and its JWKS cache) per distinct config.
 */
export class VerifierCache {
  readonly #entries = new Map<string, Verifier>();
  readonly #byObject = new WeakMap<object, string>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  /** The verifier for these options (built on first use); `key` overrides the derived key. */
  get(options: VerifierOptions, key?: string): Verifier {
    let k = key ?? this.#byObject.get(options);
    if (k === undefined) {
      k = configKey(options);
      if (options && typeof options === 'object') this.#byObject.set(options, k);
    }
    const hit = this.peek(k);
    if (hit) return hit;
    const verifier = createVerifier(options);
    this.#entries.set(k, verifier);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return verifier;
  }

  /** The cached verifier under an explicit key, if any (refreshes its recency). */
  peek(key: string): Verifier | undefined {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Number of cached verifiers. */
  get size(): number {
    return this.#entries.size;
  }
}
