import { JWS_ALGORITHMS, type JwsAlgorithm } from '@tokengate/core';
import {
  base64url,
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
} from 'jose';

/**
 * An algorithm the issuer signs with: every JWS algorithm the core verifies.
 *
 * @example
 * const alg: SigningAlgorithm = 'ES256';
 * const key = await generateSigningKey(alg);
 */
export type SigningAlgorithm = JwsAlgorithm;

/**
 * Every {@link SigningAlgorithm}, in a stable order (core's `JWS_ALGORITHMS`).
 *
 * @example
 * if (!SIGNING_ALGORITHMS.includes(alg)) throw new Error(`unsupported ${alg}`);
 */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = JWS_ALGORITHMS;

/**
 * A key of the issuer. `privateKey` (not enumerable, so it stays out of logs and JSON) signs;
 * it is `undefined` for a verification-only key imported from SPKI or a public JWK, which a
 * ring can still publish. `publicJwk` is `undefined` for HS secrets: they are never published.
 *
 * @example
 * const key: IssuerKey = await importSigningKey(process.env.JWT_PRIVATE_KEY_PEM!, 'RS256');
 * console.log(key.kid, key.publicJwk);
 */
export interface IssuerKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: CryptoKey | Uint8Array | undefined;
  readonly publicJwk: Readonly<JWK> | undefined;
}

/**
 * Options of {@link generateSigningKey} and {@link importSigningKey}.
 *
 * @example
 * const key = await generateSigningKey('ES256', { kid: '2026-01' });
 */
export interface KeyOptions {
  /** Key ID. Default: the RFC 7638 JWK thumbprint (SHA-256) of the public key. */
  kid?: string;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;

/** A misused argument; told apart from jose's errors, which get wrapped. */
class KeyMisuseError extends TypeError {
  override name = 'TypeError';
}

function isHmac(alg: SigningAlgorithm): boolean {
  return alg.startsWith('HS');
}

/** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. */
function minSecretBytes(alg: SigningAlgorithm): number {
  return Number(alg.slice(2)) / 8;
}

function checkAlg(alg: unknown): asserts alg is SigningAlgorithm {
  if (!SIGNING_ALGORITHMS.includes(alg as SigningAlgorithm)) {
    throw new KeyMisuseError(
      `Unsupported signing algorithm; use one of ${SIGNING_ALGORITHMS.join(', ')}`,
    );
  }
}

function checkKid(kid: unknown): void {
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    throw new KeyMisuseError('"kid" must be a non-empty string');
  }
}

function publicPart(jwk: JWK): JWK {
  // RFC 7518 §6.3: RSA keys of 2048 bits or larger (jose would only refuse at signing time).
  if (jwk.kty === 'RSA' && base64url.decode(jwk.n ?? '').byteLength * 8 < 2048) {
    throw new KeyMisuseError('RSA keys must be 2048 bits or larger');
  }
  const out: JWK = {};
  for (const name of PUBLIC_MEMBERS) if (jwk[name] !== undefined) out[name] = jwk[name];
  return out;
}

function makeKey(
  alg: SigningAlgorithm,
  kid: string,
  privateKey: CryptoKey | Uint8Array | undefined,
  publicJwk: JWK | undefined,
): IssuerKey {
  const key = {
    kid,
    alg,
    publicJwk: publicJwk && Object.freeze({ ...publicJwk, kid, alg, use: 'sig' }),
  };
  Object.defineProperty(key, 'privateKey', { value: privateKey, enumerable: false });
  return Object.freeze(key) as IssuerKey;
}

async function fromSecret(secret: Uint8Array, alg: SigningAlgorithm, kid?: string) {
  if (secret.byteLength < minSecretBytes(alg)) {
    throw new KeyMisuseError(`An ${alg} secret must be at least ${minSecretBytes(alg)} bytes long`);
  }
  const bytes = Uint8Array.from(secret);
  const jwk = await exportJWK(bytes);
  return makeKey(alg, kid ?? (await calculateJwkThumbprint(jwk)), bytes, undefined);
}

/**
 * The published JWK must verify what the private key signs. A JWK assembled from two keys
 * (`d` of one, `n` or `x`/`y` of another) imports fine on some runtimes, and then every token
 * it signs fails at the verifier; one probe signature here catches it.
 */
async function checkPair(privateKey: CryptoKey, pub: JWK, alg: SigningAlgorithm): Promise<void> {
  const probe = new TextEncoder().encode('tokengate key check');
  const jws = await new CompactSign(probe).setProtectedHeader({ alg }).sign(privateKey);
  const ok = await compactVerify(jws, await importJWK(pub, alg)).then(
    () => true,
    () => false,
  );
  if (!ok) {
    throw new KeyMisuseError('The private and public members of the JWK do not belong together');
  }
}

/** Export a private key's JWK once, then keep a non-extractable copy for signing. */
async function fromPrivateJwk(jwk: JWK, alg: SigningAlgorithm, kid?: string) {
  const pub = publicPart(jwk);
  const privateKey = (await importJWK({ ...jwk, ext: false }, alg, {
    extractable: false,
  })) as CryptoKey;
  await checkPair(privateKey, pub, alg);
  return makeKey(alg, kid ?? (await calculateJwkThumbprint(pub)), privateKey, pub);
}

