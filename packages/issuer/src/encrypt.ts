import {
  CompactEncrypt,
  decodeProtectedHeader,
  importJWK,
  importSPKI,
  type JWK,
  type KeyObject,
} from 'jose';

/**
 * Key management algorithms the issuer encrypts with (RFC 7518 §4).
 *
 * @example
 * const alg: KeyManagementAlgorithm = 'ECDH-ES';
 */
export type KeyManagementAlgorithm = 'RSA-OAEP-256' | 'ECDH-ES' | 'ECDH-ES+A256KW' | 'dir';

/**
 * Content encryption algorithms (RFC 7518 §5).
 *
 * @example
 * const enc: ContentEncryptionAlgorithm = 'A256GCM';
 */
export type ContentEncryptionAlgorithm = 'A256GCM';

const KEY_MANAGEMENT: readonly string[] = ['RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A256KW', 'dir'];

/**
 * The recipient of a nested JWT.
 *
 * @example
 * const jwe = await encrypt(signedJwt, { key: recipientPublicJwk, alg: 'ECDH-ES' });
 */
export interface EncryptOptions {
  /**
   * The recipient's public key: a public JWK (its `kid` goes into the JWE header), PEM SPKI,
   * or a CryptoKey; for `dir`, the 32-byte shared key.
   */
  key: JWK | string | CryptoKey | KeyObject | Uint8Array;
  /** Key management algorithm. */
  alg: KeyManagementAlgorithm;
  /** Content encryption algorithm. Default `'A256GCM'`. */
  enc?: ContentEncryptionAlgorithm;
  /** `kid` of the recipient's key for the JWE header. Default: the JWK's `kid`, if any. */
  kid?: string;
}

/** Shape checks that need no crypto; misuse is a `TypeError` before anything is imported. */
function checkRecipientKey({ key, alg }: EncryptOptions): void {
  if (alg === 'dir') {
    // RFC 7518 §5.3: A256GCM takes exactly a 256-bit key.
    if (!(key instanceof Uint8Array) || key.byteLength !== 32) {
      throw new TypeError('"dir" with A256GCM needs a 32-byte shared key (Uint8Array)');
    }
    return;
  }
  if (key instanceof Uint8Array || typeof key !== 'object' || key === null) {
    if (typeof key === 'string') return;
    throw new TypeError(`${alg} needs the recipient's public key (JWK, PEM SPKI or CryptoKey)`);
  }
  if ('d' in key || 'k' in key) throw new TypeError('Encrypt to the public key, not a private JWK');
}

function importRecipientKey({ key, alg }: EncryptOptions) {
  if (alg === 'dir') return key as Uint8Array;
  if (typeof key === 'string') return importSPKI(key, alg);
  if ('kty' in key) return importJWK(key, alg);
  return key as CryptoKey;
}

/**
 * Encrypt a signed JWT to a recipient (nested JWT, RFC 7519 §5.2: `cty: "JWT"`), so only the
 * holder of the private key (or shared key, for `dir`) can read the claims.
 *
 * @example
 * const jwe = await encrypt(jws, { key: apiPublicJwk, alg: 'ECDH-ES+A256KW' });
 */
export async function encrypt(signedJwt: string, options: EncryptOptions): Promise<string> {
  if (typeof options !== 'object' || options === null || !KEY_MANAGEMENT.includes(options.alg)) {
    throw new TypeError(`"alg" must be one of ${KEY_MANAGEMENT.join(', ')}`);
  }
  const enc = options.enc ?? 'A256GCM';
  if (enc !== 'A256GCM') throw new TypeError('"enc" must be A256GCM');
  if (typeof signedJwt !== 'string' || signedJwt.split('.').length !== 3) {
    throw new TypeError('Expected a signed compact JWT (JWS) to encrypt');
  }
  let inner: ReturnType<typeof decodeProtectedHeader>;
  try {
    inner = decodeProtectedHeader(signedJwt);
  } catch (error) {
    throw new TypeError('Expected a signed compact JWT (JWS) to encrypt', { cause: error });
  }
  if (typeof inner.alg !== 'string' || inner.alg === 'none') {
    throw new TypeError('Refusing to encrypt an unsigned JWT');
  }
  const kid =
    options.kid ??
    (typeof (options.key as JWK).kid === 'string' ? (options.key as JWK).kid : undefined);
  checkRecipientKey(options);
  try {
    const key = await importRecipientKey(options);
    return await new CompactEncrypt(new TextEncoder().encode(signedJwt))
      .setProtectedHeader({ alg: options.alg, enc, cty: 'JWT', ...(kid ? { kid } : {}) })
      .encrypt(key);
  } catch (error) {
    throw new TypeError(`The token could not be encrypted with ${options.alg}`, { cause: error });
  }
}
