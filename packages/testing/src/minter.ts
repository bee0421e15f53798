import type { CryptoKey, JWK } from 'jose';
import {
  type AsymmetricAlgorithm,
  DEFAULT_ALGORITHMS,
  generateTestKey,
  randomSecret,
  type SigningAlgorithm,
  type TestKey,
} from './keys.js';
import {
  buildPayload,
  type ClaimDefaults,
  type Duration,
  type MintClaims,
  type MintOptions,
  signToken,
  unsecuredToken,
} from './mint.js';

/**
 * Options of {@link createTokenMinter} (and of `createTestIssuer`).
 *
 * @example
 * const minter = await createTokenMinter({ issuer: 'https://id.test', audience: 'api' });
 */
export interface TokenMinterOptions {
  /** `iss` of minted tokens. `createTestIssuer` defaults it to its server URL. */
  issuer: string;
  /** `aud` of minted tokens. Default `'tokengate-test'`. */
  audience?: string | string[];
  /** `sub` of minted tokens. Default `'test-user'`. */
  subject?: string;
  /** Token lifetime: seconds or `'5m'`. Default `'5m'`. */
  expiresIn?: Duration;
  /** Algorithm `mint()` signs with by default. Default `'RS256'`. */
  algorithm?: SigningAlgorithm;
  /** Asymmetric algorithms to generate (and publish) keys for. Default `['RS256', 'ES256', 'EdDSA']`. */
  algorithms?: readonly AsymmetricAlgorithm[];
  /** Shared secret for `HS256`/`HS384`/`HS512`. Default: 256 random bits. */
  secret?: string;
}

/**
 * Keys and token minting without any server (no `node:*` import: runs on any runtime).
 *
 * @example
 * const token = await minter.mint({ scope: 'read:things' });
 */
export interface TokenMinter {
  /** The shared secret that `HS*` tokens are signed with. */
  readonly secret: string;
  /** The asymmetric algorithms with a published key. */
  readonly algorithms: readonly AsymmetricAlgorithm[];
  /** Claim defaults (`iss`, `aud`, `sub`, lifetime). */
  readonly defaults: Readonly<ClaimDefaults>;
  /** The current signing key of `alg` (default: the first of `algorithms`). */
  currentKey(alg?: AsymmetricAlgorithm): TestKey;
  /** The public JWK Set: current keys plus rotated keys not yet retired. */
  jwks(): { keys: JWK[] };
  /** Make a fresh key current for `alg` (default: every algorithm); old keys stay published. */
  rotate(alg?: AsymmetricAlgorithm): Promise<TestKey[]>;
  /** Stop publishing `kid`, or every key that is no longer current. */
  retire(kid?: string): void;
  /** Sign a token with defaults (`iss`, `aud`, `sub`, `iat`, `exp` = now + 5m, `jti`) and `claims` on top. */
  mint(claims?: MintClaims, options?: MintOptions): Promise<string>;
  /** An `alg: none` token with the default claims and `claims` on top. It must always be refused. */
  mintUnsecured(claims?: MintClaims): string;
}

/**
 * Generate keys and return a {@link TokenMinter}.
 *
 * @example
 * const minter = await createTokenMinter({ issuer: 'https://id.test' });
 * const token = await minter.mint({ org: 'acme' }, { alg: 'ES256' });
 */
export async function createTokenMinter(options: TokenMinterOptions): Promise<TokenMinter> {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  if (algorithms.length === 0) throw new TypeError('algorithms: at least one is required');
  const secret = options.secret ?? randomSecret();
  const secretBytes = new TextEncoder().encode(secret);
  const defaults: ClaimDefaults = {
    issuer: options.issuer,
    audience: options.audience ?? 'tokengate-test',
    subject: options.subject ?? 'test-user',
    expiresIn: options.expiresIn ?? '5m',
  };
  const defaultAlg = options.algorithm ?? algorithms[0]!;
  const generation = new Map<AsymmetricAlgorithm, number>();
  const current = new Map<AsymmetricAlgorithm, TestKey>();
  const strangers = new Map<AsymmetricAlgorithm, TestKey>();
  let published: TestKey[] = [];

  const nextKey = async (alg: AsymmetricAlgorithm) => {
    const n = (generation.get(alg) ?? 0) + 1;
    generation.set(alg, n);
    const key = await generateTestKey(alg, `${alg.toLowerCase()}-${n}`);
    current.set(alg, key);
    published.push(key);
    return key;
  };
  for (const alg of algorithms) await nextKey(alg);

  const currentKey = (alg: AsymmetricAlgorithm = algorithms[0]!): TestKey => {
    const key = current.get(alg);
    if (!key) throw new TypeError(`No ${alg} key: this issuer generates ${algorithms.join(', ')}`);
    return key;
  };
  const stranger = async (alg: AsymmetricAlgorithm) => {
    const existing = strangers.get(alg);
    if (existing) return existing;
    const key = await generateTestKey(alg, `unknown-${alg.toLowerCase()}`);
    strangers.set(alg, key);
    return key;
  };
  const resolveKey = async (alg: SigningAlgorithm, choice: MintOptions['key'] = 'current') => {
    if (alg.startsWith('HS')) {
      if (choice === 'current') return { key: secretBytes as CryptoKey | Uint8Array };
      if (choice === 'stranger' || choice === 'unknown') {
        return { key: new TextEncoder().encode(`not-${secret}`), kid: undefined };
      }
      return { key: choice };
    }
    const asym = alg as AsymmetricAlgorithm;
    if (choice === 'current')
      return { key: currentKey(asym).privateKey, kid: currentKey(asym).kid };
    if (choice === 'stranger')
      return { key: (await stranger(asym)).privateKey, kid: currentKey(asym).kid };
    if (choice === 'unknown') {
      const key = await stranger(asym);
      return { key: key.privateKey, kid: key.kid };
    }
    return { key: choice, kid: current.get(asym)?.kid };
  };

  return {
    secret,
    algorithms,
    defaults,
    currentKey,
    jwks: () => ({ keys: published.map((k) => ({ ...k.publicJwk })) }),
    async rotate(alg) {
      if (alg) currentKey(alg);
      const rotated: TestKey[] = [];
      for (const a of alg ? [alg] : algorithms) rotated.push(await nextKey(a));
      return rotated;
    },
    retire(kid) {
      const live = new Set(current.values());
      published = published.filter((k) => live.has(k) || (kid !== undefined && k.kid !== kid));
    },
    async mint(claims = {}, mintOptions = {}) {
      const alg = (mintOptions.alg ?? mintOptions.header?.alg ?? defaultAlg) as SigningAlgorithm;
      const { key, kid } = await resolveKey(alg, mintOptions.key);
      const header = { alg, typ: 'JWT', kid, ...mintOptions.header };
      return signToken({ header, payload: buildPayload(defaults, claims, mintOptions), key });
    },
    mintUnsecured(claims = {}) {
      return unsecuredToken(buildPayload(defaults, claims, {}));
    },
  };
}