async function fromPublicJwk(jwk: JWK, alg: SigningAlgorithm, kid?: string) {
  await importJWK(jwk, alg); // refuses a key that does not fit `alg`
  const pub = publicPart(jwk);
  return makeKey(alg, kid ?? (await calculateJwkThumbprint(pub)), undefined, pub);
}

/**
 * Generate a fresh signing key (a 256/384/512-bit random secret for HS*, a 2048-bit RSA key
 * for RS and PS, the matching curve for ES, Ed25519 for EdDSA).
 *
 * @example
 * const key = await generateSigningKey('ES256');
 */
export async function generateSigningKey(
  alg: SigningAlgorithm,
  options: KeyOptions = {},
): Promise<IssuerKey> {
  checkAlg(alg);
  checkKid(options.kid);
  if (isHmac(alg)) {
    return fromSecret(
      crypto.getRandomValues(new Uint8Array(minSecretBytes(alg))),
      alg,
      options.kid,
    );
  }
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return fromPrivateJwk(await exportJWK(privateKey), alg, options.kid);
}

/**
 * What {@link importSigningKey} accepts.
 *
 * @example
 * const key = await importSigningKey(process.env.JWT_SECRET!, 'HS256'); // or a PEM, a JWK, bytes
 */
export type KeyInput = string | JWK | Uint8Array;

async function importPem(pem: string, alg: SigningAlgorithm, kid?: string) {
  if (/-----BEGIN PRIVATE KEY-----/.test(pem)) {
    const key = await importPKCS8(pem, alg, { extractable: true });
    return fromPrivateJwk(await exportJWK(key), alg, kid);
  }
  if (/-----BEGIN PUBLIC KEY-----/.test(pem)) {
    return fromPublicJwk(
      await exportJWK(await importSPKI(pem, alg, { extractable: true })),
      alg,
      kid,
    );
  }
  throw new KeyMisuseError(
    'Expected a PEM PKCS#8 private key or SPKI public key (convert others with `openssl pkcs8 -topk8 -nocrypt`)',
  );
}

/**
 * Import a key: PEM PKCS#8 (signs), PEM SPKI (verification only, published), a JWK (private
 * signs, public is verification only), or raw secret bytes / a string secret for HS*.
 * A key that does not fit `alg` or is too short is a `TypeError`.
 *
 * @example
 * const key = await importSigningKey(process.env.JWT_PRIVATE_KEY_PEM, 'RS256', { kid: '2025-01' });
 */
export async function importSigningKey(
  input: KeyInput,
  alg: SigningAlgorithm,
  options: KeyOptions = {},
): Promise<IssuerKey> {
  checkAlg(alg);
  checkKid(options.kid);
  try {
    if (input instanceof Uint8Array) {
      if (!isHmac(alg))
        throw new KeyMisuseError(`Raw secret bytes only fit HS algorithms, not ${alg}`);
      return await fromSecret(input, alg, options.kid);
    }
    if (typeof input === 'string') {
      if (input.includes('-----BEGIN')) {
        if (isHmac(alg)) throw new KeyMisuseError(`A PEM key does not fit ${alg}; give the secret`);
        return await importPem(input, alg, options.kid);
      }
      if (!isHmac(alg)) throw new KeyMisuseError(`Expected a PEM key for ${alg}`);
      return await fromSecret(new TextEncoder().encode(input), alg, options.kid);
    }
    return await importJwk(input, alg, options.kid);
  } catch (error) {
    if (error instanceof KeyMisuseError) throw error;
    throw new TypeError(`The key could not be imported for ${alg}`, { cause: error });
  }
}

async function importJwk(jwk: JWK, alg: SigningAlgorithm, kid?: string): Promise<IssuerKey> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new KeyMisuseError('Expected a PEM string, a JWK object or secret bytes');
  }
  // RFC 7517 §4.2: a key published for encryption must not sign.
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new KeyMisuseError(`The JWK has use "${jwk.use}"; a signing key needs "sig" or none`);
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw new KeyMisuseError(`The JWK is for ${jwk.alg}, not ${alg}`);
  }
  const id = kid ?? (typeof jwk.kid === 'string' && jwk.kid ? jwk.kid : undefined);
  if (jwk.kty === 'oct') {
    if (!isHmac(alg)) throw new KeyMisuseError(`An "oct" JWK does not fit ${alg}`);
    const secret = await importJWK(jwk, alg);
    if (!(secret instanceof Uint8Array)) throw new KeyMisuseError('Invalid "oct" JWK');
    return fromSecret(secret, alg, id);
  }
  if (isHmac(alg)) throw new KeyMisuseError(`${alg} needs an "oct" JWK`);
  return jwk.d === undefined ? fromPublicJwk(jwk, alg, id) : fromPrivateJwk(jwk, alg, id);
}
