import { SignJWT } from 'jose';

/** Shared HS256 secret of the unit tests. */
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

/** Mint an HS256 token valid for 5 minutes from "now" (fake timers respected). */
export async function mint(
  claims: Record<string, unknown> = {},
  { secret = SECRET, expiresIn = '5m' }: { secret?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT({ sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/** `Authorization: Bearer <token>` as request init. */
export function bearer(token: string): RequestInit {
  return { headers: { Authorization: `Bearer ${token}` } };
}
