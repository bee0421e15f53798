import { type JWTPayload, SignJWT } from 'jose';

export const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
export const ISSUER = 'https://issuer.test/';
export const AUDIENCE = 'api';

/** Verifier options matching {@link mint}. */
export const options = {
  secret: SECRET,
  algorithms: ['HS256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  realm: 'api',
};

/** Mint an HS256 token with sensible defaults; `exp` in seconds from now (negative: expired). */
export function mint(claims: JWTPayload = {}, exp = 300, secret = SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + exp)
    .sign(new TextEncoder().encode(secret));
}

/** `Authorization` header for a token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
