import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// OWASP Password Storage Cheat Sheet: scrypt with N=2^14 (or more), r=8, p=1.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
// Longer inputs are refused before hashing, so a huge password cannot cost a lot of CPU.
const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hash a password with scrypt and a fresh 16-byte salt, as `scrypt$N$r$p$salt$hash`.
 *
 * @example
 * const stored = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || !password || password.length > MAX_PASSWORD_LENGTH) {
    throw new TypeError(`A password is a string of 1 to ${MAX_PASSWORD_LENGTH} characters`);
  }
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Check a password against a stored `scrypt$…` hash in constant time. A malformed hash or an
 * over-long password is simply `false`.
 *
 * @example
 * if (await verifyPassword(body.password, user.passwordHash)) login(user);
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (expected.length !== KEY_LENGTH || options.N !== N || options.r !== R || options.p !== P) {
    return false;
  }
  const actual = await derive(password, Buffer.from(salt, 'base64url'), options);
  return timingSafeEqual(actual, expected);
}
