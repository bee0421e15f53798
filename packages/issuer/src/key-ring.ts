import type { JSONWebKeySet, JWK } from 'jose';
import { type Duration, toSeconds } from './duration.js';
import type { IssuerKey } from './keys.js';

/**
 * Options of {@link KeyRing.rotate}.
 *
 * @example
 * ring.rotate(await generateSigningKey('ES256'), { retireAfter: '1h' });
 */
export interface RotateOptions {
  /**
   * Stop publishing the previous current key after this long (seconds or `'1h'`): make it at
   * least the longest token lifetime it signed plus your verifiers' JWKS cache age.
   * Default: keep publishing until {@link KeyRing.retire}.
   */
  retireAfter?: Duration;
}

/**
 * Options of {@link createKeyRing}.
 *
 * @example
 * const ring = createKeyRing(current, { previous: [lastWeeksKey] });
 */
export interface KeyRingOptions {
  /** Keys still published for verification (e.g. the ones a restarted instance used). Default none. */
  previous?: IssuerKey[];
}

/**
 * A current signing key and the previous keys still published in the JWK Set.
 *
 * @example
 * app.get('/.well-known/jwks.json', (_req, res) => res.json(ring.jwks()));
 */
export interface KeyRing {
  /** The key that signs new tokens. */
  readonly current: IssuerKey;
  /** Make `next` the current key; the old one stays published (see `retireAfter`). */
  rotate(next: IssuerKey, options?: RotateOptions): void;
  /** Stop publishing a previous key; `false` when the ring has no such previous key. */
  retire(kid: string): boolean;
  /** The current key and every previous key that is still published. */
  keys(): IssuerKey[];
  /** The public JWK Set to serve at `/.well-known/jwks.json` (HS secrets are never included). */
  jwks(): JSONWebKeySet;
}

interface Entry {
  key: IssuerKey;
  /** Epoch ms after which the key is no longer published. */
  retireAt?: number;
}

function checkKey(key: unknown, role: string): asserts key is IssuerKey {
  const k = key as IssuerKey | undefined;
  if (typeof k !== 'object' || k === null || typeof k.kid !== 'string' || !k.alg) {
    throw new TypeError(`${role} must be a key from generateSigningKey() or importSigningKey()`);
  }
}

function checkSigning(key: IssuerKey, role: string): void {
  if (key.privateKey === undefined) {
    throw new TypeError(`${role} must be a private key (PKCS#8, private JWK or secret)`);
  }
}

/**
 * Build a key ring. Tokens are signed with `current`; previous keys stay in `jwks()` so
 * tokens they signed keep verifying until the keys are retired.
 *
 * @example
 * const ring = createKeyRing(await generateSigningKey('ES256'));
 * ring.rotate(await generateSigningKey('ES256'), { retireAfter: '1h' });
 * app.get('/.well-known/jwks.json', (_req, res) => res.json(ring.jwks()));
 */
export function createKeyRing(current: IssuerKey, options: KeyRingOptions = {}): KeyRing {
  checkKey(current, 'The current key');
  checkSigning(current, 'The current key');
  let active = current;
  let previous: Entry[] = [];
  const kids = () => new Set([active.kid, ...previous.map((e) => e.key.kid)]);
  const add = (key: IssuerKey, retireAt?: number) => {
    if (kids().has(key.kid)) throw new TypeError(`Duplicate key ID "${key.kid}" in the key ring`);
    previous.unshift({ key, retireAt });
  };
  for (const key of options.previous ?? []) {
    checkKey(key, 'A previous key');
    add(key);
  }
  const published = () => {
    const now = Date.now();
    previous = previous.filter((e) => e.retireAt === undefined || e.retireAt > now);
    return [active, ...previous.map((e) => e.key)];
  };
  return {
    get current() {
      return active;
    },
    rotate(next, rotateOptions = {}) {
      checkKey(next, 'The new key');
      checkSigning(next, 'The new key');
      const after = rotateOptions.retireAfter;
      const retireAt =
        after === undefined ? undefined : Date.now() + toSeconds(after, 'retireAfter') * 1000;
      const old = active;
      if (kids().has(next.kid))
        throw new TypeError(`Duplicate key ID "${next.kid}" in the key ring`);
      previous.unshift({ key: old, retireAt });
      active = next;
    },
    retire(kid) {
      const before = previous.length;
      previous = previous.filter((e) => e.key.kid !== kid);
      return previous.length < before;
    },
    keys: published,
    jwks() {
      const keys: JWK[] = [];
      for (const key of published()) if (key.publicJwk) keys.push({ ...key.publicJwk });
      return { keys };
    },
  };
}
