// The token issuer the store tests run against a store: its own ES256 key, issuer
// https://id.example, audience api.
import { createTokenIssuer, generateSigningKey, type RefreshTokenStore } from '@tokengate/issuer';

/**
 * A token issuer keeping its refresh tokens in `store`, and the token pair of a first login of
 * `user-1`.
 *
 * @example
 * const { issuer, login } = await issuerOn(stores.refreshTokens);
 * await issuer.refresh(login.refresh_token);
 */
export async function issuerOn(store: RefreshTokenStore) {
  const keys = await generateSigningKey('ES256');
  const issuer = createTokenIssuer({ issuer: 'https://id.example', audience: 'api', keys, store });
  return { issuer, login: await issuer.issueTokens('user-1') };
}
