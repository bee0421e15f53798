import { base64url, type JWTPayload, SignJWT } from 'jose';
import { checkKnownOptions } from './check.js';
import { type Duration, epochSeconds, toSeconds } from './duration.js';
import { type EncryptOptions, encrypt } from './encrypt.js';
import type { KeyRing } from './key-ring.js';
import type { IssuerKey } from './keys.js';

/**
 * RFC 9068 §2.1 `typ` of a JWT access token, the default of {@link sign}.
 *
 * @example
 * createVerifier({ ...options, typ: ACCESS_TOKEN_TYP });
 */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/**
 * Options of {@link sign}.
 *
 * @example
 * const jwt = await sign({ scope: 'jobs' }, { key: ring, expiresIn: '5m', typ: 'JWT' });
 */
export interface SignOptions {
  /** The signing key, or a ring whose current key signs. */
  key: IssuerKey | KeyRing;
  /**
   * Lifetime: seconds or `'15m'`; `exp = iat + expiresIn`. Required: `false` signs a token
   * without `exp` only together with `allowNoExpiry: true`.
   */
  expiresIn: Duration | false;
  /** Explicit opt-out that lets `expiresIn: false` through. Default false. */
  allowNoExpiry?: boolean;
  /** Set `nbf`: `true` for now, or a delay (seconds or `'5m'`) after `iat`. Default: no `nbf`. */
  notBefore?: true | Duration;
  /** `iss`. Default: none (or from `claims.iss`). */
  issuer?: string;
  /** `aud`. Default: none (or from `claims.aud`). */
  audience?: string | string[];
  /** `sub`. Default: none (or from `claims.sub`). */
  subject?: string;
  /** `jti`: a given ID, or `false` for none. Default: 128 random bits, base64url. */
  jwtId?: string | false;
  /**
   * The `typ` header (RFC 8725 §3.11 explicit typing). Default `'at+jwt'` (RFC 9068); give
   * each other kind of token its own, e.g. `'refresh+jwt'` or `'JWT'` for ID-token-like ones.
   */
  typ?: string;
  /** Encrypt the signed token to this recipient (nested JWT, sign-then-encrypt). Default: don't. */
  encryptTo?: EncryptOptions;
}

const TIME_CLAIMS = ['iat', 'exp', 'nbf'] as const;
const OPTION_NAMES = [
  'key',
  'expiresIn',
  'allowNoExpiry',
  'notBefore',
  'issuer',
  'audience',
  'subject',
  'jwtId',
  'typ',
  'encryptTo',
];

function resolveKey(key: IssuerKey | KeyRing): IssuerKey {
  const k = (key as KeyRing | undefined)?.current ?? (key as IssuerKey | undefined);
  if (!k || typeof k.kid !== 'string' || k.privateKey === undefined) {
    throw new TypeError(
      '"key" must be a private key from generateSigningKey()/importSigningKey() or a key ring',
    );
  }
  return k;
}

function pick(
  claims: JWTPayload,
  name: 'iss' | 'sub' | 'aud' | 'jti',
  option: string | string[] | undefined,
): void {
  if (option === undefined) return;
  if (claims[name] !== undefined) {
    throw new TypeError(`"${name}" is given both in the claims and as an option`);
  }
  const ok =
    typeof option === 'string'
      ? option.length > 0
      : Array.isArray(option) &&
        option.length > 0 &&
        option.every((v) => typeof v === 'string' && v);
  if (!ok) throw new TypeError(`The "${name}" option must be a non-empty string`);
  (claims as Record<string, unknown>)[name] = option;
}

function lifetime(options: SignOptions): number | undefined {
  if (options.expiresIn === false) {
    if (options.allowNoExpiry === true) return undefined;
    throw new TypeError(
      'Refusing to sign a token without expiry: pass allowNoExpiry: true as well',
    );
  }
  if (options.expiresIn === undefined) {
    throw new TypeError('"expiresIn" is required (seconds or a duration such as \'15m\')');
  }
  return toSeconds(options.expiresIn, 'expiresIn');
}

function buildPayload(claims: JWTPayload, options: SignOptions): JWTPayload {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError('The claims must be a plain object');
  }
  for (const name of TIME_CLAIMS) {
    if (claims[name] !== undefined) {
      throw new TypeError(
        `Set "${name}" through the options (expiresIn, notBefore), not the claims`,
      );
    }
  }
  const payload: JWTPayload = { ...claims };
  const ttl = lifetime(options);
  pick(payload, 'iss', options.issuer);
  pick(payload, 'sub', options.subject);
  pick(payload, 'aud', options.audience);
  const iat = epochSeconds();
  payload.iat = iat;
  if (ttl !== undefined) payload.exp = iat + ttl;
  if (options.notBefore === true) payload.nbf = iat;
  else if (options.notBefore !== undefined) {
    payload.nbf = iat + toSeconds(options.notBefore, 'notBefore');
  }
  if (options.jwtId === undefined) {
    if (payload.jti === undefined) payload.jti = randomId();
  } else if (options.jwtId !== false) {
    pick(payload, 'jti', options.jwtId);
  }
  return payload;
}

/** 128 random bits, base64url: enough that `jti` values never collide (RFC 7519 §4.1.7). */
export function randomId(bytes = 16): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * Sign a JWT: sets `iat`, `exp`, `jti`, and `iss`/`aud`/`sub`/`nbf` when asked, with `alg`,
 * `kid` and `typ` in the header. Misuse (no expiry, `exp` in the claims, ...) is a `TypeError`.
 *
 * @example
 * const token = await sign({ scope: 'read:things' }, { key: ring, expiresIn: '15m',
 *   issuer: 'https://id.example.com', audience: 'api', subject: 'user-1' });
 */
export async function sign(claims: JWTPayload, options: SignOptions): Promise<string> {
  if (typeof options !== 'object' || options === null) throw new TypeError('Options are required');
  checkKnownOptions(options, OPTION_NAMES, 'sign');
  const key = resolveKey(options.key);
  const typ = options.typ ?? ACCESS_TOKEN_TYP;
  if (typeof typ !== 'string' || typ.length === 0)
    throw new TypeError('"typ" must be a non-empty string');
  const payload = buildPayload(claims, options);
  let jws: string;
  try {
    jws = await new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
      .sign(key.privateKey!);
  } catch (error) {
    throw new TypeError('The token could not be signed (check that the claims are JSON)', {
      cause: error,
    });
  }
  return options.encryptTo ? encrypt(jws, options.encryptTo) : jws;
}
