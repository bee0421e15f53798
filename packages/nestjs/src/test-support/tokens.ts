import { type JWTPayload, SignJWT } from 'jose';

export const SECRET = 'a-nest-test-secret-that-is-at-least-32-bytes';
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

/** Sign an HS256 token valid for five minutes; `claims` override the defaults. */
export function mint(claims: JWTPayload = {}, secret = SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: 'user-1',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}
