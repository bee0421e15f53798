import type { CryptoKey } from 'jose';
import { randomSecret } from './keys.js';
import {
  buildPayload,
  type ClaimDefaults,
  type Duration,
  type KeyChoice,
  type MintClaims,
  type MintOptions,
  signToken,
} from './mint.js';

/**
 * The HMAC algorithms a {@link SecretMinter} signs with.
 *
 * @example
 * const minter = createSecretMinter({ algorithm: 'HS384' });
 */
export type SecretAlgorithm = 'HS256' | 'HS384' | 'HS512';

const SECRET_ALGORITHMS: readonly SecretAlgorithm[] = ['HS256', 'HS384', 'HS512'];

/**
 * Options of {@link createSecretMinter}.
 *
 * @example
 * createSecretMinter({ issuer: 'https://id.example.test/', audience: 'api', subject: 'alice' });
 */
export interface SecretMinterOptions {
  /** `iss` of minted tokens. Default `'https://issuer.test/'`. */
  issuer?: string;
  /** `aud` of minted tokens. Default `'tokengate-test'`. */
  audience?: string | string[];
  /** `sub` of minted tokens. Default `'test-user'`. */
  subject?: string;
  /** Token lifetime: seconds or `'5m'`. Default `'5m'`. */
  expiresIn?: Duration;
  /** Shared secret (its UTF-8 bytes are the key). Default: 256 random bits. */
  secret?: string;
  /** Signing algorithm. Default `'HS256'`. */
  algorithm?: SecretAlgorithm;
}

/**
 * Per-token overrides of {@link SecretMinter.mint}: `mint()`'s options without `alg`.
 * `key: 'stranger'` (or `'unknown'`) signs with a secret the verifier does not know.
 *
 * @example
 * await minter.mint({}, { expiresIn: -60 }); // expired a minute ago
 */
export type SecretMintOptions = Omit<MintOptions, 'alg'>;

/**
 * Options for `createVerifier()` of `@tokengate/core` that trust a {@link SecretMinter}.
 *
 * @example
 * const verifier = createVerifier(minter.verifierOptions());
 */
export interface SecretVerifierOptions {
  issuer: string;
  audience: string | string[];
  secret: string;
  algorithms: string[];
}

/**
 * A server-less HMAC token issuer for unit tests.
 *
 * @example
 * const token = await minter.mint({ scope: 'read' }, { expiresIn: '1m' });
 */
export interface SecretMinter {
  /** The shared secret tokens are signed with. */
  readonly secret: string;
  /** The signing algorithm. */
  readonly algorithm: SecretAlgorithm;
  /** Claim defaults (`iss`, `aud`, `sub`, lifetime); spread them to make a second minter. */
  readonly defaults: Readonly<ClaimDefaults>;
  /**
   * Sign `iss`, `sub`, `aud`, `iat`, `exp` (now + `expiresIn`), `jti` + `claims` (a claim set to
   * `undefined` is left out). Times come from `Date.now()`, so `vi.setSystemTime()` applies.
   */
  mint(claims?: MintClaims, options?: SecretMintOptions): Promise<string>;
  /** `{ issuer, audience, secret, algorithms }` for core's `createVerifier()`. */
  verifierOptions(): SecretVerifierOptions;
}

function signingKey(secret: string, choice: KeyChoice = 'current'): CryptoKey | Uint8Array {
  if (choice === 'current') return new TextEncoder().encode(secret);
  if (choice === 'stranger' || choice === 'unknown') {
    return new TextEncoder().encode(`not-${secret}`);
  }
  return choice;
}

/**
 * Create an HS256 (or HS384/HS512) token minter: no keys to generate, no server, no `node:*`.
 * Throws `TypeError` for an empty issuer or secret or a non-HMAC algorithm.
 *
 * @example
 * const minter = createSecretMinter({ audience: 'api' });
 * const verifier = createVerifier(minter.verifierOptions());
 * await verifier.verify(await minter.mint({ scope: 'read' }));
 */
export function createSecretMinter(options: SecretMinterOptions = {}): SecretMinter {
  const issuer = options.issuer ?? 'https://issuer.test/';
  if (typeof issuer !== 'string' || issuer === '') {
    throw new TypeError('issuer: a non-empty string is required');
  }
  const secret = options.secret ?? randomSecret();
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('secret: a non-empty string is required');
  }
  const algorithm = options.algorithm ?? 'HS256';
  if (!SECRET_ALGORITHMS.includes(algorithm)) {
    throw new TypeError(`algorithm: use one of ${SECRET_ALGORITHMS.join(', ')}`);
  }
  const defaults: ClaimDefaults = {
    issuer,
    audience: options.audience ?? 'tokengate-test',
    subject: options.subject ?? 'test-user',
    expiresIn: options.expiresIn ?? '5m',
  };
  return {
    secret,
    algorithm,
    defaults,
    async mint(claims = {}, mintOptions = {}) {
      const header = { alg: algorithm, typ: 'JWT', ...mintOptions.header };
      const payload = buildPayload(defaults, claims, mintOptions);
      return signToken({ header, payload, key: signingKey(secret, mintOptions.key) });
    },
    verifierOptions: () => ({
      issuer: defaults.issuer,
      audience: defaults.audience,
      secret,
      algorithms: [algorithm],
    }),
  };
}
