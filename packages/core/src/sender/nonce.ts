// Server nonces for DPoP proofs (RFC 9449 §8, §9) without server state: the nonce of a time
// step is an HMAC of that step, so every instance sharing the secret issues and accepts the
// same nonces.
import { base64url } from 'jose';
import { parseDuration } from '../options-check.js';
import type { DpopNonceOptions } from './types.js';

/** What a proof's `nonce` is worth. */
export type NonceVerdict = 'current' | 'previous' | 'unknown';

/**
 * The nonces of one secret.
 *
 * @example
 * if ((await nonces.judge(claims.nonce)) === 'unknown') throw new UseDpopNonceError(await nonces.current());
 */
export interface Nonces {
  /** The nonce of the current time step. */
  current(): Promise<string>;
  /** `current` or `previous` for the nonce of the current or the previous step, else `unknown`. */
  judge(nonce: unknown): Promise<NonceVerdict>;
}

const MIN_SECRET_BYTES = 32;
const encoder = new TextEncoder();

function secretBytes(secret: unknown, name: string): Uint8Array<ArrayBuffer> {
  const bytes =
    typeof secret === 'string'
      ? encoder.encode(secret)
      : secret instanceof Uint8Array
        ? new Uint8Array(secret)
        : undefined;
  if (bytes === undefined || bytes.length < MIN_SECRET_BYTES)
    throw new TypeError(
      `"${name}" must be a string or Uint8Array of at least ${MIN_SECRET_BYTES} bytes`,
    );
  return bytes;
}

function lifetimeMs(lifetime: DpopNonceOptions['lifetime'], name: string): number {
  const seconds = lifetime === undefined ? 300 : parseDuration(lifetime, name);
  if (seconds < 1) throw new TypeError(`"${name}" must be at least 1 second`);
  return seconds * 1000;
}

// Equal strings in a time that does not depend on where they differ. The MACs compared are of
// one length (43 characters), so the length reveals nothing.
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The nonces of `options`: HMAC-SHA-256 of the time step (`lifetime`, default 5 minutes) under
 * `secret` (at least 32 bytes), base64url, which is NQCHAR as RFC 9449 §8.1 asks. Throws
 * `TypeError` for a short secret or a bad lifetime, naming the option as `${prefix}nonce`.
 *
 * @example
 * const nonces = createNonces({ secret: process.env.DPOP_NONCE_SECRET! }, 'dpop.');
 */
export function createNonces(options: DpopNonceOptions, prefix = ''): Nonces {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`"${prefix}nonce" must be an object with a "secret"`);
  const secret = secretBytes(options.secret, `${prefix}nonce.secret`);
  const lifetime = lifetimeMs(options.lifetime, `${prefix}nonce.lifetime`);
  const key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const memo = new Map<number, Promise<string>>();

  function nonceOf(step: number): Promise<string> {
    let nonce = memo.get(step);
    if (nonce === undefined) {
      nonce = key
        .then((k) => crypto.subtle.sign('HMAC', k, encoder.encode(`dpop-nonce:${step}`)))
        .then((mac) => base64url.encode(new Uint8Array(mac)));
      // Only the current and the previous steps are asked for (and the next, if the clock goes back).
      for (const other of memo.keys()) if (Math.abs(other - step) > 1) memo.delete(other);
      memo.set(step, nonce);
    }
    return nonce;
  }

  const step = () => Math.floor(Date.now() / lifetime);

  return {
    current: () => nonceOf(step()),
    async judge(nonce) {
      if (typeof nonce !== 'string') return 'unknown';
      const now = step();
      const [current, previous] = await Promise.all([nonceOf(now), nonceOf(now - 1)]);
      if (equalInConstantTime(nonce, current)) return 'current';
      if (equalInConstantTime(nonce, previous)) return 'previous';
      return 'unknown';
    },
  };
}
