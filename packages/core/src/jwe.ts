// Nested JWTs (RFC 7519 §5.2): a compact JWE whose plaintext is the signed JWT.
import {
  compactDecrypt,
  decodeProtectedHeader,
  errors,
  importJWK,
  importPKCS8,
  type JWK,
} from 'jose';
import { InvalidSignatureError, MalformedTokenError, UnsupportedAlgorithmError } from './errors.js';
import { mapJoseError } from './jose-errors.js';
import type { VerifierOptions } from './options.js';
import { checkKnownKeys } from './options-check.js';

// RSA1_5 (RFC 8725 §3.2) and PBES2 (unbounded p2c work) are deliberately absent. RSA-OAEP
// (SHA-1, RFC 7518 §4.3) is accepted only when listed: some issuers (python-jose) still use it.
const KEY_MANAGEMENT = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128KW',
  'A192KW',
  'A256KW',
  'dir',
];
const CONTENT = [
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
];

type DecryptionKey = CryptoKey | Uint8Array | { type: string };

interface Entry {
  kid: string | undefined;
  load(alg: string): Promise<DecryptionKey>;
}

function perAlg(importer: (alg: string) => Promise<DecryptionKey>): Entry['load'] {
  const cache = new Map<string, Promise<DecryptionKey>>();
  return (alg) => {
    let key = cache.get(alg);
    if (!key) {
      key = importer(alg);
      cache.set(alg, key);
    }
    return key;
  };
}

function toEntries(input: unknown): Entry[] {
  if (input instanceof Uint8Array) {
    if (input.length === 0) throw new TypeError('"decryption.keys" must not hold an empty key');
    return [{ kid: undefined, load: async () => input }];
  }
  if (typeof input === 'string') {
    const pem = input.trim();
    if (!pem.startsWith('-----BEGIN PRIVATE KEY-----'))
      throw new TypeError('"decryption.keys" strings must be PKCS#8 PEM private keys');
    return [{ kid: undefined, load: perAlg((alg) => importPKCS8(pem, alg)) }];
  }
  if (typeof input === 'object' && input !== null) {
    if ('keys' in input && Array.isArray(input.keys)) return input.keys.flatMap(toEntries);
    if ('kty' in input) {
      const jwk = input as JWK;
      if (jwk.use === 'sig')
        throw new TypeError('"decryption.keys" JWK has use "sig"; it cannot decrypt');
      return [
        { kid: jwk.kid, load: perAlg(async (alg) => (await importJWK(jwk, alg)) as DecryptionKey) },
      ];
    }
    if ('type' in input && typeof input.type === 'string') {
      const key = input as DecryptionKey;
      return [{ kid: undefined, load: async () => key }];
    }
  }
  throw new TypeError(
    '"decryption.keys" must be PKCS#8 PEM, private JWKs, a JWK Set, CryptoKeys, KeyObjects or bytes',
  );
}

/**
 * Key-management (`alg`) algorithms accepted when `decryption.keyManagementAlgorithms` is not
 * set. `RSA-OAEP` (SHA-1) is never among them: list it explicitly to accept it.
 *
 * @example
 * DEFAULT_KEY_MANAGEMENT_ALGORITHMS; // ['RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A256KW', 'dir']
 */
export const DEFAULT_KEY_MANAGEMENT_ALGORITHMS: readonly string[] = Object.freeze([
  'RSA-OAEP-256',
  'ECDH-ES',
  'ECDH-ES+A256KW',
  'dir',
]);

/**
 * Content-encryption (`enc`) algorithms accepted when
 * `decryption.contentEncryptionAlgorithms` is not set.
 *
 * @example
 * DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS; // ['A256GCM']
 */
export const DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = Object.freeze(['A256GCM']);

function allowList(
  value: unknown,
  supported: string[],
  name: string,
  fallback: readonly string[],
): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => !supported.includes(v)))
    throw new TypeError(`"${name}" must be a non-empty array of: ${supported.join(', ')}`);
  return value;
}

