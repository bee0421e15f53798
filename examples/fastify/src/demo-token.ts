import { SignJWT } from 'jose';

/**
 * Mint a one-hour HS256 token for trying the example with its demo secret.
 *
 * @example
 * const token = await demoToken({ issuer, audience }, DEMO_SECRET, 'read:things');
 */
export function demoToken(
  claims: { issuer: string; audience: string },
  secret: string,
  scope: string,
): Promise<string> {
  return new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('demo-user')
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}
