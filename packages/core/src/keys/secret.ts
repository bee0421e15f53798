import { isSymmetric } from '../algorithms.js';
import { InvalidSignatureError } from '../errors.js';
import { checkAlgorithms } from '../options-check.js';
import type { KeySource, SecretInput } from './types.js';

interface SecretEntry {
  kid: string | undefined;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();

function toEntry(input: SecretInput, name: string): SecretEntry {
  let kid: string | undefined;
  let raw: unknown = input;
  if (typeof input === 'object' && input !== null && !(input instanceof Uint8Array)) {
    const keys = Object.keys(input);
    if (keys.some((k) => k !== 'kid' && k !== 'secret'))
      throw new TypeError(`"${name}" entries are a string, bytes, or { kid?, secret }`);
    if (input.kid !== undefined && (typeof input.kid !== 'string' || !input.kid))
      throw new TypeError(`"${name}" kid must be a non-empty string`);
    kid = input.kid;
    raw = input.secret;
  }
  if (typeof raw === 'string') {
    // RFC 8725 §2.1: a PEM public key used as an HMAC secret is the classic algorithm confusion.
    if (raw.includes('-----BEGIN'))
      throw new TypeError(
        `"${name}" looks like a PEM key; pass public keys as "keys", not "secret"`,
      );
    raw = encoder.encode(raw);
  }
  if (!(raw instanceof Uint8Array))
    throw new TypeError(`"${name}" must be a string, a Uint8Array or { kid?, secret }`);
  if (raw.length === 0) throw new TypeError(`"${name}" must not be empty`);
  return { kid, bytes: raw };
}

/**
 * A key source of shared secrets for HS256/384/512. Several secrets allow rotation: a token
 * with a `kid` uses the secret with that `kid` (else those without a `kid`); a token without
 * one tries every secret in turn.
 *
 * @example
 * const source = createSecretKeySource({ secret: [{ kid: 'new', secret: NEW }, OLD] });
 */
export function createSecretKeySource(options: {
  secret: SecretInput | SecretInput[];
  algorithms?: string[];
}): KeySource {
  const list = Array.isArray(options.secret) ? options.secret : [options.secret];
  if (list.length === 0) throw new TypeError('"secret" must not be an empty array');
  const entries = list.map((s) => toEntry(s, 'secret'));
  const algorithms =
    options.algorithms === undefined ? ['HS256'] : checkAlgorithms(options.algorithms);
  const asymmetric = algorithms.find((a) => !isSymmetric(a));
  if (asymmetric)
    throw new TypeError(
      `"algorithms" contains ${asymmetric}, which needs a public key; a "secret" only verifies HS256/384/512`,
    );
  // RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
  const minBytes = Math.max(...algorithms.map((a) => Number(a.slice(2)) / 8));
  if (entries.some((e) => e.bytes.length < minBytes))
    throw new TypeError(
      `"secret" must be at least ${minBytes} bytes for ${algorithms.join('/')} (RFC 7518 §3.2)`,
    );
  // Candidate lists built once and shared by every token (the verifier only reads them).
  const all = entries.map((e) => e.bytes);
  const kidless = entries.filter((e) => e.kid === undefined).map((e) => e.bytes);
  const byKid = new Map<string, Uint8Array[]>();
  for (const e of entries)
    if (e.kid !== undefined) byKid.set(e.kid, [...(byKid.get(e.kid) ?? []), e.bytes]);
  const getKeyNow = (header: { kid?: unknown }): readonly Uint8Array[] => {
    const kid = header.kid;
    const candidates =
      kid === undefined ? all : (typeof kid === 'string' && byKid.get(kid)) || kidless;
    if (candidates.length === 0)
      throw new InvalidSignatureError('No trusted key matches the token');
    return candidates;
  };
  return {
    algorithms,
    getKeyNow,
    async getKey(header) {
      return [...getKeyNow(header)];
    },
  };
}