// Which of the two JWE algorithms was off its allow-list, so that the answer says so. jose
// checks both before touching a key, so the header is well formed here.
function refused(
  token: string,
  keyManagementAlgorithms: readonly string[],
  cause: unknown,
): UnsupportedAlgorithmError {
  const { alg } = decodeProtectedHeader(token);
  return typeof alg !== 'string' || !keyManagementAlgorithms.includes(alg)
    ? new UnsupportedAlgorithmError('The token key management algorithm ("alg") is not allowed', {
        cause,
      })
    : new UnsupportedAlgorithmError(
        'The token content encryption algorithm ("enc") is not allowed',
        { cause },
      );
}

// Refusals that depend on the token alone: trying another key would not change them.
const keyIndependent = (e: unknown) =>
  e instanceof errors.JWEInvalid || e instanceof errors.JOSENotSupported;

/**
 * Decrypts a compact JWE to the compact JWS it carries.
 *
 * @example
 * const decrypt: Decryptor = createDecryptor({ keys: privateJwk });
 */
export type Decryptor = (token: string) => Promise<string>;

/**
 * Build the JWE decryptor from the `decryption` option: tries each key that fits the
 * token's `kid` and `alg`, and insists the plaintext is a JWT (`cty: "JWT"`, RFC 7519 §5.2).
 * Defaults: {@link DEFAULT_KEY_MANAGEMENT_ALGORITHMS} and
 * {@link DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS}. A refused `alg` and a refused `enc` are
 * both an `UnsupportedAlgorithmError`, with a message naming which one.
 * A compressed (`zip`) plaintext may not inflate past `maxPlaintextSize` bytes (default 8192).
 *
 * @example
 * const decrypt = createDecryptor({ keys: privateJwk });
 * const innerJws = await decrypt(compactJwe);
 */
export function createDecryptor(
  options: NonNullable<VerifierOptions['decryption']>,
  maxPlaintextSize = 8192,
): Decryptor {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      '"decryption" must be { keys, keyManagementAlgorithms?, contentEncryptionAlgorithms? }',
    );
  checkKnownKeys(
    options,
    ['keys', 'keyManagementAlgorithms', 'contentEncryptionAlgorithms'],
    ' in "decryption"',
  );
  const list = Array.isArray(options.keys) ? options.keys : [options.keys];
  const entries = list.flatMap(toEntries);
  if (entries.length === 0) throw new TypeError('"decryption.keys" must not be empty');
  const keyManagementAlgorithms = allowList(
    options.keyManagementAlgorithms,
    KEY_MANAGEMENT,
    'decryption.keyManagementAlgorithms',
    DEFAULT_KEY_MANAGEMENT_ALGORITHMS,
  );
  const contentEncryptionAlgorithms = allowList(
    options.contentEncryptionAlgorithms,
    CONTENT,
    'decryption.contentEncryptionAlgorithms',
    DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS,
  );
  const decoder = new TextDecoder('utf-8', { fatal: true });

  return async (token) => {
    let lastError: unknown;
    for (const entry of entries) {
      let result: Awaited<ReturnType<typeof compactDecrypt>>;
      try {
        result = await compactDecrypt(
          token,
          (h) => {
            if (entry.kid !== undefined && h.kid !== undefined && h.kid !== entry.kid)
              throw new InvalidSignatureError('No decryption key matches the token');
            return entry.load(h.alg);
          },
          {
            keyManagementAlgorithms: [...keyManagementAlgorithms],
            contentEncryptionAlgorithms: [...contentEncryptionAlgorithms],
            maxDecompressedLength: maxPlaintextSize,
          },
        );
      } catch (error) {
        lastError = error;
        if (error instanceof errors.JOSEAlgNotAllowed)
          throw refused(token, keyManagementAlgorithms, error);
        if (keyIndependent(error)) break;
        continue;
      }
      if (result.protectedHeader.cty?.toUpperCase() !== 'JWT')
        throw new MalformedTokenError('The encrypted token does not carry a JWT');
      try {
        return decoder.decode(result.plaintext);
      } catch (cause) {
        throw new MalformedTokenError('The encrypted token does not carry a JWT', { cause });
      }
    }
    throw mapJoseError(lastError);
  };
}
